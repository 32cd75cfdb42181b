"""End to end: /articles add|list|remove, /reindex [article:] and answer freshness, against
tests/fakediscord and a local article server on 127.0.0.1 (ALLOW_PRIVATE_SOURCES on for the test).

Also the same commands in the terminal chat, and the settings (ALLOWED_SOURCE_HOSTS) reaching the service.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from fakediscord import MANAGE_GUILD, FakeDiscord
from localweb import serve

from bot.__main__ import build_service
from bot.settings import Settings
from bot.terminal import respond, to_text
from index.corpus import DEFAULT_ARTICLES_DIR
from index.service import AUDIT_FILE

T = 10.0
SHIPPED = DEFAULT_ARTICLES_DIR / "trump-putin-alaska.txt"
BRIDGE_Q = "When will the harbour bridge in Gdańsk reopen to traffic?"


def bridge_html(month: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Bridge to reopen | Coast News</title>
<meta name="author" content="Jan Reporter"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Gdańsk harbour bridge to reopen</h1>
<p>The harbour bridge in Gdańsk will reopen to traffic in {month}, the city council announced on Tuesday after a long inspection.</p>
<p>Engineers found deep cracks in two of the concrete pillars last winter, and the repairs cost 12 million euros in total.</p>
<p>"We replaced both pillars and tested the deck with heavy lorries," said Marta Wiśniewska, the chief engineer of the city.</p>
</article><footer>Copyright Coast News.</footer></body></html>"""


class Site:
    def __init__(self) -> None:
        self.month: str | None = "June"  # None: 404
        self.base = ""

    async def article(self, request: web.Request) -> web.Response:
        if self.month is None:
            return web.Response(status=404, text="gone")
        return web.Response(text=bridge_html(self.month), content_type="text/html")


@pytest.fixture
async def site():
    s = Site()
    app = web.Application()
    app.router.add_get("/news/bridge-reopens", s.article)
    async with serve(app) as s.base:
        yield s


def _settings(tmp_path: Path, sources: list[str], **kw: Any) -> Settings:
    values = dict(article_sources=sources, index_dir=tmp_path / "idx", allow_private_sources=True,
                  allowed_source_hosts="127.0.0.1", reindex_interval_seconds=0)  # rate limits: test_guild_scope.py
    values.update(kw)
    return Settings(_env_file=None, **values)


def _embed(rec) -> dict:
    body = rec.messages[-1]
    assert body.get("flags", 0) & 64, body  # ephemeral: only the moderator sees it
    return body["embeds"][0]


def _ephemeral_text(rec) -> str:
    [body] = [b for b in rec.bodies if b.get("content")]
    assert body.get("flags", 0) & 64, body
    return body["content"]


async def _ask(fake: FakeDiscord, question: str) -> dict:
    rec = await fake.slash("ask", fake.user("reader"), options={"question": question})
    await fake.wait_for(lambda: rec.messages, T)
    return rec.messages[0]["embeds"][0]


async def test_moderators_add_reindex_and_remove_a_url_article(fake: FakeDiscord, start_bot, site, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path, [str(SHIPPED)])
    service = await asyncio.wait_for(asyncio.to_thread(build_service, settings), T)
    bot = await start_bot(service, moderator_role_ids=[int(fake.moderator_role_id)])
    assert bot.service.policy.allowed_hosts == ("127.0.0.1",) and bot.service.policy.allow_private
    group = next(c for c in fake.commands[fake.guild_id] if c["name"] == "articles")
    assert {o["name"] for o in group["options"]} == {"add", "remove", "list"}
    url = site.base + "/news/bridge-reopens"
    mod = fake.user("mod")

    # a non-moderator cannot add; nothing changes
    denied = await fake.slash("articles", fake.user("eve"), subcommand="add", options={"url": url})
    await fake.wait_for(lambda: denied.bodies, T)
    assert "Manage Server or a moderator role" in _ephemeral_text(denied)
    assert service.sources() == [str(SHIPPED)]

    # a moderator adds the URL article
    added = await fake.slash("articles", mod, subcommand="add", options={"url": url}, roles=[fake.moderator_role_id])
    await fake.wait_for(lambda: added.messages, T)
    embed = _embed(added)
    assert embed["title"] == "Source added" and "bridge-reopens: added: passages +4/-0, quotes +1/-0, experts +Marta Wiśniewska" in embed["description"]
    assert f"by mod ({mod['id']})" in embed["footer"]["text"]

    # /about lists it with author, URL and freshness
    about = await fake.slash("about", fake.user("reader"))
    await fake.wait_for(lambda: about.messages, T)
    fields = {f["name"]: f["value"] for f in about.messages[0]["embeds"][0]["fields"]}
    assert "Gdańsk harbour bridge to reopen" in fields["bridge-reopens"] and "By Jan Reporter" in fields["bridge-reopens"]
    assert url in fields["bridge-reopens"] and "indexed just now" in fields["bridge-reopens"]
    assert "indexed just now" in fields["trump-putin-alaska"]

    # answered from it, with the freshness in the footer
    answer = await _ask(fake, BRIDGE_Q)
    assert "June" in answer["description"] and "indexed just now" in answer["footer"]["text"]

    # the page changes; /reindex article: picks it up
    ac = await fake.autocomplete("reindex", mod, "article", "bri")
    assert [c["value"] for c in await fake.wait_for(lambda: ac.choices, T)] == ["bridge-reopens"]
    site.month = "September"
    re1 = await fake.slash("reindex", mod, options={"article": "bridge-reopens"}, roles=[fake.moderator_role_id])
    await fake.wait_for(lambda: re1.messages, T)
    embed = _embed(re1)
    assert embed["title"] == "Index refreshed" and "bridge-reopens: updated: passages +1/-1, quotes +0/-0" in embed["description"]
    assert "trump-putin-alaska" not in embed["description"]  # only the one article was refreshed
    assert "September" in (await _ask(fake, BRIDGE_Q))["description"]

    # the page is gone: /reindex (all) reports the failure and the old answer stays
    site.month = None
    re2 = await fake.slash("reindex", mod, permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: re2.messages, T)
    embed = _embed(re2)
    assert embed["title"] == "Refresh had problems"
    assert "bridge-reopens: failed (previous version kept): " in embed["description"] and "HTTP 404" in embed["description"]
    assert "trump-putin-alaska: unchanged" in embed["description"]
    assert "September" in (await _ask(fake, BRIDGE_Q))["description"]

    # refusals are one ephemeral line; nothing is lost
    for bad, why in (("ftp://127.0.0.1/x", "only http and https"),
                     (url.replace("127.0.0.1", "localhost"), "not in the allowed source hosts"),
                     (site.base + "/missing", "HTTP 404")):
        refused = await fake.slash("articles", mod, subcommand="add", options={"url": bad}, permissions=MANAGE_GUILD)
        await fake.wait_for(lambda: refused.bodies, T)
        text = _ephemeral_text(refused)
        assert text.startswith("Not added: ") and why in text and "\n" not in text, text
    assert len(service.view(int(fake.guild_id)).corpus.articles) == 2  # the shared article and this server's

    # anyone can list; removal is autocompleted and removes it
    listing = await fake.slash("articles", fake.user("reader"), subcommand="list")
    await fake.wait_for(lambda: listing.messages, T)
    desc = _embed(listing)["description"]
    assert "`bridge-reopens` — [Gdańsk harbour bridge to reopen]" in desc and "indexed just now" in desc
    ac = await fake.autocomplete("articles", mod, "article", "", subcommand="remove")
    choices = await fake.wait_for(lambda: ac.choices, T)
    assert {c["value"] for c in choices} == {"trump-putin-alaska", "bridge-reopens"}
    assert all(len(c["name"]) <= 100 for c in choices)
    denied = await fake.slash("articles", fake.user("eve"), subcommand="remove", options={"article": "bridge-reopens"})
    await fake.wait_for(lambda: denied.bodies, T)
    assert "Manage Server" in _ephemeral_text(denied)
    removed = await fake.slash("articles", mod, subcommand="remove", options={"article": "bridge-reopens"}, roles=[fake.moderator_role_id])
    await fake.wait_for(lambda: removed.messages, T)
    assert "bridge-reopens: removed" in _embed(removed)["description"]
    assert [a.id for a in service.corpus.articles] == ["trump-putin-alaska"]
    assert "Jan Reporter" not in str((await _ask(fake, BRIDGE_Q)))

    # who and when: in the service's audit log and in the bot's log
    audit = [json.loads(line) for line in (tmp_path / "idx" / AUDIT_FILE).read_text().splitlines()]
    actions = [(e["action"], e["actor"]) for e in audit]
    assert ("add", f"mod ({mod['id']})") in actions and ("remove", f"mod ({mod['id']})") in actions
    assert ("refresh", f"mod ({mod['id']})") in actions
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.replies.moderation"]
    assert any(m.startswith(f"add of {url} by mod ({mod['id']}) at ") for m in logged)
    assert any(m.startswith(f"remove of bridge-reopens by mod ({mod['id']}) at ") for m in logged)


async def test_reindex_unknown_article_is_a_one_line_refusal(fake: FakeDiscord, start_bot, tmp_path):
    service = await asyncio.to_thread(build_service, _settings(tmp_path, [str(SHIPPED)]))
    await start_bot(service)
    rec = await fake.slash("reindex", fake.user("mod"), options={"article": "nope"}, permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: rec.bodies, T)
    assert _ephemeral_text(rec) == "Not refreshed: no article with the id 'nope'; see /articles list — nothing already indexed has changed."


# -- the terminal chat -------------------------------------------------------------------------


def test_terminal_reindex_and_articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SHIPPED, folder)
    shutil.copy(SHIPPED.with_suffix(".json"), folder)
    svc = build_service(_settings(tmp_path, [str(folder)]))

    def run(line: str) -> str:
        return "\n".join(to_text(r) for r in respond(svc, line))

    assert "trump-putin-alaska: unchanged" in run("/reindex")
    outside = tmp_path / "ferry.txt"
    outside.write_text("Ferry tickets will cost 3 euros from May, the operator said.\n")
    # Files come only from ARTICLE_SOURCES, never from a chat command, even the operator's.
    assert run(f"/articles add {outside}").startswith("Not added: only http(s) URLs can be added")
    ferry = folder / "ferry.txt"
    ferry.write_text("Ferry tickets will cost 3 euros from May, the operator said.\n")
    assert "ferry: added" in run("/reindex")
    assert "3 euros" in run("How much will ferry tickets cost?")
    ferry.write_text("Ferry tickets will cost 5 euros from May, the operator said.\n")
    assert "ferry: updated" in run("/reindex ferry")
    assert "indexed just now" in run("How much will ferry tickets cost?")
    listing = run("/articles")
    assert "`ferry` — **ferry**" not in listing and "`ferry` — ferry" in listing and "indexed just now" in listing
    assert run("/articles add ftp://x/y").startswith("Not added: only http and https")
    assert "ferry: removed" in run("/articles remove ferry")
    assert run("/articles frobnicate").startswith("Usage: /articles")
    audit = (tmp_path / "idx" / AUDIT_FILE).read_text()
    assert "(terminal)" in audit


# -- settings ----------------------------------------------------------------------------------


def test_allowed_source_hosts_setting(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALLOWED_SOURCE_HOSTS", "apnews.com, WWW.Reuters.com ,")
    assert Settings().source_hosts == ["apnews.com", "www.reuters.com"]
    monkeypatch.setenv("ALLOWED_SOURCE_HOSTS", "")
    assert Settings().source_hosts is None
