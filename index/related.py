"""Words close in meaning, as index terms: "fear" / "worry", "call" / "phone", "talk" / "discuss".

A question is often worded unlike the article ("Who is Europe *afraid* of?" / "European countries
*fear* ..."). index/data/related.tsv pairs common English words that a sentence-embedding model
(multilingual-e5-small) puts among each other's closest; scripts/build_related.py made it, offline.
A match through it counts like a match through a word's first letters: half (index.search).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def related_terms() -> dict[str, tuple[str, ...]]:
    """term -> the terms related to it (read once, at the first question that asks)."""
    table: dict[str, tuple[str, ...]] = {}
    text = resources.files("index").joinpath("data/related.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            term, _, others = line.partition("\t")
            table[term] = tuple(others.split(","))
    return table
