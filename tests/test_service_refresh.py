"""End to end: a local HTTP server on 127.0.0.1 serves an article, then a changed one, then errors.

The answers follow the change; errors (404, timeout, huge body, binary, empty page) leave
the previous answers in place and the report says what happened. Also: start-up with a
saved index, with a changed source, with a corrupt index; serialised refreshes; questions
answered from the old index while a refresh is running; source add/remove persisting.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from aiohttp import web

from localweb import serve

from index.corpus import DEFAULT_ARTICLES_DIR
from index.service import AUDIT_FILE, QAService
from index.catalog.fetch import FetchPolicy
from index.catalog.snapshot import MANIFEST

SHIPPED = DEFAULT_ARTICLES_DIR / "trump-putin-alaska.txt"


def bridge_html(month: str, extra: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Bridge to reopen | Coast News</title>
<meta name="author" content="Jan Reporter"><meta property="article:published_time" content="2025-03-14">
</head><body><nav><a href="/">Home</a> | <a href="/sport">Sport</a></nav>
<article><h1>Gdańsk harbour bridge to reopen</h1>
<p>The harbour bridge in Gdańsk will reopen to traffic in {month}, the city council announced on Tuesday after a long inspection.</p>
<p>Engineers found deep cracks in two of the concrete pillars last winter, and the repairs cost 12 million euros in total.</p>
<p>"We replaced both pillars and tested the deck with heavy lorries," said Marta Wiśniewska, the chief engineer of the city.</p>
<p>Ferry services across the harbour channel will continue until the bridge reopens, the transport office said.</p>
{extra}</article><footer>Copyright Coast News. All rights reserved.</footer></body></html>"""


class Site:
    """What the local server serves, changed by the tests."""

    def __init__(self) -> None:
        self.mode = "v1"
        self.hits = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.gate: asyncio.Event | None = None  # when set, responses wait for it
        self.stop = asyncio.Event()  # set at teardown: ends the slow response at once
        self.base = ""

    async def article(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                await asyncio.wait_for(self.gate.wait(), 5)
            return await self._respond(request)
        finally:
            self.in_flight -= 1

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        mode = self.mode
        if mode == "v1":
            return web.Response(text=bridge_html("June"), content_type="text/html")
        if mode == "v2":
            extra = "<p>Cyclists will get a separate lane on the bridge, the mayor promised at the press conference.</p>"
            return web.Response(text=bridge_html("September", extra), content_type="text/html")
        if mode == "404":
            return web.Response(status=404, text="gone")
        if mode == "timeout":
            try:
                await asyncio.wait_for(self.stop.wait(), 3)
            except asyncio.TimeoutError:
                pass
            return web.Response(text=bridge_html("never"), content_type="text/html")
        if mode == "huge":
            resp = web.StreamResponse(headers={"Content-Type": "text/plain"})  # no Content-Length: streamed
            await resp.prepare(request)
            for _ in range(40):
                await resp.write(b"The bridge. " * 10_000)
            return resp
        if mode == "binary":
            return web.Response(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, content_type="image/png")
        if mode == "binary-as-text":
            return web.Response(body=b"GIF89a\x00\x01\x00\x00" + bytes(range(256)), content_type="text/plain")
        if mode == "empty":
            return web.Response(text="   ", content_type="text/html")
        raise AssertionError(mode)

    async def plain(self, request: web.Request) -> web.Response:
        return web.Response(text="Ferry tickets will cost 3 euros from May, the operator said.\n"
                                 "Children under seven will travel for free on all ferry lines.\n", content_type="text/plain")

    async def redirect(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        target = "/news/bridge-reopens" if n <= 0 else f"/r/{n - 1}"
        raise web.HTTPFound(target)

    async def elsewhere(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(self.base.replace("127.0.0.1", "localhost") + "/news/bridge-reopens")


@pytest.fixture
async def site():
    s = Site()
    app = web.Application()
    app.router.add_get("/news/bridge-reopens", s.article)
    app.router.add_get("/ferry.txt", s.plain)
    app.router.add_get("/r/{n}", s.redirect)
    app.router.add_get("/elsewhere", s.elsewhere)
    async with serve(app) as s.base:
        yield s
        s.stop.set()
        if s.gate is not None:
            s.gate.set()


POLICY = FetchPolicy(allow_private=True, timeout=1.0, max_bytes=200_000, max_redirects=3)


def open_service(sources, index_dir: Path, policy: FetchPolicy = POLICY) -> QAService:
    return QAService.open([str(s) for s in sources], index_dir, policy=policy)


def answer_text(service: QAService, question: str) -> str:
    a = service.ask(question)
    assert a.answered, a.reason
    return a.answer.text


BRIDGE_Q = "When will the harbour bridge in Gdańsk reopen to traffic?"


async def test_url_article_follows_changes_and_errors_keep_the_old_answers(site, tmp_path):
    url = site.base + "/news/bridge-reopens"
    svc = await asyncio.to_thread(open_service, [SHIPPED, url], tmp_path / "idx")
    assert [a.id for a in svc.corpus.articles] == ["trump-putin-alaska", "bridge-reopens"]
    meta = svc.corpus.article("bridge-reopens").meta
    assert (meta.title, meta.author, meta.published, meta.url) == ("Gdańsk harbour bridge to reopen", "Jan Reporter", "2025-03-14", url)
    assert "Home" not in svc.corpus.article("bridge-reopens").text  # navigation and footer are not the article
    assert "June" in answer_text(svc, BRIDGE_Q)
    assert svc.ask(BRIDGE_Q).answer.article == "bridge-reopens"

    site.mode = "v2"
    report = await svc.refresh(actor="mod#1")
    assert report.ok and report.swapped and report.saved
    by_id = {c.id: c for c in report.changes}
    assert by_id["trump-putin-alaska"].status == "unchanged"
    change = by_id["bridge-reopens"]
    assert change.status == "updated" and change.passages_added == 2 and change.passages_removed == 1
    assert "bridge-reopens: updated: passages +2/-1" in report.lines[1]
    assert "September" in answer_text(svc, BRIDGE_Q)

    expected = {
        "404": "HTTP 404",
        "timeout": "timed out after 1 s",
        "huge": "over the 200,000-byte limit",
        "binary": "not a text page",
        "binary-as-text": "not a text page",
        "empty": "empty page",
    }
    for mode, why in expected.items():
        site.mode = mode
        report = await svc.refresh("bridge-reopens", actor="mod#1")
        assert not report.ok and not report.swapped, mode
        [change] = report.changes
        assert change.status == "failed" and change.kept_previous, mode
        assert why in change.reason and "\n" not in change.reason, (mode, change.reason)
        assert report.lines == [f"bridge-reopens: failed (previous version kept): {change.reason}"]
        assert "September" in answer_text(svc, BRIDGE_Q), mode  # the old answer stays

    audit = [json.loads(line) for line in (tmp_path / "idx" / AUDIT_FILE).read_text().splitlines()]
    assert [e["actor"] for e in audit[-7:]] == ["mod#1"] * 7
    assert audit[-1]["lines"][0].startswith("bridge-reopens: failed")


async def test_questions_meanwhile_use_the_old_index_and_refreshes_are_serialised(site, tmp_path):
    url = site.base + "/news/bridge-reopens"
    svc = await asyncio.to_thread(open_service, [url], tmp_path / "idx")
    site.mode = "v2"
    site.gate = asyncio.Event()
    first = asyncio.create_task(svc.refresh(actor="a"))
    second = asyncio.create_task(svc.refresh(actor="b"))
    for _ in range(200):
        if site.hits >= 2:
            break
        await asyncio.sleep(0.01)
    assert site.hits == 2 and site.in_flight == 1  # the second refresh waits for the first
    assert "June" in answer_text(svc, BRIDGE_Q)  # answered from the old index meanwhile
    site.gate.set()
    r1, r2 = await asyncio.wait_for(asyncio.gather(first, second), 10)
    assert site.max_in_flight == 1
    assert [c.status for c in r1.changes] == ["updated"] and [c.status for c in r2.changes] == ["unchanged"]
    assert "September" in answer_text(svc, BRIDGE_Q)


async def test_redirects_are_limited_and_each_hop_is_checked(site, tmp_path):
    svc = await asyncio.to_thread(open_service, [SHIPPED], tmp_path / "idx",
                                  FetchPolicy(allow_private=True, allowed_hosts=("127.0.0.1",), timeout=2, max_redirects=3))
    ok = await svc.add_source(site.base + "/r/2", actor="mod")
    assert ok.ok and [c.status for c in ok.changes] == ["added"], ok.lines
    too_many = await svc.add_source(site.base + "/r/5", actor="mod")
    assert not too_many.ok and "more than 3 redirects" in too_many.lines[0]
    off_list = await svc.add_source(site.base + "/elsewhere", actor="mod")
    assert not off_list.ok and "host localhost is not in the allowed source hosts" in off_list.lines[0]
    assert len(svc.corpus.articles) == 2  # the failed additions changed nothing


async def test_private_addresses_are_refused_unless_allowed(site, tmp_path):
    svc = await asyncio.to_thread(open_service, [SHIPPED], tmp_path / "idx", FetchPolicy(timeout=2))
    report = await svc.add_source(site.base + "/ferry.txt", actor="mod")
    assert not report.ok and "loopback" in report.lines[0] and site.hits == 0
    report = await svc.add_source(site.base.replace("127.0.0.1", "localhost") + "/ferry.txt", actor="mod")
    assert not report.ok and "resolves to 127.0.0.1" in report.lines[0], report.lines
    assert svc.sources() == [str(SHIPPED)]


async def test_add_and_remove_sources_persist_across_restarts(site, tmp_path):
    idx = tmp_path / "idx"
    svc = await asyncio.to_thread(open_service, [SHIPPED], idx)
    ferry = site.base + "/ferry.txt"
    report = await svc.add_source(ferry, actor="mod#7")
    assert report.ok and report.lines[0].startswith("ferry: added: passages +2/-0, quotes +")
    assert "3 euros" in answer_text(svc, "How much will ferry tickets cost from May?")
    again = await svc.add_source(ferry, actor="mod#7")
    assert not again.ok and "already one of the shared articles" in again.lines[0]

    svc2 = await asyncio.to_thread(open_service, [SHIPPED], idx)  # same settings: the addition is kept
    assert svc2.sources() == [str(SHIPPED), ferry] and svc2.startup[-1].startswith("loaded the saved index")
    report = await svc2.remove_source("trump-putin-alaska", actor="mod#8")
    assert report.ok and [(c.id, c.status) for c in report.changes] == [("trump-putin-alaska", "removed")]
    refused = await svc2.remove_source("ferry", actor="mod#8")
    assert not refused.ok and "every article" in refused.lines[0]

    svc3 = await asyncio.to_thread(open_service, [SHIPPED], idx)  # the removal is kept too
    assert svc3.sources() == [ferry] and [a.id for a in svc3.corpus.articles] == ["ferry"]
    actions = [(e["action"], e["actor"]) for e in map(json.loads, (idx / AUDIT_FILE).read_text().splitlines())]
    assert ("add", "mod#7") in actions and ("remove", "mod#8") in actions


# --- start-up ---------------------------------------------------------------------------------


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SHIPPED, folder)
    shutil.copy(SHIPPED.with_suffix(".json"), folder)
    (folder / "ferry.txt").write_text("Ferry tickets will cost 3 euros from May, the operator said.\n")
    return folder


def test_startup_loads_the_saved_index_when_sources_are_unchanged(tmp_path):
    folder, idx = _folder(tmp_path), tmp_path / "idx"
    first = open_service([folder], idx)
    assert first.startup[0].startswith("rebuilding the index: no saved index")
    second = open_service([folder], idx)
    assert second.startup == [f"loaded the saved index from {idx} (2 articles, built just now)"]
    q = "Where will the presidents meet?"
    assert second.ask(q).model_dump() == first.ask(q).model_dump()
    assert second.indexed_ago("ferry") == "indexed just now"


def test_startup_rebuilds_when_a_source_changed(tmp_path):
    folder, idx = _folder(tmp_path), tmp_path / "idx"
    open_service([folder], idx)
    (folder / "ferry.txt").write_text("Ferry tickets will cost 5 euros from May, the operator said.\n")
    svc = open_service([folder], idx)
    assert svc.startup[0] == f"rebuilding the index: {folder / 'ferry.txt'} changed"
    assert any(line.startswith("ferry: updated: passages +1/-1, quotes") for line in svc.startup)
    assert "5 euros" in answer_text(svc, "How much will ferry tickets cost?")
    (folder / "bus.txt").write_text("Buses will run every ten minutes on the bridge.\n")
    svc = open_service([folder], idx)
    assert svc.startup[0] == f"rebuilding the index: the files in {folder} changed"
    assert [a.id for a in svc.corpus.articles] == ["bus", "ferry", "trump-putin-alaska"]
    assert open_service([folder], idx).startup[0].startswith("loaded the saved index")


@pytest.mark.parametrize("damage", ["snapshot", "segment", "manifest", "old-format"])
def test_startup_rebuilds_a_corrupt_or_old_index_without_crashing(tmp_path, damage):
    folder, idx = _folder(tmp_path), tmp_path / "idx"
    open_service([folder], idx)
    manifest = json.loads((idx / MANIFEST).read_text())
    if damage in ("snapshot", "segment"):
        snap = idx / (manifest["snapshot"] if damage == "snapshot" else manifest["segments"][-1]["name"])
        data = bytearray(snap.read_bytes())
        data[len(data) // 2] ^= 0xFF
        snap.write_bytes(bytes(data))
    elif damage == "manifest":
        (idx / MANIFEST).write_text((idx / MANIFEST).read_text()[:100])
    else:
        manifest["format_version"] = 0
        (idx / MANIFEST).write_text(json.dumps(manifest))
    svc = open_service([folder], idx)
    assert svc.startup[0].startswith("rebuilding the index: ")
    reason = {"snapshot": "does not match its manifest", "manifest": "not valid JSON", "old-format": "format version 0",
              "segment": f"segment {manifest['segments'][-1]['name']} does not match its manifest"}[damage]
    assert reason in svc.startup[0]
    assert "Anchorage" in answer_text(svc, "Where will the presidents meet?")
    assert open_service([folder], idx).startup[0].startswith("loaded the saved index")  # and the rebuilt one was saved


def test_a_failed_file_keeps_its_previous_version(tmp_path):
    folder, idx = _folder(tmp_path), tmp_path / "idx"
    svc = open_service([folder], idx)
    (folder / "ferry.txt").write_bytes(b"\x00\x01binary")
    report = asyncio.run(svc.refresh("ferry", actor="mod"))
    assert report.lines == [f"ferry: failed (previous version kept): {folder / 'ferry.txt'} is not a text file"]
    assert "3 euros" in answer_text(svc, "How much will ferry tickets cost?")
