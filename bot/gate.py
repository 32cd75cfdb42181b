"""Who may ask where and how often. No discord import: plain ids and permission flags in, decisions out.

Where the bot answers (which channels, in a thread or not) is decided per guild by `placement`: the guild's
own /config settings, else the global ALLOWED_CHANNEL_IDS / ANSWER_IN_THREAD. `Gate.admit` is the one
decision for every way of asking (/ask, the "Ask the article" message menu, a mention or a reply to the bot):
the channel is one we answer in, and the user is not asking too quickly. The checks (bot.checks) and the
mention listener (bot.cogs.ask) only turn its `Admission` into Discord calls.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from .settings import Settings
from .store import GuildSettings, Store

Via = Literal["slash", "context", "mention"]  # /ask, the message menu, a mention or a reply to the bot
Declines = Literal["public", "private", "silent"]  # see Settings.declines

MODERATORS_ONLY = "Only members with Manage Server or a moderator role can do that."
DEFAULT_EXAMPLE = "What is this article about?"


def mention_usage(example: str = DEFAULT_EXAMPLE) -> str:
    """How to ask by mention, with an example question (one the loaded articles answer: View.example_question)."""
    return f"Ask me something about the article, e.g. `@me {example.replace('`', chr(39))}`"


MENTION_USAGE = mention_usage()


def cooldown_sentence(retry_after: float) -> str:
    """The one sentence for a user who asks too quickly, with the whole seconds to wait (at least 1)."""
    return f"You're asking quickly: please try again in {max(1, round(retry_after + 0.499))} s."


def channels_sentence(channel_ids: Collection[int]) -> str:
    where = ", ".join(f"<#{c}>" for c in list(channel_ids)[:10])
    return f"I only answer questions in {where}."


class Cooldowns:
    """At most `rate` questions per `per` seconds for each user; per == 0 disables it."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.per, self.clock = rate, per, clock
        self._hits: dict[int, deque[float]] = {}

    def hit(self, user_id: int) -> float:
        """Count a question; returns 0 when allowed, else the seconds until the user may ask again."""
        if self.per <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.setdefault(user_id, deque())
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) >= self.rate:
            return self.per - (now - hits[0])
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle users
            self._hits = {u: h for u, h in self._hits.items() if h and now - h[-1] < self.per}
        return 0.0


@dataclass(frozen=True)
class Placement:
    """Where the bot answers in one guild, with where each setting comes from."""

    channel_ids: tuple[int, ...]  # empty = every channel
    answer_in_thread: bool
    own_channels: bool = False  # True: the guild's /config list, False: ALLOWED_CHANNEL_IDS
    own_thread: bool = False  # True: the guild's /config thread flag, False: ANSWER_IN_THREAD
    declines: Declines = "public"  # how a decline is sent: to all, to the asker of /ask only, or also not to a mention
    own_declines: bool = False  # True: the guild's /config declines, False: DECLINES


def placement(settings: Settings, own: GuildSettings) -> Placement:
    """The effective settings of a guild: its own (set with /config) over the global defaults."""
    return Placement(
        channel_ids=own.channel_ids if own.channel_ids is not None else tuple(settings.allowed_channel_ids),
        answer_in_thread=own.answer_in_thread if own.answer_in_thread is not None else settings.answer_in_thread,
        own_channels=own.channel_ids is not None,
        own_thread=own.answer_in_thread is not None,
        declines=own.declines if own.declines is not None else settings.declines,  # type: ignore[arg-type]
        own_declines=own.declines is not None,
    )


@dataclass(frozen=True)
class Where:
    """The channel a question comes from, as plain ids."""

    channel_id: int | None
    parent_id: int | None = None  # a thread's channel
    in_guild: bool = True  # False: a DM


def channel_allowed(where: Where, allowed: Collection[int]) -> bool:
    """Whether the bot answers in this channel: any channel when `allowed` is empty, always in DMs."""
    if not allowed or not where.in_guild:
        return True
    # threads inherit their channel's permission
    return where.channel_id in allowed or (where.parent_id is not None and where.parent_id in allowed)


def is_moderator(*, in_guild: bool, manage_guild: bool, administrator: bool, role_ids: Iterable[int],
                 moderator_role_ids: Collection[int]) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured moderator roles."""
    if not in_guild:
        return False
    if manage_guild or administrator:
        return True
    wanted = set(moderator_role_ids)
    return bool(wanted) and any(r in wanted for r in role_ids)


@dataclass(frozen=True)
class Admission:
    """The gate's decision on one question: `refusal` None lets it through."""

    via: Via
    refusal: Literal["channel", "empty", "cooldown"] | None = None
    channel_ids: tuple[int, ...] = ()  # where the bot answers, when refused for the channel
    retry_after: float = 0.0  # seconds, when refused for asking too quickly
    example: str = DEFAULT_EXAMPLE  # the example question of an empty mention's hint

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str | None:
        """What to tell the asker; None when admitted, and for a mention outside the channels (it is ignored)."""
        if self.refusal == "channel":
            return None if self.via == "mention" else channels_sentence(self.channel_ids)
        if self.refusal == "empty":
            return mention_usage(self.example)
        if self.refusal == "cooldown":
            return cooldown_sentence(self.retry_after)
        return None


class Gate:
    """The decisions for one bot: its settings, each guild's own settings (from the store), one cooldown per user."""

    def __init__(self, settings: Settings, store: Store | None = None, clock: Callable[[], float] = time.monotonic):
        self.settings, self.store = settings, store
        self.cooldowns = Cooldowns(settings.ask_cooldown_rate, settings.ask_cooldown_seconds, clock)

    def placement(self, guild_id: int | None) -> Placement:
        """Where to answer in this guild; DMs (guild_id None) use the defaults. Cheap, no I/O."""
        own = self.store.guild_settings(guild_id) if self.store is not None and guild_id is not None else GuildSettings()
        return placement(self.settings, own)

    def admit(self, user_id: int, guild_id: int | None, where: Where, *, via: Via, empty: bool = False) -> Admission:
        """May this user ask here now? Checked in this order: the channel, an empty mention (`empty`: the mention
        holds no question; it is told how to ask, and not counted), then the user's cooldown (counted when let through)."""
        allowed = self.placement(guild_id).channel_ids
        if not channel_allowed(where, allowed):
            return Admission(via, "channel", channel_ids=allowed)
        if empty:
            return Admission(via, "empty")
        retry = self.cooldowns.hit(user_id)
        if retry > 0:
            return Admission(via, "cooldown", retry_after=retry)
        return Admission(via)

    def is_moderator(self, *, in_guild: bool, manage_guild: bool, administrator: bool, role_ids: Iterable[int]) -> bool:
        return is_moderator(in_guild=in_guild, manage_guild=manage_guild, administrator=administrator,
                            role_ids=role_ids, moderator_role_ids=self.settings.moderator_role_ids)
