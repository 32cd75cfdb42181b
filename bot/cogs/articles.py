"""/articles list | add | remove: the article sources. Listing is for anyone; changes are for moderators.

The moderator check is in code on each changing subcommand (Discord's default permissions can
only be set on the whole group, and /articles list is for everyone).
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from .. import handlers
from ..checks import actor, moderator_only
from ..client import ArticleBot
from ..render import to_embed
from .admin import article_autocomplete, send_report

log = logging.getLogger(__name__)

SOURCE_LIMIT = 2000  # a URL or a path on the bot's host


class Articles(commands.Cog):
    articles = app_commands.Group(name="articles", description="The articles I answer about", guild_only=True)

    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @articles.command(name="list", description="Each article with its title, source and how fresh it is")
    async def list_(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        reply = await asyncio.to_thread(handlers.articles_list, self.bot.service)
        await interaction.followup.send(embed=to_embed(reply), ephemeral=True)

    @articles.command(name="add", description="Moderators: add an article URL (or a file or folder on the bot's host)")
    @app_commands.describe(url="An http(s) URL of a news article, or a path on the bot's host")
    @moderator_only
    async def add(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, SOURCE_LIMIT]) -> None:
        await self._change_source(interaction, "adding the source", url, self.bot.service.add_source)

    @articles.command(name="remove", description="Moderators: stop answering about an article (or a whole source)")
    @app_commands.describe(article="The article id (see /articles list) or a source as listed")
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_only
    async def remove(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, SOURCE_LIMIT]) -> None:
        await self._change_source(interaction, "removing", article, self.bot.service.remove_source)

    async def _change_source(self, interaction: discord.Interaction, doing: str, target: str, change) -> None:
        """Add or remove a source on a moderator's behalf and report what changed (logged with who)."""
        await interaction.response.defer(thinking=True, ephemeral=True)
        who = actor(interaction.user)
        log.info("%s %s, requested by %s in guild %s", doing, target.strip(), who, interaction.guild_id)
        report = await change(target.strip(), actor=who)
        await send_report(interaction, report)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Articles(bot))
