"""Quotation marks paired into raw quotations, and the sentence and paragraph around a position."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from ..models import Article, Paragraph, QuoteKind
from .patterns import _SENT_END_RE, _marks_of, _by_text
from .textindex import _SHORT, _TextIndex, _ends_sentence, _index


@dataclass
class _Raw:
    """A quotation before its speaker is resolved."""

    start: int
    end: int
    paragraph: int
    kind: QuoteKind
    cue: str | None = None
    who: tuple[int, int] | None = None  # where the speaker is named, as written
    group: int | None = None  # quotes running over several paragraphs share a group
    short: bool = False  # a quoted phrase inside narration, not a whole utterance
    speaker: str | None = None
    pull_name: str | None = None  # pull quotes: the name line under them
    tail: bool = False  # attributed after the quote ("...," he said)
    tentative: bool = False  # kept only if the parse finds a verb of saying for it ('"Well, let me put it," he continued')
    antecedents: tuple[tuple[int, int], ...] = ()  # "he said": whom the parse says "he" may be, nearest first


def _strip_span(text: str, s: int, e: int, chars: str = " \t,;:-–—") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _stripped_len(text: str, s: int, e: int) -> int:
    """len(text[s:e].strip()), reading only the white space at its ends."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return e - s


_ROLES: dict[tuple[str, str, str], str] = {}  # (character before, mark, character after) -> role


def _role(prev: str, mark: str, nxt: str) -> str:
    """Whether a mark between these characters opens, closes, or could do either (straight marks)."""
    if mark in ("“", "„", "«", "``", "‘"):
        return "open"
    if mark in ("”", "»"):
        return "close"
    if mark in ("'", "’") and prev.isalnum() and nxt.isalnum():
        return "apostrophe"  # single-mark style only: "don't", "Patel's"
    left_free = prev.isspace() or prev in "([{—–-:/"
    right_free = nxt.isspace() or nxt in ",.;:!?)]}—–-"
    if left_free and not right_free:
        return "open"
    if right_free and not left_free:
        return "close"
    if left_free and right_free:
        return "close"  # a lone mark between spaces only ever ends something
    # Glued on both sides: `he"reconciles` opens (a lost space); `statements."It` either.
    return "glued_word" if prev.isalnum() else "either"


def _scan_marks(article: Article) -> list[tuple[int, int, int, int, int]]:
    """Direct quotations as (open, content_start, content_end, close_end, group) in text order.

    Straight marks are paired by their flanks, so glued marks (`he"reconciles"`) and
    one level of nesting work; a mark that closes nothing is ignored; a quotation left
    open at a paragraph's end continues only if the next paragraph opens with a mark.
    """
    text = article.text
    marks = _marks_of(text)
    out: list[tuple[int, int, int, int, int]] = []
    group = 0
    carry: int | None = None  # the open quotation continued from the previous paragraph
    paras = [p for p in article.paragraphs if p.kind in ("body", "bullet", "heading")]
    for idx, p in enumerate(paras):
        stack: list[tuple[int, int]] = []  # (mark position, mark length)
        if carry is not None:
            m = marks.match(text, p.start)
            if m:
                stack.append((m.start(), m.end() - m.start()))
            carry = None
        lo, hi = p.start, p.end
        for m in marks.finditer(text, lo, hi):
            i, j = m.span()
            if stack and i == stack[0][0]:
                continue
            # A text has a few hundred kinds of marks in their context: each role is worked out once.
            key = (text[i - 1] if i > lo else " ", text[i:j], text[j] if j < hi else " ")
            role = _ROLES.get(key)
            if role is None:
                role = _ROLES[key] = _role(*key)
            if role == "apostrophe":
                continue
            if role == "glued_word" and not stack:
                role = "open"
            elif role == "glued_word":
                role = "open" if len(stack) == 1 else "skip"
            elif role == "either":
                role = "close" if stack else "open"
            if role == "open" and len(stack) < 2:
                stack.append((m.start(), len(m.group())))
            elif role == "close" and stack:
                o, n = stack.pop()
                if not stack:
                    out.append((o, o + n, m.start(), m.end(), group))
                    group += 1
        if stack:
            o, n = stack[0]
            nxt = paras[idx + 1] if idx + 1 < len(paras) else None
            if nxt is not None and nxt.number == p.number + 1 and marks.match(text, nxt.start):
                # Runs on: this part ends at the paragraph's end; the group continues.
                out.append((o, o + n, p.end, p.end, group))
                carry = group
                continue
            group += 1
    return _merge_groups(out)


def _merge_groups(out: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """Renumber so that the parts of one multi-paragraph quotation share one group id."""
    fixed = []
    prev_open_end: int | None = None
    gid = -1
    for o, cs, ce, e, g in out:
        if prev_open_end is None or g != prev_open_end:
            gid += 1
        fixed.append((o, cs, ce, e, gid))
        prev_open_end = g if ce == e else None  # a part ending at its paragraph's end carries on
    return fixed


def _is_title_case(words: list[str]) -> bool:
    """"One Hundred Years of Solitude": a title or a nickname, not somebody's words."""
    big = [w for w in words if len(w) > 3 or w[:1].isupper()]
    return bool(big) and all(w[:1].isupper() for w in big)


def _starts(items: list) -> list[int]:
    """Start offsets of a list of sentences or paragraphs, computed once per list and analysis."""
    return _by_text("starts", items, _starts_of)


def _starts_of(items: list) -> list[int]:
    return [x.start for x in items]


def _sentence_bounds(article: Article, pos: int) -> tuple[int, int]:
    i = bisect_right(_starts(article.sentences), pos) - 1
    if i >= 0 and pos < article.sentences[i].end:
        return article.sentences[i].start, article.sentences[i].end
    p = _paragraph_at(article, pos)
    return (p.start, p.end) if p else (pos, pos)


def _paragraph_at(article: Article, pos: int) -> Paragraph | None:
    i = bisect_right(_starts(article.paragraphs), pos) - 1
    if i >= 0 and pos <= article.paragraphs[i].end:
        return article.paragraphs[i]
    return None


_TERMINALS_RE = re.compile(r"[.!?…]+")


_CLOSERS_RE = re.compile(r"[\"”’')\]]+")


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Where the sentence holding pos starts, looking back no further than lo: the end of the last
    _SENT_END_RE match in text[lo:pos] that ends a sentence."""
    if pos - lo <= _SHORT:
        best = lo
        for m in _SENT_END_RE.finditer(text, lo, pos):
            if _ends_sentence(text, lo, m.start()):
                best = m.end()
        return best
    # The same from positions found once. In text[lo:pos] the matches are those of the whole text
    # that lie inside it, except at its ends: one ending at pos (the text ends there, so no space
    # needs to follow), and one the cut at lo shortens to start at lo.
    idx = _index(text)
    end_block = _block_ending_at(idx, lo, pos)
    if end_block is not None and _ends_sentence(text, lo, end_block):
        return pos
    starts, ends, valid_starts, valid_ends = idx.sent_ends()
    k = bisect_left(valid_ends, pos) - 1  # the last one ending before pos that ends a sentence anywhere
    if k >= 0 and valid_starts[k] >= lo + 12:  # far enough from lo for lo not to matter
        return valid_ends[k]
    # Only matches near lo are left to look at (at most 12 of them), with lo.
    best = lo
    i = bisect_left(starts, lo)
    if i > 0 and ends[i - 1] > lo and ends[i - 1] < pos and text[lo] in ".!?…":
        best = ends[i - 1]  # shortened to start at lo: nothing before it, so it ends a sentence
    while i < len(starts) and starts[i] < lo + 12 and ends[i] < pos:
        if _ends_sentence(text, lo, starts[i]):
            best = ends[i]
        i += 1
    return best


def _block_ending_at(idx: _TextIndex, lo: int, pos: int) -> int | None:
    """Where text[lo:pos] ends with terminal marks then closing ones ("?\"", ".)"), or None."""
    text = idx.text
    c0 = pos
    if text[pos - 1] in "\"”’')]":
        starts, _ = idx.hits("closers", _CLOSERS_RE)
        c0 = max(lo, starts[bisect_right(starts, pos - 1) - 1])
    if c0 <= lo or text[c0 - 1] not in ".!?…":
        return None
    starts, _ = idx.hits("terminals", _TERMINALS_RE)
    return max(lo, starts[bisect_right(starts, c0 - 1) - 1])
