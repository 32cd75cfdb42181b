"""The people quoted: /expert with autocomplete and pages, /experts; and /about."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from .. import handlers
from ..client import ArticleBot
from ..render import to_embed
from ..replies import Reply

PAGE_TIMEOUT = 300.0


class Pages(discord.ui.View):
    """◀ ▶ buttons over a list of replies; only the person who asked can turn the pages."""

    def __init__(self, pages: list[Reply], owner_id: int, timeout: float = PAGE_TIMEOUT):
        super().__init__(timeout=timeout)
        self.pages, self.owner_id, self.index = pages, owner_id, 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Run `/expert` yourself to browse these pages.", ephemeral=True)
            return False
        return True

    async def _show(self, interaction: discord.Interaction, delta: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + delta))
        self._sync()
        await interaction.response.edit_message(embed=to_embed(self.pages[self.index]), view=self)

    @discord.ui.button(emoji="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, +1)


class Experts(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @app_commands.command(name="expert", description="Who a person quoted in the article is, and what they said")
    @app_commands.describe(name="A person quoted in the article", topic="Rank their quotations by this topic")
    async def expert(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100],
                     topic: app_commands.Range[str, 1, 200] | None = None) -> None:
        await interaction.response.defer(thinking=True)
        pages = await asyncio.to_thread(handlers.expert, self.bot.service, name, topic)
        if len(pages) > 1:
            await interaction.followup.send(embed=to_embed(pages[0]), view=Pages(pages, interaction.user.id))
        else:
            await interaction.followup.send(embed=to_embed(pages[0]))

    @expert.autocomplete("name")
    async def expert_name(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=v) for n, v in handlers.expert_choices(self.bot.service, current)]

    @app_commands.command(name="experts", description="Everyone quoted in the article")
    async def experts(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        reply = await asyncio.to_thread(handlers.experts, self.bot.service)
        await interaction.followup.send(embed=to_embed(reply))

    @app_commands.command(name="about", description="Which article I answer about, and what my index holds")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        reply = await asyncio.to_thread(handlers.about, self.bot.service)
        await interaction.followup.send(embed=to_embed(reply))


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Experts(bot))
