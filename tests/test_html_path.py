"""The HTML extraction path runs on the installed dependencies, and they are declared.

trafilatura imports justext, which imports `lxml.html.clean`; since lxml 5.2 that module is
only a shim for the separate `lxml_html_clean` project, and without it every HTML page fails
with "ImportError: lxml.html.clean module is now a separate project". The project declares
it itself rather than trusting every version of trafilatura/justext to pull it in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.text.html import extract

PAGE = """<!doctype html><html lang="en"><head><title>Ferry fares rise - Coast Herald</title>
<meta name="author" content="Jan Kos"></head>
<body><nav>Home | Weather | Sport</nav><article><h1>Ferry fares rise</h1>
<p>Ferry tickets to the island will cost four euros from May, the operator said on Tuesday.</p>
<p>Children under seven will still travel for free, and season tickets keep their price.</p>
</article><footer>Cookies | Privacy</footer></body></html>"""


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_html_extraction_runs_on_the_installed_dependencies():
    import lxml.html.clean  # noqa: F401 - what justext imports; fails without lxml_html_clean

    text, found = extract(PAGE, url="https://coastherald.example/ferry-fares")
    assert "will cost four euros from May" in text and "Children under seven" in text
    assert "Cookies" not in text and "Weather" not in text
    assert found["title"] == "Ferry fares rise" and found["author"] == "Jan Kos"


def test_lxml_html_clean_is_a_declared_dependency():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "lxml-html-clean" in {_name(r) for r in project["dependencies"]}
