"""The question-answering service the bot and the terminal chat talk to.

It holds the current Corpus behind one reference. A refresh builds a new corpus
off the event loop, then swaps the reference in one assignment: questions that
arrive meanwhile are answered from the old corpus, never from half an index.
Refreshes are serialised by a lock; a failed refresh leaves the old corpus serving.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from .article import ArticleError
from .corpus import DEFAULT_ARTICLES_DIR, Corpus, load_articles
from .models import Answer, Expert, ExpertLookup

log = logging.getLogger(__name__)


class ArticleInfo(BaseModel):
    id: str
    title: str | None
    author: str | None
    source: str | None
    url: str | None
    paragraphs: int
    sentences: int


class CorpusInfo(BaseModel):
    articles: list[ArticleInfo]
    built_at: datetime
    passages: int
    sentences: int
    quotes: int
    experts: int


class RefreshReport(BaseModel):
    ok: bool
    lines: list[str]  # one line per article (or one line saying why the refresh failed)
    info: CorpusInfo


class QAService:
    def __init__(self, corpus: Corpus, sources: list[Path] | None = None):
        self._corpus = corpus
        self.sources = list(sources or [DEFAULT_ARTICLES_DIR])
        self._refresh_lock = asyncio.Lock()

    @classmethod
    def from_sources(cls, sources: list[Path] | None = None) -> "QAService":
        sources = list(sources or [DEFAULT_ARTICLES_DIR])
        return cls(Corpus.build(load_articles(sources)), sources)

    @property
    def corpus(self) -> Corpus:
        return self._corpus

    def ask(self, question: str) -> Answer:
        return self._corpus.ask(question)

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        return self._corpus.expert(name, topic)

    def experts(self) -> list[Expert]:
        return self._corpus.experts()

    def about(self) -> CorpusInfo:
        c = self._corpus
        return CorpusInfo(
            articles=[
                ArticleInfo(
                    id=a.id, title=a.meta.title, author=a.meta.author, source=a.meta.source, url=a.meta.url,
                    paragraphs=len(a.paragraphs), sentences=len(a.sentences),
                )
                for a in c.articles
            ],
            built_at=c.built_at,
            passages=len(c.search.passages),
            sentences=len(c.search.sentences),
            quotes=len(c.quotes()),
            experts=len(c.experts()),
        )

    async def refresh(self) -> RefreshReport:
        """Rebuild from the sources; on any failure keep serving the old corpus."""
        async with self._refresh_lock:
            old = self._corpus
            try:
                new = await asyncio.to_thread(lambda: Corpus.build(load_articles(self.sources)))
            except (ArticleError, OSError, ValueError) as exc:
                log.warning("refresh failed, keeping the previous index: %s", exc)
                return RefreshReport(ok=False, lines=[f"refresh failed, previous index kept: {exc}"], info=self.about())
            self._corpus = new
            lines = []
            old_ids = {a.id: a for a in old.articles}
            for a in new.articles:
                before = old_ids.pop(a.id, None)
                state = "added" if before is None else ("unchanged" if before.text == a.text else "updated")
                lines.append(f"{a.id}: {state}")
            lines.extend(f"{aid}: removed" for aid in old_ids)
            log.info("index refreshed at %s: %s", datetime.now(timezone.utc).isoformat(), "; ".join(lines))
            return RefreshReport(ok=True, lines=lines, info=self.about())
