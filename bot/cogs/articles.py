"""/articles list | add | remove: the articles this server answers from.

Listing shows the articles every server shares plus this server's own. Adding and removing are for this
server's moderators and change only this server's own articles; the shared ones are the operator's
(ARTICLE_SOURCES, or `everywhere:` by the application owner / OPERATOR_USER_IDS). Only http(s) URLs can be
added: nothing typed in Discord makes the bot read a file of its host.

Discord's default permissions can only be set on a whole group: the group is hidden from members without
Manage Server (so /articles list too; everyone has /about, and a server can show the group to more roles in
its Integrations settings). They are only a hint for Discord's UI: the moderator check is in code on each
changing subcommand, and /articles list has none.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from ..checks import actor, moderator_only
from ..client import ArticleBot
from ..pages import Pages
from ..render import to_embed
from ..replies.articles import articles_pages
from .admin import article_autocomplete, send_report

log = logging.getLogger(__name__)

URL_LIMIT = 2000  # a URL; Discord's option limit is 6,000, browsers' practical one about 2,000


class Articles(commands.Cog):
    articles = app_commands.Group(name="articles", description="The articles I answer about", guild_only=True,
                                  default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @articles.command(name="list", description="Each article with its title, source and how fresh it is")
    async def list_(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        pages = await asyncio.to_thread(articles_pages, await self.bot.view(interaction.guild_id))
        if len(pages) > 1:
            await Pages(pages, interaction.user.id, "/articles list").send(interaction, ephemeral=True)
        else:
            await interaction.followup.send(embed=to_embed(pages[0]), ephemeral=True)

    @articles.command(name="add", description="Moderators: add a news article by its http(s) URL, for this server")
    @app_commands.describe(url="An http(s) URL of a news article",
                           everywhere="The bot's operator only: add it for every server")
    @moderator_only
    async def add(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, URL_LIMIT],
                  everywhere: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        who = actor(interaction.user)
        operator = await self.bot.is_operator(interaction.user)
        log.info("adding %s%s, requested by %s in guild %s", url.strip()[:200], " everywhere" if everywhere else "",
                 who, interaction.guild_id)
        report = await self.bot.service.add_source(url.strip(), actor=who, guild_id=interaction.guild_id,
                                                   operator=operator, everywhere=everywhere)
        await send_report(interaction, report)

    @articles.command(name="remove", description="Moderators: stop answering about one of this server's articles")
    @app_commands.describe(article="The article id (see /articles list)")
    @app_commands.autocomplete(article=article_autocomplete)
    @moderator_only
    async def remove(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, URL_LIMIT]) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        who = actor(interaction.user)
        log.info("removing %s, requested by %s in guild %s", article.strip()[:200], who, interaction.guild_id)
        report = await self.bot.service.remove_source(article.strip(), actor=who, guild_id=interaction.guild_id,
                                                      operator=await self.bot.is_operator(interaction.user))
        await send_report(interaction, report)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Articles(bot))
