"""What one server sees: the serving state with each article's visibility, and a View per server."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..answer import decline, validate
from ..catalog.reports import ArticleInfo, CorpusInfo, ago, empty_info
from ..catalog.snapshot import ArticleRecord
from ..catalog.source_list import SourceList
from ..conversation import Turn
from ..corpus import Corpus
from ..models import Answer, Expert, ExpertLookup
from ..text.tokenize import INVISIBLE


_INVISIBLE_DROP = {ord(c): None for c in INVISIBLE}


MAX_VIEWS = 64  # servers' views kept built at once; one more is rebuilt on its next question


@dataclass(frozen=True)
class State:
    """What is serving: swapped as a whole, never changed in place (but for the cache of views)."""

    corpus: Corpus | None
    records: dict[str, ArticleRecord]  # by article id, in corpus order
    shared: frozenset[str] = frozenset()  # ids of the articles every server sees
    own: dict[int, frozenset[str]] = field(default_factory=dict)  # guild id -> ids only that server sees
    views: dict[frozenset[str], Corpus] = field(default_factory=dict)  # built on first use, per set of ids
    readers: dict[int | None, "View"] = field(default_factory=dict)  # per server, built on first use

    def visible(self, guild_id: int | None) -> frozenset[str]:
        return self.shared | self.own.get(guild_id, frozenset()) if guild_id is not None else self.shared

    def corpus_of(self, ids: frozenset[str], lock: threading.Lock) -> Corpus | None:
        """The corpus of just these articles: the whole one when they are all, else built once (under `lock`)
        and kept until the next change, the least recently built dropped past MAX_VIEWS."""
        corpus = self.corpus
        if corpus is None or not ids:
            return None
        if len(ids) == len(self.records) and ids == frozenset(self.records):
            return corpus
        view = self.views.get(ids)
        if view is None:
            with lock:
                view = self.views.get(ids)
                if view is None:
                    view = self.views[ids] = Corpus.build([a for a in corpus.articles if a.id in ids], corpus)
                    if len(self.views) > MAX_VIEWS:  # the least recently built goes first
                        self.views.pop(next(iter(self.views)))
        return view


def scoped_state(corpus: Corpus | None, records: dict[str, ArticleRecord], shared_sources: Iterable[str],
                  source_list: SourceList) -> State:
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
    return State(corpus, records, frozenset(shared), {g: frozenset(ids) for g, ids in own.items()})


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

    def ask(self, question: str, article: str | None = None, context: Turn | None = None) -> Answer:
        # Invisible characters inside words ("Bo\u200dćkowski") change no answer: the rules read the question too.
        question = question.translate(_INVISIBLE_DROP)
        if self._corpus is None:
            problem = validate(question)
            return decline(question, problem or "No article is indexed yet.", invalid=problem is not None)
        return self._corpus.ask(question, article, context)

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        if self._corpus is None:
            return ExpertLookup(query=name, topic=topic)
        return self._corpus.expert(name, topic)

    def experts(self) -> list[Expert]:
        return self._corpus.experts() if self._corpus is not None else []

    def sources(self) -> list[str]:
        return list(self._sources)

    def example_question(self) -> str:
        """A question these articles answer, for a hint: what the most quoted person says, else what the first
        article is about (by its title)."""
        people = self.experts()
        if people:
            return f"What does {max(people, key=lambda e: len(e.quotes)).name} say?"
        c = self._corpus
        title = c.articles[0].meta.title if c is not None and c.articles else None
        return f"What is “{title[:80]}” about?" if title else "What is this article about?"

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
            return empty_info()
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
