"""Who said what: quotations, speakers and the experts registry for a set of articles.

This is the contract the rest of the core uses (see index.answer.SpeakerSource);
index.quotes.find finds quotations and index.quotes.experts builds the registry.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
from rapidfuzz import fuzz, process

from .experts import Registry, build, normalise
from ..models import Article, Expert, ExpertLookup, Quote, Speaker
from .cast import Cast, Person
from .find import analyse
from ..text.parser import Parser
from ..text.spelling import is_english_word
from ..text.tokenize import STOPWORDS, fold_text

# A question is aimed at a person's words only if it asks what they say or think:
# "When will Putin meet Trump?" is about the meeting, not about Putin's quotations.
_OPINION_Q = re.compile(
    r"\b(?:(?:say|think|believ|argu|claim|expect|predict|warn|feel|comment|tell|explain|suggest|stress|emphasi[sz]|"
    r"point|quot|view|opinion|position|stance|thought)\w*|said|told|according|mean|take on|make of)\b",
    re.I,
)
# Short descriptions read best in an attribution line; longer ones are cut back to the first.
MAX_DESCRIPTION = 120
# More quotations than this may overlap a span (a sentence thousands of words long): they are compared as arrays.
_MANY = 64


class Attribution:
    """Quotations and experts of a set of articles. Immutable once built."""

    def __init__(self, quotes: list[Quote], experts: list[Expert], authors: dict[str, str],
                 parts: "list[ArticleQuotes] | None" = None):
        self.quotes = quotes
        self.experts = experts
        self.authors = authors  # article id -> byline name: authors are not experts
        self.parts = parts or []  # per article, what analyse() found: reused by attribute(previous=...)
        self._registry = Registry(experts)
        self._by_article: dict[str, list[Quote]] = {}
        for q in sorted(quotes, key=lambda q: q.start):
            if q.speaker is not None:
                self._by_article.setdefault(q.article, []).append(q)
        self._starts = {a: [q.start for q in qs] for a, qs in self._by_article.items()}
        self._longest = {a: max(q.end - q.start for q in qs) for a, qs in self._by_article.items()}
        self._descriptions = {e.name: _short_description(e) for e in experts}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # per article: its quotations' starts, ends
        self._names = _question_names(experts)
        self._name_at = {key: i for i, (key, _) in enumerate(self._names)}  # alias -> its place in _names
        self._longest_alias = max((len(key.split()) for key, _ in self._names), default=0)  # in words
        # One-word aliases for the misspelt-surname pass, by their first two letters: a typo is looked for among
        # those that start alike (as index.retrieval.vocabulary does for terms), not among every person quoted
        # in every article (50,000 aliases at 10,000 articles, per question word).
        self._one_word: dict[str, tuple[list[str], list[int]]] = {}
        for i, (key, _) in enumerate(self._names):
            if " " not in key and len(key) >= 5:
                keys, places = self._one_word.setdefault(key[:2], ([], []))
                keys.append(key)
                places.append(i)

    def __reduce__(self):
        return Attribution, (self.quotes, self.experts, self.authors, self.parts)

    def speaker_of(self, article: str, start: int, end: int) -> Speaker | None:
        """The speaker of the quotation that holds most of article[start:end], innermost first."""
        quotes = self._by_article.get(article)
        if not quotes or end <= start:
            return None
        starts = self._starts[article]
        # Only quotations starting before `end` and no further back than the longest one can overlap.
        hi = bisect_left(starts, end)
        lo = bisect_left(starts, start - self._longest[article])
        if hi - lo > _MANY:
            best = self._best_of_many(article, lo, hi, start, end)
            return None if best is None else Speaker(name=best.speaker, description=self._descriptions.get(best.speaker),
                                                     kind=best.kind)
        best: Quote | None = None
        best_key = (0, 0)
        for q in quotes[lo:hi]:
            overlap = min(end, q.end) - max(start, q.start)
            # Most of the span, or a whole quotation inside it with its attribution around it
            # ('"It's going to be a nightmare," said Karen Liu, who owns a bakery on Front Street.',
            # "Mr Patel, who runs a café on Frankwell Quay, said he had lost everything.").
            inside = q.start >= start and q.end <= end
            if overlap * 2 < end - start and not inside:
                continue
            key = (overlap, -(q.end - q.start))  # more of the sentence, then the tighter quotation
            if key > best_key:
                best, best_key = q, key
        if best is None or best.speaker is None:
            return None
        return Speaker(name=best.speaker, description=self._descriptions.get(best.speaker), kind=best.kind)

    def speakers_of(self, spans: list[tuple[str, int, int]]) -> list[Speaker | None]:
        """speaker_of for each (article, start, end), in one call."""
        return [self.speaker_of(article, start, end) for article, start, end in spans]

    def _best_of_many(self, article: str, lo: int, hi: int, start: int, end: int) -> Quote | None:
        """speaker_of's choice among quotations[lo:hi] of the article, the same one, found with arrays: the
        first with the largest overlap, then the shortest, of those that hold most of the span or lie in it."""
        arrays = self._arrays.get(article)
        if arrays is None:
            quotes = self._by_article[article]
            arrays = self._arrays[article] = (np.array([q.start for q in quotes], dtype=np.int64),
                                              np.array([q.end for q in quotes], dtype=np.int64))
        qs, qe = arrays[0][lo:hi], arrays[1][lo:hi]
        overlap = np.minimum(end, qe) - np.maximum(start, qs)
        fits = (overlap > 0) & ((overlap * 2 >= end - start) | ((qs >= start) & (qe <= end)))
        if not fits.any():
            return None
        most = overlap[fits].max()
        fits &= overlap == most
        shortest = (qe - qs)[fits].min()
        fits &= (qe - qs) == shortest
        return self._by_article[article][lo + int(np.flatnonzero(fits)[0])]

    def person_in(self, question: str, *, opinion: bool = True) -> Expert | None:
        """The quoted person a question is aimed at ("What does Bockowski think ..."), if any; with
        `opinion=False`, the quoted person a question names, whatever it asks ("Where does Bockowski work?")."""
        if opinion and not _OPINION_Q.search(question):
            return None
        # The first alias (longest first) that the question's words hold, as they are or with "'s" after it.
        # An alias is folded words joined by spaces, so the question holds one as a run of its words: those
        # runs are looked up, not every alias in the question.
        words = re.findall(r"[\w'’-]+", fold_text(question))
        first = None
        for i in range(len(words)):
            for n in range(1, min(self._longest_alias, len(words) - i) + 1):
                run = words[i:i + n]
                keys = [" ".join(run)]
                if run[-1].endswith(("'s", "’s")):
                    keys.append(" ".join(run[:-1] + [run[-1][:-2]]))
                for key in keys:
                    at = self._name_at.get(key)
                    if at is not None and (first is None or at < first):
                        first = at
        if first is not None:
            return self._names[first][1]
        # A misspelt surname: "What does Bokowski think?", "what does bokowski think"; in lower case, not
        # an English word ("what do critics think" is no typo of a name). The first one-word alias that
        # close (rapidfuzz compares them all at once).
        for word in re.findall(r"\b[^\W\d_][\w'’-]{4,}", question):
            w = fold_text(word)
            if word[0].islower() and is_english_word(w):
                continue
            keys, places = self._one_word.get(w[:2], ((), ()))
            close = process.extract(w, keys, scorer=fuzz.ratio, score_cutoff=85, limit=None) if keys else []
            if close:
                return self._names[places[min(i for _, _, i in close)]][1]
        return None

    def lookup(self, name: str, topic: str | None = None) -> ExpertLookup:
        return self._registry.lookup(name, topic)


def _short_description(expert: Expert) -> str | None:
    fitting = [d.text for d in expert.descriptions if len(d.text) <= MAX_DESCRIPTION]
    if fitting:
        return max(fitting, key=len)
    return expert.descriptions[0].text if expert.descriptions else None


def _question_names(experts: list[Expert]) -> list[tuple[str, Expert]]:
    """Aliases to look for in questions, folded, longest first; never a bare stopword."""
    names: dict[str, Expert] = {}
    for e in experts:
        for alias in [e.name, *e.aliases]:
            key = normalise(alias)
            if len(key) >= 3 and key not in STOPWORDS:
                names.setdefault(key, e)
    return sorted(names.items(), key=lambda kv: -len(kv[0]))


class ArticleQuotes:
    """What attribution found in one article: its quotations and the people who speak them
    (the part of its Cast the experts registry reads). Found once per article and reused."""

    __slots__ = ("article", "quotes", "people", "keys")

    def __init__(self, article: Article, quotes: list[Quote], people: dict[str, Person], keys: dict[str, str]):
        self.article, self.quotes, self.people = article, quotes, people
        self.keys = keys  # speaker -> experts.normalise(speaker), computed once

    @classmethod
    def of(cls, article: Article, parser: Parser | None = None) -> "ArticleQuotes":
        found = analyse(article, parser)
        speakers = {q.speaker for q in found.quotes if q.speaker is not None}
        return cls(article, found.quotes, {n: p for n, p in found.cast.people.items() if n in speakers},
                   {n: normalise(n) for n in speakers})

    def __reduce__(self):
        return ArticleQuotes, (self.article, self.quotes, self.people, self.keys)


def attribute(articles: list[Article], previous: Attribution | None = None,
              parser: Parser | None = None) -> Attribution:
    """Quotations and experts of the articles. With `previous`, the quotations of articles it
    already holds (the same Article objects, or equal ones) are reused: quotations are found per
    article; only the experts registry, which merges people across articles, is rebuilt. The parser
    (index.text.parser) decides speakers where it can; it is called only for new or changed articles."""
    authors = {a.id: a.meta.author for a in articles if a.meta.author}
    known = {id(p.article): p for p in previous.parts} if previous is not None else {}
    quotes: list[Quote] = []
    casts: dict[str, Cast] = {}
    parts: list[ArticleQuotes] = []
    keys: dict[str, str] = {}
    for article in articles:
        part = known.get(id(article))
        if part is None or not (part.article is article or part.article == article):
            part = ArticleQuotes.of(article, parser)
        parts.append(part)
        quotes.extend(part.quotes)
        casts[article.id] = Cast(people=part.people)
        keys.update(part.keys)
    experts = build(articles, casts, quotes, authors, keys)
    return Attribution(quotes=quotes, experts=experts, authors=authors, parts=parts)
