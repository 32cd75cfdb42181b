"""The people quoted: /expert with autocomplete and pages, /experts; and /about."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from ..checks import NotModerator, moderator_check
from ..client import ArticleBot
from ..pages import Pages
from ..render import to_embed
from ..replies import articles as article_replies
from ..replies import experts as expert_replies


class Experts(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @app_commands.command(name="expert", description="Who a person quoted in the article is, and what they said")
    @app_commands.describe(name="A person quoted in the article", topic="Rank their quotations by this topic")
    async def expert(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100],
                     topic: app_commands.Range[str, 1, 200] | None = None) -> None:
        await interaction.response.defer(thinking=True)
        view = await self.bot.view(interaction.guild_id)
        pages = await asyncio.to_thread(expert_replies.expert, view, name, topic)
        if len(pages) > 1:
            await Pages(pages, interaction.user.id, "/expert").send(interaction)
        else:
            await interaction.followup.send(embed=to_embed(pages[0]))

    @expert.autocomplete("name")
    async def expert_name(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        view = await self.bot.view(interaction.guild_id)
        return [app_commands.Choice(name=n, value=v) for n, v in expert_replies.expert_choices(view, current)]

    @app_commands.command(name="experts", description="Everyone quoted in the article")
    async def experts(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        reply = await asyncio.to_thread(expert_replies.experts, await self.bot.view(interaction.guild_id))
        await interaction.followup.send(embed=to_embed(reply))

    @app_commands.command(name="about", description="Which article I answer about, and what my index holds")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        problems = None
        try:  # moderators also see the sources that failed (never another server's)
            if await moderator_check(interaction):
                problems = self.bot.service.source_problems(interaction.guild_id)
        except NotModerator:
            pass
        reply = await asyncio.to_thread(article_replies.about, await self.bot.view(interaction.guild_id), None, problems)
        await interaction.followup.send(embed=to_embed(reply))


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Experts(bot))
