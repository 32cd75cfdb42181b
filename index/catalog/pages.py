"""The text and metadata of each URL article at its last good fetch (INDEX_DIR/pages/<sha>.json), so a
rebuild after an upgrade or a corrupt snapshot does not lose an article whose page is down. JSON, never
pickle: these files hold text from the web."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from ..text.article import ArticleError, parse_article
from ..models import Article, ArticleMeta
from .sources import Loaded, SourceResult, content_hash
from .files import PAGES_DIR, atomic_write


def _page_path(index_dir: Path, url: str) -> Path:
    return Path(index_dir) / PAGES_DIR / (hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")


def save_page(index_dir: Path, url: str, article: Article) -> None:
    """Keep a URL article's text and metadata (rewritten only when they changed)."""
    meta = article.meta.model_dump(mode="json")
    data = json.dumps({"url": url, "text": article.text, "meta": meta}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    path = _page_path(index_dir, url)
    try:
        if path.read_bytes()[: len(data) + 1] == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def load_page(index_dir: Path, url: str) -> tuple[str, ArticleMeta, datetime] | None:
    """The saved text, metadata and time of a URL's last good fetch; None when there is none usable."""
    path = _page_path(index_dir, url)
    try:
        raw = json.loads(path.read_bytes())
        if raw.get("url") != url or not isinstance(raw.get("text"), str):
            return None
        meta = ArticleMeta.model_validate(raw.get("meta") or {})
        at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except (OSError, ValueError, RecursionError, AttributeError, ValidationError):
        return None
    return raw["text"], meta, at


def prune_pages(index_dir: Path, keep: set[str]) -> None:
    """Delete the saved texts of URLs no longer indexed."""
    folder = Path(index_dir) / PAGES_DIR
    if not folder.is_dir():
        return
    wanted = {_page_path(index_dir, u).name for u in keep}
    for f in folder.glob("*.json"):
        if f.name not in wanted:
            try:
                f.unlink()
            except OSError:
                pass


def restore_missing(index_dir: Path, results: list[SourceResult], serving: set[str], notes: list[str]) -> list[SourceResult]:
    """Each URL that failed and is not serving (a rebuild after an upgrade or a corrupt snapshot) read from
    the text saved at its last good fetch, with a note saying so; the rest as they are."""
    out: list[SourceResult] = []
    for r in results:
        failure = next((f for f in r.failed if f.origin == r.source), None)
        if r.loaded or failure is None or r.source in serving:
            out.append(r)
            continue
        page = load_page(index_dir, r.source)
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
