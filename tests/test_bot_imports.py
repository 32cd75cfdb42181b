"""The import graph points one way: bot imports index, nothing under index/ imports discord or bot."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_index_never_imports_discord_or_bot():
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & {"discord", "bot"}) for p in (ROOT / "index").rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}


def test_discord_free_bot_modules():
    paths = [*(ROOT / "bot" / "replies").glob("*.py"),
             *(ROOT / "bot" / name for name in ("store.py", "text.py", "terminal.py", "settings.py"))]
    for path in paths:
        assert "discord" not in _imports(path), path.relative_to(ROOT)
