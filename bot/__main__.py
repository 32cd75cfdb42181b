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

from index.article import ArticleError
from index.service import QAService

from .settings import Settings, SettingsError, load_settings

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
    return service


def _store(settings: Settings):
    from .store import Store

    return Store(settings.database_path)


async def run_bot(settings: Settings, service: QAService) -> None:
    from .client import ArticleBot, configure_endpoints

    configure_endpoints(settings)
    store = _store(settings)
    try:
        async with ArticleBot(settings, service, store) as bot:
            await bot.start(settings.token)  # type: ignore[arg-type]
    finally:
        store.close()


async def sync_commands(settings: Settings, service: QAService, guild_id: int | None) -> int:
    import discord

    from .client import ArticleBot, configure_endpoints

    configure_endpoints(settings)
    store = _store(settings)
    try:
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
    finally:
        store.close()


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
    try:
        service = build_service(settings)
    except (ArticleError, OSError) as exc:
        print(f"error: could not load the article(s): {exc}", file=sys.stderr)
        return 2
    if terminal:
        from .terminal import chat

        try:
            return chat(service)
        except BrokenPipeError:
            return 0
    if not settings.token:
        print("error: DISCORD_TOKEN is not set", file=sys.stderr)
        return 2
    import discord

    try:
        if command == "sync":
            return asyncio.run(sync_commands(settings, service, args.guild))
        asyncio.run(run_bot(settings, service))
    except discord.LoginFailure:
        print("error: Discord refused the token (DISCORD_TOKEN)", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
