"""The last turn of each conversation, in memory only: bounded in number (the least recently used goes first)
and in age (a turn older than max_age is forgotten); a restart forgets everything."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable

from .turns import Turn

MAX_CONVERSATIONS = 10_000  # a few hundred bytes each: a few MB at most


class ConversationMemory:
    def __init__(self, max_age: float = 600.0, max_turns: int = 5, max_conversations: int = MAX_CONVERSATIONS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_age, self.max_turns, self.max_conversations = max_age, max_turns, max_conversations
        self._clock = clock
        # key -> (when the conversation began, when last used, turns so far, the last turn)
        self._turns: OrderedDict[Hashable, tuple[float, float, int, Turn]] = OrderedDict()
        self._lock = threading.Lock()  # the bot's handlers run on one loop, the terminal's changes in threads

    def get(self, key: Hashable) -> Turn | None:
        """The conversation's last turn, or None when there is none, it is older than max_age, or it has had
        max_turns turns already (a conversation is a few questions, not a session)."""
        now = self._clock()
        with self._lock:
            entry = self._turns.get(key)
            if entry is None:
                return None
            _, used, count, turn = entry
            if now - used > self.max_age or count >= self.max_turns:
                del self._turns[key]
                return None
            return turn

    def put(self, key: Hashable, turn: Turn | None, *, continues: Hashable | None = None) -> None:
        """Keep `turn` as the conversation's last (`continues`: the key of the conversation it follows, as a
        reply to an answer continues that answer's chain)."""
        if turn is None:
            return
        now = self._clock()
        with self._lock:
            before = self._turns.get(continues if continues is not None else key)
            count = before[2] + 1 if before is not None and now - before[1] <= self.max_age else 1
            self._turns[key] = (before[0] if before and count > 1 else now, now, count, turn)
            self._turns.move_to_end(key)
            while len(self._turns) > self.max_conversations:
                self._turns.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._turns.pop(key, None)

    def __len__(self) -> int:
        return len(self._turns)
