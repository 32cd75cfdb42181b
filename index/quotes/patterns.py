"""The patterns the quotation finders read, built from the word lists of index.lexicon: verbs of saying,
titles before names, name words, quotation marks and sentence ends."""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from ..lexicon.speech import SPEECH_PHRASES, speech_forms
from ..text.article import TITLE_RE
from ..text.patterns import alternation, first_letters

_CUE_WORDS = speech_forms()


# The phrases first, so that "points out" is taken over "points". The lookahead lets the engine skip the
# positions where no cue starts (first_letters: "(?:does|do|did)" starts with a d).
CUE_RE = re.compile(rf"(?={first_letters(_CUE_WORDS + ['d'])})(?<![\w-])"
                    rf"(?:{'|'.join(SPEECH_PHRASES)}|{alternation(_CUE_WORDS)})(?![\w-])")  # not "so-called"


# Cues that never introduce what the subject says: "by explaining that ...".
_NONFINITE_BEFORE = re.compile(r"\b(?:by|after|before|while|without|when|of|for)\s+$", re.I)  # also "By explaining ..."


# (Every title starts with a capital but "hab": NAME_RE's lookahead lets the engine skip other positions.)
_TITLE = TITLE_RE  # the titles of index.lexicon.titles, as the article parser reads them before a name


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"


# A name word: capitalised, not an all-caps acronym ("EU", "NATO" are not people).
_WORD = rf"(?:[{_UPPER}](?:[a-zß-öø-ÿā-ž'’-]|[{_UPPER}](?=[a-zß-öø-ÿā-ž]))[\w'’-]*|[{_UPPER}]\.)"


# A middle initial written without its full stop: "Christina N Luis Olidem", "George W Bush".
_INITIAL = rf"[{_UPPER}](?=\s+{_WORD})"
NAME_RE = re.compile(rf"(?=[{_UPPER}h])(?<![\w.])({_TITLE}*)({_WORD}(?:\s+(?:{_WORD}|{_INITIAL})){{0,5}})(?!\w)")


# A one-letter word split off a known name by a stray space ("T rump").
_SPLIT_NAME_RE = re.compile(rf"\b([{_UPPER}]) ([a-z]{{2,}})\b")


_PIECE = re.compile(r"\S+")  # a word with its punctuation


_MARK_RE = re.compile(r"''|``|[\"“”„«»]")


# British and many online styles quote with single marks: 'We moved what we could,' he told the BBC.
# They are read as quotation marks only in an article with no double ones, and a mark between two
# letters is still an apostrophe there ("don't", "Patel's").
_SINGLE_MARK_RE = re.compile(r"''|``|[\"“”„«»‘’']")


_DOUBLE_RE = re.compile(r"``|[\"“”„«»]")


_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=[\s(\[—–:-]))[‘'](?=[A-Z0-9])", re.M)


_SINGLE_CLOSE_RE = re.compile(r"[,.!?…][’'](?=\s|$)", re.M)


def _marks_of(text: str) -> re.Pattern[str]:
    """The quotation marks of an article's house style: double, or single where no double ones are used."""
    return _by_text("marks", text, _house_marks)


def _house_marks(text: str) -> re.Pattern[str]:
    if _DOUBLE_RE.search(text) is None and _SINGLE_OPEN_RE.search(text) and _SINGLE_CLOSE_RE.search(text):
        return _SINGLE_MARK_RE
    return _MARK_RE


_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")


def _by_text(key: str, obj, make):
    """What make(obj) gives, kept for the analysis of the current article (index.quotes.find.analyse opens
    one scope per article) and found by the object's identity: an equal but distinct string would be
    compared in full on every look-up, as often as once per sentence. Nothing outlives the scope; outside
    one, it is made again at each call."""
    memo = _ANALYSIS.get()
    if memo is None:
        return make(obj)
    hit = memo.get((key, id(obj)))
    if hit is None or hit[0] is not obj:
        hit = memo[(key, id(obj))] = (obj, make(obj))  # holding the object keeps its id from being reused
    return hit[1]


_ANALYSIS: ContextVar[dict | None] = ContextVar("quote_analysis", default=None)


@contextmanager
def analysis_scope() -> Iterator[None]:
    """The scope of one article's analysis: what _by_text keeps is dropped when it ends."""
    token = _ANALYSIS.set({})
    try:
        yield
    finally:
        _ANALYSIS.reset(token)
