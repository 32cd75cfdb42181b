"""Moderators: /reindex [article] and /stats. Default permissions are a hint; the real check is in code."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from ..checks import actor, moderator_only
from ..client import ArticleBot
from ..render import to_embed
from ..replies.articles import article_choices
from ..replies.moderation import log_report, refused, reindex_reply, stats_reply

log = logging.getLogger(__name__)


async def send_report(interaction: discord.Interaction, report) -> None:
    """Log the refresh or source change, then tell the moderator (ephemeral): a one-line refusal or the report."""
    log_report(report)
    refusal = refused(report)
    if refusal is not None:
        await interaction.followup.send(refusal, ephemeral=True)
    else:
        await interaction.followup.send(embed=to_embed(reindex_reply(report)), ephemeral=True)


async def article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The articles this server sees (the shared ones and its own), never another server's."""
    bot: ArticleBot = interaction.client  # type: ignore[assignment]
    view = await bot.view(interaction.guild_id)
    return [app_commands.Choice(name=n, value=v) for n, v in article_choices(view, current)]


class Admin(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @app_commands.command(name="reindex", description="Read or fetch this server's articles again and report what changed")
    @app_commands.describe(article="Only this article (default: all of them)")
    @app_commands.autocomplete(article=article_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only
    async def reindex(self, interaction: discord.Interaction,
                      article: app_commands.Range[str, 1, 100] | None = None) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        who = actor(interaction.user)
        log.info("reindex of %s requested by %s in guild %s", article or "all articles", who, interaction.guild_id)
        # The shared articles and this server's own, never another server's; rate-limited unless the operator
        # asks. Builds off the event loop; an article that fails keeps its previous version serving.
        report = await self.bot.service.refresh(article.strip() if article else None, actor=who,
                                                guild_id=interaction.guild_id,
                                                operator=await self.bot.is_operator(interaction.user))
        await send_report(interaction, report)

    @app_commands.command(name="stats", description="Questions asked, declines, feedback and unanswered questions")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderator_only
    async def stats(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        stats = await asyncio.to_thread(self.bot.store.stats, interaction.guild_id)
        await interaction.followup.send(embed=to_embed(stats_reply(stats)), ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Admin(bot))
