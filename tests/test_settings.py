"""Settings from the environment: names, parsing, the secret token, one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import DEFAULT_API_URL, DEFAULT_GATEWAY_URL, Settings, SettingsError, load_settings

ENV_NAMES = [
    "DISCORD_TOKEN", "DISCORD_API_URL", "DISCORD_GATEWAY_URL", "ARTICLE_SOURCES", "INDEX_DIR", "ALLOW_PRIVATE_SOURCES",
    "DATABASE_PATH", "MODERATOR_ROLE_IDS", "ALLOWED_CHANNEL_IDS", "ANSWER_IN_THREAD", "ASK_COOLDOWN_SECONDS",
    "ASK_COOLDOWN_RATE", "DEV_GUILD_ID", "SHARD_COUNT", "SHARD_IDS", "LOG_LEVEL", "ALLOWED_SOURCE_HOSTS",
    "DATABASE_URL", "STATE_POLL_SECONDS",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the repository


def test_defaults():
    s = load_settings()
    assert s.token is None
    assert s.discord_api_url == DEFAULT_API_URL and s.discord_gateway_url == DEFAULT_GATEWAY_URL
    assert s.article_sources and s.source_paths[0].name == "articles"
    assert str(s.index_dir) == ".index" and s.allow_private_sources is False


def test_from_environment(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    monkeypatch.setenv("DISCORD_API_URL", "http://127.0.0.1:1234/api/v10/")
    monkeypatch.setenv("MODERATOR_ROLE_IDS", "1, 2,3")
    monkeypatch.setenv("ALLOWED_CHANNEL_IDS", "")
    monkeypatch.setenv("ARTICLE_SOURCES", "a.txt,articles/ , https://example.com/x")
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "0,1")
    monkeypatch.setenv("ALLOW_PRIVATE_SOURCES", "true")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    s = load_settings()
    assert s.token == "abc.def.ghi"
    assert "abc.def.ghi" not in repr(s) and "abc.def.ghi" not in str(s.model_dump())
    assert s.discord_api_url == "http://127.0.0.1:1234/api/v10"
    assert s.moderator_role_ids == [1, 2, 3] and s.allowed_channel_ids == []
    assert s.article_sources == ["a.txt", "articles/", "https://example.com/x"]
    assert s.shard_count == 4 and s.shard_ids == [0, 1] and s.allow_private_sources and s.log_level == "DEBUG"


def test_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_TOKEN=from-dotenv\nASK_COOLDOWN_SECONDS=2.5\n")
    s = load_settings()
    assert s.token == "from-dotenv" and s.ask_cooldown_seconds == 2.5


def test_empty_token_means_none(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "  ")
    assert load_settings().token is None


@pytest.mark.parametrize("name,value", [("SHARD_COUNT", "many"), ("MODERATOR_ROLE_IDS", "12,abc"),
                                        ("ASK_COOLDOWN_SECONDS", "-1"), ("DISCORD_API_URL", "discord.com"),
                                        ("LOG_LEVEL", "LOUD")])
def test_invalid_setting_is_one_readable_line(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    msg = str(err.value)
    assert "\n" not in msg and name in msg


def test_database_url_is_a_secret_postgresql_url_and_a_bad_one_is_one_line_without_its_value(monkeypatch):
    assert load_settings().database == Path("data/bot.sqlite3") and load_settings().database_setting == "DATABASE_PATH"
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:pw-x7@127.0.0.1:5432/bot")
    s = load_settings()
    assert s.database == "postgresql://bot:pw-x7@127.0.0.1:5432/bot" and s.database_setting == "DATABASE_URL"
    assert "pw-x7" not in repr(s) and "pw-x7" not in str(s.model_dump())
    monkeypatch.setenv("DATABASE_URL", "mysql://bot:pw-x7@db/bot")
    with pytest.raises(SettingsError) as err:
        load_settings()
    msg = str(err.value)
    assert "\n" not in msg and "DATABASE_URL" in msg and "postgresql://" in msg and "pw-x7" not in msg
    monkeypatch.setenv("DATABASE_URL", "  ")  # empty: SQLite
    assert load_settings().database_setting == "DATABASE_PATH"


def test_example_env_lists_every_setting():
    from pathlib import Path

    example = (Path(__file__).resolve().parent.parent / "config.example.env").read_text()
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in example, name


def test_settings_are_read_from_the_projects_env_and_the_working_directorys(monkeypatch, tmp_path):
    from index.settings import PROJECT_ENV_FILE, env_files, env_files_used

    monkeypatch.delenv("ENV_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert env_files() == (PROJECT_ENV_FILE.resolve(), (tmp_path / ".env").resolve())  # the later one wins
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\n")
    assert (tmp_path / ".env").resolve() in env_files_used()
    monkeypatch.setenv("ENV_FILE", "")
    assert env_files() == ()
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "other.env"))
    assert env_files() == (tmp_path / "other.env",)


def test_a_copy_of_the_example_env_is_valid_settings(tmp_path, monkeypatch):
    """The set-up guide's first step is `cp config.example.env .env`: every setting as shipped must load."""
    from bot.settings import load_settings

    example = Path(__file__).resolve().parents[1] / "config.example.env"
    (tmp_path / ".env").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENV_FILE", str(tmp_path / ".env"))
    for name in list(os.environ):
        if name.startswith("DISCORD_"):
            monkeypatch.delenv(name)
    settings = load_settings()
    assert settings.token is None and settings.discord_client_id is None and settings.log_format == "text"
