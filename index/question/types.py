"""Answer types: what kind of answer a question asks for, as a table of rules (ANSWER_TYPES)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AnswerType = Literal["person", "time", "clock", "duration", "number", "money", "measure", "ordinal", "place", "reason",
                     "other"]

_TIME_Q = re.compile(
    r"^\s*(?:when\b|(?:in |during |by |until |since |at )?what (?:year|years|century|decade|date|day|month|time|period|era|age)\b(?<!at what age)|how long ago\b|which (?:year|century|decade|date|day|month)\b)",
    re.I,
)
# "What time is the meeting?" asks for a time of day ("9:30 PM"); a date only half answers it.
_CLOCK_Q = re.compile(r"^\s*(?:at |by |until |from )?what time\b(?! (?:period|frame|span|of (?:year|day)))", re.I)
_NUMBER_Q = re.compile(
    r"\bhow (?:many|much|long|old|big|large|often)\b|\bwhat (?:percentage|percent|proportion|share|amount|number|size|population|price|cost)\b|\bat what age\b",
    re.I,
)
_PERSON_Q = re.compile(r"^\s*(?:who|whom|whose)\b|\b(?:which|what) (?:person|people|president|leader|politician|expert|king|queen|emperor|man|woman|scientist)\b|^\s*by whom\b|\bwho\b", re.I)
_PLACE_Q = re.compile(r"^\s*where\b|\b(?:which|what) (?:country|city|state|place|region|town|continent|location|nation)\b|\bwhere\b", re.I)
# "How long did the ceasefire last?" wants a stretch of time ("for seven years"), not a date.
_DURATION_Q = re.compile(
    r"\bhow long\b(?! ago)|\bhow many (?:years|months|weeks|days|hours|minutes|seconds|decades|centuries)\b",
    re.I,
)
_MONEY_Q = re.compile(
    r"\bhow much (?:money\b|.*\b(?:pay|paid|pays|cost|costs|price|spend|spent|sell|sold|buy|bought|worth|charge|charged|earn|earned)\b)|\bwhat (?:price|cost)\b|"
    r"\bwhat (?:did|does|do|will|would|should)\b.*\b(?:pay|cost|spend|(?<!in )charge)\b",
    re.I,
)
# "How tall / far / deep ...?" wants a number with a unit of measure ("160 metres"); a bare number, or
# "two minutes", does not say how tall.
_MEASURE_Q = re.compile(r"\bhow (?:tall|high|far|deep|wide|heavy|fast|thick)\b", re.I)
# "What position is Cracovia?", "Where did Nowak finish?" -> "ninth", "3rd place". Not a job or a role ("what
# position does she hold?"), and "which place" only with a race or a table ("which place did they visit?").
_ORDINAL_Q = re.compile(
    r"\b(?:what|which)\s+(?:position|spot|rank|ranking)\b(?!.*\b(?:hold|holds|held|play|plays|played|fill|filled|apply|applied)\b)"
    r"|\b(?:what|which)\s+place\b(?=.*\b(?:finish\w*|come|came|end(?:ed|s)?|rank\w*|table|league|standings|race|poll)\b)"
    r"|\bwhere\s+(?:does|did|do|is|was|will)\s+.+?\s+(?:rank|finish)(?:ed|es|s)?\b",  # not "where ... take place"
    re.I,
)
_REASON_Q = re.compile(r"^\s*why\b|\bwhat (?:caused|causes|led to)\b|\bfor what reason\b", re.I)


# "When B cells begin to replicate, what do their offspring become?": "when" opens a clause; the
# question proper comes after the comma.
_WHEN_CLAUSE = re.compile(r"^\s*when\b[^,?]*,\s*(?=(?:what|which|who|whom|whose|where|why|how|in what|at what)\b)", re.I)


@dataclass(frozen=True, slots=True)
class AnswerTypeRule:
    """One answer type: the questions that ask for it and what follows for the answer."""

    name: AnswerType
    asks: re.Pattern[str]  # searched in the question (after a leading "when ..." clause)
    unless: re.Pattern[str] | None = None  # ... unless this matches
    required: bool = False  # a sentence without a word of this type does not answer (index.answer.strategies.decide)
    precise: bool = False  # its words are tagged surely (digits, units, currency signs), unlike a capitalised name


# `required`: "When ...?", "how many ...?": a sentence with no date or number in it does not answer these,
# however many of the question's words it holds ("How old is Putin?" -> "the old method"). On SQuAD: 48 more
# unanswerable questions declined for 9 fewer answered right (tagger misses such as "Decision Time").
# In order: the first rule that fits gives the type. A new answer type is one row here, the words that fill
# it in index.retrieval.facts.TYPE_WORDS (or a tagging rule there), and its row in tests/test_question.py.
ANSWER_TYPES: tuple[AnswerTypeRule, ...] = (
    AnswerTypeRule("clock", _CLOCK_Q, required=True, precise=True),
    AnswerTypeRule("time", _TIME_Q, required=True, precise=True),
    AnswerTypeRule("ordinal", _ORDINAL_Q, required=True),
    AnswerTypeRule("money", _MONEY_Q, precise=True),  # required for "how much" only (decide): "what did it cost?"
    AnswerTypeRule("duration", _DURATION_Q, required=True, precise=True),
    AnswerTypeRule("measure", _MEASURE_Q, required=True, precise=True),
    AnswerTypeRule("number", _NUMBER_Q, required=True, precise=True),
    AnswerTypeRule("reason", _REASON_Q),
    AnswerTypeRule("place", _PLACE_Q, unless=re.compile(r"^\s*who\b", re.I)),
    AnswerTypeRule("person", _PERSON_Q),
)
TYPE_REQUIRED = frozenset(r.name for r in ANSWER_TYPES if r.required)
PRECISE_TYPES = frozenset(r.name for r in ANSWER_TYPES if r.precise)


def answer_type(text: str) -> AnswerType:
    clause = _WHEN_CLAUSE.match(text)
    if clause:
        text = text[clause.end():]
    return next((r.name for r in ANSWER_TYPES if r.asks.search(text) and not (r.unless and r.unless.search(text))),
                "other")
