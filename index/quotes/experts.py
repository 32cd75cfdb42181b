"""The experts registry: one entry per quoted person, and lookup by any way of naming them.

Lookup folds case and diacritics ("bockowski" finds Boćkowski), drops titles
("prof. bockowski"), tries surnames, then close matches for typos with rapidfuzz
("Pawlusko" -> Pawłuszko). With a topic, the person's quotations are ranked by
BM25+ over the quotations themselves, with the one tokenizer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..retrieval.bm25 import SparseBM25
from ..models import Article, Expert, ExpertLookup, Quote
from .cast import Cast
from ..lexicon.titles import TITLE_WORDS
from ..text.tokenize import fold_text, tokenize

# A close match must score this much (rapidfuzz WRatio, 0-100) to be taken as the person.
ACCEPT_SCORE = 85.0
# Below ACCEPT_SCORE, names scoring this much are offered as "did you mean".
SUGGEST_SCORE = 60.0
MAX_SUGGESTIONS = 3



@lru_cache(maxsize=100_000)  # the same names are normalised for the registry, the questions and the experts
def normalise(name: str) -> str:
    """Folded words without titles or punctuation: "Prof. Boćkowski" -> "bockowski"."""
    words = re.findall(r"[\w'’-]+", fold_text(name))
    kept = [w for w in words if w.rstrip(".") not in TITLE_WORDS]
    return " ".join(kept or words)


def _is_person(name: str, cast: Cast) -> bool:
    """Named people only: not "the US president", "he", "Richmond police" or a country."""
    person = cast.people.get(name)
    if person is None:
        return False
    return len(name.split()) >= 2 or bool(person.titles)


def build(articles: list[Article], casts: dict[str, Cast], quotes: list[Quote], authors: dict[str, str],
          keys: dict[str, str] | None = None) -> list[Expert]:
    """One Expert per quoted person across the articles, quotations in article order.
    `keys` may hold normalise(name) of names already normalised (a cache; same results)."""
    keys = dict(keys or {})
    author_keys = {normalise(a) for a in authors.values()}
    experts: dict[str, Expert] = {}
    described: dict[str, set] = {}  # expert key -> their descriptions, to look up (a list is slow to search)
    order = {a.id: i for i, a in enumerate(articles)}
    for q in sorted(quotes, key=lambda q: (order.get(q.article, 0), q.start)):
        cast = casts.get(q.article)
        if q.speaker is None or cast is None or not _is_person(q.speaker, cast):
            continue
        key = keys.get(q.speaker)
        if key is None:
            key = keys[q.speaker] = normalise(q.speaker)
        if key in author_keys:
            continue  # the byline author is the author, not an expert
        person = cast.people[q.speaker]
        expert = experts.setdefault(key, Expert(name=q.speaker))
        if q.article not in expert.articles:
            expert.articles.append(q.article)
            for alias in [q.speaker, *person.aliases, person.name.split()[-1]]:
                if alias not in expert.aliases:
                    expert.aliases.append(alias)
            expert.titles.extend(t for t in person.titles if t not in expert.titles)
            seen = described.setdefault(key, set())
            for d in person.descriptions:
                if d not in seen:  # Span is frozen: equal spans hash alike
                    seen.add(d)
                    expert.descriptions.append(d)
        expert.quotes.append(q)
    return list(experts.values())


class Registry:
    """Lookup over a fixed list of experts."""

    def __init__(self, experts: list[Expert]):
        self.experts = experts
        self._alias: dict[str, Expert] = {}
        self._surname: dict[str, list[Expert]] = {}
        for e in experts:
            for alias in e.aliases:
                self._alias.setdefault(normalise(alias), e)
            self._surname.setdefault(normalise(e.name).split()[-1], []).append(e)
        self._choices = list(self._alias)

    def find(self, name: str) -> tuple[Expert | None, list[str]]:
        """The expert a name means, or None and the closest names."""
        key = normalise(name)
        if not key:
            return None, []
        if key in self._alias:
            return self._alias[key], []
        same = self._surname.get(key.split()[-1], [])
        if len(same) == 1:
            return same[0], []
        scored = process.extract(key, self._choices, scorer=fuzz.WRatio, limit=10)
        names: list[str] = []
        for choice, score, _ in scored:
            name = self._alias[choice].name
            if score >= SUGGEST_SCORE and name not in names:
                names.append(name)
        if scored and scored[0][1] >= ACCEPT_SCORE and not same:
            best = self._alias[scored[0][0]]
            # Two different people almost equally close: ask rather than guess.
            rivals = [c for c, s, _ in scored if s >= scored[0][1] - 2 and self._alias[c] is not best]
            if not rivals:
                return best, []
        return None, (names or [e.name for e in same])[:MAX_SUGGESTIONS]

    def lookup(self, name: str, topic: str | None = None) -> ExpertLookup:
        expert, suggestions = self.find(name)
        if expert is not None and topic and topic.strip():
            expert = expert.model_copy(update={"quotes": rank_quotes(expert.quotes, topic)})
        return ExpertLookup(query=name, expert=expert, suggestions=suggestions, topic=topic)


def rank_quotes(quotes: list[Quote], topic: str) -> list[Quote]:
    """The quotations by BM25+ relevance to the topic; those sharing no term keep article order last."""
    terms = tokenize(topic)
    if not quotes or not terms:
        return list(quotes)
    bm25 = SparseBM25([tokenize(q.text) for q in quotes])
    scores = bm25.get_scores(terms)
    hits = [set(tokenize(q.text)) & set(terms) for q in quotes]
    order = sorted(range(len(quotes)), key=lambda i: (not hits[i], -scores[i], i))
    return [quotes[i] for i in order]


def message(result: ExpertLookup) -> str:
    """One line for people: who was found, or "no one by that name; did you mean ..."."""
    if result.expert is not None:
        return f"{result.expert.name}: {len(result.expert.quotes)} quotation(s)"
    if result.suggestions:
        return f"No one by the name {result.query!r} is quoted; did you mean " + " or ".join(result.suggestions) + "?"
    return f"No one by the name {result.query!r} is quoted in the articles."
