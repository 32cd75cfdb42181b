"""/config: a guild's own settings, kept in the bot's SQLite store. Moderators only; every reply is ephemeral.

/config show | channels add CHANNEL | channels remove CHANNEL | channels clear | thread ENABLED | declines MODE | reset.
A guild's own channel list, thread flag or declines mode overrides ALLOWED_CHANNEL_IDS / ANSWER_IN_THREAD / DECLINES once set;
`channels clear` (or `reset`) returns to them. The moderator check is in code on every subcommand,
the same as /reindex; the default permissions on the group are only a hint for Discord's UI.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from ..checks import actor, moderator_only
from ..client import ArticleBot
from ..render import to_embed
from ..replies.models import Field
from ..replies.moderation import config_reply

log = logging.getLogger(__name__)

ChannelOption = discord.TextChannel | discord.ForumChannel

DECLINES_SHOWN = {
    "public": "Public: in the channel, like answers",
    "private": "Private: a declined /ask is shown only to the asker (a mention is still declined in the channel)",
    "silent": "Silent: a declined /ask is shown only to the asker, a declined mention gets no reply",
}
DECLINES_SET = {
    "public": "Declines are now shown in the channel, like answers.",
    "private": "A declined /ask is now shown only to the person who asked; mentions are still declined in the channel.",
    "silent": "A declined /ask is now shown only to the person who asked, and a declined mention gets no reply.",
}


class Config(commands.Cog):
    config = app_commands.Group(name="config", description="Moderators: where and how I answer in this server",
                                guild_only=True, default_permissions=discord.Permissions(manage_guild=True))
    channels = app_commands.Group(name="channels", description="Moderators: the channels I answer in", parent=config)

    def __init__(self, bot: ArticleBot):
        self.bot = bot

    # -- helpers ------------------------------------------------------------------------------

    def _in_guild(self, guild: discord.Guild | None, ids: tuple[int, ...]) -> tuple[int, ...]:
        """The ids that are channels of this guild (the global list may name other guilds' channels)."""
        if guild is None:
            return ids
        return tuple(c for c in ids if guild.get_channel_or_thread(c) is not None)

    async def _save(self, interaction: discord.Interaction, what: str, **changes) -> None:
        assert interaction.guild_id is not None  # guild_only
        await asyncio.to_thread(self.bot.store.set_guild_settings, interaction.guild_id, by=interaction.user.id,
                                **changes)
        log.info("config of guild %s: %s, by %s", interaction.guild_id, what, actor(interaction.user))

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, ephemeral=True)

    # -- commands -----------------------------------------------------------------------------

    @config.command(name="show", description="Moderators: this server's settings (its own, or the bot's defaults)")
    @moderator_only
    async def show(self, interaction: discord.Interaction) -> None:
        p = self.bot.gate.placement(interaction.guild_id)
        here = self._current(interaction, p)
        reply = config_reply(
            channel_ids=list(here), own_channels=p.own_channels, elsewhere=bool(p.channel_ids) and not here,
            answer_in_thread=p.answer_in_thread, own_thread=p.own_thread,
            cooldown_rate=self.bot.settings.ask_cooldown_rate, cooldown_seconds=self.bot.settings.ask_cooldown_seconds)
        origin = "set here with `/config declines`" if p.own_declines else "the bot's default (DECLINES)"
        at = next((i for i, f in enumerate(reply.fields) if f.name == "Cooldown"), len(reply.fields))
        reply.fields.insert(at, Field("Declines", f"{DECLINES_SHOWN[p.declines]}\n*{origin}*"))
        if reply.footer and "/config thread" in reply.footer:
            reply.footer = reply.footer.replace("/config thread", "/config thread, /config declines")
        await interaction.response.send_message(embed=to_embed(reply), ephemeral=True)

    def _current(self, interaction: discord.Interaction, p) -> tuple[int, ...]:
        """The channels in effect for this server: its own list, or the default's channels that are in it."""
        return tuple(p.channel_ids) if p.own_channels else self._in_guild(interaction.guild, p.channel_ids)

    @channels.command(name="add", description="Moderators: answer in this channel (and only in the listed ones)")
    @app_commands.describe(channel="A channel to answer in; its threads are included")
    @moderator_only
    async def channels_add(self, interaction: discord.Interaction, channel: ChannelOption) -> None:
        p = self.bot.gate.placement(interaction.guild_id)
        current = self._current(interaction, p)
        if p.own_channels and channel.id in current:
            await self._reply(interaction, f"{channel.mention} is already in the list: {_mentions(current)}.")
            return
        new = (*[c for c in current if c != channel.id], channel.id)
        await self._save(interaction, f"channels {list(new)}", channel_ids=new)
        await self._reply(interaction, f"Added {channel.mention}. I now answer only in {_mentions(new)} "
                                       "(and their threads).")

    @channels.command(name="remove", description="Moderators: stop answering in this channel")
    @app_commands.describe(channel="A channel from the list")
    @moderator_only
    async def channels_remove(self, interaction: discord.Interaction, channel: ChannelOption) -> None:
        p = self.bot.gate.placement(interaction.guild_id)
        current = self._current(interaction, p)
        if channel.id not in current:
            where = f"the list is {_mentions(current)}" if current else "I answer in every channel"
            await self._reply(interaction, f"{channel.mention} is not in the list ({where}); nothing changed.")
            return
        new = tuple(c for c in current if c != channel.id)
        await self._save(interaction, f"channels {list(new)}", channel_ids=new)
        if new:
            text = f"Removed {channel.mention}. I now answer only in {_mentions(new)} (and their threads)."
        else:
            text = (f"Removed {channel.mention}. No channel is listed any more, so I answer in every channel. "
                    "`/config channels clear` returns to the bot's default.")
        await self._reply(interaction, text)

    @channels.command(name="clear", description="Moderators: forget this server's list and use the bot's default")
    @moderator_only
    async def channels_clear(self, interaction: discord.Interaction) -> None:
        await self._save(interaction, "channels back to the default", channel_ids=None)
        default = self._in_guild(interaction.guild, tuple(self.bot.settings.allowed_channel_ids))
        where = _where(default, bool(self.bot.settings.allowed_channel_ids))
        await self._reply(interaction, f"This server's channel list is cleared; the bot's default applies: {where}.")

    @config.command(name="thread", description="Moderators: open a thread for each answer, or answer in the channel")
    @app_commands.describe(enabled="True: each answer in its own thread; False: in the channel")
    @moderator_only
    async def thread(self, interaction: discord.Interaction, enabled: bool) -> None:
        await self._save(interaction, f"answer in thread {'on' if enabled else 'off'}", answer_in_thread=enabled)
        text = "Answers now go into a thread of their own." if enabled else "Answers now go in the channel itself."
        await self._reply(interaction, text + " `/config reset` returns to the bot's defaults.")

    @config.command(name="declines", description="Moderators: show declines to all, only to the asker, or not at all")
    @app_commands.describe(mode="public: in the channel; private: only the asker of /ask sees it; "
                                "silent: also no reply to a mention")
    @moderator_only
    async def declines(self, interaction: discord.Interaction, mode: Literal["public", "private", "silent"]) -> None:
        await self._save(interaction, f"declines {mode}", declines=mode)
        await self._reply(interaction, DECLINES_SET[mode] + " `/config reset` returns to the bot's defaults.")

    @config.command(name="reset", description="Moderators: forget all of this server's settings (use the defaults)")
    @moderator_only
    async def reset(self, interaction: discord.Interaction) -> None:
        await self._save(interaction, "reset to the defaults", channel_ids=None, answer_in_thread=None, declines=None)
        await self._reply(interaction, "This server's settings are cleared; the bot's defaults apply (`/config show`).")


def _mentions(ids) -> str:
    ids = list(ids)
    shown = ", ".join(f"<#{c}>" for c in ids[:20])
    return shown + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")


def _where(ids: tuple[int, ...], listed: bool) -> str:
    if ids:
        return f"only in {_mentions(ids)}"
    return "in no channel of this server (the default lists other servers' channels)" if listed else "in every channel"


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Config(bot))
