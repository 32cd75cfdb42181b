"""The discord.py side of the gate (bot.gate): app_commands checks that read an interaction and ask the bot's Gate.

Checked in code, always: Discord's default permissions are only a hint for its UI.
"""

from __future__ import annotations

import discord
from discord import app_commands

from .gate import MODERATORS_ONLY, Admission, Gate, Where


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(MODERATORS_ONLY)


class NotAdmitted(app_commands.CheckFailure):
    """Not in a channel the bot answers in, or asking too quickly; the message says which."""

    def __init__(self, admission: Admission) -> None:
        self.admission = admission
        super().__init__(admission.message or "")


def gate_of(interaction: discord.Interaction) -> Gate:
    return interaction.client.gate  # type: ignore[attr-defined]  # an ArticleBot's


def where(channel: object) -> Where:
    """The channel of an interaction or a message as the gate sees it (a DM when it has no guild)."""
    return Where(channel_id=getattr(channel, "id", None), parent_id=getattr(channel, "parent_id", None),
                 in_guild=getattr(channel, "guild", None) is not None)


def is_moderator(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator) here, or one of the moderator roles (never in a DM)."""
    user, perms = interaction.user, interaction.permissions
    member = isinstance(user, discord.Member)
    return gate_of(interaction).is_moderator(in_guild=member, manage_guild=perms.manage_guild,
                                             administrator=perms.administrator,
                                             role_ids=[r.id for r in user.roles] if member else ())


async def moderator_check(interaction: discord.Interaction) -> bool:
    if not is_moderator(interaction):
        raise NotModerator()
    return True


async def ask_check(interaction: discord.Interaction) -> bool:
    """The channel is one we answer in, and the user is not on cooldown (/ask and the message menu)."""
    via = "context" if isinstance(interaction.command, app_commands.ContextMenu) else "slash"
    admission = gate_of(interaction).admit(interaction.user.id, interaction.guild_id, where(interaction.channel),
                                           via=via)
    if not admission.allowed:
        raise NotAdmitted(admission)
    return True


moderator_only = app_commands.check(moderator_check)


def actor(user: discord.abc.User) -> str:
    """Who did it, for the audit log and the bot's log: "name (id)"."""
    return f"{user.name} ({user.id})"
