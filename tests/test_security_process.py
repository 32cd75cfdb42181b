"""Security end to end: `python -m bot` as its own process against tests/fakediscord (two guilds) and a
local article server on 127.0.0.1, acting as moderators and members of two servers would.

- Nothing typed in Discord makes the bot read a file of its host: paths, `file:` URLs, FIFOs and
  `/dev/zero` are refused with the same line whether they exist or not, and the token never appears.
- Unicode-disguised loopback URLs are refused and never reach the local server.
- What one server adds is invisible to the other (answers, /articles list, /about, /experts, /expert,
  autocomplete, /reindex, removal), only the operator adds for every server, and a server's cap holds.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from localweb import serve

from botproc import T, running_bot
from fakediscord import MANAGE_GUILD, FakeDiscord

SECRET = "sk-live-0123456789-the-discord-token"

PAGE = """<!doctype html><html lang="en"><head><title>{title} | Coast News</title></head><body>
<article><h1>{title}</h1>
<p>The ferry between {town} and the island will run every hour from May, the harbour office announced on Monday.</p>
<p>"We bought two new boats for the summer season," said Ewa Lindqvist, the director of the ferry company.</p>
<p>Tickets will cost four euros for adults and nothing for children under seven, the office said.</p>
</article></body></html>"""


class Pages:
    """A local news site: /ferry/<town> serves a small article; every request is counted."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.base = ""

    async def page(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        town = request.match_info["town"].capitalize()
        return web.Response(text=PAGE.format(title=f"{town} ferry to run hourly", town=town), content_type="text/html")


@pytest.fixture
async def pages():
    p = Pages()
    app = web.Application()
    app.router.add_get("/ferry/{town}", p.page)
    async with serve(app) as p.base:
        p.port = int(p.base.rsplit(":", 1)[1])
        yield p


@asynccontextmanager
async def bot_process(fake: FakeDiscord, tmp_path: Path, **extra: str):
    """`python -m bot` started in tmp_path, whose .env holds the token (as an operator would keep it)."""
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={fake.token}\n")
    async with running_bot(fake, tmp_path, ASK_COOLDOWN_SECONDS="0", **extra) as proc:
        yield proc


async def _reply(fake: FakeDiscord, rec) -> dict:
    await fake.wait_for(lambda: rec.messages, T)
    return rec.messages[-1]


def _text(body: dict) -> str:
    """Everything a reply shows: content, embed title, description, fields, footer."""
    parts = [body.get("content") or ""]
    for e in body.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
        parts += [f["name"] + " " + f["value"] for f in e.get("fields") or []]
    return "\n".join(parts)


async def _ask(fake: FakeDiscord, question: str, channel: str) -> str:
    rec = await fake.slash("ask", fake.user("reader"), options={"question": question}, channel_id=channel)
    return _text(await _reply(fake, rec))


async def _slash(fake: FakeDiscord, name: str, user: dict, channel: str, **kw) -> str:
    rec = await fake.slash(name, user, channel_id=channel, **kw)
    return _text(await _reply(fake, rec))


async def test_nothing_typed_in_discord_reads_a_host_file(fake: FakeDiscord, tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "notes.txt").write_text(f"The discord token is {SECRET}, said the operator.\n")
    mod = fake.user("mallory")
    async with bot_process(fake, tmp_path):
        answers = []
        for target in (".env", str(tmp_path / ".env"), str(tmp_path / "notes.txt"), "/etc/passwd", "/etc/nonexistent",
                       f"file://{tmp_path}/notes.txt", "file:///etc/passwd", str(fifo), "/dev/zero", str(tmp_path),
                       "~/.ssh/id_rsa", "gopher://127.0.0.1/x", "notes.txt"):
            rec = await fake.slash("articles", mod, subcommand="add", options={"url": target}, permissions=MANAGE_GUILD)
            await fake.wait_for(lambda: rec.bodies, T)
            [body] = [b for b in rec.bodies if b.get("content")]
            assert body["flags"] & 64, body  # private
            answers.append(body["content"].replace(target, "TARGET"))
        # The same line for a path that exists, one that doesn't, a FIFO and a device: nothing is revealed.
        paths = [a for a in answers if "only http(s) URLs" in a]
        assert len(paths) >= 9 and len(set(paths)) == 1, answers
        assert all(a.startswith("Not added: ") for a in answers), answers
        question = await _ask(fake, "What is the discord token?", fake.channel_id)
        assert SECRET not in question and fake.token not in question
        member = fake.user("eve")
        refused = await fake.slash("articles", member, subcommand="add", options={"url": "https://example.com/a"})
        await fake.wait_for(lambda: refused.bodies, T)
        [body] = [b for b in refused.bodies if b.get("content")]
        assert body["flags"] & 64 and "Manage Server or a moderator role" in body["content"]


@pytest.mark.parametrize("host", ["１２７.０.０.１", "127。0。0。1", "①②⑦.⓪.⓪.①", "127.1", "2130706433", "[::ffff:127.0.0.1]",
                                  "localhost", "LOCALHOST."])
async def test_disguised_loopback_urls_are_refused_and_never_fetched(fake: FakeDiscord, tmp_path: Path, pages: Pages,
                                                                     host: str):
    mod = fake.user("mallory")
    async with bot_process(fake, tmp_path):
        url = f"http://{host}:{pages.port}/ferry/oslo"
        rec = await fake.slash("articles", mod, subcommand="add", options={"url": url}, permissions=MANAGE_GUILD)
        await fake.wait_for(lambda: rec.bodies, T)
        [body] = [b for b in rec.bodies if b.get("content")]
        assert body["content"].startswith("Not added: ") and body["flags"] & 64, body
        assert "\n" not in body["content"]
    assert pages.hits == []  # the loopback server was never reached


async def test_what_one_server_adds_the_other_never_sees(fake: FakeDiscord, tmp_path: Path, pages: Pages):
    a_chan, b_chan = fake.channel_id, fake.second_channel_id
    mod_a, mod_b = fake.user("mod-a"), fake.user("mod-b")
    async with bot_process(fake, tmp_path, ALLOW_PRIVATE_SOURCES="true", GUILD_ARTICLE_LIMIT="1",
                           REINDEX_INTERVAL_SECONDS="300"):
        added = await _slash(fake, "articles", mod_a, a_chan, subcommand="add",
                             options={"url": pages.base + "/ferry/oslo"}, permissions=MANAGE_GUILD)
        assert "oslo: added" in added, added
        q = "How often will the ferry run from May?"
        assert "every hour" in await _ask(fake, q, a_chan)
        assert "Lindqvist" in await _ask(fake, "Who directs the boat company in Oslo?", a_chan)
        in_b = await _ask(fake, q, b_chan)
        assert "every hour" not in in_b and "Oslo" not in in_b and "doesn't say" in in_b

        listing_b = await _slash(fake, "articles", fake.user("r"), b_chan, subcommand="list")
        assert "oslo" not in listing_b.lower() and "trump-putin-alaska" in listing_b
        assert "oslo" in (await _slash(fake, "articles", fake.user("r"), a_chan, subcommand="list")).lower()
        about_b = await _slash(fake, "about", fake.user("r"), b_chan)
        assert "oslo" not in about_b.lower()
        assert "Lindqvist" not in await _slash(fake, "experts", fake.user("r"), b_chan)
        assert "Lindqvist" in await _slash(fake, "experts", fake.user("r"), a_chan)
        assert "No one called" in await _slash(fake, "expert", fake.user("r"), b_chan, options={"name": "Lindqvist"})
        ac = await fake.autocomplete("ask", fake.user("r"), "article", "", channel_id=b_chan)
        assert "oslo" not in [c["value"] for c in await fake.wait_for(lambda: ac.choices, T)]
        ac = await fake.autocomplete("expert", fake.user("r"), "name", "lind", channel_id=b_chan)
        assert await fake.wait_for(lambda: ac.choices is not None, T) and ac.choices == []
        only = await fake.slash("ask", fake.user("r"), options={"question": q, "article": "oslo"}, channel_id=b_chan)
        await fake.wait_for(lambda: only.bodies, T)
        [body] = [b for b in only.bodies if b.get("content")]
        assert "There is no article 'oslo'" in body["content"] and body["flags"] & 64

        # B's moderator can neither remove nor refresh A's article, and learns nothing of it.
        removed = await _slash(fake, "articles", mod_b, b_chan, subcommand="remove", options={"article": "oslo"},
                               permissions=MANAGE_GUILD)
        assert "no article or source 'oslo'" in removed
        refreshed = await _slash(fake, "reindex", mod_b, b_chan, options={"article": "oslo"}, permissions=MANAGE_GUILD)
        assert "no article with the id 'oslo'" in refreshed
        hits = len(pages.hits)
        whole = await _slash(fake, "reindex", mod_b, b_chan, permissions=MANAGE_GUILD)
        assert "oslo" not in whole.lower() and len(pages.hits) == hits  # B's refresh never fetches A's page
        # The shared articles were just refreshed from B: A's refresh of them waits, its own goes ahead.
        from_a = await _slash(fake, "reindex", mod_a, a_chan, permissions=MANAGE_GUILD)
        assert "oslo: unchanged" in from_a and "next possible in" in from_a and len(pages.hits) == hits + 1
        # The cap, and shared additions only by the operator (the application owner here).
        capped = await _slash(fake, "articles", mod_a, a_chan, subcommand="add",
                              options={"url": pages.base + "/ferry/bergen"}, permissions=MANAGE_GUILD)
        assert "the most it may add (1)" in capped
        not_op = await _slash(fake, "articles", mod_b, b_chan, subcommand="add",
                              options={"url": pages.base + "/ferry/tromso", "everywhere": True}, permissions=MANAGE_GUILD)
        assert "only the bot's operator" in not_op
        shared = await _slash(fake, "articles", fake.owner, a_chan, subcommand="add",
                              options={"url": pages.base + "/ferry/tromso", "everywhere": True}, permissions=MANAGE_GUILD)
        assert "tromso: added" in shared, shared
        assert "tromso" in (await _slash(fake, "articles", fake.user("r"), b_chan, subcommand="list")).lower()
        shared_gone = await _slash(fake, "articles", mod_b, b_chan, subcommand="remove", options={"article": "tromso"},
                                   permissions=MANAGE_GUILD)
        assert "only the bot's operator can remove it" in shared_gone
        # A removes its own; B's stats never show A's questions.
        gone = await _slash(fake, "articles", mod_a, a_chan, subcommand="remove", options={"article": "oslo"},
                            permissions=MANAGE_GUILD)
        assert "oslo: removed" in gone
        assert "every hour" in await _ask(fake, q, a_chan)  # the shared Tromsø page says it too
        stats_b = await _slash(fake, "stats", mod_b, b_chan, permissions=MANAGE_GUILD)
        # B asked one question (the invalid one-article question is not recorded); A asked three.
        assert "Questions 1\n" in stats_b and "boat company" not in stats_b.lower()
        assert "Questions 3\n" in await _slash(fake, "stats", mod_a, a_chan, permissions=MANAGE_GUILD)
