"""The question-answering service the bot and the terminal chat talk to.

It holds the current index (a Corpus and one record per article) behind one reference.
A refresh reads or fetches the sources, builds a new Corpus off the event loop, then
swaps the reference in one assignment: questions that arrive meanwhile are answered from
the old index, never from half of one. Refreshes and source changes are serialised by one
lock. An article that fails to read, fetch or parse keeps its previous version serving,
with a one-line reason in the report; nothing already indexed is lost.

With an index_dir (QAService.open) the index is saved after every change (index.store) and
loaded at start-up when the sources are unchanged; moderators' source additions and
removals are kept in index_dir/sources.json, and every refresh and change is appended to
index_dir/audit.jsonl with who did it and when.

The sources are ARTICLE_SOURCES (files, folders, URLs) plus moderators' additions, minus
their removals. At start-up local files are checked against their content hashes; URL
articles are not fetched again (that is what /reindex is for), only fetched when missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import itertools
import json
import logging
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Literal, Sequence

from pydantic import BaseModel, Field, ValidationError

from . import store
from .answer import decline, validate
from .article import ArticleError, parse_article, read_meta, read_text
from .corpus import DEFAULT_ARTICLES_DIR, Corpus, load_articles
from .models import Answer, Article, Expert, ExpertLookup
from .sources import (
    Failure,
    FetchPolicy,
    Fetcher,
    Loaded,
    SourceError,
    SourceResult,
    check_url,
    content_hash,
    folder_files,
    is_url,
    normalize,
    read_local,
    read_url,
    split_sources,
    url_article_id,
)
from .store import ArticleRecord, Manifest, StoreError
from .tokenize import INVISIBLE

_INVISIBLE_DROP = {ord(c): None for c in INVISIBLE}

log = logging.getLogger(__name__)

SOURCES_FILE = "sources.json"
GUILD_ARTICLE_LIMIT = 50  # articles one server may add of its own (GUILD_ARTICLE_LIMIT)
REFRESH_INTERVAL_S = 300.0  # one refresh of a set of articles per this long, whoever asks (REINDEX_INTERVAL_SECONDS)
MAX_VIEWS = 64  # servers' views kept built at once; one more is rebuilt on its next question
AUDIT_FILE = "audit.jsonl"
Status = Literal["unchanged", "updated", "added", "removed", "failed"]


class ArticleInfo(BaseModel):
    id: str
    title: str | None
    author: str | None
    source: str | None
    url: str | None
    paragraphs: int
    sentences: int
    origin: str | None = None  # the file or URL it is read from
    published: str | None = None
    fetched_at: datetime | None = None  # last successful read or fetch
    changed_at: datetime | None = None  # when its content last changed
    indexed_ago: str | None = None  # "5 minutes ago", from fetched_at


class CorpusInfo(BaseModel):
    articles: list[ArticleInfo]
    built_at: datetime
    passages: int
    sentences: int
    quotes: int
    experts: int
    indexed_ago: str | None = None  # from built_at
    sources: list[str] = Field(default_factory=list)
    index_dir: str | None = None


class ArticleChange(BaseModel):
    """What a refresh or source change did to one article."""

    id: str
    status: Status
    origin: str | None = None
    reason: str | None = None  # why it failed, one line
    passages_added: int = 0
    passages_removed: int = 0
    quotes_added: int = 0
    quotes_removed: int = 0
    experts_added: list[str] = Field(default_factory=list)
    experts_removed: list[str] = Field(default_factory=list)
    kept_previous: bool = False  # failed, and its previous version is still serving

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.id}: unchanged"
        if self.status == "failed":
            kept = "previous version kept" if self.kept_previous else "not indexed"
            return f"{self.id}: failed ({kept}): {self.reason}"
        parts = [f"passages +{self.passages_added}/-{self.passages_removed}",
                 f"quotes +{self.quotes_added}/-{self.quotes_removed}"]
        if self.experts_added or self.experts_removed:
            parts.append("experts " + " ".join([f"+{n}" for n in self.experts_added] + [f"-{n}" for n in self.experts_removed]))
        return f"{self.id}: {self.status}: " + ", ".join(parts)


class RefreshReport(BaseModel):
    ok: bool  # nothing failed
    lines: list[str]  # one line per article, then notes (a save that failed, ...)
    info: CorpusInfo
    action: str = "refresh"  # refresh / add / remove
    target: str | None = None
    actor: str | None = None
    guild_id: int | None = None  # the server it was asked from (None: the host)
    at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    changes: list[ArticleChange] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    swapped: bool = False  # a new index (a rebuilt corpus) is serving
    saved: bool = False  # and it is on disk
    seconds_to_swap: float = 0.0
    seconds_total: float = 0.0

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.status for c in self.changes))

    def summary(self) -> str:
        c = self.counts()
        return ", ".join(f"{n} {s}" for s, n in sorted(c.items())) or "nothing to do"


class SourceList(BaseModel):
    """Changes to ARTICLE_SOURCES made from Discord or the terminal, kept in index_dir/sources.json.

    `added` and `removed` are the operator's and change what every server sees; `guilds` holds what
    each server's moderators added (http(s) URLs only), seen by that server alone.
    """

    version: int = 2
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)  # sources, or single articles' files/URLs
    guilds: dict[str, list[str]] = Field(default_factory=dict)  # guild id -> the URLs it added

    def shared(self, configured: list[str]) -> list[str]:
        """The sources every server answers from: the configured ones and the operator's additions."""
        out: list[str] = []
        for s in [*configured, *self.added]:
            if s not in self.removed and s not in out:
                out.append(s)
        return out

    def effective(self, configured: list[str]) -> list[str]:
        """Every source to read: the shared ones, then each server's own (once, however many added it)."""
        out = self.shared(configured)
        for urls in self.guilds.values():
            out.extend(u for u in urls if u not in out)
        return out

    def of_guild(self, guild_id: int) -> list[str]:
        return list(self.guilds.get(str(guild_id), []))


class Refused(Exception):
    """A change that is not made; str() is the one-line reason shown to whoever asked."""


@dataclass(frozen=True)
class Caller:
    """Who asks for a change, and from where.

    guild_id None is the host (terminal chat, CLI, start-up): the operator. From Discord, guild_id is the
    server asked from, and `operator` says whether the user is the bot's operator (its application owner
    or one of OPERATOR_USER_IDS), who alone changes what every server sees.
    """

    actor: str | None = None
    guild_id: int | None = None
    operator: bool = False

    @property
    def is_operator(self) -> bool:
        return self.guild_id is None or self.operator


class RefreshLimiter:
    """At most one refresh of a set of articles per `interval` seconds, whoever asks (0 = no limit).

    Keys: "shared" for the articles every server sees, "guild:<id>" for one server's own.
    """

    def __init__(self, interval: float, clock=time.monotonic):
        self.interval, self.clock = interval, clock
        self._last: dict[str, float] = {}

    def wait(self, key: str) -> float:
        """Seconds until `key` may be refreshed again (0: now)."""
        last = self._last.get(key)
        if self.interval <= 0 or last is None:
            return 0.0
        return max(0.0, self.interval - (self.clock() - last))

    def use(self, key: str) -> None:
        self._last[key] = self.clock()


def _in_words(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    return f"{round(seconds / 60)} minutes"


def _next_refresh(wait: float) -> str:
    at = datetime.now(timezone.utc) + timedelta(seconds=wait)
    return f"in {_in_words(wait)} (at {at:%H:%M} UTC)"


@dataclass(frozen=True)
class _State:
    """What is serving: swapped as a whole, never changed in place (but for the cache of views)."""

    corpus: Corpus | None
    records: dict[str, ArticleRecord]  # by article id, in corpus order
    shared: frozenset[str] = frozenset()  # ids of the articles every server sees
    own: dict[int, frozenset[str]] = field(default_factory=dict)  # guild id -> ids only that server sees
    views: dict[frozenset[str], Corpus] = field(default_factory=dict)  # built on first use, per set of ids
    readers: dict[int | None, "View"] = field(default_factory=dict)  # per server, built on first use

    def visible(self, guild_id: int | None) -> frozenset[str]:
        return self.shared | self.own.get(guild_id, frozenset()) if guild_id is not None else self.shared


def _scoped_state(corpus: Corpus | None, records: dict[str, ArticleRecord], shared_sources: Iterable[str],
                  source_list: SourceList) -> _State:
    """The state with each article's visibility: shared when its source is shared or claimed by no
    server (an article built without sources), else seen by the servers that added its source."""
    shared_set = set(shared_sources)
    claims: dict[str, set[int]] = {}
    for gid, urls in source_list.guilds.items():
        for u in urls:
            claims.setdefault(u, set()).add(int(gid))
    shared: set[str] = set()
    own: dict[int, set[str]] = {}
    for r in records.values():
        if r.source in shared_set or r.source not in claims:
            shared.add(r.id)
        else:
            for gid in claims[r.source]:
                own.setdefault(gid, set()).add(r.id)
    return _State(corpus, records, frozenset(shared), {g: frozenset(ids) for g, ids in own.items()})


class View:
    """What one server sees: the shared articles and its own, and nothing of another server's.

    Reads only, with the same methods the handlers use on a QAService. Its corpus is built from just
    those articles (reusing their per-article index parts), so that answers, experts, autocomplete and
    even BM25 statistics never depend on another server's articles.
    """

    def __init__(self, corpus: Corpus | None, records: dict[str, ArticleRecord], sources: list[str],
                 index_dir: Path | None = None):
        self._corpus = corpus
        self._records = records
        self._sources = sources
        self.index_dir = index_dir

    @property
    def corpus(self) -> Corpus | None:
        return self._corpus

    def ask(self, question: str, article: str | None = None) -> Answer:
        # Invisible characters inside words ("Bo\u200dćkowski") change no answer: the rules read the question too.
        question = question.translate(_INVISIBLE_DROP)
        if self._corpus is None:
            problem = validate(question)
            return decline(question, problem or "No article is indexed yet.", invalid=problem is not None)
        return self._corpus.ask(question, article)

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        if self._corpus is None:
            return ExpertLookup(query=name, topic=topic)
        return self._corpus.expert(name, topic)

    def experts(self) -> list[Expert]:
        return self._corpus.experts() if self._corpus is not None else []

    def sources(self) -> list[str]:
        return list(self._sources)

    def record(self, article_id: str) -> ArticleRecord | None:
        return self._records.get(article_id)

    def has(self, article_id: str) -> bool:
        return article_id in self._records

    def indexed_ago(self, article_id: str | None = None, now: datetime | None = None) -> str:
        """How fresh an answer is: "indexed 5 minutes ago" (the article's last read or fetch, else the build)."""
        rec = self._records.get(article_id) if article_id else None
        if rec is None and self._corpus is None:
            return "not indexed"
        then = rec.fetched_at if rec else self._corpus.built_at
        return f"indexed {ago(then, now)}"

    def about(self) -> CorpusInfo:
        c = self._corpus
        if c is None:
            return _empty_info()
        now = datetime.now(timezone.utc)
        infos = []
        for a in c.articles:
            rec = self._records.get(a.id)
            infos.append(ArticleInfo(
                id=a.id, title=a.meta.title, author=a.meta.author, source=a.meta.source, url=a.meta.url,
                paragraphs=len(a.paragraphs), sentences=len(a.sentences), published=a.meta.published,
                origin=rec.origin if rec else None, fetched_at=rec.fetched_at if rec else None,
                changed_at=rec.changed_at if rec else None, indexed_ago=ago(rec.fetched_at, now) if rec else None,
            ))
        return CorpusInfo(
            articles=infos, built_at=c.built_at, passages=len(c.search.passages), sentences=len(c.search.sentences),
            quotes=len(c.quotes()), experts=len(c.experts()), indexed_ago=ago(c.built_at, now),
            sources=list(self._sources), index_dir=str(self.index_dir) if self.index_dir else None,
        )


def ago(then: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "3 days ago"."""
    if then is None:
        return "never"
    now = now or datetime.now(timezone.utc)
    s = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if s >= size:
            n = s // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def run_blocking(coro):
    """Run a coroutine to completion from sync code, even when this thread has a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    t = threading.Thread(target=target, name="index-open")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class _Outcome:
    """What the worker thread of a change computed: the new state to swap in, or why not."""

    state: _State | None
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
        records = records if records is not None else _records_for(corpus, self._sources)
        self._state = _scoped_state(corpus, records, self._source_list.shared(self._configured), self._source_list)
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.policy = policy or FetchPolicy()
        self._manifest = manifest
        self._refresh_lock = asyncio.Lock()
        self._retiring: threading.Thread | None = None  # frees the replaced index in the background
        self._views_lock = threading.Lock()
        self.guild_article_limit = guild_article_limit
        self.limiter = RefreshLimiter(refresh_interval, clock)
        self.startup: list[str] = []  # what open() did, one line each (loaded, rebuilt and why, failures)

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
        old = _State(None, {})
        manifest = None
        with store.DirLock(index_dir).held():
            removed = store.remove_leftovers(index_dir)
            if removed:
                notes.append(f"removed {removed} file(s) left half-written by an interrupted save")
            source_list = _read_source_list(index_dir, notes)
            effective = source_list.effective(configured)
            try:
                manifest, corpus = store.load(index_dir)
                old = _State(corpus, {r.id: r for r in manifest.articles})
                stale = _stale_reason(manifest, effective, source_list)
            except StoreError as exc:
                stale = str(exc)
        svc = cls.__new__(cls)
        QAService.__init__(svc, old.corpus, configured=configured, source_list=source_list, index_dir=index_dir,
                           policy=policy, records=old.records, manifest=manifest,
                           guild_article_limit=guild_article_limit, refresh_interval=refresh_interval)
        svc.startup = notes
        if stale is None:
            gc.freeze()  # the loaded index lives long: later collections need not walk it (see _collector_paused)
            svc.startup.append(f"loaded the saved index from {index_dir} ({len(old.records)} articles, built {ago(manifest.built_at)})")
            log.info("%s in %.3f s", svc.startup[-1], time.perf_counter() - t0)
            return svc
        svc.startup.append(f"rebuilding the index: {stale}")
        log.info(svc.startup[-1])
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

    def _corpus_of(self, state: _State, ids: frozenset[str]) -> Corpus | None:
        corpus = state.corpus
        if corpus is None or not ids:
            return None
        if len(ids) == len(state.records) and ids == frozenset(state.records):
            return corpus
        view = state.views.get(ids)
        if view is None:
            with self._views_lock:
                view = state.views.get(ids)
                if view is None:
                    articles = [a for a in corpus.articles if a.id in ids]
                    view = state.views[ids] = Corpus.build(articles, corpus)
                    if len(state.views) > MAX_VIEWS:  # the least recently built goes first
                        state.views.pop(next(iter(state.views)))
        return view

    # --- questions (the shared articles; a server's own through view()) ------------------------

    @property
    def corpus(self) -> Corpus:
        return self.view(None).corpus

    def ask(self, question: str, article: str | None = None, guild_id: int | None = None) -> Answer:
        return self.view(guild_id).ask(question, article)

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
                                               f"{article_id} was refreshed recently; the next refresh is possible {_next_refresh(wait)}")
                self.limiter.use(key)
                del state  # holds the index being replaced: it must be freed off the event loop (_retire)
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
                    notes.append(f"the shared articles were refreshed recently; next possible {_next_refresh(wait)}")
                own = [s for s in self._source_list.of_guild(guild_id) if s not in collect]
                if own:
                    key = f"guild:{guild_id}"
                    wait_own = self.limiter.wait(key)
                    if wait_own == 0:
                        collect.extend(own)
                        self.limiter.use(key)
                    else:
                        notes.append(f"this server's articles were refreshed recently; next possible {_next_refresh(wait_own)}")
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

    async def idle(self) -> None:
        """Wait until the index replaced by the last change has been freed (it is, in the background)."""
        if self._retiring is not None and self._retiring.is_alive():
            await asyncio.to_thread(self._retiring.join)

    # --- the one path every change takes ------------------------------------------------------

    async def _refused(self, action: str, caller: Caller, target: str | None, reason: str) -> RefreshReport:
        return await self._report(caller, ok=False, lines=[f"{action} refused: {reason}"], action=action, target=target,
                                  notes=[reason])

    def _info_for(self, caller: Caller) -> CorpusInfo:
        return self.view(caller.guild_id).about() if caller.guild_id is not None else _all_info(self)

    async def _report(self, caller: Caller, *, t0: float | None = None, changes: list[ArticleChange] | None = None,
                      **fields) -> RefreshReport:
        """The one place a report is made: with what the caller's server now serves, timed, audited. In a worker
        thread, since the info and the lines grow with the corpus."""
        def make() -> RefreshReport:
            timing = {"seconds_total": time.perf_counter() - t0} if t0 is not None else {}
            report = RefreshReport(info=self._info_for(caller), actor=caller.actor, changes=changes or [],
                                   guild_id=caller.guild_id, **timing, **fields)
            self._audit(report)  # in full, for the operator
            if caller.guild_id is not None:  # a server's moderators are not told where the host keeps its files
                report.lines = [self._without_host_paths(line) for line in report.lines]
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
        lock = store.DirLock(self.index_dir).acquire_async() if self.index_dir is not None else _nothing()
        async with lock, _collector_paused():
            source_list = await asyncio.to_thread(self._source_list_on_disk)
            try:
                new_list = edit(source_list) if edit is not None else source_list
            except Refused as exc:
                return await self._refused(action, caller, target, str(exc))
            sources = new_list.effective(self._configured)
            old = self._state
            known = {r.source for r in old.records.values()}
            # Sources another process added meanwhile are read too, so this one serves them as well.
            collect = [*collect, *(s for s in sources if s not in known and s not in collect and s not in self._sources)]
            results, read_notes = await self._collect(collect, only or {}, old)
            outcome = await asyncio.to_thread(self._plan, old, results, sources, new_list, only or {}, drop or set(), require)
            notes = [*read_notes, *outcome.notes]
            lines = [outcome.refusal] if outcome.refusal is not None else [c.line() for c in outcome.changes] + notes
            if outcome.state is None:  # refused, or nothing could be built: the previous index keeps serving
                return await self._report(caller, t0=t0, ok=False, lines=lines, action=action, target=target,
                                          changes=outcome.changes, notes=notes if outcome.refusal is None else [])
            # The swap: one assignment, so a question sees the old index or the new one.
            self._state = outcome.state
            self._source_list = new_list
            self._sources = sources
            swapped_at = time.perf_counter()
            swapped = outcome.state.corpus is not old.corpus
            retired = [old]
            del old  # the old index is freed in a worker thread, not on the event loop (it is millions of objects)
            # A thread of its own, not the loop's executor: the terminal chat runs each change in a new loop.
            self._retiring = threading.Thread(target=_retire, args=(retired, outcome.state), name="index-retire",
                                              daemon=True)
            self._retiring.start()
            saved = False
            if self.index_dir is not None:
                try:
                    rebuilt = outcome.structural or force_save or self._manifest is None
                    self._manifest = await asyncio.to_thread(self._save, outcome.state, new_list, rebuilt, results)
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

    def _plan(self, old: _State, results: list[SourceResult], sources: list[str], source_list: SourceList,
              only: dict[str, str], drop: set[str], require: str | None) -> _Outcome:
        """The new state from what was read (blocking: runs in a worker thread)."""
        articles, records, changes = _merge(old, results, sources, only, drop)
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
            _fill_diffs(changes, old.corpus, corpus)
            records = _with_quote_counts(records, corpus)
        state = _scoped_state(corpus, records, source_list.shared(self._configured), source_list)
        if state.shared != frozenset(records):  # servers have their own articles: ready the shared view now
            self._corpus_of(state, state.shared)
        return _Outcome(state, changes, notes, structural=structural)

    async def _collect(self, sources: list[str], only: dict[str, str], old: _State) -> tuple[list[SourceResult], list[str]]:
        """Read local sources in a thread and fetch URLs concurrently; every failure is a Failure. A URL that
        cannot be fetched and is not serving is read from the copy of its text saved at its last fetch."""
        records = old.records
        corpus = old.corpus
        previous: dict[str, tuple[str, Article]] = {}
        if corpus is not None:
            by_id = {a.id: a for a in corpus.articles}
            previous = {r.origin: (r.content_hash, by_id[r.id]) for r in records.values() if r.id in by_id}
        excluded = set(self._source_list.removed)
        local = [s for s in sources if not is_url(s)]
        urls = [s for s in sources if is_url(s)]
        results: list[SourceResult] = []
        notes: list[str] = []
        if local:
            def read_all() -> list[SourceResult]:
                return [read_local(s, excluded, previous, only.get(s)) for s in local]
            results.extend(await asyncio.to_thread(read_all))
        if urls:
            taken = {r.id: r.origin for r in records.values()}
            async with Fetcher(self.policy) as fetcher:
                jobs = [read_url(fetcher, url, _url_id(url, records, taken)) for url in urls]
                fetched = await asyncio.gather(*jobs)
            serving = {r.origin for r in records.values()}
            if self.index_dir is not None:
                fetched = await asyncio.to_thread(_with_saved_pages, self.index_dir, fetched, serving, notes)
            results.extend(fetched)
        return results, notes

    def _source_list_on_disk(self) -> SourceList:
        """sources.json as another process may have left it (ours when there is none or no index_dir)."""
        if self.index_dir is None:
            return self._source_list
        notes: list[str] = []
        path = self.index_dir / SOURCES_FILE
        if not path.exists():
            return self._source_list
        on_disk = _read_source_list(self.index_dir, notes)
        for n in notes:
            log.warning("%s", n)
        return on_disk if not notes else self._source_list

    def _save(self, state: _State, source_list: SourceList, rebuilt: bool, results: list[SourceResult]) -> Manifest:
        """Write sources.json, the fetched pages' texts and the index (under the folder lock, in a thread)."""
        store.atomic_write(self.index_dir / SOURCES_FILE, source_list.model_dump_json(indent=2).encode())
        pages = {x.origin: x.article for r in results for x in r.loaded if is_url(x.origin)}
        for url, article in pages.items():
            store.save_page(self.index_dir, url, article)
        recs = list(state.records.values())
        store.prune_pages(self.index_dir, {r.origin for r in recs if is_url(r.origin)})
        sources = source_list.effective(self._configured)
        if not rebuilt and self._manifest is not None and store.still_current(self.index_dir, self._manifest):
            manifest = self._manifest.model_copy(update={"articles": recs, "sources": sources,
                                                         "saved_at": datetime.now(timezone.utc)})
            store.write_manifest(self.index_dir, manifest)
            return manifest
        return store.save(self.index_dir, state.corpus, sources, recs)

    def _without_host_paths(self, line: str) -> str:
        """`line` with the folders of the configured local sources left out (a file is named by its name)."""
        for source in self._configured:
            if not is_url(source):
                folder = source if Path(source).is_dir() else str(Path(source).parent)
                line = line.replace(folder.rstrip("/") + "/", "")
        return line

    def _audit(self, report: RefreshReport) -> None:
        who = report.actor or "unknown"
        log.info("%s by %s at %s (target %s): %s", report.action, who, report.at.isoformat(), report.target or "all",
                 "; ".join(report.lines) or "nothing to do")
        if self.index_dir is None:
            return
        entry = {"at": report.at.isoformat(), "actor": who, "guild": report.guild_id, "action": report.action,
                 "target": report.target, "ok": report.ok, "summary": report.summary(), "lines": report.lines}
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            with open(self.index_dir / AUDIT_FILE, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError as exc:
            log.error("cannot write the audit log: %s", exc)


# --- helpers ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def _nothing():
    yield


@contextlib.asynccontextmanager
async def _collector_paused():
    """No cyclic garbage collection during a change, and what serves afterwards frozen out of later ones.

    A full collection walks every object of the serving index (millions), holding the GIL: measured,
    it stalled the event loop for 0.9 s of a 500-article reindex (27 ms with collections paused). The
    index holds no reference cycles once a dropped index is released (_retire), so what freezing keeps
    from the collector is freed by reference counting when it is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _retire(retired: list[_State], new: _State) -> None:
    """Drop the replaced state here, in a worker thread, a little at a time.

    Freeing an index is a cascade of deallocations that holds the GIL throughout: measured, dropping
    2,000 replaced articles at once stalled the event loop for 0.66 s. So, once no question is reading
    the old index any more, its big containers are emptied a chunk at a time (each chunk frees what
    nothing else holds, then the GIL is offered to the event loop), and the per-article parts the new
    index does not reuse lose their back-references (so reference counting frees them, not a collection).
    """
    old = retired.pop()
    if old.corpus is None or new.corpus is None or old.corpus is new.corpus:
        return
    kept_parts = {id(p) for p in new.corpus.search.parts}
    kept_articles = {id(a) for a in new.corpus.articles}
    dropped_parts = [p for p in old.corpus.search.parts if id(p) not in kept_parts]
    dropped_articles = [a for a in old.corpus.articles if id(a) not in kept_articles]
    for part in dropped_parts:
        part.release()
    if not _unread(old):
        return  # a question still holds it: let reference counting free it whole when that one ends
    corpora = [old.corpus, *old.views.values()]
    old.readers.clear()
    old.views.clear()
    for corpus in corpora:
        for holder in (corpus.search, corpus.attribution, corpus):
            _empty_slowly(vars(holder).values())
    # What is left of each dropped article and part is held by these lists alone: one at a time.
    _empty_slowly([dropped_parts, dropped_articles], chunk=4)
    del corpora, old


RETIRE_GRACE_S = 0.05  # a question started before the swap is done in milliseconds; the refcounts below decide
RETIRE_WAIT_S = 2.0
_CHUNK = 256  # rows, quotes, postings: one chunk frees well under a millisecond


def _unread(old: _State) -> bool:
    """Whether nothing but the old state itself still refers to its corpora and views (so no question is
    reading them), waiting a little for questions that started before the swap."""
    deadline = time.monotonic() + RETIRE_WAIT_S
    time.sleep(RETIRE_GRACE_S)
    while True:
        # Unread, a View is held by old.readers, the list below, the loop variable and getrefcount's argument;
        # the corpus by old.corpus, the Views built on it and the argument.
        views_free = all(sys.getrefcount(v) <= 4 for v in list(old.readers.values()))
        held = sum(1 for v in old.readers.values() if v.corpus is old.corpus)
        corpus_free = sys.getrefcount(old.corpus) <= 2 + held
        if views_free and corpus_free:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _empty_slowly(values, chunk: int = _CHUNK) -> None:
    """Empty each list or dict among `values` a chunk at a time, offering the GIL between chunks."""
    for value in list(values):
        if isinstance(value, list):
            while value:
                del value[-chunk:]
                time.sleep(0)
        elif isinstance(value, dict):
            while value:
                for key in list(itertools.islice(value, chunk)):
                    del value[key]
                time.sleep(0)


def _all_info(svc: "QAService") -> CorpusInfo:
    """Every article, whoever it is for: what the operator sees."""
    state = svc._state
    return View(state.corpus, state.records, svc.sources(), svc.index_dir).about()


def _with_saved_pages(index_dir: Path, results: list[SourceResult], serving: set[str], notes: list[str]) -> list[SourceResult]:
    """Each URL that failed and is not serving (a rebuild after an upgrade or a corrupt snapshot) read from
    the text saved at its last good fetch, with a note saying so; the rest as they are."""
    out: list[SourceResult] = []
    for r in results:
        failure = next((f for f in r.failed if f.origin == r.source), None)
        if r.loaded or failure is None or r.source in serving:
            out.append(r)
            continue
        page = store.load_page(index_dir, r.source)
        if page is None:
            out.append(r)
            continue
        text, meta, fetched_at = page
        try:
            article = parse_article(text, meta.model_copy(update={"id": failure.article_id or meta.id}))
        except ArticleError:
            out.append(r)
            continue
        notes.append(f"{article.id}: {failure.reason}; serving the copy saved at its last fetch "
                     f"({fetched_at:%Y-%m-%d %H:%M} UTC)")
        restored = SourceResult(r.source)
        restored.loaded.append(Loaded(article, r.source, r.source, content_hash(article.text, article.meta), fetched_at))
        out.append(restored)
    return out


def _empty_info() -> CorpusInfo:
    return CorpusInfo(articles=[], built_at=datetime.now(timezone.utc), passages=0, sentences=0, quotes=0, experts=0)


def _records_for(corpus: Corpus | None, sources: list[str]) -> dict[str, ArticleRecord]:
    """Records for a corpus built without them (from_sources): origins guessed from the sources."""
    if corpus is None:
        return {}
    now = corpus.built_at
    out: dict[str, ArticleRecord] = {}
    files: dict[str, tuple[str, str]] = {}
    for s in sources:
        p = Path(s)
        for f in (folder_files(p) if p.is_dir() else [p] if p.exists() else []):
            files.setdefault(f.stem, (str(f), s))
    for a in corpus.articles:
        origin, source = files.get(a.id, (a.meta.url or a.id, a.meta.url or a.id))
        out[a.id] = ArticleRecord(id=a.id, title=a.meta.title, source=source, origin=origin,
                                  content_hash=content_hash(a.text, a.meta), fetched_at=now, changed_at=now,
                                  paragraphs=len(a.paragraphs), sentences=len(a.sentences))
    return out


def _url_id(url: str, records: dict[str, ArticleRecord], taken: dict[str, str]) -> str:
    for r in records.values():
        if r.origin == url:
            return r.id
    base = url_article_id(url)
    if base in taken and taken[base] != url:
        return f"{base}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
    return base


def _merge(old: _State, results: list[SourceResult], sources: list[str], only: dict[str, str], drop: set[str]
           ) -> tuple[list[Article], dict[str, ArticleRecord], list[ArticleChange]]:
    """The new article list and records, and what happened to each article.

    Per source in order: if it was not read this time its articles stay as they are; if it was,
    each article is unchanged (same content hash: the old Article object is reused), updated,
    added, failed (the old version stays) or, when the source was read completely and no longer
    has it (a file deleted from a folder), removed. Articles of sources no longer listed, and
    those in `drop`, are removed.
    """
    by_source = {r.source: r for r in results}
    old_articles = {a.id: a for a in old.corpus.articles} if old.corpus is not None else {}
    old_by_source: dict[str, list[ArticleRecord]] = {}
    for r in old.records.values():
        if r.id not in drop:
            old_by_source.setdefault(r.source, []).append(r)
    changes: list[ArticleChange] = []
    out: list[tuple[Article, ArticleRecord]] = []
    ids: dict[str, str] = {}  # id -> origin, to keep ids unique

    def place(article: Article, rec: ArticleRecord) -> None:
        if article.id in ids and ids[article.id] != rec.origin:  # two sources yield the same id
            new_id = f"{article.id}-{hashlib.sha1(rec.origin.encode()).hexdigest()[:6]}"
            article = article.model_copy(update={"meta": article.meta.model_copy(update={"id": new_id})})
            rec = rec.model_copy(update={"id": new_id})
        ids[article.id] = rec.origin
        out.append((article, rec))

    for source in sources:
        olds = old_by_source.get(source, [])
        result = by_source.get(source)
        if result is None:
            for r in olds:
                place(old_articles[r.id], r)
            continue
        scope = only.get(source)
        loaded: dict[str, Loaded] = {x.origin: x for x in result.loaded}
        failed: dict[str, Failure] = {x.origin: x for x in result.failed}
        source_reason = next((f.reason for f in result.failed if f.origin == source), None) if not result.complete else None
        reported: set[str] = set()  # failure reasons already on one of this source's articles
        items: list[tuple[str, Article, ArticleRecord]] = []
        for r in olds:
            if scope is not None and r.origin != scope:
                items.append((r.origin, old_articles[r.id], r))
                continue
            x = loaded.pop(r.origin, None)
            if x is not None:
                same = x.content_hash == r.content_hash
                rec = r.model_copy(update={"fetched_at": x.fetched_at, "title": x.article.meta.title,
                                           **({} if same else _counts(x.article, x.content_hash, x.fetched_at))})
                items.append((r.origin, old_articles[r.id] if same else _with_id(x.article, r.id), rec))
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="unchanged" if same else "updated"))
                continue
            f = failed.pop(r.origin, None)
            if f is not None or not result.complete:
                reason = f.reason if f else (source_reason or "its source could not be read")
                items.append((r.origin, old_articles[r.id], r))
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="failed", reason=reason, kept_previous=True))
                reported.add(reason)
            else:
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="removed", reason="no longer in its source"))
        for origin, x in loaded.items():
            rec = ArticleRecord(id=x.article.id, title=x.article.meta.title, source=source, origin=origin,
                                **_counts(x.article, x.content_hash, x.fetched_at))
            items.append((origin, x.article, rec))
            changes.append(ArticleChange(id=x.article.id, origin=origin, status="added"))
        for origin, f in failed.items():
            if origin == source and f.reason in reported:
                continue  # the source's failure is already reported on each of its articles
            changes.append(ArticleChange(id=f.article_id or origin, origin=origin, status="failed", reason=f.reason))
        if not is_url(source) and Path(source).is_dir():
            items.sort(key=lambda t: t[0])
        for _, article, rec in items:
            place(article, rec)
    kept = {rec.origin for _, rec in out}
    changed_origins = {c.origin for c in changes}
    for r in old.records.values():
        if r.origin not in kept and r.origin not in changed_origins:
            changes.append(ArticleChange(id=r.id, origin=r.origin, status="removed",
                                         reason="removed by a moderator" if r.id in drop else "its source is no longer listed"))
    # An added article whose id was changed to stay unique: report it under its final id.
    final_ids = {rec.origin: rec.id for _, rec in out}
    for c in changes:
        if c.status == "added" and c.origin in final_ids:
            c.id = final_ids[c.origin]
    return [a for a, _ in out], {rec.id: rec for _, rec in out}, changes


def _with_quote_counts(records: dict[str, ArticleRecord], corpus: Corpus) -> dict[str, ArticleRecord]:
    n = Counter(q.article for q in corpus.quotes())
    return {k: r if r.quotes == n.get(k, 0) else r.model_copy(update={"quotes": n.get(k, 0)}) for k, r in records.items()}


def _with_id(article: Article, article_id: str) -> Article:
    if article.id == article_id:
        return article
    return article.model_copy(update={"meta": article.meta.model_copy(update={"id": article_id})})


def _counts(article: Article, digest: str, at: datetime) -> dict:
    return {"content_hash": digest, "fetched_at": at, "changed_at": at, "paragraphs": len(article.paragraphs),
            "passages": len({s.paragraph for s in article.sentences}), "sentences": len(article.sentences)}


def _passages(article: Article | None) -> Counter:
    if article is None:
        return Counter()
    numbers = {s.paragraph for s in article.sentences}
    return Counter(article.text[p.start:p.end] for p in article.paragraphs if p.number in numbers)


def _fill_diffs(changes: list[ArticleChange], before: Corpus | None, after: Corpus) -> None:
    """Passages, quotes and experts added and removed, for each article that changed."""
    touched = {c.id for c in changes if c.status in ("added", "updated", "removed")}
    if not touched:
        return

    def quotes(corpus: Corpus | None) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        if corpus is not None:
            for q in corpus.quotes():
                if q.article in touched:
                    out.setdefault(q.article, Counter())[(q.text, q.speaker)] += 1
        return out

    def experts(corpus: Corpus | None) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        if corpus is not None:
            for e in corpus.experts():
                for aid in e.articles:
                    if aid in touched:
                        out.setdefault(aid, set()).add(e.name)
        return out

    qb, qa, eb, ea = quotes(before), quotes(after), experts(before), experts(after)
    before_by_id = {a.id: a for a in before.articles} if before is not None else {}
    after_by_id = {a.id: a for a in after.articles}
    for c in changes:
        if c.id not in touched:
            continue
        pa = _passages(before_by_id.get(c.id) if c.status != "added" else None)
        pb = _passages(after_by_id.get(c.id) if c.status != "removed" else None)
        c.passages_added, c.passages_removed = sum((pb - pa).values()), sum((pa - pb).values())
        q_old = qb.get(c.id, Counter()) if c.status != "added" else Counter()
        q_new = qa.get(c.id, Counter()) if c.status != "removed" else Counter()
        c.quotes_added, c.quotes_removed = sum((q_new - q_old).values()), sum((q_old - q_new).values())
        e_old = eb.get(c.id, set()) if c.status != "added" else set()
        e_new = ea.get(c.id, set()) if c.status != "removed" else set()
        c.experts_added, c.experts_removed = sorted(e_new - e_old), sorted(e_old - e_new)


def _read_source_list(index_dir: Path, notes: list[str]) -> SourceList:
    path = index_dir / SOURCES_FILE
    try:
        return SourceList.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return SourceList()
    except (OSError, ValidationError, ValueError) as exc:
        notes.append(f"ignored an unreadable {path}: {str(exc).splitlines()[0]}")
        return SourceList()


def _stale_reason(manifest: Manifest, sources: list[str], source_list: SourceList) -> str | None:
    """Why a saved index does not match the sources (None when it does). Local files are hashed."""
    if manifest.sources != sources:
        return "the list of sources changed"
    excluded = set(source_list.removed)
    by_source: dict[str, list[ArticleRecord]] = {}
    for r in manifest.articles:
        by_source.setdefault(r.source, []).append(r)
    for s in sources:
        if is_url(s):
            if s not in by_source:
                return f"{s} is not in the saved index"
            continue
        p = Path(s)
        if p.is_dir():
            try:
                files = {str(f) for f in folder_files(p, excluded)}
            except OSError:
                return f"cannot list {s}"
            if files != {r.origin for r in by_source.get(s, [])}:
                return f"the files in {s} changed"
        elif not p.exists():
            return f"{s} is missing"
        elif s not in {r.origin for r in by_source.get(s, [])}:
            return f"{s} is not in the saved index"
        for r in by_source.get(s, []):
            try:
                path = Path(r.origin)
                meta = read_meta(path).model_copy(update={"id": r.id})
                if content_hash(read_text(path), meta) != r.content_hash:
                    return f"{r.origin} changed"
            except ArticleError as exc:
                return str(exc)
    return None
