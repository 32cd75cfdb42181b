"""`python -m bot` as its own process, settings from the environment only, against the fake server."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from botproc import T, bot_env, running_bot
from fakediscord import FakeDiscord



async def test_python_m_bot_answers_a_slash_command(fake: FakeDiscord, tmp_path: Path):
    async with running_bot(fake, tmp_path, DISCORD_TOKEN=fake.token, ASK_COOLDOWN_SECONDS="0") as proc:
        assert fake.identifies and "token" not in fake.identifies[0]
        zoe = fake.user("zoe")
        rec = await fake.slash("ask", zoe, options={"question": "Who sold Alaska?"})
        await fake.wait_for(lambda: rec.messages, T)
        assert "Tsar Alexander II" in rec.messages[0]["embeds"][0]["description"]
        assert None not in fake.commands  # no global sync on start
        # a reply to that answer that pings the bot is a follow-up, read with it (CONTEXT_MINUTES from the env)
        answer = next(m for m in rec.created if m.get("embeds"))
        await fake.say(f"<@{fake.bot_user['id']}> tell me more", zoe, reply_to=answer,
                       mentions=[fake.bot_user])
        [more] = await fake.wait_for(lambda: [m for m in fake.sent_to(fake.channel_id) if m.get("_request", {}).get("embeds")], T)
        assert "*Reading that as:* Who sold Alaska — tell me more" in more["_request"]["embeds"][0]["description"]
    assert fake.token not in proc.stderr_text  # the token is never logged


async def test_python_m_bot_sync_registers_commands_in_a_guild(fake: FakeDiscord, tmp_path: Path):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "--guild", fake.guild_id, env=bot_env(fake, tmp_path, DISCORD_TOKEN=fake.token), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), T)
    assert proc.returncode == 0, err.decode()[-2000:]
    names = {c["name"] for c in fake.commands[fake.guild_id]}
    assert {"ask", "expert", "experts", "about", "reindex", "stats", "Ask the article"} <= names
    assert b"synced" in out
    assert not fake._sockets and not fake.identifies  # sync does not connect to the gateway
