"""`python -m bot` as its own process against tests/fakediscord, configured from the environment only.

`async with running_bot(fake, tmp_path, **settings) as proc:` starts it in tmp_path, waits until it has
identified to the fake gateway, and stops it with SIGINT afterwards, checking it printed no traceback.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from contextlib import asynccontextmanager
from pathlib import Path

from fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
T = 30.0
# Settings a developer's environment might carry that would change what the bot does in a test.
_CLEARED = {"ARTICLE_SOURCES", "MODERATOR_ROLE_IDS", "ALLOWED_CHANNEL_IDS", "DEV_GUILD_ID", "SHARD_COUNT", "SHARD_IDS",
            "ANSWER_IN_THREAD", "ASK_COOLDOWN_SECONDS", "ALLOW_PRIVATE_SOURCES", "OPERATOR_USER_IDS",
            "GUILD_ARTICLE_LIMIT", "REINDEX_INTERVAL_SECONDS", "ALLOWED_SOURCE_HOSTS"}


def bot_env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in _CLEARED and not k.startswith("DISCORD_")}
    env.update(PYTHONPATH=str(ROOT), DISCORD_API_URL=fake.api_url, DISCORD_GATEWAY_URL=fake.gateway_url,
               INDEX_DIR=str(tmp_path / "index"), DATABASE_PATH=str(tmp_path / "bot.sqlite3"), LOG_LEVEL="INFO")
    env.update(extra)
    return env


@asynccontextmanager
async def running_bot(fake: FakeDiscord, tmp_path: Path, **extra: str):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=bot_env(fake, tmp_path, **extra), cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        ready = asyncio.create_task(fake.wait_ready(T))
        exited = asyncio.create_task(proc.wait())
        await asyncio.wait({ready, exited}, timeout=T, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            raise AssertionError("the bot did not connect: " + (await proc.stderr.read()).decode()[-2000:])
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()
    proc.stderr_text = (await proc.stderr.read()).decode()
    assert "Traceback" not in proc.stderr_text, proc.stderr_text[-3000:]
