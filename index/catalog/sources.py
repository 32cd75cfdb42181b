"""Where articles come from: files, folders and http(s) URLs, read or fetched into Articles.

A source is one entry of ARTICLE_SOURCES: a file, a folder of `.txt`/`.md` files, or a
URL. Reading a source yields, per article, either a `Loaded` (the parsed Article and its
content hash) or a `Failure` with a one-line reason, so one bad article never spoils
the others.

The fetching itself, and its fence, are in index.catalog.fetch.

HTML goes through trafilatura (main text, title, author, date), imported on first use
because it takes ~0.5 s to import and start-up must not pay for it. text/plain is taken
as is.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

from ..text.article import ArticleError, parse_article, parse_file, read_meta, read_text, require_prose
from ..corpus import folder_articles
from ..text.html import NoArticleText, extract as extract_html
from ..models import Article, ArticleMeta
from .fetch import Fetched, Fetcher, SourceError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")


@dataclass(frozen=True)
class Loaded:
    """One article read from a source."""

    article: Article
    origin: str  # the file path or URL it was read from
    source: str  # the ARTICLE_SOURCES entry it belongs to
    content_hash: str
    fetched_at: datetime


@dataclass(frozen=True)
class Failure:
    """An article (or a whole source, article_id None) that could not be read, and why."""

    origin: str
    source: str
    reason: str
    article_id: str | None = None


@dataclass
class SourceResult:
    source: str
    loaded: list[Loaded] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    complete: bool = True  # False when the source itself failed (folder missing, fetch error)


# --- source strings ---------------------------------------------------------------------------


def split_sources(value: str | Sequence[str] | None) -> list[str]:
    """ARTICLE_SOURCES as a list: comma-separated in a string, empty entries dropped."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [s.strip() for s in items if s and s.strip()]


def is_url(spec: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", spec))


def normalize(spec: str | Path) -> str:
    """One spelling per source: URLs as given (trimmed), paths absolute."""
    spec = str(spec).strip()
    if is_url(spec):
        return spec
    return str(Path(spec).expanduser().resolve())


def url_article_id(url: str) -> str:
    """A readable, stable id for a URL article: the last path segment, else the host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    base = segments[-1] if segments else (parts.hostname or "article")
    base = re.sub(r"\.(html?|php|aspx?|txt|md)$", "", base, flags=re.I)
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:60].strip("-")
    return slug or "article-" + hashlib.sha1(url.encode()).hexdigest()[:8]


def content_hash(text: str, meta: ArticleMeta) -> str:
    """What decides "unchanged": the text and the metadata shown to users (not the id)."""
    m = meta.model_dump(exclude={"id"})
    h = hashlib.sha256(text.encode("utf-8"))
    h.update(b"\0" + json.dumps(m, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# --- turning a page into an article -----------------------------------------------------------


def _looks_binary(body: bytes) -> bool:
    return b"\x00" in body[:8192]


def _decode_text(body: bytes, charset: str | None, url: str) -> str:
    for enc in ("utf-8-sig", charset):
        if not enc:
            continue
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceError(f"{url} is not UTF-8 text{f' nor {charset}' if charset else ''}")


def page_to_article(page: Fetched, article_id: str) -> Article:
    """The article in a fetched page: main text of HTML via trafilatura, or the plain text."""
    ctype = page.content_type.lower()
    body = page.body
    if not body.strip():
        raise SourceError(f"{page.url} returned an empty page")
    if _looks_binary(body):
        raise SourceError(f"{page.url} is not a text page ({ctype or 'binary content'})")
    sniff = body[:1024].lstrip().lower()
    is_html = ctype in _HTML_TYPES or (
        ctype in ("", "application/octet-stream") and sniff.startswith((b"<!doctype html", b"<html"))
    )
    meta = ArticleMeta(id=article_id, url=page.url, source=urlsplit(page.final_url).hostname)
    if is_html:
        text, meta = _extract_html(page, meta)
    elif ctype in _TEXT_TYPES or not ctype:
        text = _decode_text(body, page.charset, page.url)
    else:
        raise SourceError(f"{page.url} is not a text page (content type {ctype})")
    text = text.strip()
    if not text:
        raise SourceError(f"no article text found at {page.url}")
    try:
        article = parse_article(text + "\n", meta)
    except ArticleError as exc:
        raise SourceError(f"{page.url}: {exc}") from None
    try:
        return require_prose(article, page.url)
    except ArticleError as exc:
        raise SourceError(str(exc)) from None


def _extract_html(page: Fetched, meta: ArticleMeta) -> tuple[str, ArticleMeta]:
    html = _decode_text(page.body, page.charset, page.url) if page.charset else page.body
    try:
        text, found = extract_html(html, url=page.final_url)
    except NoArticleText:
        raise SourceError(f"no article text found in the HTML of {page.url}") from None
    return text, meta.model_copy(update=found)


# --- reading sources --------------------------------------------------------------------------


def read_file(path: Path, source: str, article_id: str | None = None, previous: dict[str, tuple[str, Article]] | None = None) -> Loaded:
    """One article file; reuses the previously parsed Article when its content hash is the same."""
    text = read_text(path)
    meta = read_meta(path)
    if article_id:
        meta = meta.model_copy(update={"id": article_id})
    digest = content_hash(text, meta)
    old = (previous or {}).get(str(path))
    if old is not None and old[0] == digest and old[1].id == meta.id:
        article = old[1]
    else:
        article = parse_file(text, meta, path.suffix)
    return Loaded(article, str(path), source, digest, datetime.now(timezone.utc))


def folder_files(folder: Path, excluded: set[str] | None = None) -> list[Path]:
    """A folder's article files (regular files with UTF-8 names: folder_articles), less `excluded`."""
    return [f for f in folder_articles(folder) if str(f) not in (excluded or set())]


def read_local(source: str, excluded: set[str] | None = None, previous: dict[str, tuple[str, Article]] | None = None,
               only: str | None = None) -> SourceResult:
    """A file or folder source (blocking: run it in a thread)."""
    result = SourceResult(source)
    path = Path(source)
    if path.is_dir():
        try:
            files = folder_files(path, excluded)
        except OSError as exc:
            result.complete = False
            result.failed.append(Failure(source, source, f"cannot list folder {source}: {exc.strerror}"))
            return result
        if only is not None:
            files = [f for f in files if str(f) == only]
    elif path.exists():
        files = [path]
    else:
        result.complete = False
        result.failed.append(Failure(source, source, f"source not found: {source}", article_id=path.stem))
        return result
    for f in files:
        try:
            result.loaded.append(read_file(f, source, previous=previous))
        except ArticleError as exc:
            result.failed.append(Failure(str(f), source, str(exc), article_id=f.stem))
    return result


async def read_url(fetcher: Fetcher, url: str, article_id: str, source: str | None = None) -> SourceResult:
    result = SourceResult(source or url)
    try:
        page = await fetcher.fetch(url)
        article = await asyncio.to_thread(page_to_article, page, article_id)
    except SourceError as exc:
        result.complete = False
        result.failed.append(Failure(url, source or url, str(exc), article_id=article_id))
        return result
    result.loaded.append(Loaded(article, url, source or url, content_hash(article.text, article.meta), datetime.now(timezone.utc)))
    return result
