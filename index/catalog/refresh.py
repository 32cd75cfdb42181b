"""A refresh as pure functions: what was read, merged with what is serving, into the new article list,
records and the change of each article (unchanged, updated, added, removed, failed); and whether a
saved index still matches its sources."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime
from pathlib import Path

from ..text.article import ArticleError, read_meta, read_text
from ..corpus import Corpus
from ..models import Article
from .reports import ArticleChange
from .snapshot import ArticleRecord, Manifest
from .source_list import SourceList
from .sources import Failure, Loaded, SourceResult, content_hash, folder_files, is_url, url_article_id


def records_for(corpus: Corpus | None, sources: list[str]) -> dict[str, ArticleRecord]:
    """Records for a corpus built without them (from_sources): origins guessed from the sources."""
    if corpus is None:
        return {}
    now = corpus.built_at
    out: dict[str, ArticleRecord] = {}
    files: dict[str, tuple[str, str]] = {}
    for s in sources:
        p = Path(s)
        for f in (folder_files(p) if p.is_dir() else [p] if p.exists() else []):
            files.setdefault(f.stem, (str(f), s))
    for a in corpus.articles:
        origin, source = files.get(a.id, (a.meta.url or a.id, a.meta.url or a.id))
        out[a.id] = ArticleRecord(id=a.id, title=a.meta.title, source=source, origin=origin,
                                  content_hash=content_hash(a.text, a.meta), fetched_at=now, changed_at=now,
                                  paragraphs=len(a.paragraphs), sentences=len(a.sentences))
    return out


def url_id(url: str, records: dict[str, ArticleRecord], taken: dict[str, str]) -> str:
    for r in records.values():
        if r.origin == url:
            return r.id
    base = url_article_id(url)
    if base in taken and taken[base] != url:
        return f"{base}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
    return base


def merge(corpus: Corpus | None, records: dict[str, ArticleRecord], results: list[SourceResult], sources: list[str],
          only: dict[str, str], drop: set[str]) -> tuple[list[Article], dict[str, ArticleRecord], list[ArticleChange]]:
    """The new article list and records, and what happened to each article.

    Per source in order: if it was not read this time its articles stay as they are; if it was,
    each article is unchanged (same content hash: the old Article object is reused), updated,
    added, failed (the old version stays) or, when the source was read completely and no longer
    has it (a file deleted from a folder), removed. Articles of sources no longer listed, and
    those in `drop`, are removed.
    """
    by_source = {r.source: r for r in results}
    old_articles = {a.id: a for a in corpus.articles} if corpus is not None else {}
    old_by_source: dict[str, list[ArticleRecord]] = {}
    for r in records.values():
        if r.id not in drop:
            old_by_source.setdefault(r.source, []).append(r)
    changes: list[ArticleChange] = []
    out: list[tuple[Article, ArticleRecord]] = []
    ids: dict[str, str] = {}  # id -> origin, to keep ids unique

    def place(article: Article, rec: ArticleRecord) -> None:
        if article.id in ids and ids[article.id] != rec.origin:  # two sources yield the same id
            new_id = f"{article.id}-{hashlib.sha1(rec.origin.encode()).hexdigest()[:6]}"
            article = article.model_copy(update={"meta": article.meta.model_copy(update={"id": new_id})})
            rec = rec.model_copy(update={"id": new_id})
        ids[article.id] = rec.origin
        out.append((article, rec))

    for source in sources:
        olds = old_by_source.get(source, [])
        result = by_source.get(source)
        if result is None:
            for r in olds:
                place(old_articles[r.id], r)
            continue
        scope = only.get(source)
        loaded: dict[str, Loaded] = {x.origin: x for x in result.loaded}
        failed: dict[str, Failure] = {x.origin: x for x in result.failed}
        source_reason = next((f.reason for f in result.failed if f.origin == source), None) if not result.complete else None
        reported: set[str] = set()  # failure reasons already on one of this source's articles
        items: list[tuple[str, Article, ArticleRecord]] = []
        for r in olds:
            if scope is not None and r.origin != scope:
                items.append((r.origin, old_articles[r.id], r))
                continue
            x = loaded.pop(r.origin, None)
            if x is not None:
                same = x.content_hash == r.content_hash
                rec = r.model_copy(update={"fetched_at": x.fetched_at, "title": x.article.meta.title,
                                           **({} if same else _counts(x.article, x.content_hash, x.fetched_at))})
                items.append((r.origin, old_articles[r.id] if same else _with_id(x.article, r.id), rec))
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="unchanged" if same else "updated"))
                continue
            f = failed.pop(r.origin, None)
            if f is not None or not result.complete:
                reason = f.reason if f else (source_reason or "its source could not be read")
                items.append((r.origin, old_articles[r.id], r))
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="failed", reason=reason, kept_previous=True))
                reported.add(reason)
            else:
                changes.append(ArticleChange(id=r.id, origin=r.origin, status="removed", reason="no longer in its source"))
        for origin, x in loaded.items():
            rec = ArticleRecord(id=x.article.id, title=x.article.meta.title, source=source, origin=origin,
                                **_counts(x.article, x.content_hash, x.fetched_at))
            items.append((origin, x.article, rec))
            changes.append(ArticleChange(id=x.article.id, origin=origin, status="added"))
        for origin, f in failed.items():
            if origin == source and f.reason in reported:
                continue  # the source's failure is already reported on each of its articles
            changes.append(ArticleChange(id=f.article_id or origin, origin=origin, status="failed", reason=f.reason))
        if not is_url(source) and Path(source).is_dir():
            items.sort(key=lambda t: t[0])
        for _, article, rec in items:
            place(article, rec)
    kept = {rec.origin for _, rec in out}
    changed_origins = {c.origin for c in changes}
    for r in records.values():
        if r.origin not in kept and r.origin not in changed_origins:
            changes.append(ArticleChange(id=r.id, origin=r.origin, status="removed",
                                         reason="removed by a moderator" if r.id in drop else "its source is no longer listed"))
    # An added article whose id was changed to stay unique: report it under its final id.
    final_ids = {rec.origin: rec.id for _, rec in out}
    for c in changes:
        if c.status == "added" and c.origin in final_ids:
            c.id = final_ids[c.origin]
    # The same article gone from one source and found in another (a file moved between listed folders) is one
    # article updated, not one removed and one added: the log must never call a served article removed.
    added = {c.id for c in changes if c.status == "added"}
    moved = {c.id for c in changes if c.status == "removed" and c.id in added}
    changes = [c for c in changes if not (c.status == "removed" and c.id in moved)]
    for c in changes:
        if c.status == "added" and c.id in moved:
            c.status = "updated"
    return [a for a, _ in out], {rec.id: rec for _, rec in out}, changes


def with_quote_counts(records: dict[str, ArticleRecord], corpus: Corpus) -> dict[str, ArticleRecord]:
    n = Counter(q.article for q in corpus.quotes())
    return {k: r if r.quotes == n.get(k, 0) else r.model_copy(update={"quotes": n.get(k, 0)}) for k, r in records.items()}


def _with_id(article: Article, article_id: str) -> Article:
    if article.id == article_id:
        return article
    return article.model_copy(update={"meta": article.meta.model_copy(update={"id": article_id})})


def _counts(article: Article, digest: str, at: datetime) -> dict:
    return {"content_hash": digest, "fetched_at": at, "changed_at": at, "paragraphs": len(article.paragraphs),
            "passages": len({s.paragraph for s in article.sentences}), "sentences": len(article.sentences)}


def _passages(article: Article | None) -> Counter:
    if article is None:
        return Counter()
    numbers = {s.paragraph for s in article.sentences}
    return Counter(article.text[p.start:p.end] for p in article.paragraphs if p.number in numbers)


def fill_diffs(changes: list[ArticleChange], before: Corpus | None, after: Corpus) -> None:
    """Passages, quotes and experts added and removed, for each article that changed."""
    touched = {c.id for c in changes if c.status in ("added", "updated", "removed")}
    if not touched:
        return

    def quotes(corpus: Corpus | None) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        if corpus is not None:
            for q in corpus.quotes():
                if q.article in touched:
                    out.setdefault(q.article, Counter())[(q.text, q.speaker)] += 1
        return out

    def experts(corpus: Corpus | None) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        if corpus is not None:
            for e in corpus.experts():
                for aid in e.articles:
                    if aid in touched:
                        out.setdefault(aid, set()).add(e.name)
        return out

    qb, qa, eb, ea = quotes(before), quotes(after), experts(before), experts(after)
    before_by_id = {a.id: a for a in before.articles} if before is not None else {}
    after_by_id = {a.id: a for a in after.articles}
    for c in changes:
        if c.id not in touched:
            continue
        pa = _passages(before_by_id.get(c.id) if c.status != "added" else None)
        pb = _passages(after_by_id.get(c.id) if c.status != "removed" else None)
        c.passages_added, c.passages_removed = sum((pb - pa).values()), sum((pa - pb).values())
        q_old = qb.get(c.id, Counter()) if c.status != "added" else Counter()
        q_new = qa.get(c.id, Counter()) if c.status != "removed" else Counter()
        c.quotes_added, c.quotes_removed = sum((q_new - q_old).values()), sum((q_old - q_new).values())
        e_old = eb.get(c.id, set()) if c.status != "added" else set()
        e_new = ea.get(c.id, set()) if c.status != "removed" else set()
        c.experts_added, c.experts_removed = sorted(e_new - e_old), sorted(e_old - e_new)


def stale_reason(manifest: Manifest, sources: list[str], source_list: SourceList) -> str | None:
    """Why a saved index does not match the sources (None when it does). Local files are hashed."""
    if manifest.sources != sources:
        return "the list of sources changed"
    excluded = set(source_list.removed)
    by_source: dict[str, list[ArticleRecord]] = {}
    for r in manifest.articles:
        by_source.setdefault(r.source, []).append(r)
    for s in sources:
        if is_url(s):
            if s not in by_source:
                return f"{s} is not in the saved index"
            continue
        p = Path(s)
        if p.is_dir():
            try:
                files = {str(f) for f in folder_files(p, excluded)}
            except OSError:
                return f"cannot list {s}"
            if files != {r.origin for r in by_source.get(s, [])}:
                return f"the files in {s} changed"
        elif not p.exists():
            return f"{s} is missing"
        elif s not in {r.origin for r in by_source.get(s, [])}:
            return f"{s} is not in the saved index"
        for r in by_source.get(s, []):
            try:
                path = Path(r.origin)
                meta = read_meta(path).model_copy(update={"id": r.id})
                if content_hash(read_text(path), meta) != r.content_hash:
                    return f"{r.origin} changed"
            except ArticleError as exc:
                return str(exc)
    return None
