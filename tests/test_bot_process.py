"""`python -m bot` as its own process, settings from the environment only, against the fake server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
T = 30.0


def _env(fake: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in {
        "ARTICLE_SOURCES", "MODERATOR_ROLE_IDS", "ALLOWED_CHANNEL_IDS", "DEV_GUILD_ID", "SHARD_COUNT", "SHARD_IDS",
        "ANSWER_IN_THREAD", "ASK_COOLDOWN_SECONDS"} and not k.startswith("DISCORD_")}
    env.update(PYTHONPATH=str(ROOT), DISCORD_TOKEN=fake.token, DISCORD_API_URL=fake.api_url,
               DISCORD_GATEWAY_URL=fake.gateway_url, INDEX_DIR=str(tmp_path / "index"),
               DATABASE_PATH=str(tmp_path / "bot.sqlite3"), LOG_LEVEL="INFO")
    return env


async def test_python_m_bot_answers_a_slash_command(fake: FakeDiscord, tmp_path: Path):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=_env(fake, tmp_path), cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        ready = asyncio.create_task(fake.wait_ready(T))
        exited = asyncio.create_task(proc.wait())
        await asyncio.wait({ready, exited}, timeout=T, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            raise AssertionError("the bot did not connect: " + (await proc.stderr.read()).decode()[-2000:])
        assert fake.identifies and "token" not in fake.identifies[0]
        rec = await fake.slash("ask", fake.user("zoe"), options={"question": "Who sold Alaska?"})
        await fake.wait_for(lambda: rec.messages, T)
        assert "Tsar Alexander II" in rec.messages[0]["embeds"][0]["description"]
        assert None not in fake.commands  # no global sync on start
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()
    err = (await proc.stderr.read()).decode()
    assert fake.token not in err  # the token is never logged
    assert "Traceback" not in err, err[-3000:]


async def test_python_m_bot_sync_registers_commands_in_a_guild(fake: FakeDiscord, tmp_path: Path):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "--guild", fake.guild_id, env=_env(fake, tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), T)
    assert proc.returncode == 0, err.decode()[-2000:]
    names = {c["name"] for c in fake.commands[fake.guild_id]}
    assert {"ask", "expert", "experts", "about", "reindex", "stats", "Ask the article"} <= names
    assert b"synced" in out
    assert not fake._sockets and not fake.identifies  # sync does not connect to the gateway
