"""Running the bot for real: start-up messages, the heartbeat and `python -m bot health`, SIGTERM, JSON logs,
`python -m bot invite`, and `run` with no token where no one can chat. Against tests/fakediscord."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from botproc import ROOT, T, running_bot
from fakediscord import MANAGE_GUILD, FakeDiscord

from bot import health
from bot.invite import PERMISSIONS_VALUE


async def _until(predicate, timeout: float = T) -> None:
    """Poll: a log line or a file is no event of the fake server's."""
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_start_up_says_when_the_bot_is_in_no_server_and_how_to_invite_it(fake: FakeDiscord, start_bot,
                                                                               shipped_service, caplog):
    fake.ready_guilds = []
    with caplog.at_level(logging.INFO, logger="bot.client"):
        await start_bot(shipped_service)
        await asyncio.sleep(0.2)
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("in no server" in m and f"client_id={fake.application_id}" in m and f"permissions={PERMISSIONS_VALUE}" in m
               for m in said), said


async def test_start_up_says_when_discords_commands_differ_from_the_codes(fake: FakeDiscord, start_bot,
                                                                          shipped_service, caplog):
    fake.commands[None] = [{"id": "1", "application_id": fake.application_id, "version": "1", "type": 1,
                            "name": "oldcommand", "description": "gone"}]
    with caplog.at_level(logging.INFO, logger="bot.client"):
        await start_bot(shipped_service, dev_guild_id=None)
        await _until(lambda: any("make sync" in r.getMessage() for r in caplog.records))
    [line] = [r.getMessage() for r in caplog.records if "make sync" in r.getMessage()]
    assert "no longer here: oldcommand" in line and "ask" in line.split("missing:")[1]


async def test_commands_synced_to_a_server_and_unchanged_give_no_warning_but_a_changed_option_does(
        fake: FakeDiscord, start_bot, shipped_service, caplog):
    bot = await start_bot(shipped_service)  # synced to the development guild at start, as `make sync GUILD=ID`
    await bot.close()
    synced = fake.commands[fake.guild_id]
    with caplog.at_level(logging.INFO, logger="bot.client"):
        again = await start_bot(shipped_service, dev_guild_id=None)  # nothing global: the server's are compared
        await _until(lambda: any("ready as" in r.getMessage() for r in caplog.records))
        await asyncio.sleep(0.3)
        assert not any("make sync" in r.getMessage() for r in caplog.records)
        await again.close()
        ask = next(c for c in synced if c["name"] == "ask")
        ask["options"] = [o for o in ask.get("options", []) if o["name"] != "article"]  # an older /ask
        caplog.clear()
        await start_bot(shipped_service, dev_guild_id=None)
        await _until(lambda: any("make sync" in r.getMessage() for r in caplog.records))
    [line] = [r.getMessage() for r in caplog.records if "make sync" in r.getMessage()]
    assert "changed: ask" in line


async def test_the_running_bot_writes_a_heartbeat_that_health_reads(fake: FakeDiscord, start_bot, shipped_service,
                                                                   tmp_path):
    bot = await start_bot(shipped_service)
    path = tmp_path / "health.json"
    await _until(lambda: path.exists() and health.check(path)[0])
    ok, line = health.check(path)
    assert ok and "gateway connected" in line and "1 article" in line
    await bot.close()
    ok, line = health.check(path)
    assert not ok and "not connected" in line


def test_health_says_why_in_one_line(tmp_path):
    path = tmp_path / "h.json"
    assert health.check(path) == (False, f"unhealthy: no heartbeat at {path} (is the bot running with this HEALTH_FILE?)")
    health.write(path, health.Heartbeat(at=1000.0, pid=7, connected=True, articles=2, guilds=1))
    assert health.check(path, now=1010.0)[0]
    assert "old" in health.check(path, now=1000.0 + health.STALE_AFTER + 1)[1]
    health.write(path, health.Heartbeat(at=1000.0, pid=7, connected=True, articles=0, guilds=1))
    assert not health.check(path, now=1001.0)[0]
    path.write_text("{not json")
    assert health.check(path)[1].endswith("cannot be read")


def _bot(*args: str, env: dict, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=60)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env.update(PYTHONPATH=str(ROOT), INDEX_DIR=str(tmp_path / "index"), DATABASE_PATH=str(tmp_path / "db.sqlite3"),
               HEALTH_FILE=str(tmp_path / "health.json"), **extra)
    return env


def test_python_m_bot_health_exits_non_zero_without_a_running_bot(tmp_path):
    p = _bot("health", env=_env(tmp_path), cwd=tmp_path)
    assert p.returncode == 1 and p.stderr.strip().startswith("unhealthy: no heartbeat")


def test_python_m_bot_invite_prints_the_url_for_the_configured_application(tmp_path):
    p = _bot("invite", env=_env(tmp_path, DISCORD_CLIENT_ID="123456789012345678"), cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.strip() == (
        f"https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands"
        f"&permissions={PERMISSIONS_VALUE}")
    p = _bot("invite", env=_env(tmp_path), cwd=tmp_path)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "DISCORD_CLIENT_ID" in p.stderr


def test_run_without_a_token_where_no_one_can_chat_is_one_error_line(tmp_path):
    p = _bot("run", env=_env(tmp_path), cwd=tmp_path)  # stdin is not a terminal: a service, a container
    assert p.returncode == 2 and p.stderr.strip() == "error: DISCORD_TOKEN is not set"
    as_json = _bot("run", env=_env(tmp_path, LOG_FORMAT="json"), cwd=tmp_path)  # one JSON object, like the log
    [line] = as_json.stderr.splitlines()
    assert as_json.returncode == 2 and json.loads(line)["message"] == "DISCORD_TOKEN is not set"
    chat = _bot(env=_env(tmp_path), cwd=tmp_path, stdin="Who sold Alaska?\n")  # bare `python -m bot`: the chat
    assert chat.returncode == 0 and "Q: Who sold Alaska?" in chat.stdout


async def test_sigterm_stops_the_bot_cleanly_and_json_logs_are_one_object_a_line(fake: FakeDiscord, tmp_path: Path):
    async with running_bot(fake, tmp_path, DISCORD_TOKEN=fake.token, LOG_FORMAT="json",
                           HEALTH_FILE=str(tmp_path / "health.json")) as proc:
        await _until(lambda: health.check(tmp_path / "health.json")[0])
        # a refresh in progress when the signal comes: it finishes or is abandoned, the saved index stays loadable
        await fake.slash("reindex", fake.owner, permissions=MANAGE_GUILD)
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 30)
    assert code == 0
    lines = [json.loads(line) for line in proc.stderr_text.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    messages = [entry["message"] for entry in lines]
    assert any("signal received" in m for m in messages) and messages[-1] == "stopped"
    assert not any("voice will NOT be supported" in m for m in messages)
    ok, line = health.check(tmp_path / "health.json")
    assert not ok and "not connected" in line
    from index.service import QAService
    again = QAService.open(None, tmp_path / "index")  # the saved index loads (or rebuilds), never breaks
    assert again.corpus is not None and again.corpus.articles


def test_a_broken_or_removed_source_is_said_at_start_and_a_removed_article_is_never_served(tmp_path):
    from index.service import QAService

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text("Ferry news\n\nThe ferry to Hel stops on 1 December because of dredging.\n")
    (folder / "tram.txt").write_text("Tram news\n\nThe new tram line to Oliwa opens in May after two years of work.\n")
    missing = str(tmp_path / "gone.txt")
    first = QAService.open([str(folder), missing], tmp_path / "index")
    assert any(line.startswith("gone: failed") for line in first.startup)
    assert first.source_problems() == [next(line for line in first.startup if line.startswith("gone: failed"))]
    assert first.ask("When does the new tram line open?").answered
    (folder / "tram.txt").unlink()
    second = QAService.open([str(folder), missing], tmp_path / "index")
    assert any("tram" in line and "removed" in line for line in second.startup), second.startup
    a = second.ask("When does the new tram line open?")
    assert not (a.answer and a.answer.article == "tram") and all(x.article != "tram" for x in a.alternatives)
    assert [x.id for x in second.about().articles] == ["ferry"]
    # a server's moderators see the problem without the host's paths
    [line] = second.source_problems(guild_id=1)
    assert str(tmp_path) not in line and "gone" in line


def test_python_m_bot_purge_removes_old_questions_and_needs_no_token(tmp_path):
    import sqlite3

    from bot.store import Store
    from index.models import Answer

    store = Store(tmp_path / "db.sqlite3")
    old = store.record(Answer(question="old one?", answered=False, confidence=0.0, reason="no"), via="slash", user_id=7)
    store.record(Answer(question="new one?", answered=False, confidence=0.0, reason="no"), via="slash", user_id=8)
    store.vote(old, 7, True)
    store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("UPDATE questions SET asked_at = asked_at - 100 * 86400 WHERE id = ?", (old,))
    p = _bot("purge", "--older-than", "90d", env=_env(tmp_path), cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.startswith("removed 1 stored question"), p.stdout + p.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert [r[0] for r in db.execute("SELECT question FROM questions")] == ["new one?"]
        assert db.execute("SELECT COUNT(*) FROM feedback WHERE user_id = 7").fetchone()[0] == 0


async def test_an_unreachable_gateway_is_one_line_a_retry_and_sigterm_still_stops_the_bot(fake: FakeDiscord, tmp_path):
    env = _env(tmp_path, DISCORD_TOKEN=fake.token, DISCORD_API_URL=fake.api_url,
               DISCORD_GATEWAY_URL="ws://127.0.0.1:9/", LOG_LEVEL="INFO")  # nothing listens on port 9
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
                                                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await asyncio.sleep(7)  # the first attempt and one retry (discord.py waits 5 s between them)
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    err = (await proc.stderr.read()).decode()
    assert code == 0 and "Traceback" not in err, err[-3000:]
    retries = [line for line in err.splitlines() if "Failed to connect" in line]
    assert retries and all("Cannot connect to host" in line for line in retries)
    assert err.rstrip().endswith("stopped")


async def test_about_shows_moderators_the_sources_that_failed_and_members_not(fake: FakeDiscord, start_bot, tmp_path):
    from index.corpus import DEFAULT_ARTICLES_DIR
    from index.service import QAService

    service = QAService.open([str(DEFAULT_ARTICLES_DIR), str(tmp_path / "gone.txt")], tmp_path / "index")
    await start_bot(service)
    moderator = await fake.slash("about", fake.owner, permissions=MANAGE_GUILD)
    member = await fake.slash("about", fake.user("member"))
    await fake.wait_for(lambda: moderator.messages and member.messages, T)
    mod_fields = {f["name"]: f["value"] for f in moderator.messages[0]["embeds"][0]["fields"]}
    assert "Sources that failed (1)" in mod_fields and "gone" in mod_fields["Sources that failed (1)"]
    assert str(tmp_path) not in mod_fields["Sources that failed (1)"]  # the host's paths stay on the host
    assert not any(f["name"].startswith("Sources that failed") for f in member.messages[0]["embeds"][0]["fields"])


async def test_answers_run_on_the_bots_one_answering_thread(fake: FakeDiscord, start_bot, shipped_service,
                                                            monkeypatch):
    import threading

    from index.service import View

    seen: list[str] = []
    real = View.ask

    def ask(self, *args, **kwargs):
        seen.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(View, "ask", ask)
    await start_bot(shipped_service)
    recs = [await fake.slash("ask", fake.user(f"u{i}"), options={"question": "Who sold Alaska?"}) for i in range(4)]
    await fake.wait_for(lambda: all(r.messages for r in recs), T)
    assert len(seen) == 4 and {name.rsplit("_", 1)[0] for name in seen} == {"answer"}  # one thread, not the pool


def test_an_article_moved_between_listed_folders_is_updated_never_called_removed(tmp_path):
    from index.service import QAService

    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "ferry.txt").write_text("Ferry news\n\nThe ferry to Hel stops on 1 December because of dredging.\n")
    QAService.open([str(one), str(two)], tmp_path / "index")
    (one / "ferry.txt").rename(two / "ferry.txt")
    again = QAService.open([str(one), str(two)], tmp_path / "index")
    assert not any("ferry" in line and "removed" in line for line in again.startup), again.startup
    assert any(line.startswith("ferry: updated") for line in again.startup)
    assert again.ask("When does the ferry to Hel stop?").answered


async def test_sigterm_during_a_refresh_lets_it_finish_and_save_then_stops(fake: FakeDiscord, tmp_path: Path):
    """A refresh that is surely in progress (its page answers after 3 s) when SIGTERM comes: it finishes, its
    report reaches the moderator, the new text is saved, and the process exits 0."""
    from aiohttp import web
    from localweb import serve

    from index.service import QAService

    served = {"n": 0}

    async def page(request: web.Request) -> web.Response:
        served["n"] += 1
        if served["n"] > 1:  # a refresh: slow, and the story has changed
            await asyncio.sleep(3)
            return web.Response(text="Ferry news\n\nThe ferry to Hel now stops on 9 January because of dredging.\n")
        return web.Response(text="Ferry news\n\nThe ferry to Hel stops on 1 December because of dredging.\n")

    app = web.Application()
    app.router.add_get("/ferry.txt", page)
    async with serve(app) as base:
        url = f"{base}/ferry.txt"
        async with running_bot(fake, tmp_path, DISCORD_TOKEN=fake.token, ARTICLE_SOURCES=url,
                               ALLOW_PRIVATE_SOURCES="true") as proc:
            rec = await fake.slash("reindex", fake.owner, permissions=MANAGE_GUILD)
            await _until(lambda: served["n"] >= 2)  # the refresh is fetching now
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), 40)
    assert code == 0
    assert rec.messages and "updated" in json.dumps(rec.messages[-1])  # the moderator got the report
    err = proc.stderr_text
    assert err.index("signal received") < err.index("stopped")
    again = QAService.open([url], tmp_path / "index")  # what was saved: the refreshed text, loaded without fetching
    assert any(line.startswith("loaded the saved index") for line in again.startup), again.startup
    assert "9 January" in again.ask("When does the ferry to Hel stop?").answer.text
