"""What is refused before any search, and the shape of a decline."""

from __future__ import annotations

from ..models import Answer, Candidate
from ..question import MAX_QUESTION_CHARS, Question, analyse

HOW_TO_ASK = "Ask who, what, when, where, why or how much, and I'll answer in the article's own words."


def decline(question: str, reason: str, related: list[Candidate] | None = None, *, invalid: bool = False) -> Answer:
    return Answer(question=question, answered=False, confidence=0.0, reason=reason, related=related or [], invalid=invalid)


def validate(question: str, q: Question | None = None) -> str | None:
    """Why a question cannot be searched at all, or None. Pure and cheap: the bot checks it before
    it takes a question on, so that a bad one gets a private reply. `q` is the question already
    analysed, if it is."""
    if not question or not question.strip():
        return "The question is empty: ask something about the article."
    if len(question) > MAX_QUESTION_CHARS:
        return f"The question is {len(question):,} characters long; please keep it under {MAX_QUESTION_CHARS}."
    q = q or analyse(question.strip())
    if q.intent == "small_talk":
        return f"That isn't a question about the article. {HOW_TO_ASK}"
    if q.intent not in ("about", "author") and not q.terms:
        return f"The question has no words to look up in the article. {HOW_TO_ASK}"
    return None
