"""The import graph points one way: bot imports index, nothing under index/ imports discord or bot; no two modules
under bot/ import each other (not even for type checking), and the pure ones import no discord."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _bot_imports(path: Path, modules: set[str]) -> set[str]:
    """The modules under bot/ that `path` imports, anywhere in it (inside functions and `if TYPE_CHECKING:` too);
    `from . import x` counts as importing the module x when there is one."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
    return {m for m in found if m in modules and m != _module(path)}


def _graph() -> dict[str, set[str]]:
    paths = sorted(BOT.rglob("*.py"))
    modules = {_module(p) for p in paths}
    return {_module(p): _bot_imports(p, modules) for p in paths}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the modules along it (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    found: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                found.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def test_index_never_imports_discord_or_bot():
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & {"discord", "bot"}) for p in (ROOT / "index").rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}


def test_no_import_cycle_under_bot():
    graph = _graph()
    assert graph["bot.checks"] and graph["bot.cogs.ask"]  # the graph is read at all
    assert "bot.gate" in graph["bot.checks"] and "bot.cogs.admin" in graph["bot.cogs.ask"]
    assert not _cycles(graph)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"bot.checks": {"bot.client"}, "bot.client": {"bot.checks"}}) == [["bot.checks", "bot.client", "bot.checks"]]
    assert not _cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}})


def test_discord_free_bot_modules():
    paths = [*(BOT / "replies").glob("*.py"), *(BOT / "store").glob("*.py"),
             *(BOT / name for name in ("gate.py", "text.py", "terminal.py", "settings.py"))]
    for path in paths:
        assert "discord" not in _imports(path), path.relative_to(ROOT)
