"""A question analysed: its search terms, answer type, focus and intent."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..text.tokenize import WORD_RE, fold, tokenize
from .intents import Intent, intent_of
from .types import AnswerType, answer_type

MAX_QUESTION_CHARS = 500  # longer is a pasted paragraph, not a question (Discord caps messages at 2,000 anyway)

# Chatty words that carry no content: "hey bot, can you tell me ..." asks nothing about them.
FILLER = frozenset(
    tokenize(
        """
    hey hi hello please pls thanks thank tell know say said says explain bot article story piece text
    anyone somebody wondering wonder curious question quick ok okay actually really exactly mean
    give show let find ya u r whats anything something according happen happened summarize summarise
    summary tldr get gets got lol lmao rofl omg plz gonna wanna gotta kinda sorta btw tbh idk imo imho rn hmm um
    uh yeah yep nope anyway anyways yo nah bruh bro dude tho smh ngl lmfao
    """
    )
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
    # and other words: "what does bockowski think abt europe", "r ppl gonna vote"
    "abt": "about", "ppl": "people", "gonna": "will", "wanna": "want to", "gotta": "must", "pls": "please",
    "plz": "please", "bc": "because", "cuz": "because", "coz": "because", "thx": "thanks", "ty": "thank you",
    "ur": "your", "bcuz": "because", "w/o": "without", "w/": "with", "b4": "before",
}
# One letter stands for a word only in lower case and on its own: "r they meeting", "u know", "trump n putin";
# never the "U" of "U.S." or an initial ("Daniel R. Smith").
_CHAT_LETTERS = {"r": "are", "u": "you", "n": "and"}
_CHAT_FORM_RE = re.compile(
    r"(?<![\w/.])(" + "|".join(re.escape(w) for w in sorted(_CHAT_FORMS, key=len, reverse=True)) + r")(?![\w/])"
    r"|(?<![\w.'’-])([run])(?![\w.'’-])", re.I)


def _chat_form(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return _CHAT_FORMS[m.group(1).lower()]
    letter = m.group(2)
    return _CHAT_LETTERS[letter] if letter.islower() else letter


@lru_cache(maxsize=1024)
def analyse(text: str) -> Question:
    """The question analysed (pure, so kept: the bot validates a question before it takes it on, and the
    answer analyses it again: once, from the cache). A Question is immutable."""
    asked = text
    text = _CHAT_FORM_RE.sub(_chat_form, text)
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


def analyse_each(q: Question, term_lists: list[list[str]]) -> list[Question]:
    """analyse_terms for each list at once (the question as searched, and its topic without a name); the
    question itself where a list is its own terms."""
    return [q if tuple(terms) == q.terms else analyse_terms(q, terms) for terms in term_lists]
