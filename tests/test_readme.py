"""The README and the set-up guide: every command they show exists as written (a make target, or one of the
virtualenv's entry points), so a fresh clone can follow them without activating anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "discord-setup.md"]


def _targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def _entry_points() -> set[str]:
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"])


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_make_command_shown_is_a_target(doc):
    # in a code span or at the start of a line of a code block ("make concessions" is prose)
    shown = set(re.findall(r"(?:^|`|\$ )make ([a-z][\w-]*)", doc.read_text(encoding="utf-8"), re.M))
    assert shown and shown <= _targets(), shown - _targets()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_virtualenv_command_shown_is_installed_by_the_project(doc):
    text = doc.read_text(encoding="utf-8")
    shown = set(re.findall(r"\.venv/bin/([\w-]+)", text))
    assert shown <= _entry_points() | {"python"}, shown - _entry_points()
    # no bare `python -m index|bot`, which needs an activated virtualenv
    assert not re.search(r"(?<![\w/.-])python -m (?:index|bot)\b", text)


def test_the_setup_guide_states_the_permissions_the_invite_asks_for():
    from bot.invite import PERMISSIONS, PERMISSIONS_VALUE

    text = (ROOT / "docs" / "discord-setup.md").read_text(encoding="utf-8")
    assert str(PERMISSIONS_VALUE) in text and all(f"| {name} |" in text for name in PERMISSIONS)


def test_the_readme_settings_table_names_every_setting():
    from bot.settings import Settings

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| Setting | Default | What |"):]
    missing = [n.upper() for n in Settings.model_fields if f"`{n.upper()}`" not in table]
    assert not missing, missing
