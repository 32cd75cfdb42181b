"""What a question asks for: its search terms and the kind of answer it expects.

The answer type (a person, a time, a number, a place) lets the ranker prefer the
sentence that holds something of that type the question itself does not contain:
"When did Tsar Alexander II sell Alaska?" wants the sentence with "1867" in it. The intent
says when a question is not a search at all: a greeting, "what is this article about?",
"who wrote it?", or "who is <name>?".

    types.py     ANSWER_TYPES: the answer-type rules, in order (a new type is one row)
    intents.py   the intents, in order
    analyse.py   Question and analyse(): terms, type, focus, intent (pure, cached)
"""

from .analyse import FILLER, MAX_QUESTION_CHARS, Question, analyse, analyse_each, analyse_terms, focus_term
from .intents import Intent, intent_of
from .types import ANSWER_TYPES, PRECISE_TYPES, TYPE_REQUIRED, AnswerType, AnswerTypeRule, answer_type

__all__ = ["ANSWER_TYPES", "FILLER", "MAX_QUESTION_CHARS", "PRECISE_TYPES", "TYPE_REQUIRED", "AnswerType",
           "AnswerTypeRule", "Intent", "Question", "analyse", "analyse_each", "analyse_terms", "answer_type", "focus_term", "intent_of"]
