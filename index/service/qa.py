"""The question-answering service the bot and the terminal chat talk to.

It holds the current index (a Corpus and one record per article) behind one reference.
A refresh reads or fetches the sources, builds a new Corpus off the event loop, then
swaps the reference in one assignment: questions that arrive meanwhile are answered from
the old index, never from half of one. Refreshes and source changes are serialised by one
lock (and, across processes sharing INDEX_DIR, by the folder's OS lock). An article that
fails to read, fetch or parse keeps its previous version serving, with a one-line reason
in the report; nothing already indexed is lost.

With an index_dir (QAService.open) the index is saved after every change (index.catalog.snapshot)
and loaded at start-up when the sources are unchanged; the operator's and servers' source
changes are kept in index_dir/sources.json, and every refresh and change is appended to
index_dir/audit.jsonl with who did it and when.

The sources are ARTICLE_SOURCES (files, folders, URLs: shared by every server) plus the
operator's additions, minus removals, plus each server's own URLs (seen by that server only;
see service.views). At start-up local files are checked against their content hashes; URL
articles are not fetched again (that is what /reindex is for), only fetched when missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from ..text.article import ArticleError
from ..catalog import audit, files, snapshot as store
from ..catalog.fetch import FetchPolicy, SourceError, check_url
from ..catalog.refresh import fill_diffs, merge, records_for, stale_reason, with_quote_counts
from ..catalog.reports import ArticleChange, CorpusInfo, RefreshReport, ago
from ..catalog.snapshot import ArticleRecord, Manifest, StoreError
from ..catalog.source_list import SourceList, read_source_list
from ..catalog.sources import SourceResult, is_url, normalize, split_sources
from ..conversation import Turn
from ..corpus import DEFAULT_ARTICLES_DIR, Corpus, load_articles
from ..models import Answer, Expert, ExpertLookup
from .limits import GUILD_ARTICLE_LIMIT, REFRESH_INTERVAL_S, Caller, Refused, RefreshLimiter, next_refresh
from . import follow, reading
from .sync import run_blocking
from .memory import collector_paused, retire
from .problems import SourceProblems
from .views import MAX_VIEWS, State, View, scoped_state

log = logging.getLogger(__name__)


@dataclass
class _Outcome:
    """What the worker thread of a change computed: the new state to swap in, or why not."""

    state: State | None
    changes: list[ArticleChange]
    notes: list[str]
    structural: bool = False
    refusal: str | None = None  # "not added: ..." and such: the whole change is refused


class QAService:
    def __init__(self, corpus: Corpus, sources: list[Path] | None = None, *, records: dict[str, ArticleRecord] | None = None,
                 index_dir: Path | None = None, configured: list[str] | None = None, source_list: SourceList | None = None,
                 policy: FetchPolicy | None = None, manifest: Manifest | None = None,
                 guild_article_limit: int = GUILD_ARTICLE_LIMIT, refresh_interval: float = REFRESH_INTERVAL_S,
                 clock=time.monotonic):
        self._configured = configured or [normalize(s) for s in (sources or [DEFAULT_ARTICLES_DIR])]
        self._source_list = source_list or SourceList()
        self._sources = self._source_list.effective(self._configured)
        records = records if records is not None else records_for(corpus, self._sources)
        self._state = scoped_state(corpus, records, self._source_list.shared(self._configured), self._source_list)
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.policy = policy or FetchPolicy()
        self._manifest = manifest
        self._refresh_lock = asyncio.Lock()
        self._retiring: threading.Thread | None = None  # frees the replaced index in the background
        self._views_lock = threading.Lock()
        self.guild_article_limit = guild_article_limit
        self.limiter = RefreshLimiter(refresh_interval, clock)
        self.startup: list[str] = []  # what open() did, one line each (loaded, rebuilt and why, failures)
        self._problems = SourceProblems()  # the sources that failed at their last read
        self._followed = None  # the manifest last seen on disk (service.follow)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_sources(cls, sources: list[Path] | None = None) -> "QAService":
        """An in-memory service over local files and folders (no saved index)."""
        sources = list(sources or [DEFAULT_ARTICLES_DIR])
        return cls(Corpus.build(load_articles(sources)), sources)

    @classmethod
    def open(cls, sources: str | Sequence[str | Path] | None = None, index_dir: str | Path = store.DEFAULT_INDEX_DIR,
             allow_private: bool = False, allowed_hosts: Iterable[str] | None = None, *,
             policy: FetchPolicy | None = None, guild_article_limit: int = GUILD_ARTICLE_LIMIT,
             refresh_interval: float = REFRESH_INTERVAL_S) -> "QAService":
        """Load the saved index from index_dir when the sources are unchanged; build (and save) otherwise.

        A missing, corrupt, old-format or stale saved index is rebuilt, never trusted and never
        fatal; only "no article could be read at all" raises ArticleError. Files a killed process
        left half-written are removed first.
        """
        t0 = time.perf_counter()
        index_dir = Path(index_dir)
        configured = [normalize(s) for s in split_sources(sources)] or [normalize(DEFAULT_ARTICLES_DIR)]
        if policy is None:
            policy = FetchPolicy(allow_private=allow_private,
                                 allowed_hosts=tuple(allowed_hosts) if allowed_hosts is not None else None)
        notes: list[str] = []
        old = State(None, {})
        manifest = None
        with files.DirLock(index_dir).held():
            removed = files.remove_leftovers(index_dir)
            if removed:
                notes.append(f"removed {removed} file(s) left half-written by an interrupted save")
            source_list = read_source_list(index_dir, notes)
            effective = source_list.effective(configured)
            try:
                manifest, corpus = store.load(index_dir)
                old = State(corpus, {r.id: r for r in manifest.articles})
                stale = stale_reason(manifest, effective, source_list)
            except StoreError as exc:
                stale = str(exc)
        svc = cls.__new__(cls)
        QAService.__init__(svc, old.corpus, configured=configured, source_list=source_list, index_dir=index_dir,
                           policy=policy, records=old.records, manifest=manifest,
                           guild_article_limit=guild_article_limit, refresh_interval=refresh_interval)
        svc.startup = notes
        if stale is None:
            gc.freeze()  # the loaded index lives long: later collections need not walk it (see collector_paused)
            svc.startup.append(f"loaded the saved index from {index_dir} ({len(old.records)} articles, built {ago(manifest.built_at)})")
            # svc.startup is what the caller tells (python -m bot logs it once); here only the timing, for debugging
            log.debug("%s in %.3f s", svc.startup[-1], time.perf_counter() - t0)
            return svc
        svc.startup.append(f"rebuilding the index: {stale}")
        log.debug(svc.startup[-1])
        # Keep what the saved index has for URLs (start-up does not fetch them again), read the rest.
        fetch = [s for s in effective if not (is_url(s) and any(r.source == s for r in old.records.values()))]
        report = run_blocking(svc._change("build", Caller("startup"), None, collect=fetch, force_save=True))
        svc.startup.extend(report.lines)
        if svc._state.corpus is None:
            raise ArticleError("no article could be read: " + "; ".join(report.lines))
        return svc

    # --- what a server sees -------------------------------------------------------------------

    def view(self, guild_id: int | None = None) -> View:
        """The shared articles and the server's own (guild_id None: the shared ones only, as in DMs and the
        terminal). Cheap when the server sees every article; otherwise its corpus is built once per index
        and kept until the next change (blocking the first time: call it off the event loop)."""
        state = self._state
        view = state.readers.get(guild_id)
        if view is None:  # once per server and index: a question must not cost a pass over every article
            ids = state.visible(guild_id)
            records = {k: r for k, r in state.records.items() if k in ids}
            used = {r.source for r in records.values()}
            sources = [s for s in self._sources if s in used]
            view = View(self._corpus_of(state, ids), records, sources, self.index_dir)
            if len(state.readers) >= MAX_VIEWS:
                state.readers.pop(next(iter(state.readers)), None)
            state.readers[guild_id] = view
        return view

    def _corpus_of(self, state: State, ids: frozenset[str]) -> Corpus | None:
        return state.corpus_of(ids, self._views_lock)

    # --- questions (the shared articles; a server's own through view()) ------------------------

    @property
    def corpus(self) -> Corpus:
        return self.view(None).corpus

    def ask(self, question: str, article: str | None = None, guild_id: int | None = None,
            context: Turn | None = None) -> Answer:
        return self.view(guild_id).ask(question, article, context)

    def expert(self, name: str, topic: str | None = None, guild_id: int | None = None) -> ExpertLookup:
        return self.view(guild_id).expert(name, topic)

    def experts(self, guild_id: int | None = None) -> list[Expert]:
        return self.view(guild_id).experts()

    def sources(self) -> list[str]:
        return list(self._sources)

    def guild_sources(self, guild_id: int) -> list[str]:
        return self._source_list.of_guild(guild_id)

    def record(self, article_id: str) -> ArticleRecord | None:
        return self._state.records.get(article_id)

    def indexed_ago(self, article_id: str | None = None, now: datetime | None = None) -> str:
        return self.view(None).indexed_ago(article_id, now)

    def about(self, guild_id: int | None = None) -> CorpusInfo:
        return self.view(guild_id).about()

    # --- changes: refresh, add, remove --------------------------------------------------------

    async def refresh(self, article_id: str | None = None, actor: str | None = None, *, guild_id: int | None = None,
                      operator: bool = False) -> RefreshReport:
        """Read or fetch the sources a caller may refresh (or only one article), rebuild what changed, swap, save.

        From a server: the shared articles and that server's own, each set at most once per refresh
        interval whoever asks (the operator is not limited). A refresh changes no source.
        """
        caller = Caller(actor, guild_id, operator)
        async with self._refresh_lock:
            state = self._state
            visible = state.visible(guild_id) if guild_id is not None else frozenset(state.records)
            if article_id is not None:
                rec = state.records.get(article_id)
                if rec is None or rec.id not in visible:
                    return await self._refused("refresh", caller, article_id,
                                               f"no article with the id {article_id!r}; see /articles list")
                key = "shared" if rec.id in state.shared else f"guild:{guild_id}"
                wait = 0.0 if caller.is_operator else self.limiter.wait(key)
                if wait > 0:
                    return await self._refused("refresh", caller, article_id,
                                               f"{article_id} was refreshed recently; the next refresh is possible {next_refresh(wait)}")
                self.limiter.use(key)
                del state  # holds the index being replaced: it must be freed off the event loop (retire)
                return await self._change("refresh", caller, article_id, collect=[rec.source],
                                          only={rec.source: rec.origin})
            del state
            shared = self._source_list.shared(self._configured)
            collect: list[str] = []
            notes: list[str] = []
            if caller.is_operator:
                collect = list(self._sources) if guild_id is None else [*shared, *self._source_list.of_guild(guild_id)]
            else:
                wait = self.limiter.wait("shared")
                if wait == 0:
                    collect.extend(shared)
                    self.limiter.use("shared")
                else:
                    notes.append(f"the shared articles were refreshed recently; next possible {next_refresh(wait)}")
                own = [s for s in self._source_list.of_guild(guild_id) if s not in collect]
                if own:
                    key = f"guild:{guild_id}"
                    wait_own = self.limiter.wait(key)
                    if wait_own == 0:
                        collect.extend(own)
                        self.limiter.use(key)
                    else:
                        notes.append(f"this server's articles were refreshed recently; next possible {next_refresh(wait_own)}")
                if not collect:
                    return await self._refused("refresh", caller, None, "; ".join(notes))
            return await self._change("refresh", caller, None, collect=collect, extra_notes=notes)

    async def add_source(self, source: str, actor: str | None = None, *, guild_id: int | None = None,
                         operator: bool = False, everywhere: bool = False) -> RefreshReport:
        """Add an http(s) URL: for every server (the operator: from the host, or `everywhere` from Discord) or
        for the one server asking. Files and folders come only from ARTICLE_SOURCES, never from here. The
        page is fetched first and added only if an article comes out of it."""
        caller = Caller(actor, guild_id, operator)
        shared_add = guild_id is None or everywhere
        spec = str(source).strip()
        async with self._refresh_lock:
            try:
                if not is_url(spec):
                    raise Refused("only http(s) URLs can be added; files and folders on the bot's host come only "
                                  "from its ARTICLE_SOURCES setting")
                check_url(spec, self.policy)
                if shared_add and not caller.is_operator:
                    raise Refused("only the bot's operator can add an article for every server")
            except (Refused, SourceError) as exc:
                return await self._refused("add", caller, spec, str(exc))

            def edit(sl: SourceList) -> SourceList:
                sl = sl.model_copy(deep=True)
                if spec in sl.shared(self._configured):
                    raise Refused(f"{spec} is already one of the shared articles; use /reindex to refresh it")
                if shared_add:
                    if spec in sl.removed:
                        sl.removed.remove(spec)
                    if spec not in self._configured:
                        sl.added.append(spec)
                    return sl
                mine = sl.guilds.setdefault(str(guild_id), [])
                if spec in mine:
                    raise Refused(f"{spec} is already one of this server's articles; use /reindex to refresh it")
                if len(mine) >= self.guild_article_limit:
                    raise Refused(f"this server already has {len(mine)} articles of its own, the most it may add "
                                  f"({self.guild_article_limit}); remove one first")
                mine.append(spec)
                return sl

            return await self._change("add", caller, spec, collect=[spec], edit=edit, require=spec)

    async def remove_source(self, target: str, actor: str | None = None, *, guild_id: int | None = None,
                            operator: bool = False) -> RefreshReport:
        """Remove an article (by id) or a source. A server's moderators remove what their server added; only
        the operator removes a shared article. Another server's articles are not found at all."""
        caller = Caller(actor, guild_id, operator)
        target = str(target).strip()
        async with self._refresh_lock:
            state = self._state
            records = state.records
            visible = state.visible(guild_id) if guild_id is not None else frozenset(records)
            own_urls = set(self._source_list.of_guild(guild_id)) if guild_id is not None else set()
            shared_sources = self._source_list.shared(self._configured)
            rec = records.get(target) if target in visible else None
            if rec is not None:
                spec = rec.source
            else:
                spec = target if is_url(target) or guild_id is not None else normalize(target)
                if not (spec in own_urls or spec in shared_sources or (guild_id is None and spec in self._sources)):
                    return await self._refused("remove", caller, target, f"no article or source {target!r}; see /articles list")
            if spec in own_urls and spec not in shared_sources:
                return await self._remove_own(caller, target, spec)
            if not caller.is_operator:
                return await self._refused("remove", caller, target, f"{target} is one of the articles every server "
                                           "shares; only the bot's operator can remove it")
            one_file = rec is not None and rec.origin != rec.source  # one file of a folder
            drop = {rec.id} if one_file else {r.id for r in records.values() if r.source == spec}

            def edit(sl: SourceList) -> SourceList:
                sl = sl.model_copy(deep=True)
                if one_file:
                    sl.removed.append(rec.origin)
                    return sl
                sl.added = [s for s in sl.added if s != spec]
                if spec in self._configured and spec not in sl.removed:
                    sl.removed.append(spec)
                sl.guilds = {g: [u for u in urls if u != spec] for g, urls in sl.guilds.items() if urls != [spec]}
                return sl

            if drop and not (state.shared - drop):
                return await self._refused("remove", caller, target, "that would remove every article: add another source first")
            del state
            return await self._change("remove", caller, target, collect=[], edit=edit, drop=drop)

    async def _remove_own(self, caller: Caller, target: str, spec: str) -> RefreshReport:
        """A server's own article: its claim goes; the article stays for other servers that added it too."""
        gid = str(caller.guild_id)

        def edit(sl: SourceList) -> SourceList:
            sl = sl.model_copy(deep=True)
            mine = [u for u in sl.guilds.get(gid, []) if u != spec]
            if mine:
                sl.guilds[gid] = mine
            else:
                sl.guilds.pop(gid, None)
            return sl

        claimed = any(spec in urls for g, urls in self._source_list.guilds.items() if g != gid)
        drop = set() if claimed else {r.id for r in self._state.records.values() if r.source == spec}
        return await self._change("remove", caller, target, collect=[], edit=edit, drop=drop)

    async def follow_saved(self) -> str | None:
        """Serve what another process sharing INDEX_DIR saved since (service.follow); a line when it did."""
        return await follow.adopt_newer(self)

    async def quiesce(self, timeout: float) -> bool:
        """Wait up to `timeout` for a refresh or source change in progress to finish; False if one still runs."""
        try:
            await asyncio.wait_for(self._refresh_lock.acquire(), timeout)
        except asyncio.TimeoutError:
            return False
        self._refresh_lock.release()
        return True

    async def idle(self) -> None:
        """Wait until the index replaced by the last change has been freed (it is, in the background)."""
        if self._retiring is not None and self._retiring.is_alive():
            await asyncio.to_thread(self._retiring.join)

    # --- the one path every change takes ------------------------------------------------------

    async def _refused(self, action: str, caller: Caller, target: str | None, reason: str) -> RefreshReport:
        return await self._report(caller, ok=False, lines=[f"{action} refused: {reason}"], action=action, target=target,
                                  notes=[reason])

    def _info_for(self, caller: Caller) -> CorpusInfo:
        return self.view(caller.guild_id).about() if caller.guild_id is not None else self._all_info()

    def _all_info(self) -> CorpusInfo:
        """Every article, whoever it is for: what the operator sees."""
        state = self._state
        return View(state.corpus, state.records, self.sources(), self.index_dir).about()

    async def _report(self, caller: Caller, *, t0: float | None = None, changes: list[ArticleChange] | None = None,
                      **fields) -> RefreshReport:
        """The one place a report is made: with what the caller's server now serves, timed, audited. In a worker
        thread, since the info and the lines grow with the corpus."""
        def make() -> RefreshReport:
            timing = {"seconds_total": time.perf_counter() - t0} if t0 is not None else {}
            report = RefreshReport(info=self._info_for(caller), actor=caller.actor, changes=changes or [],
                                   guild_id=caller.guild_id, **timing, **fields)
            audit.record(self.index_dir, report)  # in full, for the operator
            if caller.guild_id is not None:  # a server's moderators are not told where the host keeps its files
                report.lines = [audit.without_host_paths(line, self._configured) for line in report.lines]
            return report

        return await asyncio.to_thread(make)

    async def _change(self, action: str, caller: Caller, target: str | None, *, collect: list[str],
                      only: dict[str, str] | None = None, edit=None, require: str | None = None,
                      drop: set[str] | None = None, force_save: bool = False,
                      extra_notes: list[str] | None = None) -> RefreshReport:
        """Under the index folder's lock (other processes share it): adopt the source list on disk, apply
        `edit`, read or fetch `collect`, then build, swap and save. Everything that grows with the corpus runs
        in a worker thread; the event loop only awaits it and swaps the reference."""
        t0 = time.perf_counter()
        await self.idle()  # one replaced index in memory at a time
        lock = files.DirLock(self.index_dir).acquire_async() if self.index_dir is not None else _nothing()
        async with lock, collector_paused():
            await follow.adopt_locked(self)  # what another process saved since: built on, never saved over
            source_list = await asyncio.to_thread(reading.source_list_on_disk, self.index_dir, self._source_list)
            try:
                new_list = edit(source_list) if edit is not None else source_list
            except Refused as exc:
                return await self._refused(action, caller, target, str(exc))
            sources = new_list.effective(self._configured)
            old = self._state
            known = {r.source for r in old.records.values()}
            collect = [  # sources another process added meanwhile are read too, so this one serves them as well
                *collect, *(s for s in sources if s not in known and s not in collect and s not in self._sources)]
            results, read_notes = await reading.collect(collect, only or {}, old.corpus, old.records, set(new_list.removed),
                                                       self.policy, self.index_dir)
            outcome = await asyncio.to_thread(self._plan, old, results, sources, new_list, only or {}, drop or set(), require)
            self._problems.note(outcome.changes, drop or set(), sources)
            notes = [*read_notes, *outcome.notes]
            lines = [outcome.refusal] if outcome.refusal is not None else [c.line() for c in outcome.changes] + notes
            if outcome.state is None:  # refused, or nothing could be built: the previous index keeps serving
                return await self._report(caller, t0=t0, ok=False, lines=lines, action=action, target=target,
                                          changes=outcome.changes, notes=notes if outcome.refusal is None else [])
            # The swap: one assignment, so a question sees the old index or the new one.
            self._state = outcome.state
            self._source_list, self._sources = new_list, sources
            swapped_at = time.perf_counter()
            swapped = outcome.state.corpus is not old.corpus
            retired = [old]
            del old  # the old index is freed in a worker thread, not on the event loop (it is millions of objects)
            # A thread of its own, not the loop's executor: the terminal chat runs each change in a new loop.
            self._retiring = threading.Thread(target=retire, args=(retired, outcome.state), name="index-retire",
                                              daemon=True)
            self._retiring.start()
            saved = False
            if self.index_dir is not None:
                try:
                    rebuilt = outcome.structural or force_save or self._manifest is None
                    self._manifest = await asyncio.to_thread(reading.save, self.index_dir, outcome.state, new_list, sources, self._manifest,
                                                            rebuilt, results)
                    saved = True
                except (OSError, StoreError) as exc:
                    notes.append(f"index not saved ({exc}); the previous saved index stays on disk")
                    lines.append(notes[-1])
                    log.error("saving the index failed: %s", exc)
            ok = not any(c.status == "failed" for c in outcome.changes) and not notes
            return await self._report(caller, t0=t0, ok=ok, lines=lines + (extra_notes or []), action=action,
                                      target=target, changes=outcome.changes, notes=notes,
                                      swapped=swapped, saved=saved,
                                      seconds_to_swap=swapped_at - t0)

    def source_problems(self, guild_id: int | None = None) -> list[str]:
        """The sources that failed at their last read, one line each: for a server, the shared ones and its own
        (without the host's paths); for the operator (guild_id None), all."""
        if guild_id is None:
            return self._problems.lines(self._configured)
        return self._problems.lines(self._configured, set(self._source_list.of_guild(guild_id)),
                                    set(self._source_list.shared(self._configured)))

    def _plan(self, old: State, results: list[SourceResult], sources: list[str], source_list: SourceList,
              only: dict[str, str], drop: set[str], require: str | None) -> _Outcome:
        """The new state from what was read (blocking: runs in a worker thread)."""
        articles, records, changes = merge(old.corpus, old.records, results, sources, only, drop)
        if require is not None and not any(r.source == require for r in records.values()):
            reasons = "; ".join(c.reason or c.status for c in changes if c.status == "failed") or "no article found"
            return _Outcome(None, changes, [], refusal=f"not added: {reasons}")
        notes: list[str] = []
        structural = any(c.status in ("added", "updated", "removed") for c in changes)
        corpus = old.corpus
        if structural or corpus is None:
            if not articles:
                return _Outcome(None, changes, [*notes, "no article could be read; nothing to index"])
            try:
                corpus = Corpus.build(articles, old.corpus)
            except (ArticleError, ValueError) as exc:
                return _Outcome(None, changes, [*notes, f"rebuild failed, previous index kept: {exc}"])
            fill_diffs(changes, old.corpus, corpus)
            records = with_quote_counts(records, corpus)
        state = scoped_state(corpus, records, source_list.shared(self._configured), source_list)
        if state.shared != frozenset(records):  # servers have their own articles: ready the shared view now
            self._corpus_of(state, state.shared)
        return _Outcome(state, changes, notes, structural=structural)



@contextlib.asynccontextmanager
async def _nothing():
    yield
