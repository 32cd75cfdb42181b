"""What a question asks for: its search terms and the kind of answer it expects.

The answer type (a person, a time, a number, a place) lets the ranker prefer the
sentence that holds something of that type the question itself does not contain:
"When did Tsar Alexander II sell Alaska?" wants the sentence with "1867" in it. The intent
says when a question is not a search at all: a greeting, "what is this article about?",
"who wrote it?", or "who is <name>?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Literal

from .text.tokenize import WORD_RE, fold, tokenize

Intent = Literal["search", "about", "author", "who_is", "affiliation", "small_talk"]
AnswerType = Literal["person", "time", "clock", "duration", "number", "money", "measure", "ordinal", "place", "reason",
                     "other"]

MAX_QUESTION_CHARS = 500  # longer is a pasted paragraph, not a question (Discord caps messages at 2,000 anyway)

# Chatty words that carry no content: "hey bot, can you tell me ..." asks nothing about them.
FILLER = frozenset(
    tokenize(
        """
    hey hi hello please pls thanks thank tell know say said says explain bot article story piece text
    anyone somebody wondering wonder curious question quick ok okay actually really exactly mean
    give show let find ya u r whats anything something according happen happened summarize summarise
    summary tldr get gets got lol lmao rofl omg plz gonna wanna gotta kinda sorta btw tbh idk imo imho rn hmm um
    uh yeah yep nope anyway anyways
    """
    )
)

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


# Questions about who wrote the article itself, not about a reporter in the story.
_AUTHOR_Q = re.compile(
    r"\bwho\s+(?:wrote|writes|authored|penned)\b|\bwho(?:'s|\s+is|\s+was)\s+the\s+(?:author|writer|journalist|reporter)\s*(?:of\s+(?:the|this)\s+(?:article|story|piece|report)\b|\?|$)"
    r"|\b(?:author|writer|byline)\s+of\s+(?:the|this)\s+(?:article|story|piece|report)\b|^\s*(?:the\s+)?(?:author|byline)\s*\??\s*$",
    re.I,
)
# "What is this article about?", "summarize it", "tl;dr": a news article's lead sentence says what it is about.
_ABOUT_Q = re.compile(
    r"^\W*(?:(?:so\s+)?what(?:'s|\s+is)\s+(?:this|the|that|it)(?:\s+(?:article|story|piece|report|text))?(?:\s+all)?\s+about"
    r"|(?:(?:can|could|would)\s+you\s+|please\s+)?(?:summari[sz]e|sum\s+up|tell\s+me\s+about)(?:\s+(?:the|this|it))?"
    r"(?:\s+(?:article|story|piece|report|text))?"
    r"|(?:give\s+me\s+)?(?:a\s+|the\s+)?(?:summary|tl;?\s?dr|gist|main\s+points?|key\s+points?)"
    r"(?:\s+of\s+(?:the|this)\s+(?:article|story|piece|report))?)(?:\s+(?:for\s+me|please))?\W*$",
    re.I,
)
# Greetings and thanks are not questions: they get a hint, not a search.
_GREETING = (r"(?:hi|hello|hey|yo|hiya|thanks|thank\s+you|thx|ty|ok|okay|cool|nice|great|bye"
             r"|good\s+(?:morning|afternoon|evening|night))")
_SMALL_TALK = re.compile(
    rf"^\W*{_GREETING}(?:[\s,.!]+(?:{_GREETING}|bot|there|all|everyone|so\s+much|a\s+lot))*\W*$", re.I
)
# "Who is Zelensky?": a name alone. The sentence that names the person most fully ("Volodymyr Zelensky",
# "Ukrainian President Volodymyr Zelensky") says who they are better than a passing "call Zelensky".
_WHO_IS = re.compile(r"^\s*who\s*(?:is|was|'s|’s)\s+(?!(?:the|a|an|this|that|he|she|it|they)\b)[^\W\d_][\w'’.-]*"
                     r"(?:\s+[^\W\d_][\w'’.-]*){0,3}\s*\??\s*$", re.I)


# "Zelensky?", "kaja kallas": a name alone asks who that is, like "Who is Zelensky?" (a bare word
# that no sentence capitalises, "ceasefire?", is searched as usual).
_BARE_NAME = re.compile(r"^\s*(?!(?:who|what|when|where|why|how|which|is|are|does|did|do|can|will)\b)"
                        r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2}\s*\??\s*$", re.I)
# "Where does Brunner work?", "What does she do?", "Which university is Bockowski from?": the person's
# description ("a glaciologist at ETH Zurich") answers, wherever the article gives it.
_AFFILIATION_Q = re.compile(
    r"^\s*(?:(?:where|who)\s+(?:does|did|do)\s+.+?\s+(?:work|teach|lecture|study|research)(?:\s+(?:for|at|in))?"
    r"|what\s+(?:does|did)\s+.+?\s+do(?:\s+for\s+a\s+living)?"
    r"|what\s+is\s+.+?['’]s\s+(?:job|role|position|title|profession|affiliation)"
    r"|(?:which|what)\s+(?:university|institute|institution|organi[sz]ation|company|firm|agency)\s+(?:is|does|did)\s+.+?"
    r"\s+(?:from|with|at|work\s+(?:for|at)|teach\s+at|represent))\s*\??\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    terms: tuple[str, ...]  # index terms, duplicates kept (BM25 counts them)
    unique_terms: tuple[str, ...]
    answer_type: AnswerType
    raw_words: frozenset[str]  # folded surface words, to tell "new" capitalised words in a sentence
    focus: str | None  # the term naming what is asked for: "what *unit*", "which *diagrams*"
    intent: Intent = "search"  # what kind of request it is, besides a search of the article


# In order: the first that fits is the intent.
_INTENTS: tuple[tuple[Callable[[str], object], Intent], ...] = (
    (_SMALL_TALK.match, "small_talk"), (_ABOUT_Q.match, "about"), (_AUTHOR_Q.search, "author"), (_WHO_IS.match, "who_is"),
    (_BARE_NAME.match, "who_is"),
    (_AFFILIATION_Q.match, "affiliation"),
)


def intent_of(text: str) -> Intent:
    """A greeting, a request for what the article is about or for its author, "who is <name>?", or a search."""
    return next((intent for fits, intent in _INTENTS if fits(text)), "search")


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


_FOCUS_RE = re.compile(
    r"\b(?:what|which|whose)\s+(?:(?:kind|type|sort|form|part|piece|name|group|class|number|amount) of\s+)?(?:the\s+)?([A-Za-z][\w-]+)",
    re.I,
)
_NOT_FOCUS = frozenset("is are was were does do did has have had can could will would should might may".split())


def focus_term(text: str) -> str | None:
    """The noun after "what"/"which", as an index term: "In what unit is ..." -> "unit"."""
    m = _FOCUS_RE.search(text)
    if not m or m.group(1).lower() in _NOT_FOCUS:
        return None
    terms = tokenize(m.group(1))
    return terms[0] if terms else None


# "How *long*", "what *year*", "how much did they *pay*": the word that says which kind of answer is
# wanted (here an amount of money), not what it is about.
# Each is searched on its own, so "What *price* did the Americans *pay*" loses both words.
_TYPE_CUES = (
    re.compile(r"\bhow (long|often|big|large|tall|high|far|deep|wide|heavy|fast|thick)\b", re.I),
    re.compile(r"\b(?:how much|what(?: price| sum| amount)? (?:did|does|do|will|would|should))\b.*?"
               r"\b(pay|paid|pays|cost|costs|price|spend|spent|charge|charged|worth)\b", re.I),
    re.compile(r"\b(?:what|which) (year|years|century|decade|date|day|month|time|percentage|percent|amount|number|price"
               r"|sum|city|town|country|state|place|region|continent|nation|position|rank|ranking|spot)\b", re.I),
)


# Question words and negations as typed in chat: "whens the meeting", "wher will they meet", "isnt".
_CHAT_FORMS = {
    "whens": "when is", "wheres": "where is", "whos": "who is", "hows": "how is", "whys": "why is",
    "whats": "what is", "wat": "what", "wut": "what", "wht": "what", "wher": "where", "whn": "when",
    **{w: w[:-1] + "'t" for w in ("isnt arent wasnt werent dont doesnt didnt cant couldnt wont wouldnt shouldnt "
                                  "hasnt havent hadnt").split()},
}
_CHAT_FORM_RE = re.compile(r"\b(" + "|".join(_CHAT_FORMS) + r")\b", re.I)


@lru_cache(maxsize=1024)
def analyse(text: str) -> Question:
    """The question analysed (pure, so kept: the bot validates a question before it takes it on, and the
    answer analyses it again: once, from the cache). A Question is immutable."""
    asked = text
    text = _CHAT_FORM_RE.sub(lambda m: _CHAT_FORMS[m.group(1).lower()], text)
    cues = {t for cue in _TYPE_CUES for m in cue.finditer(text) for t in tokenize(m.group(1))}
    terms = [t for t in tokenize(text) if t not in FILLER and t not in cues]
    if not terms:  # "tell me about the article": the filler words are all there is to search for
        terms = tokenize(text)
    unique = tuple(dict.fromkeys(terms))
    raw = frozenset(fold(w) for w in WORD_RE.findall(text))
    return Question(
        text=asked, terms=tuple(terms), unique_terms=unique, answer_type=answer_type(text), raw_words=raw, focus=focus_term(text),
        intent=intent_of(text),
    )


def analyse_terms(q: Question, terms: list[str]) -> Question:
    """The same question searched with other terms (e.g. without a person's name)."""
    return replace(q, terms=tuple(terms), unique_terms=tuple(dict.fromkeys(terms)))
