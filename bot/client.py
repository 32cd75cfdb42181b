"""The Bot subclass: intents, no pings, the extensions (the cogs and the tree's error handler), the gate."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from index.conversation import Turn
from index.service import QAService, View

from . import health
from .gate import Gate
from .invite import client_id_from_token, invite_url
from .replies import answers
from .replies.models import Reply
from .settings import DEFAULT_GATEWAY_URL, Settings
from .store import Store

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.errors", "bot.cogs.ask", "bot.cogs.experts", "bot.cogs.admin", "bot.cogs.articles",
              "bot.cogs.config", "bot.cogs.help")


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured REST and gateway servers (discord.com by default).

    Route.BASE is read by every REST call, webhooks and interaction callbacks included;
    DEFAULT_GATEWAY is where a client (or a shard with a known shard count) connects.
    """
    Route.BASE = settings.discord_api_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class ArticleBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings, service: QAService, store: Store, *, sync_dev_guild: bool = True, **options):
        intents = discord.Intents.default()  # message content arrives for messages that mention the bot
        intents.typing = False
        # Privileged, and off unless asked for: with it, a follow-up in the bot's answer thread needs no ping.
        intents.message_content = settings.message_content
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
        self.gate = Gate(settings, store)  # who may ask where and how often
        self.conversations = settings.conversation_memory()  # each thread's and reply chain's last turn
        # Answers run on one thread of their own: with the GIL, the default pool's threads only contend
        # (measured: 0.4-0.6x a single thread's throughput, and event-loop stalls); more means shard processes.
        self._answering = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer")
        self._told_at_ready = False
        self.sync_dev_guild = sync_dev_guild

    async def setup_hook(self) -> None:
        self._heartbeat = asyncio.create_task(self._beat(), name="heartbeat")
        if self.settings.state_poll_seconds > 0:
            self._following = asyncio.create_task(self._follow(self.settings.state_poll_seconds), name="follow")
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
        await self.write_heartbeat()  # connected now: say so before the next beat
        if self._told_at_ready:
            return  # a reconnect: said once
        self._told_at_ready = True
        if not self.guilds:
            client_id = self.settings.discord_client_id or (self.application_id or client_id_from_token(self.settings.token or ""))
            log.warning("the bot is in no server yet: invite it with %s", invite_url(client_id) if client_id else "`make invite`")
        await self._check_commands()

    async def _check_commands(self) -> None:
        """Say once at start when the commands Discord has differ from the code's (names, options, default
        permissions): run `make sync`. The global ones, or, when none are global, those synced to a server."""
        if self.sync_dev_guild and self.settings.dev_guild_id:
            return  # just synced there
        try:
            remote = await self.tree.fetch_commands()
            for guild in self.guilds[:3] if not remote else []:  # `make sync GUILD=ID`
                remote = await self.tree.fetch_commands(guild=guild)
                if remote:
                    break
        except discord.HTTPException:
            log.warning("could not read the registered commands", exc_info=True)
            return
        except Exception:  # noqa: BLE001 - a stop signal during the start closes the HTTP session under it
            if self.is_closed():
                return
            raise
        theirs = {_shape({**c.to_dict(), "default_member_permissions": c.default_member_permissions.value
                          if c.default_member_permissions is not None else None}) for c in remote}
        ours = {_shape(c.to_dict(self.tree)) for c in self.tree.get_commands()}
        if theirs != ours:
            changed = {s[0] for s in theirs ^ ours}
            gone = sorted(changed - {s[0] for s in ours})
            new = sorted(changed - {s[0] for s in theirs})
            other = sorted(changed - set(gone) - set(new))
            log.warning("Discord's registered commands differ from this version's (missing: %s; no longer here: %s; "
                        "changed: %s): run `make sync`", ", ".join(new) or "none", ", ".join(gone) or "none",
                        ", ".join(other) or "none")

    async def _beat(self) -> None:
        """Write the heartbeat (bot.health) every HEARTBEAT_SECONDS until the bot closes."""
        while True:
            await self.write_heartbeat()
            await asyncio.sleep(health.HEARTBEAT_SECONDS)

    async def _follow(self, every: float) -> None:
        """Every STATE_POLL_SECONDS, read what other bot processes changed: servers' /config (the shared database)
        and the saved index (INDEX_DIR). Cheap while nothing changed: one query, one stat."""
        while True:
            await asyncio.sleep(every)
            try:  # each on its own: a database that is down must not stop the index from being followed
                await asyncio.to_thread(self.store.reload)
            except Exception as exc:  # noqa: BLE001 - tried again at the next poll
                log.warning("could not read other processes' /config changes: %s", _line(exc))
            try:
                line = await self.service.follow_saved()
                if line:
                    log.info("index: %s", line)
            except Exception as exc:  # noqa: BLE001 - tried again at the next poll
                log.warning("could not read the index another process saved: %s", _line(exc))

    async def write_heartbeat(self) -> None:
        corpus = self.service.corpus
        beat = health.Heartbeat(at=time.time(), pid=os.getpid(), connected=self.is_ready() and not self.is_closed(),
                                articles=len(corpus.articles) if corpus is not None else 0, guilds=len(self.guilds))
        try:
            await asyncio.to_thread(health.write, self.settings.health_file, beat)
        except OSError as exc:
            log.warning("could not write the heartbeat %s: %s", self.settings.health_file, exc.strerror)

    async def close(self) -> None:
        following = getattr(self, "_following", None)
        if following is not None:
            following.cancel()
        beat = getattr(self, "_heartbeat", None)
        if beat is not None:
            beat.cancel()
        await super().close()
        self._answering.shutdown(wait=False, cancel_futures=True)
        if beat is not None:
            await self.write_heartbeat()  # not connected any more: a supervisor sees it at once

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
                     channel_id: int | None, article: str | None = None,
                     context: Turn | None = None) -> tuple[Reply, int | None]:
        """Answer off the event loop (from one article, if given; read with the conversation's last turn, if
        any) and record it; returns the reply and its stored id."""
        reply = await asyncio.get_running_loop().run_in_executor(
            self._answering, lambda: answers.ask(self.service.view(guild_id), question, article, context))
        qid = None
        if reply.answer is None or reply.answer.invalid:  # a greeting or an empty question: nothing to rate
            return reply, qid
        try:
            qid = await asyncio.to_thread(self.store.record, reply.answer, via=via, user_id=user_id,
                                          guild_id=guild_id, channel_id=channel_id)
        except Exception:
            log.exception("could not record a question")
        return reply, qid


def _line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _shape(payload: dict) -> tuple:
    """What a command's registration must match: its name, type, default permissions and options, nested."""
    def options(opts: list[dict] | None) -> tuple:
        return tuple(sorted((o.get("name"), int(o.get("type", 0)), bool(o.get("required", False)),
                             options(o.get("options"))) for o in opts or []))
    perms = payload.get("default_member_permissions")
    return (payload.get("name"), int(payload.get("type", 1)), str(perms) if perms is not None else None,
            options(payload.get("options")))
