"""python -m bot: settings -> logging -> index -> bot (or the terminal chat when no token is set).

    python -m bot                 run the bot; with no DISCORD_TOKEN, chat in the terminal
    python -m bot chat            the terminal chat, token or not
    python -m bot sync [--guild ID]   register the slash commands (globally, or in one guild)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Sequence

from index.text.article import ArticleError
from index.text.display import printable_line
from index.text.parser import model_problem
from index.service import QAService

from .settings import Settings, SettingsError, load_settings
from .store import Store, StoreError

log = logging.getLogger("bot")


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%Y-%m-%d %H:%M:%S",
    )
    if level != "DEBUG":
        logging.getLogger("discord.gateway").setLevel(logging.WARNING)


def build_service(settings: Settings) -> QAService:
    """The one place the question-answering service is built: the saved index in INDEX_DIR when
    the sources are unchanged, else read ARTICLE_SOURCES (files, folders, URLs) and save it."""
    service = QAService.open(settings.article_sources, settings.index_dir, allow_private=settings.allow_private_sources,
                             allowed_hosts=settings.source_hosts, guild_article_limit=settings.guild_article_limit,
                             refresh_interval=settings.reindex_interval_seconds)
    if settings.source_hosts:
        log.info("index: URL sources only from %s", ", ".join(settings.source_hosts))
    for line in service.startup:
        log.info("index: %s", line)
    problem = model_problem()
    if problem:  # answers still come from the saved index; adding or refreshing articles needs the parse
        log.warning("index: %s", problem)
    return service


def open_store(settings: Settings) -> Store:
    """The questions database at DATABASE_PATH, opened before the index is built so that an unusable
    path stops the start at once; StoreError (one line) when it cannot be used."""
    return Store(settings.database_path)


async def run_bot(settings: Settings, service: QAService, store: Store) -> None:
    from .client import ArticleBot, configure_endpoints

    configure_endpoints(settings)
    async with ArticleBot(settings, service, store) as bot:
        await bot.start(settings.token)  # type: ignore[arg-type]


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The article question-answering Discord bot.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default; terminal chat when DISCORD_TOKEN is not set)")
    sub.add_parser("chat", help="chat with the article in the terminal")
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
    terminal = command == "chat" or (command == "run" and not settings.token)
    setup_logging("WARNING" if terminal and settings.log_level in ("INFO", "DEBUG") else settings.log_level)
    if not terminal and not settings.token:
        print("error: DISCORD_TOKEN is not set", file=sys.stderr)
        return 2
    try:
        store = None if terminal else open_store(settings)
    except StoreError as exc:
        print(f"error: DATABASE_PATH: {exc}", file=sys.stderr)
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
        print(f"error: could not load the article(s): {printable_line(str(exc))}", file=sys.stderr)
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
        print("error: Discord refused the token (DISCORD_TOKEN)", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except discord.HTTPException as exc:  # e.g. a DISCORD_API_URL that is not a Discord API
        print(f"error: the Discord API at {settings.discord_api_url} (DISCORD_API_URL) answered HTTP {exc.status}",
              file=sys.stderr)
        return 2
    except (aiohttp.ClientError, OSError) as exc:  # nothing listening, no route, DNS failure, TLS failure
        print(f"error: cannot reach the Discord API at {settings.discord_api_url} (DISCORD_API_URL): "
              f"{printable_line(str(exc) or type(exc).__name__)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
