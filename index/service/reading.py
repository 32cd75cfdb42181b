"""What a change reads and writes: the sources read or fetched (with saved page texts for URLs that are
down), the source list as another process may have left it, and the index, source list and page texts
saved. Blocking parts run in worker threads; the caller holds the folder lock."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from pathlib import Path

from ..catalog import files, pages, snapshot as store
from ..catalog.fetch import FetchPolicy, Fetcher
from ..catalog.refresh import url_id
from ..catalog.snapshot import ArticleRecord, Manifest
from ..catalog.source_list import SOURCES_FILE, SourceList, read_source_list
from ..catalog.sources import SourceResult, is_url, read_local, read_url
from ..corpus import Corpus
from ..models import Article
from .views import State

log = logging.getLogger(__name__)


async def collect(sources: list[str], only: dict[str, str], corpus: Corpus | None, records: dict[str, ArticleRecord],
                  excluded: set[str], policy: FetchPolicy, index_dir: Path | None) -> tuple[list[SourceResult], list[str]]:
    """Read local sources in a thread and fetch URLs concurrently; every failure is a Failure. A URL that
    cannot be fetched and is not serving is read from the copy of its text saved at its last fetch."""
    previous: dict[str, tuple[str, Article]] = {}
    if corpus is not None:
        by_id = {a.id: a for a in corpus.articles}
        previous = {r.origin: (r.content_hash, by_id[r.id]) for r in records.values() if r.id in by_id}
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
        async with Fetcher(policy) as fetcher:
            fetched = await asyncio.gather(*(read_url(fetcher, url, url_id(url, records, taken)) for url in urls))
        if index_dir is not None:
            serving = {r.origin for r in records.values()}
            fetched = await asyncio.to_thread(pages.restore_missing, index_dir, fetched, serving, notes)
        results.extend(fetched)
    return results, notes


def source_list_on_disk(index_dir: Path | None, current: SourceList) -> SourceList:
    """sources.json as another process may have left it (`current` when there is none, or it is unreadable)."""
    if index_dir is None or not (index_dir / SOURCES_FILE).exists():
        return current
    notes: list[str] = []
    on_disk = read_source_list(index_dir, notes)
    for n in notes:
        log.warning("%s", n)
    return on_disk if not notes else current


def save(index_dir: Path, state: State, source_list: SourceList, sources: list[str], manifest: Manifest | None,
         rebuilt: bool, results: list[SourceResult]) -> Manifest:
    """Write sources.json, the fetched pages' texts and the index: when the corpus was rebuilt (or another
    process's save replaced ours) the segments of new and changed articles and the corpus part, else only
    the manifest."""
    files.atomic_write(index_dir / SOURCES_FILE, source_list.model_dump_json(indent=2).encode())
    for r in results:
        for x in r.loaded:
            if is_url(x.origin):
                pages.save_page(index_dir, x.origin, x.article)
    recs = list(state.records.values())
    pages.prune_pages(index_dir, {r.origin for r in recs if is_url(r.origin)})
    if not rebuilt and manifest is not None and store.still_current(index_dir, manifest):
        manifest = manifest.model_copy(update={"articles": recs, "sources": sources, "saved_at": datetime.now(timezone.utc)})
        store.write_manifest(index_dir, manifest)
        return manifest
    return store.save(index_dir, state.corpus, sources, recs)
