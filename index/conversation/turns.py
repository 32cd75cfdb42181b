"""One turn of a conversation, as the next question needs it: small, so that thousands fit in memory."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..models import Answer
from .followups import ABOUT_THE_LAST_ANSWER, read_follow_up

# The answers a conversation remembers ("what else did she say?" skips them): ConversationMemory trims to
# its max_turns, this bounds a Turn made without one (the terminal's, the CLI's).
MAX_SEEN = 12


class Turn(BaseModel):
    """What a question was read as, and where its answer stands (None when it was declined)."""

    model_config = ConfigDict(frozen=True)

    question: str  # as read: the follow-up spelled out ("What does Boćkowski think about Asia?")
    article: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None  # the answer as it stood: a refresh may have moved or changed it since
    speaker: str | None = None  # who said the answer, when it is a quotation
    person: str | None = None  # the person the conversation is about: the speaker, or the one asked about
    seen: tuple[tuple[str, int, int], ...] = Field(default_factory=tuple)  # spans shown so far, newest last

    @classmethod
    def after(cls, answer: Answer, previous: "Turn | None" = None) -> "Turn | None":
        """The turn an answer makes (None for a question that was not one: empty, a greeting). A follow-up
        about the last answer ("why?", "who said that?") keeps the conversation's question, and when it is
        declined, the last answer too: "go on" after "who said that?" goes on from that answer."""
        if answer.invalid:
            return previous
        follow = read_follow_up(answer.question) if answer.read_as is not None and previous is not None else None
        if previous is not None and follow is not None and follow.kind in ABOUT_THE_LAST_ANSWER:
            if not answer.answered or answer.answer is None:
                return previous
            answer = answer.model_copy(update={"read_as": previous.question})
        span = answer.answer
        seen = previous.seen if previous is not None else ()
        if span is not None:
            seen = (*seen, (span.article, span.start, span.end))[-MAX_SEEN:]
        speaker = span.speaker.name if span is not None and span.speaker is not None else None
        return cls(question=answer.read_as or answer.question, article=span.article if span else None,
                   start=span.start if span else None, end=span.end if span else None,
                   text=span.text if span else None, speaker=speaker,
                   person=speaker or (previous.person if previous is not None else None), seen=seen)

    def keeping(self, turns: int) -> "Turn":
        """The turn remembering only the last `turns` answers."""
        return self if len(self.seen) <= turns else self.model_copy(update={"seen": self.seen[-turns:]})
