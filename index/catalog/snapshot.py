"""The saved index: a manifest (JSON) and a snapshot of the built Corpus (pickle), in INDEX_DIR.

Layout of INDEX_DIR:
    manifest.json        format version, code version, build time, sources, counts, and per
                         article: id, source, origin, content hash, fetch time, counts
    corpus-<sha16>.pkl   the Corpus, named by its sha256: one pickle per article (the article, its search
                         part, index.retrieval.parts.ArticleIndex: layout, term counts and its sentences'
                         terms, and its quotations, index.quotes.attribution.ArticleQuotes), then the
                         corpus, naming those by persistent id, with the corpus-wide BM25 postings as flat
                         arrays and the experts registry. No per-sentence objects beyond the articles'
                         own (a sentence's facts are made when a question first reads it).
    sources.json         the operator's and each server's additions and removals (index.service)
    audit.jsonl          who refreshed or changed sources, when, and what happened (index.service)
    pages/<sha>.json     the text and metadata of each URL article at its last good fetch, so a
                         rebuild (after an upgrade or a corrupt snapshot) does not lose an article
                         whose page is down; JSON, never pickle
    .lock                taken (flock) around every read-modify-write of these files, so several
                         processes (shards) can share one INDEX_DIR

Every change happens under the folder's lock: two processes never interleave a snapshot and a
manifest, and a snapshot is only deleted by a save holding the lock, once the manifest names
another. Files a killed save left behind (`.*.tmp`) are removed at the next start.

Saving is atomic: the snapshot is written under a new name (temp file, fsync, rename), then
the manifest is replaced (temp file, fsync, os.replace). A crash at any point leaves the
previous manifest pointing at the previous, still present, snapshot.

Loading never trusts the files blindly: the manifest must parse and carry this format
version and this code version (a hash of the modules whose objects are pickled, so an
upgrade rebuilds rather than unpickling stale classes), and the snapshot's sha256 and size
must match the manifest before it is unpickled. Any mismatch is a StoreError with a
one-line reason; the caller rebuilds. The snapshot is only ever read from our own
INDEX_DIR (pickle runs code: never point INDEX_DIR at files from elsewhere).
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import pickle
import sys
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..corpus import Corpus
from ..models import Paragraph, Sentence
from .files import atomic_write, new_file


FORMAT_VERSION = 3  # 3: one pickle per article, then the corpus
MANIFEST = "manifest.json"
SNAPSHOT_PREFIX = "corpus-"
SNAPSHOT_SUFFIX = ".pkl"
DEFAULT_INDEX_DIR = Path(".index")
# What does not decide a snapshot's contents (changing it does not make a saved index wrong): the
# catalog (where articles come from and how they are kept), the service, the CLI, the settings.
_CODE_EXCLUDE = {"catalog", "service", "__main__.py", "squad.py", "settings.py"}


class StoreError(Exception):
    """A saved index that cannot be used; str() says why in one line."""


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


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    code_version: str
    built_at: datetime
    saved_at: datetime
    sources: list[str]
    snapshot: str  # file name inside INDEX_DIR
    snapshot_sha256: str
    snapshot_bytes: int
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
    return on_disk.snapshot == manifest.snapshot and (Path(index_dir) / manifest.snapshot).is_file()


# --- fast pickling ----------------------------------------------------------------------------
# The default pickle of a 1,000-article corpus spends most of its load time in pydantic's
# __setstate__ and dataclasses' slot __setstate__ (which calls fields() per object). Sentences
# and paragraphs are pickled as plain tuples and rebuilt with one call each instead.


def _sentence(number: int, paragraph: int, start: int, end: int) -> Sentence:
    return _model(Sentence, {"number": number, "paragraph": paragraph, "start": start, "end": end}, set(_SENTENCE_FIELDS))


def _paragraph(number: int, start: int, end: int, kind: str) -> Paragraph:
    return _model(Paragraph, {"number": number, "start": start, "end": end, "kind": kind}, set(_PARAGRAPH_FIELDS))


_SENTENCE_FIELDS = set(Sentence.model_fields)
_PARAGRAPH_FIELDS = set(Paragraph.model_fields)


_MAKERS: dict[type, object] = {}


def _maker(cls: type):
    """A constructor for a slots dataclass that sets its slots directly (frozen or not)."""
    setters = tuple(getattr(cls, name).__set__ for name in cls.__slots__)
    new = object.__new__

    def make(values: tuple) -> object:
        obj = new(cls)
        for set_, value in zip(setters, values):
            set_(obj, value)
        return obj

    return make


def _slots_object(cls: type, values: tuple) -> object:
    make = _MAKERS.get(cls)
    if make is None:
        make = _MAKERS[cls] = _maker(cls)
    return make(values)


def _interned(value):
    """Strings (also inside frozensets and tuples) replaced by their interned copies, so that
    pickle writes each distinct term once and refers to it afterwards."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is frozenset:
        return frozenset(_interned(v) for v in value)
    if type(value) is tuple:
        return tuple(_interned(v) for v in value)
    return value


def _model(cls: type, fields: dict, fields_set: set) -> BaseModel:
    """A pydantic model rebuilt from its field values without validation (they were valid when saved)."""
    m = object.__new__(cls)
    object.__setattr__(m, "__dict__", fields)
    object.__setattr__(m, "__pydantic_fields_set__", fields_set)
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):  # noqa: ANN001 - pickle protocol
        cls = type(obj)
        if cls is Sentence:
            d = obj.__dict__
            return _sentence, (d["number"], d["paragraph"], d["start"], d["end"])
        if cls is Paragraph:
            d = obj.__dict__
            return _paragraph, (d["number"], d["start"], d["end"], d["kind"])
        if isinstance(obj, BaseModel) and obj.__pydantic_extra__ is None and not obj.__pydantic_private__:
            return _model, (cls, obj.__dict__, obj.__pydantic_fields_set__)
        slots = getattr(cls, "__slots__", None)
        if slots and hasattr(cls, "__dataclass_fields__") and not hasattr(obj, "__dict__"):
            return _slots_object, (cls, tuple(_interned(getattr(obj, n)) for n in slots))
        return NotImplemented


# --- one pickle per article, then the corpus that refers to them ------------------------------------
# One pickle of the whole corpus gives the pickler a memo of every object in it (millions), and growing
# that table is one C call holding the GIL: measured, event-loop stalls of 0.10-0.28 s while a
# 2,000-article snapshot was saved. So each article is pickled on its own (with its search part and its
# quotations, which point into it) and the corpus last, naming those objects by persistent id: no memo
# grows past one article's objects plus the corpus-wide arrays and registry.
_HEADER = "index-snapshot/articles"


def _groups(corpus: Corpus) -> tuple[list[tuple], dict[int, tuple]]:
    """Per article (article, its search part or None, its quotations part or None), and the persistent id
    of each of those objects and of each of its quotations, by id()."""
    search_parts = {id(p.article): p for p in corpus.search.parts}
    quote_parts = {id(p.article): p for p in corpus.attribution.parts}
    groups, refs = [], {}
    for i, article in enumerate(corpus.articles):
        sp, qp = search_parts.get(id(article)), quote_parts.get(id(article))
        groups.append((article, sp, qp))
        refs[id(article)] = ("a", i)
        if sp is not None:
            refs[id(sp)] = ("s", i)
        if qp is not None:
            refs[id(qp)] = ("q", i)
            for k, quote in enumerate(qp.quotes):
                refs[id(quote)] = ("Q", i, k)
    return groups, refs


class _CorpusPickler(_Pickler):
    def __init__(self, file, refs: dict[int, tuple]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs  # every object named here is alive until the dump ends: no id() is reused

    def persistent_id(self, obj):  # noqa: ANN001 - pickle protocol
        return self._refs.get(id(obj))


class _CorpusUnpickler(pickle.Unpickler):
    def __init__(self, file, groups: list[tuple]):
        super().__init__(file)
        self._groups = groups

    def persistent_load(self, pid):  # noqa: ANN001 - pickle protocol
        kind, i, *rest = pid
        article, sp, qp = self._groups[i]
        found = {"a": article, "s": sp, "q": qp}.get(kind) if kind != "Q" else qp.quotes[rest[0]]
        if found is None:
            raise pickle.UnpicklingError(f"snapshot names a missing part {pid!r}")
        return found


def _dump(out, obj) -> None:
    """The snapshot format: a header with the number of articles, one pickle per article, then `obj`."""
    groups, refs = _groups(obj) if isinstance(obj, Corpus) else ([], {})
    pickle.dump((_HEADER, len(groups)), out, protocol=pickle.HIGHEST_PROTOCOL)
    for group in groups:
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(group)
    _CorpusPickler(out, refs).dump(obj)


def dumps(corpus: Corpus) -> bytes:
    buf = io.BytesIO()
    _dump(buf, corpus)
    return buf.getvalue()


class _HashingWriter:
    """A file the pickler writes to frame by frame, hashing as it goes. Why not pickle into memory and write
    that: growing a buffer of hundreds of MB copies it whole, in calls that hold the GIL (measured: event-loop
    stalls of up to 0.23 s while a 2,000-article snapshot was pickled); here every frame is a short call."""

    def __init__(self, f) -> None:
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def write(self, data) -> int:  # bytes, or for large payloads a PickleBuffer (no len(): nbytes)
        self.sha.update(data)
        self.size += memoryview(data).nbytes
        return self.f.write(data)


def _write_snapshot(index_dir: Path, corpus: Corpus) -> tuple[str, str, int]:
    """Pickle the corpus straight into a temporary file, then rename it after its hash: (name, sha256, bytes)."""
    with new_file(index_dir, SNAPSHOT_PREFIX) as (f, place):
        out = _HashingWriter(f)
        _dump(out, corpus)
        digest = out.sha.hexdigest()
        name = f"{SNAPSHOT_PREFIX}{digest[:16]}{SNAPSHOT_SUFFIX}"
        place(index_dir / name)
    return name, digest, out.size


def loads(data: bytes) -> Corpus:
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects: the collector would rescan them many times
    try:
        f = io.BytesIO(data)
        header = pickle.load(f)
        if not (type(header) is tuple and len(header) == 2 and header[0] == _HEADER and type(header[1]) is int):
            raise StoreError("snapshot is not in this code's format")
        groups = [pickle.load(f) for _ in range(header[1])]
        corpus = _CorpusUnpickler(f, groups).load()
    finally:
        if enabled:
            gc.enable()
    if not isinstance(corpus, Corpus):
        raise StoreError(f"snapshot holds a {type(corpus).__name__}, not a Corpus")
    return corpus


# --- save and load ----------------------------------------------------------------------------


def save(index_dir: Path, corpus: Corpus, sources: list[str], articles: list[ArticleRecord]) -> Manifest:
    """Write the snapshot and then the manifest; remove older snapshots. Returns the manifest."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    name, digest, size = _write_snapshot(index_dir, corpus)
    manifest = Manifest(
        code_version=code_version(),
        built_at=corpus.built_at,
        saved_at=datetime.now(timezone.utc),
        sources=list(sources),
        snapshot=name,
        snapshot_sha256=digest,
        snapshot_bytes=size,
        counts=counts(corpus),
        articles=articles,
    )
    write_manifest(index_dir, manifest)
    for old in index_dir.glob(f"{SNAPSHOT_PREFIX}*{SNAPSHOT_SUFFIX}"):
        if old.name != name:
            try:
                old.unlink()
            except OSError:
                pass
    return manifest


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    atomic_write(Path(index_dir) / MANIFEST, manifest.model_dump_json(indent=2).encode("utf-8"))


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
    path = Path(index_dir) / manifest.snapshot
    if path.name != manifest.snapshot or not manifest.snapshot.startswith(SNAPSHOT_PREFIX):
        raise StoreError(f"manifest names an unexpected snapshot file {manifest.snapshot!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read snapshot {path.name}: {exc.strerror}") from None
    if len(data) != manifest.snapshot_bytes or hashlib.sha256(data).hexdigest() != manifest.snapshot_sha256:
        raise StoreError(f"snapshot {path.name} does not match its manifest (corrupt or partly written)")
    try:
        corpus = loads(data)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means "rebuild"
        raise StoreError(f"snapshot {path.name} cannot be loaded: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    ids = [a.id for a in corpus.articles]
    if ids != [a.id for a in manifest.articles]:
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
