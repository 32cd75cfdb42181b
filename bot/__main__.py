"""python -m bot: settings -> logging -> index -> bot (or the terminal chat when no token is set).

    python -m bot                 run the bot; with no DISCORD_TOKEN, chat in the terminal
    python -m bot run             run the bot (no DISCORD_TOKEN: an error, unless in a terminal)
    python -m bot chat            the terminal chat, token or not
    python -m bot sync [--guild ID]   register the slash commands (globally, or in one guild)
    python -m bot invite          print the URL that adds the bot to a server
    python -m bot health          exit 0 when the running bot is connected and serving (its heartbeat file)
    python -m bot purge --older-than 90d   delete stored questions and user ids older than that
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import datetime, timezone
from typing import Sequence

from index.text.article import ArticleError
from index.text.display import printable_line
from index.text.parser import model_problem
from index.service import QAService

from . import health
from .invite import client_id_from_token, invite_url
from .logs import setup_logging
from .retention import purge_command, retention_loop
from .settings import Settings, SettingsError, env_files_used, load_settings
from .store import Store, StoreError

log = logging.getLogger("bot")
SHUTDOWN_GRACE_SECONDS = 20.0  # a refresh in progress at SIGTERM may finish within this
GATEWAY_CLOSE_SECONDS = 5.0  # then the gateway closes within this, or is given up


def build_service(settings: Settings) -> QAService:
    """The one place the question-answering service is built: the saved index in INDEX_DIR when
    the sources are unchanged, else read ARTICLE_SOURCES (files, folders, URLs) and save it."""
    service = QAService.open(settings.article_sources, settings.index_dir, allow_private=settings.allow_private_sources,
                             allowed_hosts=settings.source_hosts, guild_article_limit=settings.guild_article_limit,
                             refresh_interval=settings.reindex_interval_seconds)
    if settings.source_hosts:
        log.info("index: URL sources only from %s", ", ".join(settings.source_hosts))
    for line in service.startup:  # a source that failed is said at WARNING: the terminal chat shows it too
        (log.warning if ": failed (" in line else log.info)("index: %s", line)
    articles = service.about().articles
    names = ", ".join(a.id for a in articles[:10]) + (f" and {len(articles) - 10} more" if len(articles) > 10 else "")
    log.info("index: serving %d article(s): %s", len(articles), names)
    problem = model_problem()
    if problem:  # answers still come from the saved index; adding or refreshing articles needs the parse
        log.warning("index: %s", problem)
    return service


def open_store(settings: Settings) -> Store:
    """The questions database (DATABASE_URL, else DATABASE_PATH), opened before the index is built so that an
    unusable one stops the start at once; StoreError (one line) when it cannot be used."""
    return Store(settings.database)


async def run_bot(settings: Settings, service: QAService, store: Store) -> None:
    """Run until the gateway ends or SIGTERM / SIGINT: then close the gateway, let a refresh in progress
    finish for a while (its save is atomic, so one abandoned leaves the previous saved index), and return;
    main closes the database."""
    import signal

    from .client import ArticleBot, configure_endpoints

    configure_endpoints(settings)
    async with ArticleBot(settings, service, store) as bot:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        runner = asyncio.create_task(bot.start(settings.token))  # type: ignore[arg-type]
        stopper = asyncio.create_task(stop.wait())
        retention = asyncio.create_task(retention_loop(store, settings.retention_days), name="retention")
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper.done():
            log.info("stopping: signal received")
            # a refresh in progress finishes first (and its report reaches the moderator), then the gateway closes
            if not await service.quiesce(SHUTDOWN_GRACE_SECONDS):
                log.warning("stopping: a refresh was still running after %.0f s; abandoned, the saved index is "
                            "the previous one", SHUTDOWN_GRACE_SECONDS)
            await asyncio.sleep(0.2)  # the refresh's reply, sent right after the lock is released
            log.info("stopping: closing the gateway")
            logging.getLogger("discord.shard").setLevel(logging.CRITICAL)  # a shard retrying now only fails noisily
            await bot.close()
        else:
            stopper.cancel()
        retention.cancel()
        try:  # its error, if it ended with one; a gateway still retrying a connection is given up
            await asyncio.wait_for(runner, None if not stopper.done() else GATEWAY_CLOSE_SECONDS)
        except asyncio.TimeoutError:  # e.g. a shard still retrying a connection: cancelled
            log.warning("stopping: the gateway did not close in %.0f s; given up", GATEWAY_CLOSE_SECONDS)
        log.info("stopped")


async def sync_commands(settings: Settings, service: QAService, store: Store, guild_id: int | None) -> int:
    import discord

    from .client import ArticleBot, configure_endpoints

    configure_endpoints(settings)
    async with ArticleBot(settings, service, store, sync_dev_guild=False) as bot:
        await bot.login(settings.token)  # type: ignore[arg-type]
        if guild_id:
            guild = discord.Object(id=guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            print(f"synced {len(synced)} commands to guild {guild_id}: {', '.join(c.name for c in synced)}")
        else:
            synced = await bot.tree.sync()
            print(f"synced {len(synced)} global commands: {', '.join(c.name for c in synced)}")
    return 0


_LOG_FORMAT = ["text"]  # set from LOG_FORMAT once the settings are read


def _error(message: str) -> None:
    """A fatal error, one line on stderr: text, or with LOG_FORMAT=json a JSON object like the log's lines."""
    if _LOG_FORMAT[0] == "json":
        print(json.dumps({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "level": "ERROR",
                          "logger": "bot", "message": message.removeprefix("error: ")}, ensure_ascii=False),
              file=sys.stderr)
    else:
        print(message, file=sys.stderr)


def _print_invite(settings: Settings) -> int:
    client_id = settings.discord_client_id or (client_id_from_token(settings.token) if settings.token else None)
    if client_id is None:
        _error("error: set DISCORD_TOKEN (its first part names the application) or DISCORD_CLIENT_ID")
        return 2
    print(invite_url(client_id))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-qa-bot", description="The article question-answering Discord bot.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default; terminal chat when DISCORD_TOKEN is not set)")
    sub.add_parser("chat", help="chat with the article in the terminal")
    sub.add_parser("invite", help="print the URL that adds the bot to a server, with exactly its permissions")
    sub.add_parser("health", help="exit 0 when the running bot is connected and serving (reads HEALTH_FILE)")
    p = sub.add_parser("purge", help="delete stored questions (and who rated them) older than an age")
    p.add_argument("--older-than", required=True, metavar="AGE", help="e.g. 90d, 12h, 30m")
    p = sub.add_parser("sync", help="register the slash commands with Discord")
    p.add_argument("--guild", type=int, metavar="ID", help="sync to this guild only (instant) instead of globally")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _LOG_FORMAT[0] = settings.log_format
    if command == "invite":
        return _print_invite(settings)
    if command == "purge":  # needs no token: the database alone
        return purge_command(settings.database, args.older_than, setting=settings.database_setting)
    if command == "health":
        ok, line = health.check(settings.health_file)
        print(line, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    # No token: the terminal chat, unless `run` was asked for where no one can chat (a service, a container)
    terminal = command == "chat" or (command == "run" and not settings.token and (args.command is None or sys.stdin.isatty()))
    setup_logging("WARNING" if terminal and settings.log_level in ("INFO", "DEBUG") else settings.log_level,
                  settings.log_format)
    for used in env_files_used():
        log.info("settings: read %s", used)
    if not terminal and not settings.token:
        _error("error: DISCORD_TOKEN is not set")
        return 2
    try:
        store = None if terminal else open_store(settings)
    except StoreError as exc:
        _error(f"error: {settings.database_setting}: {exc}")
        return 2
    try:
        return _serve(settings, command, args, store)
    finally:
        if store is not None:
            store.close()


def _serve(settings: Settings, command: str, args: argparse.Namespace, store: Store | None) -> int:
    """Build the index, then chat in the terminal (no store) or run the bot: each failure one line."""
    try:
        service = build_service(settings)
    except (ArticleError, OSError) as exc:
        _error(f"error: could not load the article(s): {printable_line(str(exc))}")
        return 2
    if store is None:
        from .terminal import chat

        try:
            return chat(service, memory=settings.conversation_memory())
        except BrokenPipeError:
            return 0
    import aiohttp
    import discord

    try:
        if command == "sync":
            return asyncio.run(sync_commands(settings, service, store, args.guild))
        asyncio.run(run_bot(settings, service, store))
    except discord.LoginFailure:
        _error("error: Discord refused the token (DISCORD_TOKEN)")
        return 2
    except discord.PrivilegedIntentsRequired as exc:
        _error(f"error: {exc}")
        return 2
    except discord.HTTPException as exc:  # e.g. a DISCORD_API_URL that is not a Discord API
        _error(f"error: the Discord API at {settings.discord_api_url} (DISCORD_API_URL) answered HTTP {exc.status}")
        return 2
    except (aiohttp.ClientError, OSError) as exc:  # nothing listening, no route, DNS failure, TLS failure
        _error(f"error: cannot reach the Discord API at {settings.discord_api_url} (DISCORD_API_URL): "
               f"{printable_line(str(exc) or type(exc).__name__)}")
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
