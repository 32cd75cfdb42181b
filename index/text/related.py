"""Words close in meaning, as index terms: "fear" / "worry", "call" / "phone", "talk" / "discuss".

A question is often worded unlike the article ("Who is Europe *afraid* of?" / "European countries
*fear* ..."). index/data/related.tsv pairs common English words that a sentence-embedding model
(multilingual-e5-small) puts among each other's closest; scripts/build_related.py made it, offline.
A match through it counts like a match through a word's first letters: half (index.retrieval.search).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)


def _shipped() -> Path:
    return Path(str(resources.files("index").joinpath("data/related.tsv")))


@lru_cache(maxsize=4)
def related_terms(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """term -> the terms related to it, read once at the first question that asks. Without the table
    (a broken install) answers go on without it, and the log says so."""
    table: dict[str, tuple[str, ...]] = {}
    try:
        text = (path or _shipped()).read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("no table of related words (%s): questions are matched by their own words only", exc)
        return table
    for line in text.splitlines():
        if line and not line.startswith("#"):
            term, _, others = line.partition("\t")
            table[term] = tuple(others.split(","))
    return table
