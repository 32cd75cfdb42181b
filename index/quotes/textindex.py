"""Looking back from a position in time linear in the article: one scan of the text, then binary search."""

from __future__ import annotations

import re
from bisect import bisect_left
from ..text.tokenize import fold
from ..lexicon.titles import NAME_SUFFIXES, TITLE_ABBREVIATIONS
from .patterns import _SENT_END_RE, _by_text


_SHORT = 32  # a range this short is searched as it is


_BACK_RUNS: dict[int, re.Pattern[str]] = {}


def _window(text: str, lo: int, pos: int, runs: int) -> int:
    """Where text[lo:pos] holds at most `runs` runs of white space after it: the start of the last
    `runs` + 1 white-space-separated pieces (lo if there are fewer). Any match ending at pos that
    starts at a non-space and holds at most `runs` such runs starts there or later, and the
    character before the window is white space (or the window starts at lo), so a search of
    text[window:pos] finds what a search of text[lo:pos] finds, at the same offsets."""
    if pos - lo <= _SHORT:
        return lo
    back = _BACK_RUNS.get(runs)
    if back is None:
        back = _BACK_RUNS[runs] = re.compile(r"\S*(?:\s+\S+){0,%d}" % runs)
    n = len(text)
    m = back.match(_index(text).reversed, n - pos, n - lo)
    return pos - (m.end() - m.start())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \b and \w take for a word character


class _TextIndex:
    """What the rules look up often in one article's text, found once: the positions of commas and
    of a few patterns, the text reversed (to read back from a position at C speed), and memos."""

    def __init__(self, text: str):
        self.text = text
        self._reversed: str | None = None
        self._hits: dict[str, tuple[list[int], list[int]]] = {}
        self._matches: dict[str, list[re.Match[str]]] = {}
        self._sent_ends: tuple[list[int], list[int], list[int], list[int]] | None = None
        self.strip_memo: dict[tuple[int, int], int] = {}
        self.split_at: dict[int, bool] = {}
        self.words: set[str] | None = None
        self.cues_of: tuple[list, list[list[re.Match[str]]]] | None = None  # (sentences, their cues)
        self.compound: dict[str, bool] = {}

    @property
    def reversed(self) -> str:
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed

    def hits(self, key: str, pattern: re.Pattern[str]) -> tuple[list[int], list[int]]:
        """(starts, ends) of pattern.finditer over the whole text."""
        found = self._hits.get(key)
        if found is None:
            starts, ends = [], []
            for m in pattern.finditer(self.text):
                starts.append(m.start())
                ends.append(m.end())
            found = self._hits[key] = (starts, ends)
        return found

    def matches(self, key: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """pattern.finditer over the whole text, kept (with hits(key, pattern))."""
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = list(pattern.finditer(self.text))
            self._hits[key] = ([m.start() for m in found], [m.end() for m in found])
        return found

    @property
    def commas(self) -> list[int]:
        return self.hits(",", _COMMA_RE)[0]

    def sent_ends(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """_SENT_END_RE over the whole text: all (starts, ends), and those that end a sentence when
        the 12 characters before them are looked at (not "Dr."), as (starts, ends)."""
        if self._sent_ends is None:
            starts, ends = self.hits("sent_end", _SENT_END_RE)
            vs, ve = [], []
            for s, e in zip(starts, ends):
                if _ends_sentence(self.text, 0, s):
                    vs.append(s)
                    ve.append(e)
            self._sent_ends = (starts, ends, vs, ve)
        return self._sent_ends


_COMMA_RE = re.compile(",")


def _index(text: str) -> _TextIndex:
    return _by_text("text index", text, _TextIndex)


def _last_before(positions: list[int], lo: int, pos: int) -> int | None:
    """The last of the sorted positions in [lo, pos), or None."""
    i = bisect_left(positions, pos) - 1
    return positions[i] if i >= 0 and positions[i] >= lo else None


_NOT_SENTENCE_END = TITLE_ABBREVIATIONS | NAME_SUFFIXES  # "Dr." and "Jr." end no sentence


def _ends_sentence(text: str, lo: int, start: int) -> bool:
    """Whether a _SENT_END_RE match at `start` ends a sentence: not after a title ("Dr."), looking at
    no more than the 12 characters before it, and none before lo."""
    word = re.search(r"(\w+)\W*$", text[max(lo, start - 12):start])
    return not (word and fold(word.group(1)) in _NOT_SENTENCE_END)
