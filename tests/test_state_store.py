"""The bot's state store, the same behaviour on SQLite and on a real PostgreSQL (the `database` fixture runs each
test on both; PostgreSQL's skip, saying why, where none runs)."""

from __future__ import annotations

import time

import pytest

from bot.store import SCHEMA_VERSION, GuildSettings, Store, StoreError
from index.models import Answer, AnswerSpan

BIG_ID = 2**63 - 1  # Discord ids are 64-bit


def declined(question: str) -> Answer:
    return Answer(question=question, answered=False, confidence=0.0, reason="not in the article")


def answered(question: str) -> Answer:
    span = AnswerSpan(text="It was.", start=10, end=17, article="a1", paragraph=2)
    return Answer(question=question, answered=True, confidence=0.8, answer=span)


def test_questions_votes_and_stats_per_server(database):
    store = Store(database)
    q1 = store.record(answered("Who said it?"), via="slash", user_id=BIG_ID, guild_id=BIG_ID, channel_id=BIG_ID)
    store.record(declined("Why the rain?"), via="mention", user_id=2, guild_id=BIG_ID)
    store.record(declined("why the RAIN"), via="mention", user_id=3, guild_id=BIG_ID)
    store.record(declined("Another server's question?"), via="slash", user_id=4, guild_id=7)
    assert store.vote(q1, BIG_ID, up=False) and store.vote(q1, BIG_ID, up=True)  # a later vote replaces theirs
    assert not store.vote(q1, 2, up=False)  # only the asker votes
    assert not store.vote(10**9, BIG_ID, up=True)
    mine = store.stats(BIG_ID)
    assert (mine.asked, mine.declined, mine.up, mine.down) == (3, 2, 1, 0)
    assert mine.unanswered == [("Why the rain?", 2)]  # the same question however it was typed, counted once
    other = store.stats(7)
    assert (other.asked, other.up) == (1, 0) and other.unanswered == [("Another server's question?", 1)]
    assert store.stats().asked == 4
    store.close()


def test_text_neither_database_can_encode_is_kept_with_replacement_characters(database):
    store = Store(database)
    store.record(declined("nul\x00 and a lone \ud800 surrogate?"), via="slash", user_id=1, guild_id=1)
    assert store.stats(1).unanswered == [("nul\ufffd and a lone \ufffd surrogate?", 1)]
    store.close()


def test_guild_settings_persist_and_another_process_s_change_is_read_by_reload(database):
    one, two = Store(database), Store(database)  # two bot processes sharing the database
    assert one.set_guild_settings(BIG_ID, channel_ids=[5, 5, 6], declines="private", by=1) == GuildSettings(
        channel_ids=(5, 6), declines="private")
    assert two.guild_settings(BIG_ID) == GuildSettings()  # from memory: not read yet
    assert two.reload() >= 1
    assert two.guild_settings(BIG_ID) == GuildSettings(channel_ids=(5, 6), declines="private")
    two.set_guild_settings(BIG_ID, answer_in_thread=True, channel_ids=None, by=2)
    one.reload()
    assert one.guild_settings(BIG_ID) == GuildSettings(channel_ids=None, answer_in_thread=True, declines="private")
    with pytest.raises(ValueError):
        one.set_guild_settings(1, declines="loud")
    one.close(), two.close()
    assert Store(database).guild_settings(BIG_ID).answer_in_thread is True


def test_reload_reads_only_what_changed_lately(database):
    store = Store(database)
    store.set_guild_settings(1, answer_in_thread=True)
    store.db.execute("UPDATE guild_settings SET updated_at = ? WHERE guild_id = 1", (time.time() - 3600,))
    store.reload()
    assert store.reload() == 0  # an hour-old row is not read again and again
    other = Store(database)
    other.set_guild_settings(2, declines="silent")
    assert store.reload() == 1 and store.guild_settings(2).declines == "silent"
    store.close(), other.close()


def test_purge_removes_old_questions_with_their_votes_and_forgets_who_changed_config(database):
    store = Store(database)
    old = store.record(declined("old?"), via="slash", user_id=11, guild_id=5)
    new = store.record(declined("new?"), via="slash", user_id=12, guild_id=5)
    store.vote(old, 11, up=True), store.vote(new, 12, up=False)
    store.set_guild_settings(5, declines="silent", by=11)
    store.db.execute("UPDATE questions SET asked_at = 1 WHERE id = ?", (old,))
    store.db.execute("UPDATE guild_settings SET updated_at = 1 WHERE guild_id = 5")
    assert store.purge(86400) == 1
    stats = store.stats(5)
    assert (stats.asked, stats.up, stats.down) == (1, 0, 1)
    assert store.db.execute("SELECT updated_by FROM guild_settings WHERE guild_id = 5").fetchone()[0] is None
    assert store.guild_settings(5).declines == "silent"
    with pytest.raises(ValueError):
        store.purge(-1)
    store.close()


def test_a_database_from_newer_code_is_refused_in_one_line(database):
    Store(database).close()
    store = Store(database)
    if store.db.dialect == "sqlite":
        store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    else:
        store.db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    store.close()
    with pytest.raises(StoreError) as info:
        Store(database)
    assert "newer version" in str(info.value) and "\n" not in str(info.value)


def test_reopening_a_current_database_runs_no_migration_and_keeps_rows(database):
    store = Store(database)
    store.record(declined("kept?"), via="slash", user_id=1, guild_id=1)
    store.close()
    again = Store(database)
    assert again.stats(1).asked == 1
    again.close()


# --- PostgreSQL only -----------------------------------------------------------------------------


def test_a_wrong_password_is_one_line_that_never_shows_it(fresh_postgres_url):
    from urllib.parse import urlsplit

    parts = urlsplit(fresh_postgres_url)
    wrong = fresh_postgres_url.replace(f":{parts.password}@", ":not-the-password-x9@")
    with pytest.raises(StoreError) as info:
        Store(wrong)
    msg = str(info.value)
    assert "\n" not in msg and "not-the-password-x9" not in msg and parts.password not in msg
    assert f"{parts.hostname}:{parts.port}" in msg and "password" in msg.lower()


def test_an_unreachable_server_fails_at_once_in_one_line():
    import socket

    pytest.importorskip("psycopg", reason="PostgreSQL store tests skipped: psycopg is not installed")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    t0 = time.monotonic()
    with pytest.raises(StoreError) as info:
        Store(f"postgresql://bot:secret-pw@127.0.0.1:{port}/bot")
    assert time.monotonic() - t0 < 5
    assert "\n" not in str(info.value) and "secret-pw" not in str(info.value) and f"127.0.0.1:{port}" in str(info.value)


def test_a_lost_connection_fails_one_call_and_the_next_reconnects(fresh_postgres_url):
    import psycopg

    store = Store(fresh_postgres_url)
    # text comes back as str whatever the server's encoding; no statement holds the store's lock for ever;
    # the URL's own options (here its search_path) are kept
    assert store.db.execute("SHOW client_encoding").fetchone()[0] == "UTF8"
    assert store.db.execute("SHOW statement_timeout").fetchone()[0] == "30s"
    assert store.db.execute("SHOW search_path").fetchone()[0].startswith("t_")
    pid = store.db.raw.info.backend_pid
    with psycopg.connect(fresh_postgres_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    try:
        store.stats()
    except StoreError as exc:  # the call that finds the connection gone says so in one line
        assert "\n" not in str(exc)
    assert store.stats().asked == 0 and store.db.raw.info.backend_pid != pid
    store.close()


@pytest.mark.parametrize("url,secret", [
    ("postgresql://u:s%zzecret@localhost/db", "zzecret"),  # a bad percent-escape: libpq quotes the token
    ("postgresql://u:sec ret@localhost/db", "sec ret"),
    ("postgresql://bot:secret9@[::1/db", "secret9"),
    ("postgresql://bot:/hunter2@127.0.0.1:9/app", "hunter2"),  # an unencoded '/': the password moves to the path
    ("postgresql://bot:1234/5678@127.0.0.1:9/app", "5678"),
    ("postgresql://bot@127.0.0.1:9/app?password=qwerty77", "qwerty77"),
])
def test_no_error_about_a_database_url_shows_its_password(url, secret):
    from bot.store import shown_url

    pytest.importorskip("psycopg", reason="PostgreSQL store tests skipped: psycopg is not installed")
    assert secret not in shown_url(url)
    with pytest.raises(StoreError) as info:
        Store(url)
    assert secret not in str(info.value) and "\n" not in str(info.value)


def test_the_shown_url_keeps_what_helps_find_the_database():
    from bot.store import shown_url

    assert shown_url("postgresql://bot:pw@db.example:5433/articles?sslmode=require") == \
        "postgresql://bot@db.example:5433/articles"


def test_a_change_through_one_process_keeps_what_another_set_meanwhile(database):
    one, two = Store(database), Store(database)
    one.set_guild_settings(5, channel_ids=[10, 11])
    # two has not reloaded: its memory of server 5 is empty, yet its change of another setting keeps the channels
    assert two.set_guild_settings(5, declines="silent") == GuildSettings(channel_ids=(10, 11), declines="silent")
    one.set_guild_settings(5, answer_in_thread=True)
    assert Store(database).guild_settings(5) == GuildSettings(channel_ids=(10, 11), answer_in_thread=True,
                                                              declines="silent")
    one.close(), two.close()
