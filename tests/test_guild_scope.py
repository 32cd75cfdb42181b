"""Articles scoped to the server that added them, the operator's shared ones, refresh rate limits, and
the data-safety rules of the saved index (two processes, pages that are down, killed saves), at the
service level with a local article server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from aiohttp import web

from localweb import serve

from index.catalog import files
from index.corpus import Corpus
from index.service import memory, qa
from index.catalog import snapshot as store
from index.corpus import DEFAULT_ARTICLES_DIR
from index.service import SOURCES_FILE, QAService, RefreshLimiter, SourceList
from index.catalog.fetch import FetchPolicy

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = DEFAULT_ARTICLES_DIR / "trump-putin-alaska.txt"
POLICY = FetchPolicy(allow_private=True, timeout=2.0)
A, B = 111, 222  # two servers

FERRY = """<!doctype html><html><head><title>{town} ferry | Coast News</title></head><body><article>
<h1>{town} ferry to run every hour</h1>
<p>The ferry between {town} and the island will run every hour from May, the harbour office announced.</p>
<p>"We bought two new boats for the summer," said {name}, the director of the ferry company in {town}.</p>
</article></body></html>"""
DIRECTORS = {"oslo": "Ewa Lindqvist", "bergen": "Nils Haugen", "tromso": "Kari Dahl"}


class Site:
    def __init__(self) -> None:
        self.down: set[str] = set()
        self.hits: list[str] = []
        self.base = ""

    async def page(self, request: web.Request) -> web.Response:
        town = request.match_info["town"]
        self.hits.append(town)
        if town in self.down:
            return web.Response(status=503, text="down")
        return web.Response(text=FERRY.format(town=town.capitalize(), name=DIRECTORS.get(town, "Jon Berg")),
                            content_type="text/html")


@pytest.fixture
async def site():
    s = Site()
    app = web.Application()
    app.router.add_get("/ferry/{town}", s.page)
    async with serve(app) as s.base:
        yield s


def _open(index_dir: Path, **kw) -> QAService:
    return QAService.open([str(SHIPPED)], index_dir, policy=POLICY, **kw)


async def _svc(tmp_path: Path, **kw) -> QAService:
    return await asyncio.to_thread(_open, tmp_path / "idx", **kw)


def _ids(view) -> list[str]:
    return [a.id for a in view.corpus.articles] if view.corpus is not None else []


# --- what each server sees ------------------------------------------------------------------------


async def test_a_servers_article_is_seen_by_that_server_only(site, tmp_path):
    svc = await _svc(tmp_path)
    report = await svc.add_source(site.base + "/ferry/oslo", actor="mod-a", guild_id=A)
    assert report.ok, report.lines
    assert _ids(svc.view(A)) == ["trump-putin-alaska", "oslo"]
    assert _ids(svc.view(B)) == ["trump-putin-alaska"] and _ids(svc.view(None)) == ["trump-putin-alaska"]
    q = "When will the ferry run every hour?"
    assert svc.ask(q, guild_id=A).answered
    assert not svc.ask(q, guild_id=B).answered and not svc.ask(q).answered
    assert not svc.ask(q, "oslo", guild_id=B).answered  # naming it does not help
    assert svc.expert("Lindqvist", guild_id=A).expert is not None
    assert svc.expert("Lindqvist", guild_id=B).expert is None
    assert "Ewa Lindqvist" not in [e.name for e in svc.experts(B)]
    assert [a.id for a in svc.about(B).articles] == ["trump-putin-alaska"]
    assert site.base + "/ferry/oslo" not in svc.view(B).sources()
    # The report the moderator gets counts what their server serves.
    assert len(report.info.articles) == 2


async def test_another_servers_articles_do_not_move_this_ones_scores(site, tmp_path):
    svc = await _svc(tmp_path)
    q = "How does Europe see the meeting of Trump and Putin?"
    before = svc.ask(q, guild_id=B)
    for town in ("oslo", "bergen"):
        await svc.add_source(site.base + f"/ferry/{town}", actor="mod-a", guild_id=A)
    after = svc.ask(q, guild_id=B)
    assert (after.answer.start, after.confidence) == (before.answer.start, before.confidence)


async def test_removal_and_refresh_stay_inside_the_server(site, tmp_path):
    svc = await _svc(tmp_path, refresh_interval=0)
    oslo = site.base + "/ferry/oslo"
    await svc.add_source(oslo, actor="mod-a", guild_id=A)
    await svc.add_source(oslo, actor="mod-b", guild_id=B)  # the same page, added by both
    assert "oslo" in _ids(svc.view(A)) and "oslo" in _ids(svc.view(B))
    gone = await svc.remove_source("oslo", actor="mod-b", guild_id=B)
    assert gone.ok and [c.status for c in gone.changes] == []  # still A's: only B's claim went
    assert "oslo" in _ids(svc.view(A)) and "oslo" not in _ids(svc.view(B))
    for call in (svc.remove_source("oslo", actor="mod-b", guild_id=B), svc.refresh("oslo", actor="mod-b", guild_id=B)):
        refused = await call
        assert not refused.ok and "'oslo'" in refused.lines[0] and "see /articles list" in refused.lines[0]
    hits = len(site.hits)
    await svc.refresh(actor="mod-b", guild_id=B)
    assert len(site.hits) == hits  # B's refresh does not fetch A's page
    shared = await svc.remove_source("trump-putin-alaska", actor="mod-a", guild_id=A)
    assert not shared.ok and "only the bot's operator can remove it" in shared.lines[0]
    mine = await svc.remove_source("oslo", actor="mod-a", guild_id=A)
    assert [(c.id, c.status) for c in mine.changes] == [("oslo", "removed")]
    assert svc.guild_sources(A) == [] and _ids(svc.view(A)) == ["trump-putin-alaska"]


async def test_only_urls_and_a_cap_per_server_and_shared_additions_by_the_operator(site, tmp_path):
    svc = await _svc(tmp_path, guild_article_limit=2)
    for bad in (str(SHIPPED), "articles", "file:///etc/passwd", "/dev/zero", "~/.env"):
        r = await svc.add_source(bad, actor="mod", guild_id=A)
        assert not r.ok and "only http(s) URLs can be added" in r.lines[0] or "only http and https" in r.lines[0], r.lines
    for town in ("oslo", "bergen"):
        assert (await svc.add_source(site.base + f"/ferry/{town}", actor="mod", guild_id=A)).ok
    capped = await svc.add_source(site.base + "/ferry/tromso", actor="mod", guild_id=A)
    assert not capped.ok and "already has 2 articles of its own, the most it may add (2)" in capped.lines[0]
    assert (await svc.add_source(site.base + "/ferry/tromso", actor="mod", guild_id=B)).ok  # B's own count
    not_op = await svc.add_source(site.base + "/ferry/narvik", actor="mod", guild_id=A, everywhere=True)
    assert not not_op.ok and "only the bot's operator" in not_op.lines[0]
    op = await svc.add_source(site.base + "/ferry/narvik", actor="owner", guild_id=A, operator=True, everywhere=True)
    assert op.ok and "narvik" in _ids(svc.view(B)) and "narvik" in _ids(svc.view(None))
    again = await svc.add_source(site.base + "/ferry/narvik", actor="mod", guild_id=B)
    assert not again.ok and "already one of the shared articles" in again.lines[0]


async def test_refreshes_from_servers_are_rate_limited_whoever_asks(site, tmp_path):
    svc = await _svc(tmp_path)
    now = [1000.0]
    svc.limiter = RefreshLimiter(300, clock=lambda: now[0])
    await svc.add_source(site.base + "/ferry/oslo", actor="mod-a", guild_id=A)
    first = await svc.refresh(actor="mod-a", guild_id=A)
    assert first.ok and {c.id for c in first.changes} == {"trump-putin-alaska", "oslo"}
    now[0] += 60
    from_b = await svc.refresh(actor="mod-b", guild_id=B)  # the shared set was refreshed from A a minute ago
    assert not from_b.ok and "next possible in 4 minutes (at " in from_b.lines[0]
    single = await svc.refresh("trump-putin-alaska", actor="mod-b", guild_id=B)
    assert not single.ok and "refreshed recently" in single.lines[0]
    operator = await svc.refresh(actor="owner", guild_id=B, operator=True)
    assert operator.ok and [c.id for c in operator.changes] == ["trump-putin-alaska"]
    now[0] += 241
    assert (await svc.refresh(actor="mod-b", guild_id=B)).ok


def test_refresh_limiter_table():
    now = [0.0]
    lim = RefreshLimiter(300, clock=lambda: now[0])
    assert lim.wait("shared") == 0
    lim.use("shared")
    now[0] = 100
    assert lim.wait("shared") == 200 and lim.wait("guild:1") == 0
    now[0] = 300
    assert lim.wait("shared") == 0
    assert RefreshLimiter(0).wait("x") == 0


def test_source_list_shared_and_per_server():
    sl = SourceList(added=["u1"], removed=["c2"], guilds={"7": ["g1", "u1"], "8": ["g1", "g2"]})
    assert sl.shared(["c1", "c2"]) == ["c1", "u1"]
    assert sl.effective(["c1", "c2"]) == ["c1", "u1", "g1", "g2"]
    assert sl.of_guild(7) == ["g1", "u1"] and sl.of_guild(9) == []
    old = SourceList.model_validate_json('{"version": 1, "added": ["x"], "removed": []}')  # a v1 file still reads
    assert old.guilds == {} and old.shared([]) == ["x"]


# --- the saved index: several processes, pages that are down, killed saves ---------------------------

_ADD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from index.service import QAService
    from index.catalog.fetch import FetchPolicy
    svc = QAService.open([sys.argv[1]], Path(sys.argv[2]), policy=FetchPolicy(allow_private=True, timeout=5))
    Path(sys.argv[4] + ".ready").write_text("1")
    while not Path(sys.argv[2], "go").exists():   # both processes have opened the index before either adds
        pass
    report = asyncio.run(svc.add_source(sys.argv[3], actor="operator"))
    print("OK" if report.ok else "FAILED " + " | ".join(report.lines))
""")


async def test_two_processes_on_one_index_dir_lose_nothing(site, tmp_path):
    idx = tmp_path / "idx"
    await asyncio.to_thread(_open, idx)
    procs = []
    for n, town in enumerate(("oslo", "bergen")):
        procs.append(await asyncio.create_subprocess_exec(
            sys.executable, "-c", _ADD, str(SHIPPED), str(idx), site.base + f"/ferry/{town}", str(tmp_path / f"p{n}"),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE))
    for n in range(2):
        while not (tmp_path / f"p{n}.ready").exists():
            await asyncio.sleep(0.05)
    (idx / "go").write_text("1")
    outs = [await asyncio.wait_for(p.communicate(), 60) for p in procs]
    assert [o.decode().strip() for o, _ in outs] == ["OK", "OK"], outs
    sources = SourceList.model_validate_json((idx / SOURCES_FILE).read_bytes())
    assert sorted(sources.added) == [site.base + "/ferry/bergen", site.base + "/ferry/oslo"]  # neither addition lost
    manifest, corpus = store.load(idx)  # the manifest names a snapshot that exists and matches
    assert {"oslo", "bergen"} <= {a.id for a in corpus.articles}
    assert len(list(idx.glob("corpus-*.pkl"))) == 1
    assert sorted(p.relative_to(idx).as_posix() for p in (idx / "segments").iterdir()) == sorted(
        s.name for s in manifest.segments)  # one per article, none left over
    svc = await asyncio.to_thread(_open, idx)
    assert svc.startup[-1].startswith("loaded the saved index") and {"oslo", "bergen"} <= set(_ids(svc))


async def test_a_rebuild_keeps_url_articles_whose_pages_are_down(site, tmp_path):
    idx = tmp_path / "idx"
    svc = await asyncio.to_thread(_open, idx)
    await svc.add_source(site.base + "/ferry/oslo", actor="operator")
    (idx / store.MANIFEST).write_text("{ broken")  # an upgrade or a corrupt index: everything is rebuilt
    site.down.add("oslo")
    again = await asyncio.to_thread(_open, idx)
    assert "oslo" in _ids(again) and again.ask("When will the ferry run every hour?").answered
    assert any("oslo: HTTP 503" in line and "serving the copy saved at its last fetch" in line for line in again.startup)
    # Back up: the next refresh fetches it again.
    site.down.clear()
    report = await again.refresh(actor="owner")
    assert any(c.id == "oslo" and c.status == "unchanged" for c in report.changes), report.lines


async def test_the_saved_copy_of_a_removed_page_is_deleted(site, tmp_path):
    idx = tmp_path / "idx"
    svc = await asyncio.to_thread(_open, idx)
    await svc.add_source(site.base + "/ferry/oslo", actor="mod", guild_id=A)
    assert len(list((idx / files.PAGES_DIR).glob("*.json"))) == 1
    await svc.remove_source("oslo", actor="mod", guild_id=A)
    assert list((idx / files.PAGES_DIR).glob("*.json")) == []


def test_files_left_by_a_killed_save_are_removed_at_start(tmp_path):
    idx = tmp_path / "idx"
    _open(idx)
    leftovers = [idx / ".corpus-0123456789abcdef.pkl.x1y2.tmp", idx / ".manifest.json.abc.tmp",
                 idx / ".sources.json.q.tmp", idx / "segments" / ".0123456789abcdef.x1y2.tmp"]
    for f in leftovers:
        f.write_bytes(b"half a file")
    svc = _open(idx)
    assert not any(f.exists() for f in leftovers)
    assert svc.startup[0] == "removed 4 file(s) left half-written by an interrupted save"
    assert svc.startup[-1].startswith("loaded the saved index")


def test_a_deeply_nested_manifest_is_one_line_and_a_rebuild(tmp_path):
    idx = tmp_path / "idx"
    _open(idx)
    (idx / store.MANIFEST).write_text("[" * 100_000 + "]" * 100_000)
    svc = _open(idx)
    assert svc.startup[0] == f"rebuilding the index: {idx / store.MANIFEST} is not a valid manifest (nested too deeply)"


async def test_no_work_over_the_corpus_runs_on_the_event_loop(site, tmp_path, monkeypatch):
    """Merging, building, diffing and summing up a change run in worker threads: the loop only awaits."""
    on_loop: list[str] = []

    def off_loop(name, fn):
        def wrapped(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop.append(name)
            except RuntimeError:
                pass
            return fn(*args, **kwargs)
        return wrapped

    svc = await _svc(tmp_path, refresh_interval=0)
    for name in ("merge", "fill_diffs", "with_quote_counts", "scoped_state"):
        monkeypatch.setattr(qa, name, off_loop(name, getattr(qa, name)))
    monkeypatch.setattr(Corpus, "build", staticmethod(off_loop("Corpus.build", Corpus.build)))
    monkeypatch.setattr(qa.View, "about", off_loop("View.about", qa.View.about))
    monkeypatch.setattr(qa.RefreshReport, "__init__", off_loop("RefreshReport", qa.RefreshReport.__init__))
    await svc.add_source(site.base + "/ferry/oslo", actor="mod", guild_id=A)
    await svc.refresh(actor="owner")
    await svc.remove_source("oslo", actor="mod", guild_id=A)
    await svc.remove_source("nope", actor="mod", guild_id=A)
    assert threading.current_thread() is threading.main_thread() and on_loop == []


async def test_a_replaced_index_is_freed_but_never_under_a_question_reading_it(tmp_path, monkeypatch):
    import gc
    import weakref

    monkeypatch.setattr(memory, "RETIRE_WAIT_S", 0.3)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "port.txt").write_text("The harbour of Port Wren will get a new lighthouse next spring, the council said.\n")
    (folder / "ferry.txt").write_text("Ferry tickets will cost 3 euros from May, the operator said.\n")
    svc = await asyncio.to_thread(QAService.open, [str(folder)], tmp_path / "idx")
    q = "How much will ferry tickets cost from May?"

    reading = svc.view(None)  # a question in flight on the index about to be replaced
    sentences = len(reading.corpus.search.sentences)
    (folder / "ferry.txt").write_text("Ferry tickets will cost 5 euros from May, the operator said.\n")
    await svc.refresh(actor="operator")
    await svc.idle()
    assert len(reading.corpus.search.sentences) == sentences and "3 euros" in reading.ask(q).answer.text
    assert "5 euros" in svc.ask(q).answer.text

    gone = weakref.ref(svc.view(None).corpus)  # nothing reads this one: it is freed, without a collection
    (folder / "ferry.txt").write_text("Ferry tickets will cost 7 euros from May, the operator said.\n")
    gc.disable()
    try:
        await svc.refresh(actor="operator")
        await svc.idle()
        assert gone() is None
    finally:
        gc.enable()
    assert "7 euros" in svc.ask(q).answer.text


async def test_a_servers_moderators_are_not_told_where_the_host_keeps_its_files(tmp_path):
    folder = tmp_path / "secret-folder" / "articles"
    folder.mkdir(parents=True)
    (folder / "port.txt").write_text("The harbour of Port Wren will get a new lighthouse next spring, the council said.\n")
    (folder / "ferry.txt").write_text("Ferry tickets will cost 3 euros from May, the operator said.\n")
    svc = await asyncio.to_thread(QAService.open, [str(folder)], tmp_path / "idx", refresh_interval=0)
    (folder / "ferry.txt").write_bytes(b"\xff\xfe not text")
    report = await svc.refresh(actor="mod", guild_id=A)
    failed = [line for line in report.lines if "failed" in line]
    assert failed and "ferry.txt" in failed[0] and "secret-folder" not in "\n".join(report.lines), report.lines
    audit = [json.loads(line) for line in (tmp_path / "idx" / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["guild"] == A and "secret-folder" in " ".join(audit[-1]["lines"])  # the operator's log has it all
