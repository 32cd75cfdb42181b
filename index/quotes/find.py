"""Quotations in a news article: exact spans, speakers, cues and kinds.

The passes over one article:
1. find raw quotations by rules (FINDERS, in order: direct quotes, dash speech, interviews, pull quotes,
   reported speech, one finder per pattern in index.quotes.reported) with the words that attribute them, as
   written ("he adds", "says Daniel Boćkowski", "the Americanist believes");
2. with a parser, let the dependency parse decide each direct quotation's speaker where it can
   (index.quotes.parsed) and keep a short quotation the rules were unsure of only if it confirms a verb of
   saying;
3. find the cast: people named in the narration, their full names, titles, descriptions and genders
   (index.quotes.Cast), so "Trump" can become "Donald Trump";
4. resolve each raw speaker in article order: a name to its full name, a pronoun to the person the parse
   points to (or the paragraph is about, or the last speaker), a description ("the professor") to the
   person described so, a vague source to the pull quote that repeats the quotation.

Nothing here knows the shipped article's names.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Callable
from ..models import Article, Quote
from .marks import _Raw, _starts
from .finders import _dash_speech, _direct, _interviews, _pull_quotes
from .patterns import analysis_scope
from .reported import _indirect
from .cast import Cast, _cast
from .resolve import _resolve
from .parsed import parse_speakers
from ..text.parser import Parser


@dataclass
class Attributed:
    """Everything attribution found in one article."""

    quotes: list[Quote]
    cast: Cast


Finder = Callable[[Article, list[_Raw]], list[_Raw]]  # (article, what earlier finders found) -> more


# In order: each finder sees what the ones before it found (dash speech is found outside direct quotes,
# reported speech outside every quotation). Then the passes: the cast, each speaker resolved, sandwiches.
FINDERS: tuple[tuple[str, Finder], ...] = (
    ("direct", lambda article, found: _direct(article)),
    ("dash speech", _dash_speech),
    ("interview", lambda article, found: _interviews(article)),
    ("pull quote", lambda article, found: _pull_quotes(article)),
    ("reported speech", _indirect),
)


def analyse(article: Article, parser: Parser | None = None) -> Attributed:
    """With a parser, the parse decides each direct quotation's speaker where it finds one."""
    with analysis_scope():  # what the rules look up in this article is kept for this analysis only
        return _analyse(article, parser)


def _analyse(article: Article, parser: Parser | None) -> Attributed:
    raws: list[_Raw] = []
    for _, finder in FINDERS:
        raws += finder(article, raws)
    if parser is not None:
        parse_speakers(article, raws, parser)
    raws = [r for r in raws if not r.tentative]  # what the parse did not confirm is no one's words
    cast = _cast(article, raws)
    _resolve(article, raws, cast)
    _fill_sandwich(article, raws)
    quotes = [
        Quote(
            article=article.id, text=article.text[r.start:r.end], start=r.start, end=r.end, speaker=r.speaker,
            cue=r.cue, kind=r.kind, speaker_start=r.who[0] if r.who else None, speaker_end=r.who[1] if r.who else None,
        )
        for r in sorted(raws, key=lambda r: (r.start, -r.end))
        if r.end > r.start
    ]
    return Attributed(quotes=quotes, cast=cast)


def _fill_sandwich(article: Article, raws: list[_Raw]) -> None:
    """Sentences between two indirect quotations by the same person in one paragraph are theirs too.

    Polish and much European reporting runs a view over several sentences, with the
    attribution at both ends ("as X points out, ... . ... . ..., the expert believes.").
    """
    ind = sorted((r for r in raws if r.kind == "indirect"), key=lambda r: r.start)
    sentences = article.sentences
    starts = _starts(sentences)
    for a, b in zip(ind, ind[1:]):
        if a.paragraph == b.paragraph and a.speaker and a.speaker == b.speaker and b.tail and a.end < b.start:
            # The first sentence of b's paragraph that starts in [a.end, b.start).
            i = bisect_left(starts, a.end)
            while i < len(sentences) and starts[i] < b.start and sentences[i].paragraph != b.paragraph:
                i += 1
            if i < len(sentences) and starts[i] < b.start:
                b.start = starts[i]


def find_quotes(article: Article) -> list[Quote]:
    """Every quotation in the article, in text order, with speaker, cue and kind."""
    return analyse(article).quotes
