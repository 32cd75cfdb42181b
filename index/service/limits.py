"""Who may change what, and how often: the caller of a change, refusals, and the refresh rate limit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


GUILD_ARTICLE_LIMIT = 50  # articles one server may add of its own (GUILD_ARTICLE_LIMIT)


REFRESH_INTERVAL_S = 300.0  # one refresh of a set of articles per this long, whoever asks (REINDEX_INTERVAL_SECONDS)


class Refused(Exception):
    """A change that is not made; str() is the one-line reason shown to whoever asked."""


@dataclass(frozen=True)
class Caller:
    """Who asks for a change, and from where.

    guild_id None is the host (terminal chat, CLI, start-up): the operator. From Discord, guild_id is the
    server asked from, and `operator` says whether the user is the bot's operator (its application owner
    or one of OPERATOR_USER_IDS), who alone changes what every server sees.
    """

    actor: str | None = None
    guild_id: int | None = None
    operator: bool = False

    @property
    def is_operator(self) -> bool:
        return self.guild_id is None or self.operator


class RefreshLimiter:
    """At most one refresh of a set of articles per `interval` seconds, whoever asks (0 = no limit).

    Keys: "shared" for the articles every server sees, "guild:<id>" for one server's own.
    """

    def __init__(self, interval: float, clock=time.monotonic):
        self.interval, self.clock = interval, clock
        self._last: dict[str, float] = {}

    def wait(self, key: str) -> float:
        """Seconds until `key` may be refreshed again (0: now)."""
        last = self._last.get(key)
        if self.interval <= 0 or last is None:
            return 0.0
        return max(0.0, self.interval - (self.clock() - last))

    def use(self, key: str) -> None:
        self._last[key] = self.clock()


def _in_words(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    return f"{round(seconds / 60)} minutes"


def next_refresh(wait: float) -> str:
    at = datetime.now(timezone.utc) + timedelta(seconds=wait)
    return f"in {_in_words(wait)} (at {at:%H:%M} UTC)"
