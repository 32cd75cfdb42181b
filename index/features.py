"""Per-sentence facts computed once at build time, used to match a question's answer type.

Each word of a sentence gets the answer types it could fill (a year is a time, "$7.2"
a number and money, "Anchorage" after "in" a place). The ranker asks two things: does
the sentence hold something of the asked-for type that the question does not, and
does it stand next to the question's own words ("meet in Anchorage")?
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tokenize import WORD_RE, fold, term_of

_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_TIME_WORDS = frozenset(
    (_MONTHS + " " + _DAYS + " century centuries decade decades ago yesterday today tomorrow tonight "
     "morning evening week weeks month months year years bc ad bce ce era period dynasty").split()
)
_CARDINALS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion "
    "billions trillion dozen dozens half quarter twice percent cent".split()
)
# Currencies only: "price" or "cost" names an amount without being one.
_MONEY_WORDS = frozenset("dollar dollars euro euros pound pounds yen cents rouble roubles ruble rubles zloty".split())
# Units that make a number a stretch of time: "four years", "two minutes".
_TIME_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "century centuries".split()
)
_UNIT_GAP = frozenset("more full long whole".split())  # "four more years", "two whole days"
# Units that make a number a measure: "160 metres", "40 km", "3 tonnes" answer "how far / tall / heavy".
# Not "m": "$5m" is five million.
_MEASURE_UNITS = frozenset(
    "metre metres meter meters km kilometre kilometres kilometer kilometers cm centimetres centimeters mm "
    "mile miles foot feet ft inch inches yard yards kg kilogram kilograms kilo kilos gram grams tonne tonnes "
    "ton tons lb lbs mph kph knot knots hectare hectares acre acres degree degrees storey storeys "
    # how far behind, how far did shares fall: "four points behind", "down 5 percent"
    "point points percent per place places".split()
)
# "The 11th century", "the nineteenth century": the ordinal says when, even where the question
# already holds the word "century" ("In what century ...").
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first".split()
)
_ORDINAL_SUFFIXES = frozenset("st nd rd th".split())  # WORD_RE splits "11th" into "11" and "th"
_CENTURY_WORDS = frozenset("century centuries millennium".split())
_YEAR_RE = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})s?$|^\d{1,2}:\d{2}$|^\d+(?:st|nd|rd|th)$")
# A time of day: "9:30", "PM", "noon". "What time ..." asks for one.
_CLOCK_RE = re.compile(r"^\d{1,2}[:.]\d{2}$|^(?:am|pm|noon|midnight|o'clock)$")
_PLACE_PREPS = frozenset("in at from near into across outside inside to".split())
_REASON_RE = re.compile(
    r"\b(?:because|since|due to|as a result|so that|in order to|reason|caused|thanks to|owing to|therefore|for fear|so)\b", re.I
)
_CURRENCY_RE = re.compile(r"[$€£¥]\s?\d")

TYPES = ("time", "clock", "duration", "number", "money", "measure", "place", "person")


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    words: tuple[str, ...]  # folded surface words, in order
    terms: tuple[str | None, ...]  # the index term of each word (None for stopwords)
    tags: tuple[frozenset[str], ...]  # answer types each word could fill
    has_reason: bool
    typed: dict[str, tuple[int, ...]]  # answer type -> positions of words that could fill it


def _tags(word: str, prev: str, position: int, next_cap: bool) -> frozenset[str]:
    tags = set()
    low = fold(word).replace("’", "'").removesuffix("'s")  # "Friday's meeting" is on a Friday
    if low in _TIME_WORDS or _YEAR_RE.match(low):
        tags.add("time")
    if _CLOCK_RE.match(low):
        tags |= {"time", "clock"}
    if word[0].isdigit() or low in _CARDINALS:
        tags.add("number")
    if low in _MONEY_WORDS:
        tags.add("money")
    capitalised = word[0].isupper() and (position > 0 or next_cap)
    if capitalised and low not in _TIME_WORDS:
        tags.add("person")
        if prev in _PLACE_PREPS or (prev == "the" and position > 1):
            tags.add("place")
    return frozenset(tags)


def sentence_facts(text: str) -> SentenceFacts:
    matches = list(WORD_RE.finditer(text))
    raw = [m.group() for m in matches]
    m_end = [m.end() for m in matches]
    words = tuple(fold(w) for w in raw)
    tags = []
    prev = ""
    for i, m in enumerate(matches):
        next_cap = i + 1 < len(raw) and raw[i + 1][:1].isupper()
        t = _tags(raw[i], prev, i, next_cap)
        if "number" in t and _CURRENCY_RE.search(text, max(0, m.start() - 2), m.end()):
            t = t | {"money"}  # "$7.2", "$ 7"
        elif "number" in t and tags and {"money", "number"} <= tags[-1]:
            t = t | {"money"}  # "$7.2 million": the amount goes on
        if "place" not in t and "person" in t and tags and "place" in tags[-1]:
            t = t | {"place"}  # "in New York": the whole name is the place
        tags.append(t)
        prev = words[i]
    for i in range(1, len(tags)):  # "300 dollars": the number before a currency is an amount
        if "money" in tags[i] and "number" in tags[i - 1]:
            tags[i - 1] = tags[i - 1] | {"money"}
    for i in range(1, len(words)):  # "the 11th century": the ordinal before it is a time too
        if words[i] in _CENTURY_WORDS:
            j = i - 1 - (words[i - 1] in _ORDINAL_SUFFIXES)
            if j >= 0 and (words[j].isdigit() or words[j] in _ORDINALS):
                tags[j] = tags[j] | {"time"}
    for i, t in enumerate(tags):  # a number with a time unit after it is a duration, with a length or weight a measure
        if "number" in t and "time" not in t:
            j = i + 1 + (i + 1 < len(words) and words[i + 1] in _UNIT_GAP)
            if j < len(words) and words[j] in _TIME_UNITS:
                tags[i] = t | {"duration"}
                tags[j] = tags[j] | {"duration"}
            elif (i + 1 < len(words) and words[i + 1] in _MEASURE_UNITS) or text[m_end[i]:m_end[i] + 1] == "%":
                tags[i] = t | {"measure"}
                if i + 1 < len(words) and words[i + 1] in _MEASURE_UNITS:
                    tags[i + 1] = tags[i + 1] | {"measure"}
    return SentenceFacts(
        words=words,
        terms=tuple(term_of(w) for w in raw),
        tags=tuple(tags),
        has_reason=bool(_REASON_RE.search(text)),
        typed={t: tuple(i for i, tags_i in enumerate(tags) if t in tags_i) for t in TYPES},
    )


# What will do, less surely, when a sentence holds nothing of the asked-for type.
_WEAKER = {"money": "number", "duration": "number", "measure": "number", "clock": "time"}


def type_match(facts: SentenceFacts, answer_type: str, question_words: frozenset[str], question_terms: set[str]) -> tuple[float, float]:
    """(has, near): the sentence holds a word of the asked-for type the question lacks (1.0, or
    0.5 for a bare number where an amount or a duration is asked for); and such a word stands
    within four words of one of the question's terms."""
    if answer_type == "reason":
        return (1.0 if facts.has_reason else 0.0), 0.0
    if answer_type not in TYPES:
        return 0.0, 0.0
    words = facts.words
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
