"""Retention: parsing an age, the RETENTION_DAYS loop and `python -m bot purge --older-than`."""

from __future__ import annotations

import asyncio
import io
import logging
import threading

import pytest

from bot.retention import DAY, parse_age, purge_command, retention_loop
from bot.store import Store, StoreError
from index.models import Answer


@pytest.mark.parametrize(("text", "seconds"), [
    ("90d", 90 * 86400), ("1d", 86400), ("12h", 12 * 3600), ("30m", 1800), (" 7D ", 7 * 86400), ("0d", 0),
    ("36500d", 36500 * 86400),
])
def test_parse_age(text, seconds):
    assert parse_age(text) == seconds


@pytest.mark.parametrize("text", ["90", "d", "90s", "1w", "-1d", "1.5d", "90 d", "", "1d2h", "９０d", "36501d",
                                  "9" * 100_000 + "d", "sk-" + "x" * 50])
def test_parse_age_refuses_in_plain_words_without_echoing(text):
    with pytest.raises(ValueError) as info:
        parse_age(text)
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 120
    assert len(text.strip()) < 4 or text.strip() not in msg


def _ask(store: Store, asked_at: float, user: int = 7) -> int:
    qid = store.record(Answer(question=f"q at {asked_at}?", answered=False, confidence=0.0), via="slash", user_id=user)
    store.db.execute("UPDATE questions SET asked_at = ? WHERE id = ?", (asked_at, qid))
    return qid


class FakeClock:
    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now


async def _until(predicate, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.001)


async def test_the_loop_purges_at_start_then_every_interval_off_the_event_loop(tmp_path, caplog):
    store = Store(tmp_path / "bot.sqlite3")
    start = 100 * DAY
    for day in (1, 50, 85, 99):
        _ask(store, day * DAY)
    clock = FakeClock(start)
    calls: list[tuple[float, float, bool]] = []
    real = store.purge
    loop_thread = threading.get_ident()

    def purge(age: float, now: float | None = None) -> int:
        calls.append((age, now, threading.get_ident() != loop_thread))
        clock.now += 10 * DAY  # time passes between purges
        return real(age, now) if len(calls) <= 3 else 0  # (the store is closed once the test has seen three)

    store.purge = purge  # type: ignore[method-assign]
    caplog.set_level(logging.INFO, logger="bot.retention")
    task = asyncio.create_task(retention_loop(store, 30, interval=0.001, clock=clock))
    try:
        await _until(lambda: sum(r.name == "bot.retention" for r in caplog.records) >= 3)  # three purges logged
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert calls[0] == (30 * DAY, start, True)  # at once, with the clock's time, in a worker thread
    assert calls[1][1] == start + 10 * DAY and all(off for _, _, off in calls)
    # at day 100 the questions of days 1 and 50 go (older than 30 days); at day 110, none; at day 120, day 85's
    removed = [r.getMessage() for r in caplog.records if r.name == "bot.retention"]
    assert removed[:3] == ["retention: removed 2 stored question(s) older than 30 day(s)",
                           "retention: removed 0 stored question(s) older than 30 day(s)",
                           "retention: removed 1 stored question(s) older than 30 day(s)"]
    store.close()


async def test_the_loop_keeps_going_after_a_failed_purge(caplog):
    class Broken:
        def __init__(self):
            self.calls = 0

        def purge(self, age, now=None):
            self.calls += 1
            if self.calls == 1:
                raise StoreError("cannot purge the database x.sqlite3: database is locked")
            return 0

    store = Broken()
    task = asyncio.create_task(retention_loop(store, 1, interval=0.001, clock=FakeClock(0)))  # type: ignore[arg-type]
    try:
        await _until(lambda: store.calls >= 2)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert any("database is locked" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.parametrize("days", [0, -1])
async def test_zero_days_keeps_everything(days):
    class NoPurge:
        def purge(self, *a, **k):
            raise AssertionError("purged")

    await asyncio.wait_for(retention_loop(NoPurge(), days, interval=0.001), 1)  # type: ignore[arg-type]


def test_purge_command(tmp_path):
    path = tmp_path / "bot.sqlite3"
    store = Store(path)
    now = 200 * DAY
    for day in (10, 20, 150):
        _ask(store, day * DAY)
    store.close()
    out, err = io.StringIO(), io.StringIO()
    assert purge_command(path, "90d", now=now, out=out, err=err) == 0
    assert out.getvalue() == f"removed 2 stored questions asked before 1970-04-21T00:00:00+00:00 from {path}\n"
    assert not err.getvalue()
    store = Store(path)
    assert store.stats().asked == 1
    store.close()

    out, err = io.StringIO(), io.StringIO()
    assert purge_command(path, "90 days please", now=now, out=out, err=err) == 2
    assert err.getvalue().startswith("error: --older-than: the age must be") and not out.getvalue()
    assert err.getvalue().count("\n") == 1 and "please" not in err.getvalue()

    err = io.StringIO()
    assert purge_command(tmp_path, "90d", out=io.StringIO(), err=err) == 2  # a folder: not a database
    assert err.getvalue().startswith("error: DATABASE_PATH: cannot use the database") and err.getvalue().count("\n") == 1
