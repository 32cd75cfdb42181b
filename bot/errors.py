"""The command tree's one error handler, installed by this extension's setup() and restored by its teardown().

Every failed slash command, message menu or check ends here: the user gets one private line (a followup when
the interaction was already answered), and anything unexpected is logged with the command and its options.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from .gate import cooldown_sentence

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."
# A command Discord still lists after an upgrade, that the code no longer has (or has in another shape).
REMOVED = "This command was removed; ask a moderator to run `make sync`."
CHANGED = "This command has changed; ask a moderator to run `make sync`."


class BadQuestion(app_commands.AppCommandError):
    """A question that cannot be searched (empty, too long, a greeting); its message says why and how to ask."""


async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    original = getattr(error, "original", error)
    if interaction.type is discord.InteractionType.autocomplete:
        return  # only an unknown or changed command's autocomplete gets here: it has no message to answer with
    if isinstance(error, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
        removed = isinstance(error, app_commands.CommandNotFound)
        log.warning("Discord lists a command %s (%s): run `make sync`", "the code no longer has" if removed else
                    "in another shape than the code's", error)
        text = REMOVED if removed else CHANGED
    elif isinstance(error, app_commands.CommandOnCooldown):
        text = cooldown_sentence(error.retry_after)
    elif isinstance(error, (app_commands.CheckFailure, BadQuestion)):
        text = str(error) or "You can't use this command here."
    elif isinstance(error, app_commands.TransformerError):
        text = f"I couldn't understand {error.value!r}."
    else:
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command %r failed (user %s, guild %s, channel %s, options %s)", command, interaction.user.id,
                  interaction.guild_id, interaction.channel_id, interaction.namespace,
                  exc_info=(type(original), original, original.__traceback__))
        text = APOLOGY
    await send_ephemeral(interaction, text)


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def setup(bot: commands.Bot) -> None:
    bot.tree.error(on_app_command_error)


async def teardown(bot: commands.Bot) -> None:
    vars(bot.tree).pop("on_error", None)  # discord.py's own handler again
