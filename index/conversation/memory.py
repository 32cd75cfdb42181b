"""The last turn of each conversation, in memory only: bounded in number (the least recently used goes first),
in age (a conversation not used for max_age is forgotten) and in size (each remembers its last max_turns
answers); a restart forgets everything."""

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
        # key -> (when last used, the last turn)
        self._turns: OrderedDict[Hashable, tuple[float, Turn]] = OrderedDict()
        self._lock = threading.Lock()  # the bot's handlers run on one loop, the terminal's changes in threads

    def get(self, key: Hashable) -> Turn | None:
        """The conversation's last turn, or None when there is none or it was last used over max_age ago."""
        now = self._clock()
        with self._lock:
            entry = self._turns.get(key)
            if entry is None:
                return None
            used, turn = entry
            if now - used > self.max_age:
                del self._turns[key]
                return None
            return turn

    def put(self, key: Hashable, turn: Turn | None) -> None:
        """Keep `turn` as the conversation's last."""
        if turn is None or self.max_age <= 0:
            return
        with self._lock:
            self._turns[key] = (self._clock(), turn.keeping(self.max_turns))
            self._turns.move_to_end(key)
            while len(self._turns) > self.max_conversations:
                self._turns.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._turns.pop(key, None)

    def __len__(self) -> int:
        return len(self._turns)
