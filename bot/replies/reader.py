"""What the reply builders read from: one server's View, or the service (the shared articles); and the lookups
into its corpus that more than one area needs."""

from __future__ import annotations

from index.service import QAService, View

Reader = View | QAService


def article_label(service: Reader, article_id: str) -> tuple[str, str | None]:
    a = service.corpus.article(article_id)
    if a is None:
        return article_id, None
    return a.meta.title or a.id, a.meta.url


def paragraph_of(service: Reader, article_id: str, offset: int) -> int | None:
    a = service.corpus.article(article_id)
    if a is None:
        return None
    for p in a.paragraphs:
        if p.start <= offset < p.end:
            return p.number
    return None
