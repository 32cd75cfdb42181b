"""Turn a question into an extractive Answer: a verbatim sentence, or an honest decline.

    validate.py    what is refused before any search; the shape of a decline
    strategies.py  the answer kinds, tried in a declared order (STRATEGIES); the decision on a ranking
    compose.py     the Answer from the chosen sentence: text, position, excerpt, speaker, confidence
    confidence.py  the confidence of a ranked answer: the fitted probability that it is right

A question travels: validate -> analyse (index.question) -> each strategy in turn, which ranks
(index.retrieval) and decides -> compose.
"""

from __future__ import annotations

from ..conversation import Turn, read_follow_up
from ..models import Answer
from ..question import MAX_QUESTION_CHARS, analyse
from ..retrieval.search import SearchIndex
from .compose import SpeakerSource
from .followups import answer_follow_up
from .strategies import STRATEGIES, Asked
from .validate import HOW_TO_ASK, decline, validate


def answer(index: SearchIndex, question: str, speakers: SpeakerSource | None = None, article: str | None = None,
           context: Turn | None = None) -> Answer:
    """The answer from the index's articles, or from the one whose id is `article`; with `context` (the
    conversation's last turn) a follow-up is read with it first."""
    if context is not None and question and len(question) <= MAX_QUESTION_CHARS:
        scope = next((i for i, a in enumerate(index.articles) if a.id == article), None) if article is not None else None
        found = answer_follow_up(index, question.strip(), context, speakers, scope,
                                 lambda read_as: answer(index, read_as, speakers, article))
        if found is not None:
            return found
    q = analyse(question.strip()) if question and len(question) <= MAX_QUESTION_CHARS else None
    problem = validate(question, q)
    scope = next((i for i, a in enumerate(index.articles) if a.id == article), None) if article is not None else None
    if article is not None and scope is None:
        problem = problem or f"There is no article {article!r} to ask about."
    if problem or q is None:
        return decline(question, problem or "", invalid=True)
    asked = Asked(index, question, q, speakers, scope)
    for strategy in STRATEGIES:
        found = strategy.run(asked)
        if found is not None:
            return found
    raise AssertionError("the last strategy, general, always answers or declines")


def validate_in_context(question: str, context: Turn | None) -> str | None:
    """validate, but a follow-up of a conversation ("why?") is a question there."""
    if context is not None and question and len(question) <= MAX_QUESTION_CHARS and read_follow_up(question.strip()):
        return None
    return validate(question)


__all__ = ["answer", "decline", "validate", "validate_in_context", "HOW_TO_ASK", "SpeakerSource", "STRATEGIES"]
