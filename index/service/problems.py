"""The sources that failed at their last read (missing, empty, unreadable, a failed fetch), by article id:
told at start and in /about, until a read of them succeeds, they are removed, or their source is unlisted."""

from __future__ import annotations

from ..catalog import audit
from ..catalog.reports import ArticleChange
from ..catalog.sources import is_url


class SourceProblems:
    def __init__(self) -> None:
        self._by_id: dict[str, tuple[str, str]] = {}  # article id -> (origin, one line)

    def note(self, changes: list[ArticleChange], dropped: set[str], sources: list[str]) -> None:
        """What one change found: failures are kept, a success or a removal clears them."""
        for c in changes:
            if c.status == "failed":
                self._by_id[c.id] = (c.origin or "", c.line())
            else:
                self._by_id.pop(c.id, None)
        for gone in dropped:
            self._by_id.pop(gone, None)
        self._by_id = {k: v for k, v in self._by_id.items()  # a source no longer listed is no problem any more
                       if not v[0] or any(v[0] == src or v[0].startswith(src.rstrip("/") + "/") for src in sources)}

    def lines(self, configured: list[str], own: set[str] | None = None, shared: set[str] | None = None) -> list[str]:
        """All lines (the operator: `own` None); for a server, the shared sources' and its own, without the
        host's paths (`configured`: ARTICLE_SOURCES, whose paths are the host's)."""
        if own is None:
            return [line for _, line in self._by_id.values()]
        return [audit.without_host_paths(line, configured) for origin, line in self._by_id.values()
                if origin in own or origin in (shared or set()) or not is_url(origin)]
