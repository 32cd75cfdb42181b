"""/help: what the bot does, how to ask, and the commands this member may run (a moderator's too). Ephemeral."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..checks import is_moderator
from ..client import ArticleBot
from ..render import to_embed
from ..replies.help import discord_help


class Help(commands.Cog):
    def __init__(self, bot: ArticleBot):
        self.bot = bot

    @app_commands.command(name="help", description="What I do, how to ask me, and the commands you can use")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        view = await self.bot.view(interaction.guild_id)
        me = self.bot.user
        reply = discord_help(me=me.mention if me else "@me", example=view.example_question(),
                             moderator=is_moderator(interaction),
                             answer_in_thread=self.bot.gate.placement(interaction.guild_id).answer_in_thread,
                             message_content=self.bot.settings.message_content)
        await interaction.followup.send(embed=to_embed(reply), ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Help(bot))
