"""Keeping a refresh off the event loop's back: the collector paused during a change, and the replaced
index freed in a worker thread, a little at a time, once no question reads it."""

from __future__ import annotations

import contextlib
import gc
import itertools
import sys
import time

from .views import State


@contextlib.asynccontextmanager
async def collector_paused():
    """No cyclic garbage collection during a change, and what serves afterwards frozen out of later ones.

    A full collection walks every object of the serving index (millions), holding the GIL: measured,
    it stalled the event loop for 0.9 s of a 500-article reindex (27 ms with collections paused). The
    index holds no reference cycles once a dropped index is released (retire), so what freezing keeps
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


def retire(retired: list[State], new: State) -> None:
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


def _unread(old: State) -> bool:
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
