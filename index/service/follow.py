"""Following the saves of other processes that share INDEX_DIR (bot shards, `python -m index build`).

Each process serves its own copy of the index in memory. After another process saves (a moderator's /articles
add in another shard, a rebuild by the CLI), this one adopts the saved index and sources.json at its next poll,
without a restart: a stat of the manifest while nothing changed, a load only when it names another snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from ..catalog import files, snapshot as store
from ..catalog.snapshot import StoreError
from .memory import collector_paused, retire
from .reading import source_list_on_disk
from .views import scoped_state

if TYPE_CHECKING:
    from .qa import QAService

log = logging.getLogger(__name__)


def manifest_signature(index_dir) -> tuple[int, int, int] | None:
    """What changes whenever the manifest is replaced (each save renames a new file over it)."""
    try:
        st = os.stat(index_dir / store.MANIFEST)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


async def adopt_newer(svc: "QAService") -> str | None:
    """When another process saved since this one last looked, serve what it saved; returns one line saying
    what was adopted (None when nothing was). A save this process cannot use (another code version, other
    ARTICLE_SOURCES) is said once and left alone: this process keeps serving its own index."""
    if svc.index_dir is None:
        return None
    signature = await asyncio.to_thread(manifest_signature, svc.index_dir)
    if signature is None or signature == svc._followed:
        return None
    if _is_ours(svc, await asyncio.to_thread(_manifest_or_none, svc.index_dir)):
        svc._followed = signature  # our own save: no lock taken, a refresh or shutdown never waits on a poll
        return None
    async with svc._refresh_lock:
        await svc.idle()  # one replaced index in memory at a time
        async with files.DirLock(svc.index_dir).acquire_async(), collector_paused():
            return await adopt_locked(svc)


async def adopt_locked(svc: "QAService") -> str | None:
    """adopt_newer's work, for a caller holding the service's refresh lock and the folder's lock: a change
    (index.service.qa) calls it first, so that it builds on what another process saved, never over it."""
    if svc.index_dir is None or svc._manifest is None:
        return None  # no saved index serving (a start that rebuilds): nothing to follow
    signature = await asyncio.to_thread(manifest_signature, svc.index_dir)
    try:
        manifest = await asyncio.to_thread(store.read_manifest, svc.index_dir)
    except StoreError as exc:
        return _once(svc, signature, f"not following the saved index: {exc}")
    if _is_ours(svc, manifest):
        svc._followed = signature
        return None
    source_list = await asyncio.to_thread(source_list_on_disk, svc.index_dir, svc._source_list)
    sources = source_list.effective(svc._configured)
    if manifest.sources != sources:
        return _once(svc, signature, "not following the saved index: it was built from other ARTICLE_SOURCES "
                                     "than this process's (give every process the same settings)")
    ours = svc._manifest
    if manifest.snapshot == ours.snapshot:
        corpus = svc._state.corpus  # only the records changed (a refresh that found nothing new)
    else:
        try:
            manifest, corpus = await asyncio.to_thread(store.load, svc.index_dir)
        except StoreError as exc:
            return _once(svc, signature, f"not following the saved index: {exc}")
    old = svc._state
    records = {r.id: r for r in manifest.articles}
    svc._state = scoped_state(corpus, records, source_list.shared(svc._configured), source_list)
    svc._source_list, svc._sources, svc._manifest, svc._followed = source_list, sources, manifest, signature
    if corpus is not old.corpus:
        retired = [old]
        del old
        # freed before anything else is built: a change that adopted this goes on to build its own index
        await asyncio.to_thread(retire, retired, svc._state)
    return f"serving the index another process saved at {manifest.saved_at:%Y-%m-%d %H:%M:%S} UTC ({len(records)} articles)"


def _manifest_or_none(index_dir):
    try:
        return store.read_manifest(index_dir)
    except StoreError:
        return None


def _is_ours(svc: "QAService", manifest) -> bool:
    ours = svc._manifest
    return (manifest is not None and ours is not None and manifest.snapshot == ours.snapshot
            and manifest.saved_at == ours.saved_at)


def _once(svc: "QAService", signature, line: str) -> str | None:
    """Say a problem with one saved manifest once, not at every poll."""
    svc._followed = signature
    log.warning("index: %s", line)
    return None
