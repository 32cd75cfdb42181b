"""The bot's settings: the core's (index.settings.CoreSettings: articles, index, fetching) and the
Discord side's, from the environment and a `.env` file; config.example.env lists each one.

One model, one prefix-free set of names (the environment variables themselves), one loader that
refuses a bad setting in one line without echoing its value (index.settings.load).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal, Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from index.settings import DEFAULT_ARTICLES_DIR, CoreSettings, SettingsError, describe, env_files_used, load

__all__ = ["DEFAULT_API_URL", "DEFAULT_ARTICLES_DIR", "DEFAULT_GATEWAY_URL", "Settings", "SettingsError", "describe",
           "env_files_used", "load_settings"]

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"

IdList = Annotated[list[int], NoDecode]


class Settings(CoreSettings):
    discord_token: SecretStr | None = Field(default=None, description="bot token; empty = terminal chat")
    discord_api_url: str = DEFAULT_API_URL
    discord_gateway_url: str = DEFAULT_GATEWAY_URL

    database_path: Path = Path("data/bot.sqlite3")
    database_url: SecretStr | None = Field(default=None, description="postgresql://user:password@host/db: the state in "
                                                                     "PostgreSQL (several bot processes); empty = SQLite at DATABASE_PATH")
    state_poll_seconds: float = Field(default=10.0, ge=0, description="how often to read what other bot processes "
                                                                      "changed (/config, the saved index); 0 = never")
    moderator_role_ids: IdList = Field(default_factory=list)
    allowed_channel_ids: IdList = Field(default_factory=list)
    answer_in_thread: bool = False
    declines: Literal["public", "private", "silent"] = Field(
        default="public", description="how a decline is sent: public; private = only the asker of /ask sees it; "
                                      "silent = also no reply to a mention (a server may set its own with /config declines)")
    retention_days: int = Field(default=0, ge=0, description="stored questions and feedback older than this are "
                                                             "deleted daily; 0 = kept forever")
    message_content: bool = Field(default=False, description="the privileged message-content intent: follow-ups in the bot's threads need no ping")
    ask_cooldown_seconds: float = Field(default=10.0, ge=0)
    ask_cooldown_rate: int = Field(default=1, ge=1)
    dev_guild_id: int | None = None
    operator_user_ids: IdList = Field(default_factory=list, description="besides the application owner: may change the shared articles")

    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: IdList = Field(default_factory=list)

    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(default="text", description="json: one JSON object per log line")
    discord_client_id: int | None = Field(default=None, description="for the invite URL; default: read from the token")
    health_file: Path = Field(default=Path("data/health.json"), description="the heartbeat `python -m bot health` reads")

    @field_validator("moderator_role_ids", "allowed_channel_ids", "shard_ids", "operator_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, v: Any) -> Any:
        if isinstance(v, str):
            # Why not int() as it comes: its ValueError quotes the input, and a token pasted in the
            # wrong line would be printed back. The message names what is wanted, never what was given.
            parts = [p.strip() for p in v.split(",") if p.strip()]
            if not all(p.isdecimal() for p in parts):
                raise ValueError("must be comma-separated numbers")
            return [int(p) for p in parts]
        if isinstance(v, int):
            return [v]
        return v

    @field_validator("discord_token", "dev_guild_id", "shard_count", "discord_client_id", "database_url", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("declines", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("discord_api_url", "discord_gateway_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if "://" not in v:
            raise ValueError("must be a URL such as https://discord.com/api/v10")
        return v.rstrip("/") if not v.startswith("ws") else v

    @field_validator("database_url")
    @classmethod
    def _postgres(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().strip().startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL, or empty for SQLite at DATABASE_PATH")
        return v

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if not isinstance(logging.getLevelName(v), int):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return v

    @field_validator("shard_ids")
    @classmethod
    def _shards(cls, v: list[int]) -> list[int]:
        if any(i < 0 for i in v):
            raise ValueError("shard ids are 0-based and not negative")
        return v

    @property
    def token(self) -> str | None:
        return self.discord_token.get_secret_value() if self.discord_token else None

    @property
    def database(self) -> str | Path:
        """Where the bot's state is: DATABASE_URL when set, else the SQLite file DATABASE_PATH."""
        return self.database_url.get_secret_value().strip() if self.database_url else self.database_path

    @property
    def database_setting(self) -> str:
        """The setting to name in an error about the database."""
        return "DATABASE_URL" if self.database_url else "DATABASE_PATH"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and .env); raises SettingsError with one line on problems."""
    return load(Settings, **overrides)
