"""The questions database: its schema version and migrations, and purging old questions (retention)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from bot.store import SCHEMA_VERSION, GuildSettings, Store, StoreError, migrations
from index.models import Answer

# The schema as the code wrote it before versions existed (user_version 0) is SQLite's version 1, frozen
# by its hash: such databases are out there and must be migrated in place, so version 1 never changes.
SCHEMA_BEFORE_VERSIONS = migrations.SQLITE[0][1]
SCHEMA_BEFORE_VERSIONS_SHA256 = "83de6d65eb18c1b999c3fc674c07bb6b2a409cee1ca9ed87207c5de77292cfdd"


def test_version_1_is_the_schema_before_versions_unchanged():
    assert migrations.SQLITE[0][0] == 1
    assert hashlib.sha256(SCHEMA_BEFORE_VERSIONS.encode()).hexdigest() == SCHEMA_BEFORE_VERSIONS_SHA256


USER = 0x7A11CE5EED5EED01  # a user id whose 8 bytes are easy to find in the file


def version_of(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def todays_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_BEFORE_VERSIONS)
    db.executescript(
        "INSERT INTO questions (asked_at, guild_id, user_id, via, question, normalized, answered, confidence)"
        " VALUES (1, 5, 11, 'slash', 'Who?', 'who', 1, 0.9), (2, 5, 12, 'mention', 'Why?', 'why', 0, 0.1);"
        "INSERT INTO feedback VALUES (1, 11, 1, 3);"
        "INSERT INTO guild_settings VALUES (5, '[7, 8]', 1, 4, 99);")
    db.commit()
    db.close()


def test_a_database_of_todays_code_is_migrated_in_place_keeping_its_rows(tmp_path):
    path = tmp_path / "bot.sqlite3"
    todays_database(path)
    assert version_of(path) == 0
    store = Store(path)
    stats = store.stats()
    assert (stats.asked, stats.declined, stats.up, stats.down) == (2, 1, 1, 0)
    assert stats.unanswered == [("Why?", 1)]
    assert store.guild_settings(5) == GuildSettings(channel_ids=(7, 8), answer_in_thread=True, declines=None)
    store.set_guild_settings(5, declines="silent", by=1)  # version 2's column
    store.close()
    assert version_of(path) == SCHEMA_VERSION == 2
    again = Store(path)  # opening a current database changes nothing
    assert again.guild_settings(5) == GuildSettings(channel_ids=(7, 8), answer_in_thread=True, declines="silent")
    assert again.stats().asked == 2
    again.close()
    assert version_of(path) == SCHEMA_VERSION


def test_a_new_database_is_created_at_the_newest_version(tmp_path):
    path = tmp_path / "new" / "bot.sqlite3"
    Store(path).close()
    assert version_of(path) == SCHEMA_VERSION


def test_a_database_from_a_newer_version_is_refused_in_one_line_and_left_alone(tmp_path):
    path = tmp_path / "bot.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as info:
        Store(path)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg and "newer version" in msg and f"{SCHEMA_VERSION + 1}" in msg
    assert version_of(path) == SCHEMA_VERSION + 1  # never downgraded


def test_each_step_runs_once_in_its_own_transaction(tmp_path, monkeypatch):
    path = tmp_path / "bot.sqlite3"
    Store(path).close()
    calls = []

    def step3(db: sqlite3.Connection) -> None:
        calls.append(db.in_transaction)
        db.execute("CREATE TABLE extra (x INTEGER)")

    def step4(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        db.execute("INSERT INTO no_such_table VALUES (1)")  # fails: the whole step is undone

    monkeypatch.setattr(migrations, "SQLITE", (*migrations.SQLITE, (3, step3), (4, step4)))
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "schema version 4" in str(info.value) and "\n" not in str(info.value)
    assert calls == [True] and version_of(path) == 3
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "extra" in tables and "half_done" not in tables
    monkeypatch.setattr(migrations, "SQLITE", (*migrations.SQLITE[:3],))
    Store(path).close()  # step 3 is not run again
    assert calls == [True]


# -- purge -------------------------------------------------------------------------------------


def _ask(store: Store, question: str, asked_at: float, user: int = USER) -> int:
    qid = store.record(Answer(question=question, answered=False, confidence=0.0, reason="not in the article"),
                       via="slash", user_id=user, guild_id=5)
    store.db.execute("UPDATE questions SET asked_at = ? WHERE id = ?", (asked_at, qid))
    return qid


def test_purge_removes_old_questions_and_the_user_ids_in_their_feedback(tmp_path):
    path = tmp_path / "bot.sqlite3"
    store = Store(path)
    now = 1_000_000_000.0
    old = _ask(store, "marker-old-question one?", now - 100 * 86400)
    old2 = _ask(store, "marker-old-question two?", now - 91 * 86400, user=USER + 1)
    recent = _ask(store, "a recent question?", now - 10 * 86400, user=42)
    assert store.vote(old, USER, up=True) and store.vote(old2, USER + 1, up=False) and store.vote(recent, 42, up=True)
    assert USER.to_bytes(8, "big") in path.read_bytes()

    assert store.purge(90 * 86400, now=now) == 2
    stats = store.stats()
    assert (stats.asked, stats.up, stats.down) == (1, 1, 0) and stats.unanswered == [("a recent question?", 1)]
    left = store.db.execute("SELECT question_id, user_id FROM feedback").fetchall()
    assert left == [(recent, 42)]
    assert store.purge(90 * 86400, now=now) == 0  # nothing more to remove
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1  # whatever the sqlite build's default
    store.close()
    raw = path.read_bytes()  # overwritten, not just unlinked from the tables (secure_delete)
    assert USER.to_bytes(8, "big") not in raw and (USER + 1).to_bytes(8, "big") not in raw
    assert b"marker-old-question" not in raw
    assert b"a recent question?" in raw


def test_purge_forgets_who_changed_a_servers_config_past_the_age_but_keeps_the_config(tmp_path):
    store = Store(tmp_path / "bot.sqlite3")
    store.set_guild_settings(5, answer_in_thread=True, by=USER)
    store.db.execute("UPDATE guild_settings SET updated_at = 1 WHERE guild_id = 5")
    store.set_guild_settings(6, answer_in_thread=False, by=USER + 1)  # changed just now: kept
    store.purge(90 * 86400)
    rows = dict(store.db.execute("SELECT guild_id, updated_by FROM guild_settings").fetchall())
    assert rows == {5: None, 6: USER + 1}
    assert store.guild_settings(5).answer_in_thread is True
    store.close()


def test_purge_with_the_current_time_and_a_zero_age_removes_everything_asked_before(tmp_path):
    store = Store(tmp_path / "bot.sqlite3")
    _ask(store, "q?", 10.0)
    assert store.purge(0) == 1 and store.stats().asked == 0
    with pytest.raises(ValueError):
        store.purge(-1)
    store.close()
