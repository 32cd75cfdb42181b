"""The one settings model: read from the environment and a `.env` file, refused in one readable line.

CoreSettings holds what the core needs (ARTICLE_SOURCES, INDEX_DIR, ...), and `python -m index` reads
it; bot.settings.Settings extends it with the Discord side. Names are the environment variables
themselves; config.example.env lists each one with a comment. Lists are comma-separated.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Annotated, Any, Iterable, TypeVar

from .conversation import ConversationMemory
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

DEFAULT_ARTICLES_DIR = Path(__file__).resolve().parent.parent / "articles"

StrList = Annotated[list[str], NoDecode]
S = TypeVar("S", bound=BaseSettings)


class CoreSettings(BaseSettings):
    """What the core needs: where the articles are and how they may be fetched and changed."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    article_sources: StrList = Field(default_factory=lambda: [str(DEFAULT_ARTICLES_DIR)])
    index_dir: Path = Path(".index")
    allow_private_sources: bool = False
    allowed_source_hosts: StrList = Field(default_factory=list, description="URL sources only from these hosts; empty = any public host")
    guild_article_limit: int = Field(default=50, ge=0, description="articles one server may add of its own")
    reindex_interval_seconds: float = Field(default=300.0, ge=0, description="one refresh of a set of articles per this long")
    context_minutes: float = Field(default=10.0, ge=0, le=1440, description="a follow-up is read with the last answer this long (0 = never)")
    context_turns: int = Field(default=5, ge=1, le=50, description="the answers one conversation remembers")

    def conversation_memory(self) -> ConversationMemory:
        return ConversationMemory(self.context_minutes * 60, self.context_turns)

    @field_validator("article_sources", "allowed_source_hosts", mode="before")
    @classmethod
    def _split_sources(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p.strip() for p in v.split(",") if p.strip()]
        return v

    @property
    def source_hosts(self) -> list[str] | None:
        """The allow-list for URL sources (lower-case host names), or None for any public host."""
        return [h.lower() for h in self.allowed_source_hosts] or None

    @property
    def source_paths(self) -> list[Path]:
        return [Path(s) for s in self.article_sources]


class SettingsError(Exception):
    """A readable one-line explanation of what is wrong with the settings."""


# What a setting must be, per pydantic error type, in the operator's words. A setting may hold a
# secret (a token pasted into the wrong line), so no message ever repeats the value it was given.
_NEEDS = {
    "int_parsing": "must be a whole number", "int_type": "must be a whole number",
    "int_from_float": "must be a whole number", "float_parsing": "must be a number", "float_type": "must be a number",
    "bool_parsing": "must be true or false", "bool_type": "must be true or false",
    "greater_than_equal": "must be at least {ge}", "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}", "less_than": "must be less than {lt}",
    "string_too_short": "must be at least {min_length} characters", "string_too_long": "must be at most {max_length} characters",
    "literal_error": "must be one of {expected}", "enum": "must be one of {expected}", "missing": "must be set",
    "string_type": "must be text", "path_type": "must be a path", "json_invalid": "must be valid JSON",
    "url_parsing": "must be a URL", "url_scheme": "must be a URL", "url_type": "must be a URL",
}


def _problem(err: dict) -> str:
    if err["type"] in ("value_error", "assertion_error"):  # our validators' own words, which never quote the input
        return str(err.get("ctx", {}).get("error", "is not valid")).removeprefix("Value error, ")
    ctx = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in err.get("ctx", {}).items()}
    try:
        return _NEEDS.get(err["type"], "is not valid").format(**ctx)
    except (KeyError, IndexError):
        return "is not valid"


def describe(exc: ValidationError) -> str:
    """One line naming each bad setting and what it must be (the value itself is never shown)."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        parts.append(f"{name} {_problem(err)}")
    return "invalid settings: " + "; ".join(dict.fromkeys(parts))


_LINE_NAME = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)")


def check_env_files(files: Iterable[Path], encoding: str, names: set[str]) -> None:
    """Refuse a .env that python-dotenv would read wrongly without a word: one not in `encoding`, or a
    line naming one of our settings that it cannot parse (`DISCORD_TOKEN="abc` with no closing quote,
    `DISCORD_TOKEN abc` with no `=`). python-dotenv logs such a line and drops it, so a token line
    typed wrong would start the terminal chat instead of the bot. Lines naming other variables are
    left to python-dotenv: the file may be shared with other tools."""
    from dotenv.parser import parse_stream

    for path in files:
        if not path.is_file():
            continue  # pydantic-settings reads no .env that is not there
        try:
            text = path.read_bytes().decode(encoding)
        except OSError as exc:
            raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise SettingsError(f"{path} is not {encoding.upper()} text (byte {exc.start + 1}); save it as {encoding.upper()}") from None
        for binding in parse_stream(io.StringIO(text)):
            if not binding.error:
                continue
            m = _LINE_NAME.match(binding.original.string)
            name = m.group(1).upper() if m else ""
            if name in names:
                raise SettingsError(f"{path} line {binding.original.line}: {name} cannot be read "
                                    "(write NAME=value, and close any quote you open)")


def _env_files(cls: type[BaseSettings], overrides: dict[str, Any]) -> tuple[list[Path], str]:
    """The .env file(s) cls(**overrides) reads, and their encoding."""
    files = overrides.get("_env_file", cls.model_config.get("env_file"))
    encoding = overrides.get("_env_file_encoding") or cls.model_config.get("env_file_encoding") or "utf-8"
    if files is None:
        return [], encoding
    return [Path(f) for f in ([files] if isinstance(files, (str, Path)) else files)], encoding


# The project's own .env, found whatever the working directory (a service, `make run` from elsewhere).
PROJECT_ENV_FILE = DEFAULT_ARTICLES_DIR.parent / ".env"


def env_files() -> tuple[Path, ...]:
    """The .env files settings are read from, a later one overriding an earlier: the project's, then the
    working directory's. ENV_FILE names the one file instead (empty: none, as the tests set it)."""
    chosen = os.environ.get("ENV_FILE")
    if chosen is not None:
        return (Path(chosen),) if chosen.strip() else ()
    return tuple(dict.fromkeys([PROJECT_ENV_FILE.resolve(), Path(".env").resolve()]))


def env_files_used() -> list[Path]:
    """Those of env_files() that exist: what start-up logs as read."""
    return [p for p in env_files() if p.is_file()]


def load(cls: type[S], **overrides: Any) -> S:
    """cls's settings from the environment (and the .env files); raises SettingsError with one line on problems."""
    overrides.setdefault("_env_file", env_files() or None)
    check_env_files(*_env_files(cls, overrides), {n.upper() for n in cls.model_fields})
    try:
        return cls(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
    except SourceError as exc:  # a value pydantic-settings itself could not decode (JSON for a complex field)
        raise SettingsError(str(exc).split("\n")[0]) from None
