"""The attribution clause of one quotation: the words after it, and the cues before it."""

from __future__ import annotations

import re
from ..text.tokenize import fold
from ..lexicon.function_words import RELATIVE_WORDS
from ..lexicon.people import NOT_NAME
from ..lexicon.speech import COGNITION_FORMS
from .patterns import CUE_RE, _TITLE, _WORD
from .phrases import _ACCORDING_TO, _cues_in, _np_after, _np_before


_LEAD = re.compile(r"[\s,]*(?:[-–—]\s*)?")


def _tail(text: str, close: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """Attribution right after a quotation: '," says X' / '," X said' / '" - added X'."""
    lead = _LEAD.match(text, close, hi)
    pos = lead.end() if lead else close
    m = _ACCORDING_TO.match(text, pos, hi)
    if m:
        who = _np_after(text, m.end(), hi)
        return ("according to", who) if who else None
    m = CUE_RE.match(text, pos, hi)
    if m:
        who = _np_after(text, _skip_space(text, m.end(), hi), hi)
        return (m.group(), who) if who else None
    # "Smith, a Democrat from Ohio, said": a name, an appositive between commas, the cue.
    window = text[pos:min(hi, pos + 160)]
    m = re.match(rf"({_TITLE}*{_WORD}(?:\s+{_WORD}){{0,3}})\s*,\s*(?:a|an|the|who|[a-z]+)\b[^,.;\"“”]{{1,100}},\s*(?:\w+ly\s+)?(?={CUE_RE.pattern})", window)
    if m and fold(m.group(1).split()[0]) not in NOT_NAME:
        c = CUE_RE.match(window, m.end())
        if c:
            return c.group(), (pos, pos + m.end(1))
    # "X said": a subject of at most six words, then the cue.
    window = window[:80]
    for c in CUE_RE.finditer(window):
        before = re.sub(r"\b(?:[A-Z][a-z]{0,3}|hab)\.", "", window[:c.start()])  # "Gov." is not a full stop
        if re.search(r"[,.;:!?\"“”]", before) and not re.match(r"[^,]*,\s*(?:however|though|meanwhile)\s*,", before + " "):
            break
        if len(window[:c.start()].split()) > 7:
            break
        who = _np_before(text, pos, pos + c.start(), whole=True)
        if who and fold(text[who[0]:who[1]].split()[0]) not in RELATIVE_WORDS:
            return c.group(), who
        break
    return None


def _skip_space(text: str, i: int, hi: int) -> int:
    while i < hi and text[i].isspace():
        i += 1
    return i


class _Prefixes:
    """Attribution before a quotation in the same sentence: 'X said: "...' / 'Trump said that"...'.

    It is the nearest cue before the quotation with a subject ("announced that ... what had been
    agreed ... a "fair deal""); for a short quotation, none if a verb of thinking comes first
    ("Burton thinks that cats are "cuties""). Called for the quotations of one text in text order:
    those of one clause share its start (lo), so the cues before each are the cues before the
    last one plus the new ones, and each is looked at once.
    """

    def __init__(self, text: str):
        self.text = text
        self.lo = self.upto = -1
        self.said: tuple[str, tuple[int, int], int] | None = None  # last cue with a subject: cue, who, where
        self.thought = -1  # where the last verb of thinking is

    def __call__(self, lo: int, open_pos: int, short: bool) -> tuple[str, tuple[int, int]] | None:
        text = self.text
        if lo != self.lo or open_pos < self.upto:
            self.lo, self.upto, self.said, self.thought = lo, lo, None, -1
        # An opening mark is never inside a cue: the cues from `upto` on are the new ones. Of those, only
        # the last with a subject can be the answer, now or later: read back to it.
        new = _cues_in(text, lo, open_pos, self.upto)
        for c in new:
            if c.group() in COGNITION_FORMS:
                self.thought = c.start()
        for c in reversed(new):
            who = _np_before(text, lo, c.start())
            if who is not None and fold(text[who[0]:who[1]].split()[0]) not in RELATIVE_WORDS:
                self.said = (c.group(), who, c.start())
                break
        self.upto = max(self.upto, open_pos)
        said_at = self.said[2] if self.said else -1
        if short and self.thought >= 0 and self.thought >= said_at:
            return None  # read back from the quotation, a verb of thinking comes first
        return self.said[:2] if self.said else None
