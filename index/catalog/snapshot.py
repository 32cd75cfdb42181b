"""The saved index: a manifest (JSON) naming the pickled files of the built Corpus, in INDEX_DIR.

Layout of INDEX_DIR:
    manifest.json        format version, code version, build time, sources, counts, the corpus part and
                         the segments (name, sha256, bytes, in article order), and per article: id,
                         source, origin, content hash, fetch time, counts
    segments/<key>.pkl   one pickle per article (index.catalog.segments): the article, its search part
                         (index.retrieval.parts.ArticleIndex: layout, term counts and its sentences'
                         terms) and its quotations (index.quotes.attribution.ArticleQuotes). The key
                         hashes the article's content and the format and code versions, so an unchanged
                         article keeps its file: a one-article refresh writes one segment.
    corpus-<sha16>.pkl   the corpus-wide part, named by its sha256: the corpus, naming the segments'
                         objects by persistent id, with the corpus-wide BM25 postings as flat arrays and
                         the experts registry. No per-sentence objects beyond the articles' own (a
                         sentence's facts are made when a question first reads it).
    sources.json         the operator's and each server's additions and removals (index.service)
    audit.jsonl          who refreshed or changed sources, when, and what happened (index.service)
    pages/<sha>.json     the text and metadata of each URL article at its last good fetch, so a
                         rebuild (after an upgrade or a corrupt snapshot) does not lose an article
                         whose page is down; JSON, never pickle
    .lock                taken (flock) around every read-modify-write of these files, so several
                         processes (shards) can share one INDEX_DIR

Every change happens under the folder's lock: two processes never interleave a snapshot and a
manifest, and a corpus part or segment is only deleted by a save holding the lock, once the
manifest it wrote no longer names it. Files a killed save left behind (`.*.tmp`) are removed at
the next start.

Saving is atomic: the segments the folder lacks and the corpus part are written (temp file, fsync,
rename; a segment already there whose sha256 and size match the manifest on disk is kept as it
is), then the manifest is replaced (temp file, fsync, os.replace). A segment the current manifest
names is never rewritten unless it no longer matches it, so a crash at any point leaves the
previous manifest naming files that are all still present and intact.

Loading never trusts the files blindly: the manifest must parse and carry this format
version and this code version (a hash of the modules whose objects are pickled, so an
upgrade rebuilds rather than unpickling stale classes), and every file's sha256 and size
must match the manifest before any is unpickled. Any mismatch is a StoreError with a
one-line reason naming the file; the caller rebuilds. Files are only ever read from our own
INDEX_DIR (pickle runs code: never point INDEX_DIR at files from elsewhere).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..corpus import Corpus
from . import segments
from .files import SEGMENTS_DIR, atomic_write
from .segments import StoreError, dumps, loads  # noqa: F401 - callers import them from here

FORMAT_VERSION = 4  # 4: one file per article (segments/), then the corpus part
MANIFEST = "manifest.json"
SNAPSHOT_PREFIX = segments.CORPUS_PREFIX
SNAPSHOT_SUFFIX = segments.SUFFIX
DEFAULT_INDEX_DIR = Path(".index")
# What does not decide a snapshot's contents (changing it does not make a saved index wrong): the
# catalog (where articles come from and how they are kept), the service, the CLI, the settings.
_CODE_EXCLUDE = {"catalog", "service", "__main__.py", "squad.py", "settings.py"}


class ArticleRecord(BaseModel):
    id: str
    title: str | None = None
    source: str  # the ARTICLE_SOURCES entry (file, folder or URL) it belongs to
    origin: str  # the file or URL it was read from
    content_hash: str
    fetched_at: datetime  # last successful read or fetch
    changed_at: datetime  # when its content last changed (or was first indexed)
    paragraphs: int = 0
    passages: int = 0
    sentences: int = 0
    quotes: int = 0


class SegmentRecord(BaseModel):
    name: str  # segments/<key>.pkl, inside INDEX_DIR
    sha256: str
    bytes: int


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    code_version: str
    built_at: datetime
    saved_at: datetime
    sources: list[str]
    snapshot: str  # the corpus part's file name inside INDEX_DIR
    snapshot_sha256: str
    snapshot_bytes: int
    segments: list[SegmentRecord] = Field(default_factory=list)  # one per article, in order
    counts: dict[str, int] = Field(default_factory=dict)
    articles: list[ArticleRecord] = Field(default_factory=list)


def code_version() -> str:
    """A hash of the index modules whose objects are pickled or shape what is built: every module under
    index/ (subpackages included), except those that only keep, serve or read the index."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root).as_posix()
        if rel.split("/", 1)[0] in _CODE_EXCLUDE or f.name == "__init__.py":
            continue
        h.update(rel.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def still_current(index_dir: Path, manifest: Manifest) -> bool:
    """Whether the manifest on disk is still this one's snapshot (another process may have saved since)."""
    try:
        on_disk = read_manifest(index_dir)
    except StoreError:
        return False
    return (on_disk.snapshot == manifest.snapshot and on_disk.segments == manifest.segments
            and (Path(index_dir) / manifest.snapshot).is_file())


# --- save and load ----------------------------------------------------------------------------


def save(index_dir: Path, corpus: Corpus, sources: list[str], articles: list[ArticleRecord]) -> Manifest:
    """Write the segments the folder lacks, the corpus part, then the manifest; remove the files it no longer
    names. Call with the folder's lock held. Returns the manifest."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    code = code_version()
    version = f"{FORMAT_VERSION}/{code}"
    kept = _named_segments(index_dir)
    groups, refs = segments.groups(corpus)
    records: list[SegmentRecord] = []
    for group in groups:
        name = segments.segment_name(group, version)
        record = kept.get(name)
        if record is None or not segments.is_intact(index_dir / name, record.sha256, record.bytes):
            sha256, size = segments.write_segment(index_dir, name, group)
            record = kept[name] = SegmentRecord(name=name, sha256=sha256, bytes=size)
        records.append(record)
    name, digest, size = segments.write_corpus(index_dir, corpus, refs, len(groups))
    manifest = Manifest(
        code_version=code,
        built_at=corpus.built_at,
        saved_at=datetime.now(timezone.utc),
        sources=list(sources),
        snapshot=name,
        snapshot_sha256=digest,
        snapshot_bytes=size,
        segments=records,
        counts=counts(corpus),
        articles=articles,
    )
    write_manifest(index_dir, manifest)
    _remove_unnamed(index_dir, manifest)
    return manifest


def _named_segments(index_dir: Path) -> dict[str, SegmentRecord]:
    """The segments the manifest on disk names (what a save may keep, once checked), by name."""
    try:
        on_disk = read_manifest(index_dir)
    except StoreError:
        return {}
    return {s.name: s for s in on_disk.segments if segments.is_segment_name(s.name)}


def _remove_unnamed(index_dir: Path, manifest: Manifest) -> None:
    """Delete the corpus parts and segments the manifest just written does not name (older saves', or a
    killed save's)."""
    named = {manifest.snapshot, *(s.name for s in manifest.segments)}
    old = [*index_dir.glob(f"{SNAPSHOT_PREFIX}*{SNAPSHOT_SUFFIX}"), *(index_dir / SEGMENTS_DIR).glob(f"*{SNAPSHOT_SUFFIX}")]
    for path in old:
        if path.relative_to(index_dir).as_posix() not in named:
            segments.forget(path)
            try:
                path.unlink()
            except OSError:
                pass


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    # compact: at 10,000 articles the indented manifest alone was 6.6 MiB rewritten by every save
    atomic_write(Path(index_dir) / MANIFEST, manifest.model_dump_json().encode("utf-8"))


def read_manifest(index_dir: Path) -> Manifest:
    path = Path(index_dir) / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"no saved index in {index_dir}") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    try:
        version = json.loads(raw).get("format_version")
    except (ValueError, AttributeError):
        raise StoreError(f"{path} is not valid JSON") from None
    except RecursionError:  # nested deeper than Python's stack: no manifest of ours
        raise StoreError(f"{path} is not a valid manifest (nested too deeply)") from None
    if version != FORMAT_VERSION:
        raise StoreError(f"saved index has format version {version}, this code reads {FORMAT_VERSION}")
    try:
        return Manifest.model_validate_json(raw)
    except RecursionError:
        raise StoreError(f"{path} is not a valid manifest (nested too deeply)") from None
    except ValidationError as exc:
        raise StoreError(f"{path} is malformed: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from None


def load(index_dir: Path) -> tuple[Manifest, Corpus]:
    """The saved manifest and corpus; StoreError saying why when they cannot be trusted."""
    manifest = read_manifest(index_dir)
    if manifest.code_version != code_version():
        raise StoreError("saved index was built by a different version of the index code")
    index_dir = Path(index_dir)
    if not segments.is_corpus_name(manifest.snapshot):
        raise StoreError(f"manifest names an unexpected snapshot file {manifest.snapshot!r}")
    bad = next((s.name for s in manifest.segments if not segments.is_segment_name(s.name)), None)
    if bad is not None:
        raise StoreError(f"manifest names an unexpected segment file {bad!r}")
    if len(manifest.segments) != len(manifest.articles):
        raise StoreError(f"manifest names {len(manifest.segments)} segments for {len(manifest.articles)} articles")
    # Every file is checked before any is unpickled (pickle runs code).
    files = [(s.name, s.sha256, s.bytes, "segment") for s in manifest.segments]
    *parts, data = segments.read_verified(index_dir, [*files, (manifest.snapshot, manifest.snapshot_sha256,
                                                               manifest.snapshot_bytes, "snapshot")])
    corpus = segments.unpickle([(name, part) for (name, *_), part in zip(files, parts)], manifest.snapshot, data)
    if [a.id for a in corpus.articles] != [a.id for a in manifest.articles]:
        raise StoreError("snapshot and manifest list different articles")
    return manifest, corpus


def counts(corpus: Corpus) -> dict[str, int]:
    return {
        "articles": len(corpus.articles),
        "passages": len(corpus.search.passages),
        "sentences": len(corpus.search.sentences),
        "quotes": len(corpus.quotes()),
        "experts": len(corpus.experts()),
    }
