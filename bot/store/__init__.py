"""The bot's own state: questions and feedback (/stats), each server's settings (/config); see store.py."""

from .databases import Database, StoreError, is_postgres_url, open_database, shown_url
from .migrations import SCHEMA_VERSION
from .store import DECLINES, GuildSettings, Stats, Store, normalize

__all__ = ["DECLINES", "SCHEMA_VERSION", "Database", "GuildSettings", "Stats", "Store", "StoreError", "is_postgres_url",
           "normalize", "open_database", "shown_url"]
