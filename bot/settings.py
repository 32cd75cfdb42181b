"""Every setting of the bot, read from the environment and a `.env` file.

Names are the environment variables themselves (DISCORD_TOKEN, ARTICLE_SOURCES, ...);
config.example.env lists each one with a comment. Lists are comma-separated.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
DEFAULT_ARTICLES_DIR = Path(__file__).resolve().parent.parent / "articles"

IdList = Annotated[list[int], NoDecode]
StrList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    discord_token: SecretStr | None = Field(default=None, description="bot token; empty = terminal chat")
    discord_api_url: str = DEFAULT_API_URL
    discord_gateway_url: str = DEFAULT_GATEWAY_URL

    article_sources: StrList = Field(default_factory=lambda: [str(DEFAULT_ARTICLES_DIR)])
    index_dir: Path = Path(".index")
    allow_private_sources: bool = False
    allowed_source_hosts: StrList = Field(default_factory=list, description="URL sources only from these hosts; empty = any public host")

    database_path: Path = Path("data/bot.sqlite3")
    moderator_role_ids: IdList = Field(default_factory=list)
    allowed_channel_ids: IdList = Field(default_factory=list)
    answer_in_thread: bool = False
    ask_cooldown_seconds: float = Field(default=10.0, ge=0)
    ask_cooldown_rate: int = Field(default=1, ge=1)
    dev_guild_id: int | None = None

    operator_user_ids: IdList = Field(default_factory=list, description="besides the application owner: may change the shared articles")
    guild_article_limit: int = Field(default=50, ge=0, description="articles one server may add of its own")
    reindex_interval_seconds: float = Field(default=300.0, ge=0, description="one refresh of a set of articles per this long")

    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: IdList = Field(default_factory=list)

    log_level: str = "INFO"

    @field_validator("moderator_role_ids", "allowed_channel_ids", "shard_ids", "operator_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [int(x) for x in (p.strip() for p in v.split(",")) if x]
        if isinstance(v, int):
            return [v]
        return v

    @field_validator("article_sources", "allowed_source_hosts", mode="before")
    @classmethod
    def _split_sources(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p.strip() for p in v.split(",") if p.strip()]
        return v

    @field_validator("discord_token", "dev_guild_id", "shard_count", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("discord_api_url", "discord_gateway_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if "://" not in v:
            raise ValueError("must be a URL such as https://discord.com/api/v10")
        return v.rstrip("/") if not v.startswith("ws") else v

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
    def source_hosts(self) -> list[str] | None:
        """The allow-list for URL sources (lower-case host names), or None for any public host."""
        return [h.lower() for h in self.allowed_source_hosts] or None

    @property
    def source_paths(self) -> list[Path]:
        return [Path(s) for s in self.article_sources]


class SettingsError(Exception):
    """A readable one-line explanation of what is wrong with the settings."""


def describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        name = ".".join(str(x) for x in err["loc"]).upper() or "settings"
        parts.append(f"{name}: {err['msg']}")
    return "invalid settings: " + "; ".join(parts)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and .env); raises SettingsError with one line on problems."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
