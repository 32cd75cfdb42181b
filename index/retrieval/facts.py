"""Per-sentence facts computed once at build time, used to match a question's answer type.

Each word of a sentence gets the answer types it could fill (a year is a time, "$7.2"
a number and money, "Anchorage" after "in" a place). The ranker asks two things: does
the sentence hold something of the asked-for type that the question does not, and
does it stand next to the question's own words ("meet in Anchorage")?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..lexicon.numbers import (CARDINALS, CENTURY_WORDS, MEASURE_UNITS, MONEY_WORDS, ORDINAL_SUFFIXES, ORDINALS,
                               PLACE_PREPOSITIONS, TIME_UNITS, TIME_WORDS, UNIT_GAP)
from ..text.tokenize import WORD_RE, fold, term_of

_YEAR_RE = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})s?$|^\d{1,2}:\d{2}$|^\d+(?:st|nd|rd|th)$")
# A time of day: "9:30", "PM", "noon". "What time ..." asks for one.
_CLOCK_RE = re.compile(r"^\d{1,2}[:.]\d{2}$|^(?:am|pm|noon|midnight|o'clock)$")
_REASON_RE = re.compile(
    r"\b(?:because|since|due to|as a result|so that|in order to|reason|caused|thanks to|owing to|therefore|for fear|so)\b", re.I
)
_CURRENCY_RE = re.compile(r"[$€£¥]\s?\d")

TYPES = ("time", "clock", "duration", "number", "money", "measure", "ordinal", "place", "person")
# Answer types a word fills by being one of a list: a currency, a word of order ("ninth"). (A digit with
# an ordinal suffix, "9th", is an ordinal too: sentence_facts.)
TYPE_WORDS: dict[str, frozenset[str]] = {"money": MONEY_WORDS, "ordinal": ORDINALS}


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    words: tuple[str, ...]  # folded surface words, in order
    terms: tuple[str | None, ...]  # the index term of each word (None for stopwords)
    tags: tuple[frozenset[str], ...]  # answer types each word could fill
    has_reason: bool
    typed: dict[str, tuple[int, ...]]  # answer type -> positions of words that could fill it


_PERSON, _PLACE = frozenset(("person",)), frozenset(("person", "place"))


@lru_cache(maxsize=200_000)
def _word_tags(word: str) -> tuple[frozenset[str], bool, bool]:
    """What a word is by itself: its time, clock, number and money tags, whether it names someone when
    capitalised (where it does not open the sentence alone), and whether it is a word for a century."""
    tags = set()
    low = fold(word).replace("’", "'").removesuffix("'s")  # "Friday's meeting" is on a Friday
    if low in TIME_WORDS or _YEAR_RE.match(low):
        tags.add("time")
    if _CLOCK_RE.match(low):
        tags |= {"time", "clock"}
    if word[0].isdigit() or low in CARDINALS:
        tags.add("number")
    tags.update(t for t, listed in TYPE_WORDS.items() if low in listed)
    return _interned(frozenset(tags)), word[0].isupper() and low not in TIME_WORDS, fold(word) in CENTURY_WORDS


_SETS: dict[frozenset[str], frozenset[str]] = {}
_UNIONS: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}


def _interned(tags: frozenset[str]) -> frozenset[str]:
    """One object per distinct tag set (there are a few dozen): sentences share them."""
    return _SETS.setdefault(tags, tags)


def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    u = _UNIONS.get((a, b))
    if u is None:
        u = _UNIONS[(a, b)] = _interned(a | b)
    return u


_MONEY, _TIME, _DURATION, _MEASURE, _ORDINAL = (frozenset((t,)) for t in ("money", "time", "duration", "measure", "ordinal"))


def sentence_facts(text: str) -> SentenceFacts:
    raw = WORD_RE.findall(text)
    words = tuple(map(fold, raw))
    tags: list[frozenset[str]] = []
    numbers: list[int] = []  # positions holding a number, money, a century word: the passes below look only there
    money: list[int] = []
    centuries: list[int] = []
    spans: list[re.Match[str]] | None = None  # the words' matches, found when a number needs them
    for i, (t, can_be_person, century) in enumerate(map(_word_tags, raw)):
        # Capitalised, a word names someone (or a place after "in", "the") unless it opens the sentence alone.
        if can_be_person and (i > 0 or (len(raw) > 1 and raw[1][:1].isupper())):
            prev = words[i - 1] if i else ""
            t = _union(t, _PLACE if prev in PLACE_PREPOSITIONS or (prev == "the" and i > 1) else _PERSON)
        if t:
            if "number" in t:
                if spans is None:
                    spans = list(WORD_RE.finditer(text))
                if _CURRENCY_RE.search(text, max(0, spans[i].start() - 2), spans[i].end()):
                    t = _union(t, _MONEY)  # "$7.2", "$ 7"
                elif tags and "money" in tags[-1] and "number" in tags[-1]:
                    t = _union(t, _MONEY)  # "$7.2 million": the amount goes on
                numbers.append(i)
            if "place" not in t and "person" in t and tags and "place" in tags[-1]:
                t = _union(t, _PLACE)  # "in New York": the whole name is the place
            if "money" in t:
                money.append(i)
        if century:
            centuries.append(i)
        tags.append(t)
    for i in money:  # "300 dollars": the number before a currency is an amount
        if i > 0 and "number" in tags[i - 1]:
            tags[i - 1] = _union(tags[i - 1], _MONEY)
    for i in numbers:  # "9th", "21st": WORD_RE reads a number and its suffix, an ordinal
        if i + 1 < len(words) and words[i + 1] in ORDINAL_SUFFIXES and raw[i].isdigit():
            tags[i] = _union(tags[i], _ORDINAL)
    for i in centuries:  # "the 11th century": the ordinal before it is a time too
        if i > 0:
            j = i - 1 - (words[i - 1] in ORDINAL_SUFFIXES)
            if j >= 0 and (words[j].isdigit() or words[j] in ORDINALS):
                tags[j] = _union(tags[j], _TIME)
    n = len(words)
    for i in numbers:  # a number with a time unit after it is a duration, with a length or weight a measure
        t = tags[i]
        if "time" not in t:
            j = i + 1 + (i + 1 < n and words[i + 1] in UNIT_GAP)
            if j < n and words[j] in TIME_UNITS:
                tags[i] = _union(t, _DURATION)
                tags[j] = _union(tags[j], _DURATION)
            elif (i + 1 < n and words[i + 1] in MEASURE_UNITS) or text[spans[i].end():spans[i].end() + 1] == "%":
                tags[i] = _union(t, _MEASURE)
                if i + 1 < n and words[i + 1] in MEASURE_UNITS:
                    tags[i + 1] = _union(tags[i + 1], _MEASURE)
    typed: dict[str, list[int]] = {t: [] for t in TYPES}
    for i, t in enumerate(tags):
        if t:
            for x in t:
                typed[x].append(i)
    return SentenceFacts(
        words=words,
        terms=tuple(map(term_of, raw)),
        tags=tuple(tags),
        has_reason=bool(_REASON_RE.search(text)),
        typed={t: tuple(positions) for t, positions in typed.items()},
    )


# What will do, less surely, when a sentence holds nothing of the asked-for type.
_WEAKER = {"money": "number", "duration": "number", "measure": "number", "clock": "time"}


def type_match(facts: SentenceFacts, answer_type: str, question_words: frozenset[str], question_terms: set[str],
               where: "Positions | None" = None) -> tuple[float, float]:
    """(has, near): the sentence holds a word of the asked-for type the question lacks (1.0, or
    0.5 for a bare number where an amount or a duration is asked for); and such a word stands
    within four words of one of the question's terms. `where`: positions(facts), if kept."""
    if answer_type == "reason":
        return (1.0 if facts.has_reason else 0.0), 0.0
    if answer_type not in TYPES:
        return 0.0, 0.0
    words = facts.words
    if len(words) > _LONG:
        return _type_match_long(facts, answer_type, question_words, question_terms, where)
    typed = [i for i in facts.typed[answer_type] if words[i] not in question_words]
    strength = 1.0
    if answer_type == "time" and typed and all("duration" in facts.tags[i] for i in typed):
        strength = 0.5  # "in four years" is how long, only half an answer to "when"
    if not typed and answer_type in _WEAKER:  # "how much": any amount will do, less surely than "$7.2 million"
        typed = [i for i in facts.typed[_WEAKER[answer_type]] if words[i] not in question_words]
        strength = 0.5
    if not typed and answer_type == "place":  # a capitalised name not after a preposition
        if any(words[i] not in question_words for i in facts.typed["person"]):
            return 0.5, 0.0
    if not typed:
        return 0.0, 0.0
    matched = [i for i, t in enumerate(facts.terms) if t is not None and t in question_terms]
    near = any(abs(i - j) <= 4 for i in typed for j in matched)
    return strength, (strength if near else 0.0)


# A sentence of more words than this (none in a real article: the longest in the evaluation sets has 168)
# is matched below, with the same answer, at C speed: the positions of each of its words and terms are
# found once (Positions, kept by the search index), and the typed words near the question's terms by
# binary search, not by comparing every pair.
_LONG = 2000
# word -> where it is; term -> where it is; answer type -> where its words are (ascending)
Positions = tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]


def positions(facts: SentenceFacts) -> Positions | None:
    """For a sentence of more than _LONG words, where each of its words and terms stands; else None."""
    if len(facts.words) <= _LONG:
        return None
    words: dict[str, list[int]] = {}
    terms: dict[str, list[int]] = {}
    for i, w in enumerate(facts.words):
        words.setdefault(w, []).append(i)
    for i, t in enumerate(facts.terms):
        if t is not None:
            terms.setdefault(t, []).append(i)
    return ({w: np.asarray(p, dtype=np.int64) for w, p in words.items()},
            {t: np.asarray(p, dtype=np.int64) for t, p in terms.items()},
            {t: np.asarray(p, dtype=np.int64) for t, p in facts.typed.items()})


def _where(index: dict[str, np.ndarray], keys) -> np.ndarray:
    found = [index[k] for k in keys if k in index]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _type_match_long(facts: SentenceFacts, answer_type: str, question_words: frozenset[str],
                     question_terms: set[str], where: Positions | None) -> tuple[float, float]:
    """type_match for a sentence of more than _LONG words, the same way."""
    by_word, by_term, by_type = where or positions(facts)
    asked = _where(by_word, question_words)  # words the question has are not what it asks for

    def typed_as(t: str) -> np.ndarray:  # positions of words of type t that the question lacks, ascending
        at = by_type[t]
        return at[~np.isin(at, asked)] if asked.size else at

    typed = typed_as(answer_type)
    strength = 1.0
    if answer_type == "time" and typed.size and all("duration" in facts.tags[i] for i in typed):
        strength = 0.5
    if not typed.size and answer_type in _WEAKER:
        typed = typed_as(_WEAKER[answer_type])
        strength = 0.5
    if not typed.size and answer_type == "place":
        if typed_as("person").size:
            return 0.5, 0.0
    if not typed.size:
        return 0.0, 0.0
    matched = _where(by_term, question_terms)
    near = False
    if matched.size:  # the typed words on either side of each matched one
        k = np.searchsorted(typed, matched)
        before, after = typed[np.maximum(k - 1, 0)], typed[np.minimum(k, typed.size - 1)]
        near = bool(np.any((np.abs(before - matched) <= 4) | (np.abs(after - matched) <= 4)))
    return strength, (strength if near else 0.0)
