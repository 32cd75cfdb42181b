"""Moderators: /reindex and /stats. Default permissions are a hint; the real check is in code."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from .. import handlers
from ..checks import moderator_only
from ..client import ArticleBot
from ..render import to_embed

log = logging.getLogger(__name__)


class Admin(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @app_commands.command(name="reindex", description="Rebuild the index from the configured article sources")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only
    async def reindex(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        log.info("reindex requested by %s in guild %s", interaction.user.id, interaction.guild_id)
        actor = f"{interaction.user} ({interaction.user.id})"
        # builds off the event loop; an article that fails keeps its previous version serving
        report = await self.bot.service.refresh(actor=actor)
        await interaction.followup.send(embed=to_embed(handlers.reindex_reply(report)), ephemeral=True)

    @app_commands.command(name="stats", description="Questions asked, declines, feedback and unanswered questions")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only
    async def stats(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        stats = await asyncio.to_thread(self.bot.store.stats, interaction.guild_id)
        await interaction.followup.send(embed=to_embed(handlers.stats_reply(stats)), ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Admin(bot))
