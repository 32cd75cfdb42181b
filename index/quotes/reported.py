"""Reported speech in the narration, one finder per pattern, tried in a declared order on each sentence of
a body paragraph outside quotation marks (REPORTED_SPEECH): the first that finds a clause decides.

    according_to        "According to X, CLAUSE."
    as_x_says           "As X points out, CLAUSE."
    x_said_that         "X said (in an interview) that CLAUSE." / "X said CLAUSE." (a subject and a verb follow)
    clause_then_x_said  "CLAUSE, the Americanist believes." / "CLAUSE, said X."

Each takes a ReportedSentence and gives a _Raw (the clause, who, the cue) or None; tests/test_reported.py
holds a table of positive and negative cases per finder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Callable

from ..lexicon.function_words import RELATIVE_WORDS
from ..lexicon.people import NOT_NAME
from ..models import Article
from ..text.tokenize import fold
from .clauses import _tail
from .finders import _Cover
from .marks import _Raw, _strip_span
from .patterns import CUE_RE, _NONFINITE_BEFORE, _PIECE, _WORD, _marks_of
from .phrases import _cues_by_sentence, _np_after, _np_before

# A reported clause shorter than this ("it is", "so") is no statement worth attributing.
MIN_CLAUSE = 15


@dataclass(frozen=True, slots=True)
class ReportedSentence:
    """One sentence as the finders read it."""

    text: str  # the article's text
    start: int
    end: int
    paragraph: int
    cues: list[re.Match[str]]  # CUE_RE's matches in the sentence
    quoted: _Cover  # what is inside quotation marks already

    def raw(self, cs: int, ce: int, cue: str, who: tuple[int, int], tail: bool = False) -> _Raw:
        return _Raw(start=cs, end=ce, paragraph=self.paragraph, kind="indirect", cue=cue, who=who, tail=tail)


_AS_OR_ACCORDING = re.compile(r"\b(?:[Aa]s|[Aa]ccording to)\s+")
_UP_TO_COMMA = re.compile(r"[^,]{0,80}?,\s*")
_SHORT_UP_TO_COMMA = re.compile(r"[^,.]{0,30},\s*")


def according_to(s: ReportedSentence) -> _Raw | None:
    """"According to X, CLAUSE" (the first "as"/"according to" of the sentence is "according to")."""
    m = _AS_OR_ACCORDING.search(s.text, s.start, s.end)
    if not m or not m.group().lower().startswith("according"):
        return None
    who = _np_after(s.text, m.end(), s.end)
    if not who:
        return None
    comma = _UP_TO_COMMA.match(s.text, who[1], s.end)
    if not comma:
        return None
    cs, ce = _strip_span(s.text, comma.end(), s.end, " \t.,")
    return s.raw(cs, ce, "according to", who) if ce - cs > MIN_CLAUSE else None


def as_x_says(s: ReportedSentence) -> _Raw | None:
    """"As X points out, CLAUSE" (the first "as"/"according to" of the sentence is "as"; the cue within 60
    characters of it)."""
    m = _AS_OR_ACCORDING.search(s.text, s.start, s.end)
    if not m or m.group().lower().startswith("according"):
        return None
    cue = CUE_RE.search(s.text, m.end(), min(s.end, m.end() + 60))
    if not cue:
        return None
    who = _np_before(s.text, m.end(), cue.start(), whole=True)
    after = _SHORT_UP_TO_COMMA.match(s.text, cue.end(), s.end)
    if not (who and after):
        return None
    cs, ce = _strip_span(s.text, after.end(), s.end, " \t.,")
    return s.raw(cs, ce, cue.group(), who) if ce - cs > MIN_CLAUSE else None


def x_said_that(s: ReportedSentence) -> _Raw | None:
    """"X said (in an interview) that CLAUSE", or "X said CLAUSE" when a subject and a finite verb follow: the
    first cue outside quotations that takes a clause decides."""
    text = s.text
    for cue in s.cues:
        if cue.start() in s.quoted:
            continue
        that = _THAT.match(text, cue.end(), s.end) or _bare_clause(cue.group(), text, cue.end(), s.end)
        if not that or (cue.group().endswith("ing") and _NONFINITE_BEFORE.search(text[max(s.start, cue.start() - 12):cue.start()])):
            continue
        who = _np_before(text, s.start, cue.start())
        if who is None or fold(text[who[0]:who[1]].split()[0]) in RELATIVE_WORDS:
            continue
        if _marks_of(text).match(text, that.end()):
            return None  # 'said that"...' is a direct quotation, found already
        end = s.end
        if _RELATIVE_BETWEEN.fullmatch(text, who[1], cue.start()):
            close = text.find(",", that.end(), s.end)  # "The mayor, who said that it was late, left": up to its comma
            end = close if close > 0 else end
        cs, ce = _strip_span(text, that.end(), end, " \t.,")
        return s.raw(cs, ce, cue.group(), who) if ce - cs > MIN_CLAUSE else None
    return None


_RELATIVE_BETWEEN = re.compile(r"\s*,\s*(?:who|whom)\s+(?:\w+\s+){0,2}", re.I)  # "X, who (had) said"


_COMMA = re.compile(r",\s+")
_NOTHING_MORE = re.compile(r"[\s.!?,]*|,.*")


def clause_then_x_said(s: ReportedSentence) -> _Raw | None:
    """"CLAUSE, the Americanist believes." / "CLAUSE, said X.": an attribution after a comma in the last 90
    characters, with nothing but punctuation (or another clause after a comma) behind it."""
    text = s.text
    for m in _COMMA.finditer(text, s.start, s.end):
        cut = m.start()
        if cut in s.quoted or s.end - m.end() > 90:
            continue
        att = _tail(text, cut, s.end)
        if att is None:
            continue
        rest = re.sub(r"^\s*" + re.escape(att[0]), "", text[att[1][1]:s.end])
        if att[1][1] >= s.end - 90 and _NOTHING_MORE.fullmatch(rest):
            cs, ce = _strip_span(text, s.start, cut, " \t")
            if ce - cs > MIN_CLAUSE and not _marks_of(text).search(text, cs, ce):
                return s.raw(cs, ce, att[0], att[1], tail=True)
            return None
    return None


# In order: the first finder that finds a clause in a sentence decides.
REPORTED_SPEECH: tuple[Callable[[ReportedSentence], _Raw | None], ...] = (
    according_to, as_x_says, x_said_that, clause_then_x_said,
)


def _indirect(article: Article, found: list[_Raw]) -> list[_Raw]:
    """Reported speech in the narration of body paragraphs, outside what `found` quotes."""
    quoted = _Cover(found)
    cues_of = _cues_by_sentence(article)
    out: list[_Raw] = []
    for k, sent in enumerate(article.sentences):
        p = article.paragraph(sent.paragraph)
        if p.kind not in ("body", "bullet") or sent.start in quoted:
            continue
        sentence = ReportedSentence(article.text, sent.start, sent.end, p.number, cues_of[k], quoted)
        raw = next((r for finder in REPORTED_SPEECH if (r := finder(sentence)) is not None), None)
        if raw is not None:
            out.append(raw)
    return out


_THAT = re.compile(r"(?:\s+[^,.;:\"“”]{0,60}?)?\s+that\s+")


_CLAUSE_VERB = re.compile(r"\b(?:is|was|are|were|had|has|have|would|will|could|should|can|may|might|must|did|does)\b")


_CLAUSE_START = re.compile(rf"\s+(?=(?:the|he|she|it|they|we|there|his|her|their|its|this|these|{_WORD}|[a-z][\w-]*)\s)")


_NOT_SUBJECT = NOT_NAME - {"he", "she", "it", "they", "we", "there", "his", "her", "their", "its", "this", "these", "the"}


def _bare_clause(cue: str, text: str, pos: int, hi: int) -> re.Match[str] | None:
    """"Lopez said the federation would push ...", "Picton said emergency shelters had been opened": a
    reported clause without "that" (a subject, then a finite verb within six words). The match
    (of text, like _THAT's) ends where the clause starts."""
    if cue not in ("said", "says", "say"):
        return None
    m = _CLAUSE_START.match(text, pos, hi)
    if not m:
        return None
    space = text.find(" ", m.end(), hi)
    first = text[m.end():space if space != -1 else hi]
    if fold(first) in _NOT_SUBJECT:
        return None
    six = " ".join(w.group() for w in islice(_PIECE.finditer(text, m.end(), hi), 6))
    return m if _CLAUSE_VERB.search(six) else None
