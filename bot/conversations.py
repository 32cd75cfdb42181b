"""Which conversation a question belongs to (no discord import): the keys under which the bot keeps the last
turn of each (index.conversation.ConversationMemory).

A thread the bot answered in is one conversation for everyone in it. A reply chain is one user's: a reply to
the bot's answer continues the conversation of the person who got that answer only if they are the one
replying; anyone else's reply to it starts afresh. Every key holds the guild, so no context crosses servers.
"""

from __future__ import annotations

from typing import Hashable


def thread_key(guild_id: int | None, thread_id: int) -> Hashable:
    return ("thread", guild_id, thread_id)


def reply_key(guild_id: int | None, user_id: int, answer_message_id: int) -> Hashable:
    """The conversation of `user_id` that the bot's answer message `answer_message_id` ended."""
    return ("reply", guild_id, user_id, answer_message_id)
