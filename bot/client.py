"""The Bot subclass: intents, no pings, extensions, the command tree's one error handler."""

from __future__ import annotations

import asyncio
import logging

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from index.service import QAService, View

from .gate import Cooldowns, Placement, placement
from .replies import answers
from .replies.models import Reply
from .settings import DEFAULT_GATEWAY_URL, Settings
from .store import Store

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.cogs.ask", "bot.cogs.experts", "bot.cogs.admin", "bot.cogs.articles", "bot.cogs.config")
APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST and gateway servers (discord.com by default).

    Route.BASE is read by every REST call, webhooks and interaction callbacks included;
    DEFAULT_GATEWAY is where a client (or a shard with a known shard count) connects.
    """
    Route.BASE = settings.discord_api_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class BadQuestion(app_commands.AppCommandError):
    """A question that cannot be searched (empty, too long, a greeting); its message says why and how to ask."""


class ArticleBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings, service: QAService, store: Store, *, sync_dev_guild: bool = True, **options):
        intents = discord.Intents.default()  # message content arrives for messages that mention the bot
        intents.typing = False
        shard_count = settings.shard_count
        if shard_count is None and (settings.shard_ids or settings.discord_gateway_url != DEFAULT_GATEWAY_URL):
            # a custom gateway is used as given; Discord's /gateway/bot would pick its own URL
            shard_count = max(settings.shard_ids, default=0) + 1
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shard_count,
            shard_ids=settings.shard_ids or None,
            **options,
        )
        self.settings = settings
        self.service = service
        self.store = store
        self.cooldowns = Cooldowns(settings.ask_cooldown_rate, settings.ask_cooldown_seconds)
        self.sync_dev_guild = sync_dev_guild
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        for ext in EXTENSIONS:
            try:
                await self.load_extension(ext)
            except Exception:
                log.exception("failed to load extension %s", ext)
        if self.sync_dev_guild and self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development guild %s", len(synced), guild.id)

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guild(s), %s shard(s)", self.user, len(self.guilds), self.shard_count)

    def placement(self, guild_id: int | None) -> Placement:
        """Where to answer in this guild (its /config settings over the global defaults); cheap, no I/O."""
        return placement(self.settings, self.store, guild_id)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: mentions are handled by the ask cog's listener."""

    async def view(self, guild_id: int | None) -> View:
        """What this server sees (the shared articles and its own); built off the event loop."""
        return await asyncio.to_thread(self.service.view, guild_id)

    async def is_operator(self, user: discord.abc.User) -> bool:
        """The bot's operator: its application owner (or team), or one of OPERATOR_USER_IDS. Only they change
        what every server sees."""
        if user.id in self.settings.operator_user_ids:
            return True
        try:
            return await self.is_owner(user)
        except discord.HTTPException:
            log.warning("could not read the application owner", exc_info=True)
            return False

    async def answer(self, question: str, *, via: str, user_id: int | None, guild_id: int | None,
                     channel_id: int | None, article: str | None = None) -> tuple[Reply, int | None]:
        """Answer off the event loop (from one article, if given) and record it; returns the reply and its stored id."""
        reply = await asyncio.to_thread(lambda: answers.ask(self.service.view(guild_id), question, article))
        qid = None
        if reply.answer is None or reply.answer.invalid:  # a greeting or an empty question: nothing to rate
            return reply, qid
        try:
            qid = await asyncio.to_thread(self.store.record, reply.answer, via=via, user_id=user_id,
                                          guild_id=guild_id, channel_id=channel_id)
        except Exception:
            log.exception("could not record a question")
        return reply, qid

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"You're asking quickly: please try again in {max(1, round(error.retry_after + 0.499))} s."
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
