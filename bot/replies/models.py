"""What a handler returns: a Discord-free reply, rendered to an embed (bot.render) or to the terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from index.models import Answer

ReplyKind = Literal["answer", "decline", "info", "error"]


@dataclass
class Field:
    name: str
    value: str  # markdown
    inline: bool = False


@dataclass
class Reply:
    kind: ReplyKind
    title: str | None = None  # plain text
    description: str = ""  # markdown
    fields: list[Field] = field(default_factory=list)
    footer: str | None = None  # plain text
    url: str | None = None
    answer: Answer | None = None  # the core's answer behind an answer/decline reply

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.answered
