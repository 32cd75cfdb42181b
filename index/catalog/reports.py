"""What a refresh or a change of sources did, and what the index holds: the models the bot shows and logs."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, Field


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


def empty_info() -> CorpusInfo:
    return CorpusInfo(articles=[], built_at=datetime.now(timezone.utc), passages=0, sentences=0, quotes=0, experts=0)
