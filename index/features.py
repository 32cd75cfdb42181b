"""Per-sentence facts computed once at build time, used to match a question's answer type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tokenize import WORD_RE, fold

_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_TIME_WORDS = frozenset(
    (_MONTHS + " " + _DAYS + " century centuries decade decades ago yesterday today tomorrow tonight "
     "morning evening week weeks month months year years bc ad bce ce era period dynasty").split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion "
    "billions trillion dozen dozens half quarter twice percent per cent first second third".split()
)
_YEAR_RE = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\b\d{1,2}:\d{2}\b|\b\d+(?:st|nd|rd|th)\b")
_NUMBER_RE = re.compile(r"\d|[%$€£¥]")
_REASON_RE = re.compile(r"\b(?:because|since|due to|as a result|so that|in order to|reason|caused|thanks to|owing to|therefore|as it|for fear)\b", re.I)
_PLACE_PREP_RE = re.compile(r"\b(?:in|at|from|near|to|into|across|outside|inside|of)\s+(?:the\s+)?([A-Z][\w'’-]+)")
_CAP_RE = re.compile(r"(?<![\w.])([A-ZÀ-ÞŁŚŻŹĆŃ][\w'’-]+)")


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    caps: frozenset[str]  # folded capitalised words after the first word: names, places
    places: frozenset[str]  # folded capitalised words after a place preposition
    time_words: frozenset[str]  # folded year/month/day tokens
    numbers: frozenset[str]  # folded number tokens
    has_reason: bool


def sentence_facts(text: str) -> SentenceFacts:
    words = WORD_RE.findall(text)
    folded = [fold(w) for w in words]
    caps = {fold(m.group(1)) for m in _CAP_RE.finditer(text) if m.start() > 0}
    # The first word is capitalised anyway; count it only when the next word is too ("Tsar Alexander").
    if len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper():
        caps.add(folded[0])
    places = {fold(m.group(1)) for m in _PLACE_PREP_RE.finditer(text)}
    time_words = {w for w in folded if w in _TIME_WORDS} | {fold(m.group()) for m in _YEAR_RE.finditer(text)}
    numbers = {w for w in folded if w in _NUMBER_WORDS or _NUMBER_RE.search(w)}
    if _NUMBER_RE.search(text):
        numbers |= {m for m in re.findall(r"[%$€£¥]", text)}
    return SentenceFacts(
        caps=frozenset(caps),
        places=frozenset(places),
        time_words=frozenset(time_words),
        numbers=frozenset(numbers),
        has_reason=bool(_REASON_RE.search(text)),
    )


def type_match(facts: SentenceFacts, answer_type: str, question_words: frozenset[str]) -> float:
    """1.0 when the sentence holds something of the asked-for type that the question does not."""
    if answer_type == "time":
        return 1.0 if facts.time_words - question_words else 0.0
    if answer_type == "number":
        return 1.0 if facts.numbers - question_words else 0.0
    if answer_type == "person":
        return 1.0 if facts.caps - question_words else 0.0
    if answer_type == "place":
        if facts.places - question_words:
            return 1.0
        return 0.5 if facts.caps - question_words else 0.0
    if answer_type == "reason":
        return 1.0 if facts.has_reason else 0.0
    return 0.0
