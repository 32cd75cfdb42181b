"""Sentence segmentation that returns character offsets.

Hand-written rather than pysbd: measured on the shipped article, pysbd keeps whole
multi-sentence quotations as one "sentence", splits "Dr. hab." from the name, and
takes ~120 ms per article. News text needs offsets, quotes glued to words
(`events."Trump has`) and titles before names; a dozen rules cover that in ~1 ms.
"""

from __future__ import annotations

import re

from ..lexicon.titles import NAME_SUFFIXES, TITLE_ABBREVIATIONS

# Words that end with a period without ending a sentence (folded to lower case, no dot).
# After a title (index.lexicon.titles), a capitalised next word is still the same sentence ("Prof. Boćkowski").
ABBREVIATIONS = TITLE_ABBREVIATIONS | NAME_SUFFIXES | frozenset(
    """
    no nos vs etc inc corp ltd co bros jan feb mar apr aug sep sept oct nov dec mt ft fig vol dept
    univ assoc approx est op cf al ave blvd rd sq ph pp ed eds
    """.split()
)
# US state abbreviations in AP style, capitalised: "PORTLAND, Ore. (AP) — The council ..." is one sentence.
STATE_ABBREVIATIONS = frozenset(
    """
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev
    okla ore pa tenn tex vt va wash wis wyo
    """.split()
)
# After "U.S." and the like, only a typical sentence opener starts a new sentence.
SENTENCE_OPENERS = frozenset(
    "the a an he she it they we i this that these those but and in on at for as if when while after "
    "before there his her their its our my however meanwhile still yet so".split()
)

_OPEN_QUOTES = "\"“‘'«„"
_CLOSERS = "\"”’')]»"
# Terminal punctuation, then any closing quotes/brackets.
_END_RE = re.compile(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*")
_LEADING_MARKER_RE = re.compile(r"\s*(?:[-–—•*]\s+)?")


def _word_before(text: str, pos: int) -> str:
    """The token that ends at pos (the period's position), dots inside it kept: "U.S", "Dr", "7"."""
    i = pos
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    return text[i:pos]


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """Whether the punctuation run text[dot:after] ends a sentence."""
    run = text[dot:after]
    nxt = text[after:after + 1]
    glued_quote = False
    if not nxt:
        return True
    if not nxt.isspace():
        # `events."Trump has`: a closing mark glued to an opening quote of the next sentence.
        if run.endswith('"') and nxt.isupper() and run[0] in ".!?" and len(run) >= 2:
            glued_quote = True
        else:
            return False
    # First visible character of the next sentence.
    j = after
    while j < len(text) and text[j] in " \t":
        j += 1
    if j >= len(text) or text[j] == "\n":
        return True
    first = text[j]
    if glued_quote:
        return True
    if not (first.isupper() or first.isdigit() or first in _OPEN_QUOTES or first in "(-–—•"):
        return False  # "e.g. something", "... and then"
    if run[0] != ".":
        return True  # ! and ? end sentences before a capital
    if run.startswith("..") and not run.startswith("..."):
        return True
    word = _word_before(text, dot)
    bare = word.lower().rstrip(".")
    if bare in ABBREVIATIONS or (bare in STATE_ABBREVIATIONS and word[:1].isupper()):
        if bare in TITLE_ABBREVIATIONS or bare in {"no", "vs", "fig", "vol", "op", "cf", "al"}:
            return False
        return _next_word(text, j).lower() in SENTENCE_OPENERS
    if len(bare) == 1 and bare.isalpha() and word[:1].isupper():
        return False  # an initial: "John F. Kennedy"
    if "." in word:  # "U.S." / "a.m.": a new sentence only before a typical opener
        return _next_word(text, j).lower() in SENTENCE_OPENERS
    return True


def _next_word(text: str, j: int) -> str:
    m = re.match(r"[\"“‘'(]*([^\W\d_]+)", text[j:j + 40])
    return m.group(1) if m else ""


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], trimmed of surrounding white space and list markers."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _END_RE.finditer(text, start, end):
        dot, after = m.start(), m.end()
        # `events."Trump`: split between the period and the glued opening quote.
        if after < end and text[after - 1] == '"' and not text[after:after + 1].isspace() and _is_boundary(text, dot, after):
            _add(text, spans, cur, after - 1)
            cur = after - 1
            continue
        if _is_boundary(text, dot, after):
            _add(text, spans, cur, after)
            cur = after
    _add(text, spans, cur, end)
    return spans


def _add(text: str, spans: list[tuple[int, int]], s: int, e: int) -> None:
    m = _LEADING_MARKER_RE.match(text, s, e)
    if m:
        s = m.end()
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and any(ch.isalnum() for ch in text[s:e]):
        spans.append((s, e))
