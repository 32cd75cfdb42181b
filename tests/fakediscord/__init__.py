"""A small Discord-compatible server (REST + gateway) for the bot's end-to-end tests."""

from .server import BASIC_PERMISSIONS, MANAGE_GUILD, FakeDiscord, InteractionRecord

__all__ = ["BASIC_PERMISSIONS", "MANAGE_GUILD", "FakeDiscord", "InteractionRecord"]
