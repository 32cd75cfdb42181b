"""Who may do what: moderators, allowed channels, per-user cooldowns. Checked in code, always."""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from .settings import Settings

if TYPE_CHECKING:
    from .client import ArticleBot


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only members with Manage Server or a moderator role can do that.")


class ChannelNotAllowed(app_commands.CheckFailure):
    def __init__(self, channel_ids: list[int]) -> None:
        where = ", ".join(f"<#{c}>" for c in channel_ids[:10])
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


def channel_allowed(channel: object, settings: Settings) -> bool:
    allowed = settings.allowed_channel_ids
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
    if not channel_allowed(interaction.channel, bot.settings):
        raise ChannelNotAllowed(bot.settings.allowed_channel_ids)
    retry = bot.cooldowns.hit(interaction.user.id)
    if retry > 0:
        raise OnCooldown(retry)
    return True


moderator_only = app_commands.check(moderator_check)


def actor(user: discord.abc.User) -> str:
    """Who did it, for the audit log and the bot's log: "name (id)"."""
    return f"{user.name} ({user.id})"
