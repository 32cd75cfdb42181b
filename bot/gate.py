"""Who may do what: moderators, allowed channels, per-user cooldowns. Checked in code, always.

Where the bot answers (which channels, in a thread or not) is decided per guild by `placement`:
the guild's own /config settings from the store, else the global ALLOWED_CHANNEL_IDS / ANSWER_IN_THREAD.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from .settings import Settings
from .store import GuildSettings, Store

if TYPE_CHECKING:
    from .client import ArticleBot


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only members with Manage Server or a moderator role can do that.")


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self, channel_ids: Collection[int]) -> None:
        where = ", ".join(f"<#{c}>" for c in list(channel_ids)[:10])
        super().__init__(f"I only answer questions in {where}.")


class OnCooldown(app_commands.CheckFailure):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're asking quickly: please try again in {max(1, round(retry_after + 0.499))} s.")


class Cooldowns:
    """At most `rate` questions per `per` seconds for each user; per == 0 disables it."""

    def __init__(self, rate: int, per: float, clock=time.monotonic):
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


def is_moderator(member: discord.abc.User, settings: Settings, permissions: discord.Permissions | None = None) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured moderator roles."""
    if not isinstance(member, discord.Member):
        return False
    perms = permissions if permissions is not None else member.guild_permissions
    if perms.manage_guild or perms.administrator:
        return True
    role_ids = set(settings.moderator_role_ids)
    return bool(role_ids) and any(r.id in role_ids for r in member.roles)


@dataclass(frozen=True)
class Placement:
    """Where the bot answers in one guild, with where each setting comes from."""

    channel_ids: tuple[int, ...]  # empty = every channel
    answer_in_thread: bool
    own_channels: bool = False  # True: the guild's /config list, False: ALLOWED_CHANNEL_IDS
    own_thread: bool = False  # True: the guild's /config thread flag, False: ANSWER_IN_THREAD


def placement(settings: Settings, store: Store | None, guild_id: int | None) -> Placement:
    """The effective settings of a guild: its own (set with /config) over the global defaults.

    The one place that decides where to answer, for mentions, replies, /ask and the message menu.
    DMs (guild_id None) use the defaults.
    """
    own = store.guild_settings(guild_id) if store is not None and guild_id is not None else GuildSettings()
    return Placement(
        channel_ids=own.channel_ids if own.channel_ids is not None else tuple(settings.allowed_channel_ids),
        answer_in_thread=own.answer_in_thread if own.answer_in_thread is not None else settings.answer_in_thread,
        own_channels=own.channel_ids is not None,
        own_thread=own.answer_in_thread is not None,
    )


def channel_allowed(channel: object, allowed: Collection[int]) -> bool:
    """Whether the bot answers in this channel: any channel when `allowed` is empty, always in DMs."""
    if not allowed or getattr(channel, "guild", None) is None:  # no list, or a DM
        return True
    cid = getattr(channel, "id", None)
    parent = getattr(channel, "parent_id", None)  # threads inherit their channel's permission
    return cid in allowed or (parent is not None and parent in allowed)


async def moderator_check(interaction: discord.Interaction) -> bool:
    bot: ArticleBot = interaction.client  # type: ignore[assignment]
    if not is_moderator(interaction.user, bot.settings, interaction.permissions):
        raise NotModerator()
    return True


async def ask_check(interaction: discord.Interaction) -> bool:
    """The channel is one we answer in, and the user is not on cooldown."""
    bot: ArticleBot = interaction.client  # type: ignore[assignment]
    allowed = bot.placement(interaction.guild_id).channel_ids
    if not channel_allowed(interaction.channel, allowed):
        raise ChannelNotAllowed(allowed)
    retry = bot.cooldowns.hit(interaction.user.id)
    if retry > 0:
        raise OnCooldown(retry)
    return True


moderator_only = app_commands.check(moderator_check)


def actor(user: discord.abc.User) -> str:
    """Who did it, for the audit log and the bot's log: "name (id)"."""
    return f"{user.name} ({user.id})"
