"""Conversation: a question read with the one before it ("why?", "what about Kallas?", "who said that?").

    turns.py     Turn: what one question was read as and which sentence answered it
    followups.py the follow-up kinds as a table of patterns (FOLLOW_UPS), and the question a swap reads as
    memory.py    ConversationMemory: the last turn of each conversation, bounded in number and age

A conversation's key is the caller's (the bot's thread or reply chain, the terminal's session): nothing
here knows about Discord.
"""

from __future__ import annotations

from .followups import FOLLOW_UPS, FollowUp, read_follow_up
from .memory import ConversationMemory
from .turns import Turn

__all__ = ["FOLLOW_UPS", "ConversationMemory", "FollowUp", "Turn", "read_follow_up"]
