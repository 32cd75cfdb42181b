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
import hashlib
import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Literal, Sequence

from pydantic import BaseModel, Field, ValidationError

from . import store
from .article import ArticleError, read_meta, read_text
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

log = logging.getLogger(__name__)

SOURCES_FILE = "sources.json"
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
    """Moderators' changes to ARTICLE_SOURCES, kept in index_dir/sources.json."""

    version: int = 1
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)  # sources, or single articles' files/URLs

    def effective(self, configured: list[str]) -> list[str]:
        out: list[str] = []
        for s in [*configured, *self.added]:
            if s not in self.removed and s not in out:
                out.append(s)
        return out


@dataclass(frozen=True)
class _State:
    """What is serving: swapped as a whole, never changed in place."""

    corpus: Corpus | None
    records: dict[str, ArticleRecord]  # by article id, in corpus order


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


class QAService:
    def __init__(self, corpus: Corpus, sources: list[Path] | None = None, *, records: dict[str, ArticleRecord] | None = None,
                 index_dir: Path | None = None, configured: list[str] | None = None, source_list: SourceList | None = None,
                 policy: FetchPolicy | None = None, manifest: Manifest | None = None):
        self._configured = configured or [normalize(s) for s in (sources or [DEFAULT_ARTICLES_DIR])]
        self._source_list = source_list or SourceList()
        self._sources = self._source_list.effective(self._configured)
        self._state = _State(corpus, records if records is not None else _records_for(corpus, self._sources))
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.policy = policy or FetchPolicy()
        self._manifest = manifest
        self._refresh_lock = asyncio.Lock()
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
             policy: FetchPolicy | None = None) -> "QAService":
        """Load the saved index from index_dir when the sources are unchanged; build (and save) otherwise.

        A missing, corrupt, old-format or stale saved index is rebuilt, never trusted and never
        fatal; only "no article could be read at all" raises ArticleError.
        """
        t0 = time.perf_counter()
        index_dir = Path(index_dir)
        configured = [normalize(s) for s in split_sources(sources)] or [normalize(DEFAULT_ARTICLES_DIR)]
        if policy is None:
            policy = FetchPolicy(allow_private=allow_private,
                                 allowed_hosts=tuple(allowed_hosts) if allowed_hosts is not None else None)
        notes: list[str] = []
        source_list = _read_source_list(index_dir, notes)
        effective = source_list.effective(configured)
        old = _State(None, {})
        manifest = None
        try:
            manifest, corpus = store.load(index_dir)
            old = _State(corpus, {r.id: r for r in manifest.articles})
            stale = _stale_reason(manifest, effective, source_list)
        except StoreError as exc:
            stale = str(exc)
        svc = cls.__new__(cls)
        QAService.__init__(svc, old.corpus, configured=configured, source_list=source_list, index_dir=index_dir,
                           policy=policy, records=old.records, manifest=manifest)
        svc.startup = notes
        if stale is None:
            svc.startup.append(f"loaded the saved index from {index_dir} ({len(old.records)} articles, built {ago(manifest.built_at)})")
            log.info("%s in %.3f s", svc.startup[-1], time.perf_counter() - t0)
            return svc
        svc.startup.append(f"rebuilding the index: {stale}")
        log.info(svc.startup[-1])
        # Keep what the saved index has for URLs (start-up does not fetch them again), read the rest.
        fetch = [s for s in effective if not (is_url(s) and any(r.source == s for r in old.records.values()))]
        report = run_blocking(svc._change(action="build", actor="startup", target=None, collect=fetch, sources=effective,
                                           full=True, force_save=True))
        svc.startup.extend(report.lines)
        if svc._state.corpus is None:
            raise ArticleError("no article could be read: " + "; ".join(report.lines))
        return svc

    # --- questions ----------------------------------------------------------------------------

    @property
    def corpus(self) -> Corpus:
        return self._state.corpus

    def ask(self, question: str, article: str | None = None) -> Answer:
        return self._state.corpus.ask(question, article)

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        return self._state.corpus.expert(name, topic)

    def experts(self) -> list[Expert]:
        return self._state.corpus.experts()

    def sources(self) -> list[str]:
        return list(self._sources)

    def record(self, article_id: str) -> ArticleRecord | None:
        return self._state.records.get(article_id)

    def indexed_ago(self, article_id: str | None = None, now: datetime | None = None) -> str:
        """How fresh an answer is: "indexed 5 minutes ago" (the article's last read or fetch, else the build)."""
        rec = self._state.records.get(article_id) if article_id else None
        then = rec.fetched_at if rec else self._state.corpus.built_at
        return f"indexed {ago(then, now)}"

    def about(self) -> CorpusInfo:
        state = self._state
        c = state.corpus
        if c is None:
            return _empty_info()
        now = datetime.now(timezone.utc)
        infos = []
        for a in c.articles:
            rec = state.records.get(a.id)
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

    # --- moderator actions --------------------------------------------------------------------

    async def refresh(self, article_id: str | None = None, actor: str | None = None) -> RefreshReport:
        """Read or fetch every source (or only the one article), rebuild what changed, swap, save."""
        async with self._refresh_lock:
            if article_id is None:
                return await self._change("refresh", actor, None, collect=list(self._sources), sources=self._sources, full=True)
            rec = self._state.records.get(article_id)
            if rec is None:
                return self._refused("refresh", actor, article_id, f"no article with the id {article_id!r}; see /about")
            return await self._change("refresh", actor, article_id, collect=[rec.source], sources=self._sources,
                                      full=False, only={rec.source: rec.origin})

    async def add_source(self, source: str | Path, actor: str | None = None) -> RefreshReport:
        """Add a file, folder or URL; it is read first and only added if at least one article comes out."""
        async with self._refresh_lock:
            spec = normalize(source)
            if spec in self._sources:
                return self._refused("add", actor, spec, f"{spec} is already a source; use /reindex to refresh it")
            try:
                if is_url(spec):
                    check_url(spec, self.policy)
                elif not Path(spec).exists():
                    raise SourceError(f"source not found: {spec}")
            except SourceError as exc:
                return self._refused("add", actor, spec, str(exc))
            source_list = self._source_list.model_copy(deep=True)
            if spec in source_list.removed:
                source_list.removed.remove(spec)
            if spec not in self._configured:
                source_list.added.append(spec)
            return await self._change("add", actor, spec, collect=[spec], sources=source_list.effective(self._configured),
                                      full=False, source_list=source_list, require=spec)

    async def remove_source(self, target: str, actor: str | None = None) -> RefreshReport:
        """Remove a source (as listed by sources()) or one article by id; the rest keeps serving."""
        async with self._refresh_lock:
            records = self._state.records
            spec = target if target in self._sources else (normalize(target) if not is_url(target) else target)
            source_list = self._source_list.model_copy(deep=True)
            if spec in self._sources:
                drop = [r.id for r in records.values() if r.source == spec]
                source_list.added = [s for s in source_list.added if s != spec]
                if spec in self._configured:
                    source_list.removed.append(spec)
            elif target in records:
                rec = records[target]
                drop = [rec.id]
                if rec.origin == rec.source:  # the article is the whole source
                    source_list.added = [s for s in source_list.added if s != rec.source]
                    if rec.source in self._configured:
                        source_list.removed.append(rec.source)
                else:  # one file of a folder
                    source_list.removed.append(rec.origin)
            else:
                return self._refused("remove", actor, target, f"no source or article {target!r}; see /articles")
            if len(drop) == len(records):
                return self._refused("remove", actor, target, "that would remove every article: add another source first")
            return await self._change("remove", actor, target, collect=[], sources=source_list.effective(self._configured),
                                      full=False, source_list=source_list, drop=set(drop))

    # --- the one path every change takes ------------------------------------------------------

    def _refused(self, action: str, actor: str | None, target: str | None, reason: str) -> RefreshReport:
        report = RefreshReport(ok=False, lines=[f"{action} refused: {reason}"], info=self.about(), action=action,
                               target=target, actor=actor, notes=[reason])
        self._audit(report)
        return report

    async def _change(self, action: str, actor: str | None, target: str | None, *, collect: list[str], sources: list[str],
                      full: bool, only: dict[str, str] | None = None, source_list: SourceList | None = None,
                      require: str | None = None, drop: set[str] | None = None, force_save: bool = False) -> RefreshReport:
        t0 = time.perf_counter()
        old = self._state
        results = await self._collect(collect, only or {})
        merged = _merge(old, results, sources, only or {}, drop or set())
        articles, records, changes = merged
        notes: list[str] = []
        ok = not any(c.status == "failed" for c in changes)
        if require is not None and not any(r.source == require for r in records.values()):
            reasons = "; ".join(c.reason or c.status for c in changes if c.status == "failed") or "no article found"
            report = RefreshReport(ok=False, lines=[f"not added: {reasons}"], info=self.about(), action=action, target=target,
                                   actor=actor, changes=changes, seconds_total=time.perf_counter() - t0)
            self._audit(report)
            return report
        structural = any(c.status in ("added", "updated", "removed") for c in changes)
        corpus = old.corpus
        if structural or corpus is None:
            if not articles:
                notes.append("no article could be read; nothing to index")
                report = RefreshReport(ok=False, lines=[c.line() for c in changes] + notes, info=_empty_info(),
                                       action=action, target=target, actor=actor, changes=changes)
                return report
            try:
                corpus = await asyncio.to_thread(Corpus.build, articles, old.corpus)
            except (ArticleError, ValueError) as exc:
                notes.append(f"rebuild failed, previous index kept: {exc}")
                report = RefreshReport(ok=False, lines=[c.line() for c in changes] + notes, info=self.about(), action=action,
                                       target=target, actor=actor, changes=changes, notes=notes,
                                       seconds_total=time.perf_counter() - t0)
                self._audit(report)
                return report
            _fill_diffs(changes, old.corpus, corpus)
            records = _with_quote_counts(records, corpus)
        # The swap: one assignment, so a question sees the old index or the new one.
        self._state = _State(corpus, records)
        if source_list is not None:
            self._source_list = source_list
            self._sources = source_list.effective(self._configured)
            self._save_source_list(notes)
        swapped_at = time.perf_counter()
        saved = False
        if self.index_dir is not None:
            try:
                rebuilt = structural or force_save or self._manifest is None
                self._manifest = await asyncio.to_thread(self._save, corpus, records, rebuilt)
                saved = True
            except (OSError, StoreError) as exc:
                notes.append(f"index not saved ({exc}); the previous saved index stays on disk")
                log.error("saving the index failed: %s", exc)
        report = RefreshReport(
            ok=ok and not notes, lines=[c.line() for c in changes] + notes, info=self.about(), action=action, target=target,
            actor=actor, changes=changes, notes=notes, swapped=corpus is not old.corpus, saved=saved,
            seconds_to_swap=swapped_at - t0, seconds_total=time.perf_counter() - t0,
        )
        self._audit(report)
        return report

    async def _collect(self, sources: list[str], only: dict[str, str]) -> list[SourceResult]:
        """Read local sources in a thread and fetch URLs concurrently; every failure is a Failure."""
        records = self._state.records
        corpus = self._state.corpus
        previous: dict[str, tuple[str, Article]] = {}
        if corpus is not None:
            by_id = {a.id: a for a in corpus.articles}
            previous = {r.origin: (r.content_hash, by_id[r.id]) for r in records.values() if r.id in by_id}
        excluded = set(self._source_list.removed)
        local = [s for s in sources if not is_url(s)]
        urls = [s for s in sources if is_url(s)]
        results: list[SourceResult] = []
        if local:
            def read_all() -> list[SourceResult]:
                return [read_local(s, excluded, previous, only.get(s)) for s in local]
            results.extend(await asyncio.to_thread(read_all))
        if urls:
            taken = {r.id: r.origin for r in records.values()}
            async with Fetcher(self.policy) as fetcher:
                jobs = []
                for url in urls:
                    jobs.append(read_url(fetcher, url, _url_id(url, records, taken)))
                results.extend(await asyncio.gather(*jobs))
        return results

    def _save(self, corpus: Corpus, records: dict[str, ArticleRecord], rebuilt: bool) -> Manifest:
        recs = list(records.values())
        if not rebuilt and self._manifest is not None:
            manifest = self._manifest.model_copy(update={"articles": recs, "sources": list(self._sources),
                                                         "saved_at": datetime.now(timezone.utc)})
            store.write_manifest(self.index_dir, manifest)
            return manifest
        return store.save(self.index_dir, corpus, list(self._sources), recs)

    def _save_source_list(self, notes: list[str]) -> None:
        if self.index_dir is None:
            return
        try:
            store.atomic_write(self.index_dir / SOURCES_FILE, self._source_list.model_dump_json(indent=2).encode())
        except OSError as exc:
            notes.append(f"source list not saved: {exc}")

    def _audit(self, report: RefreshReport) -> None:
        who = report.actor or "unknown"
        log.info("%s by %s at %s (target %s): %s", report.action, who, report.at.isoformat(), report.target or "all",
                 "; ".join(report.lines) or "nothing to do")
        if self.index_dir is None:
            return
        entry = {"at": report.at.isoformat(), "actor": who, "action": report.action, "target": report.target,
                 "ok": report.ok, "summary": report.summary(), "lines": report.lines}
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            with open(self.index_dir / AUDIT_FILE, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError as exc:
            log.error("cannot write the audit log: %s", exc)


# --- helpers ----------------------------------------------------------------------------------


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
        olds = [r for r in old.records.values() if r.source == source and r.id not in drop]
        result = by_source.get(source)
        if result is None:
            for r in olds:
                place(old_articles[r.id], r)
            continue
        scope = only.get(source)
        loaded: dict[str, Loaded] = {x.origin: x for x in result.loaded}
        failed: dict[str, Failure] = {x.origin: x for x in result.failed}
        source_reason = next((f.reason for f in result.failed if f.origin == source), None) if not result.complete else None
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
            else:
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="removed", reason="no longer in its source"))
        for origin, x in loaded.items():
            rec = ArticleRecord(id=x.article.id, title=x.article.meta.title, source=source, origin=origin,
                                **_counts(x.article, x.content_hash, x.fetched_at))
            items.append((origin, x.article, rec))
            changes.append(ArticleChange(id=x.article.id, origin=origin, status="added"))
        for origin, f in failed.items():
            if origin == source and any(c.status == "failed" and c.reason == f.reason for c in changes):
                continue  # the source's failure is already reported on each of its articles
            changes.append(ArticleChange(id=f.article_id or origin, origin=origin, status="failed", reason=f.reason))
        if not is_url(source) and Path(source).is_dir():
            items.sort(key=lambda t: t[0])
        for _, article, rec in items:
            place(article, rec)
    kept = {rec.origin for _, rec in out}
    for r in old.records.values():
        if r.origin not in kept and not any(c.origin == r.origin for c in changes):
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
    for c in changes:
        if c.id not in touched:
            continue
        pa = _passages(before.article(c.id) if before is not None and c.status != "added" else None)
        pb = _passages(after.article(c.id) if c.status != "removed" else None)
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
