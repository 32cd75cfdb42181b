"""Two bot processes (shards) sharing one database and one INDEX_DIR: a moderator's change made through one is
seen by the other without a restart. Each `python -m bot` is its own process, connected to its own
tests/fakediscord server (the same guild and channel ids), as two shards each get their own guilds' events.
Runs on SQLite and, where one runs, on PostgreSQL (the `database` fixture)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web
from botproc import running_bot
from fakediscord import FakeDiscord
from localweb import serve

T = 30.0
FERRY = "Ferry news\n\nThe ferry to Hel stops on 1 December because of dredging in the harbour.\n"


def _database_env(database) -> dict[str, str]:
    if isinstance(database, Path):
        return {"DATABASE_PATH": str(database), "DATABASE_URL": ""}
    return {"DATABASE_URL": database}


async def _mention(fake: FakeDiscord, channel_id: str, text: str) -> None:
    await fake.say(f"<@{fake.bot_user['id']}> {text}", fake.user("reader"), channel_id=channel_id,
                   mentions=[fake.bot_user])


async def test_a_change_through_one_shard_is_seen_by_the_other(fake: FakeDiscord, tmp_path: Path, database):
    other = FakeDiscord()
    await other.start()
    app = web.Application()
    async def ferry(request: web.Request) -> web.Response:
        return web.Response(text=FERRY)

    app.router.add_get("/ferry.txt", ferry)
    common = dict(DISCORD_TOKEN=fake.token, SHARD_COUNT="2", STATE_POLL_SECONDS="0.3", ALLOW_PRIVATE_SOURCES="true",
                  MODERATOR_ROLE_IDS=fake.moderator_role_id, ASK_COOLDOWN_SECONDS="0", **_database_env(database))
    try:
        async with serve(app) as base, running_bot(fake, tmp_path, SHARD_IDS="0", **common) as one:
            b_env = dict(common, DISCORD_API_URL=other.api_url, DISCORD_GATEWAY_URL=other.gateway_url, SHARD_IDS="1",
                         HEALTH_FILE=str(tmp_path / "health-1.json"))
            async with running_bot(other, tmp_path, **b_env) as two:
                x, y = fake.other_channel_id, fake.channel_id
                assert (x, y) == (other.other_channel_id, other.channel_id)  # the same server seen by both shards

                # 1. /config through shard 0: shard 1 answers only in X from its next poll on
                rec = await fake.slash("config", fake.user("mod"), subcommand="channels add",
                                       options={"channel": fake.channels[x]}, roles=[fake.moderator_role_id])
                await fake.wait_for(lambda: rec.messages, T)
                assert rec.messages[0]["content"].startswith(f"Added <#{x}>")

                async def only_x_answered() -> bool:
                    before = len(other.sent_to(y))
                    await _mention(other, y, "who sold Alaska?")
                    await _mention(other, x, "who sold Alaska?")
                    n = len(other.sent_to(x))
                    await other.wait_for(lambda: len(other.sent_to(x)) > n, T)  # Y's mention was handled before
                    return len(other.sent_to(y)) == before

                for _ in range(40):  # shard 1 reads it at its next poll (STATE_POLL_SECONDS)
                    if await only_x_answered():
                        break
                    await asyncio.sleep(0.25)
                else:
                    raise AssertionError("shard 1 never saw the channel restriction made through shard 0")

                # 2. /articles add through shard 0: shard 1 answers from the new article
                url = f"{base}/ferry.txt"
                added = await fake.slash("articles", fake.user("mod"), subcommand="add", options={"url": url},
                                         roles=[fake.moderator_role_id])
                await fake.wait_for(lambda: added.messages, T)
                assert "added" in json.dumps(added.messages[0])
                for _ in range(40):
                    rec = await other.slash("ask", other.user("reader"), channel_id=x,
                                            options={"question": "When does the ferry to Hel stop?"})
                    await other.wait_for(lambda: rec.messages, T)
                    if "1 December" in json.dumps(rec.messages[0]):
                        break
                    await asyncio.sleep(0.25)
                else:
                    raise AssertionError("shard 1 never served the article added through shard 0")
                assert "1 December" in json.dumps(rec.messages[0])
        assert "serving the index another process saved" in two.stderr_text
        assert "Traceback" not in one.stderr_text
    finally:
        await other.close()
