"""The pickled files of a saved index; index.catalog.snapshot keeps the manifest that names and checks them.

    segments/<key>.pkl   one per article: the article, its search part (index.retrieval.parts.ArticleIndex)
                         and its quotations (index.quotes.attribution.ArticleQuotes), pickled together since
                         the parts point into the article. The key hashes the article's content with the
                         format and code versions: an unchanged article keeps its file across saves.
    corpus-<sha16>.pkl   the rest, named by its sha256: the corpus, naming the segments' objects by persistent
                         id, with the corpus-wide BM25 postings as flat arrays and the experts registry.

Every file is written whole or not at all (index.catalog.files.new_file) and hashed as it is written.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import re
import sys
import weakref
from pathlib import Path

from pydantic import BaseModel

from ..corpus import Corpus
from ..models import Article, Paragraph, Sentence
from .files import SEGMENTS_DIR, new_file

CORPUS_PREFIX = "corpus-"
SUFFIX = ".pkl"
CORPUS_HEADER = "index-snapshot/corpus"
_SEGMENT_HEADER = "index-snapshot/segment"
_STREAM_HEADER = "index-snapshot/articles"  # dumps(): the segments and the corpus in one stream
_SEGMENT_NAME = re.compile(rf"{SEGMENTS_DIR}/[0-9a-f]{{32}}\{SUFFIX}")


class StoreError(Exception):
    """A saved index that cannot be used; str() says why in one line."""


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


def groups(corpus: Corpus) -> tuple[list[tuple], dict[int, tuple]]:
    """Per article (article, its search part or None, its quotations part or None), and the persistent id
    of each of those objects and of each of its quotations, by id()."""
    search_parts = {id(p.article): p for p in corpus.search.parts}
    quote_parts = {id(p.article): p for p in corpus.attribution.parts}
    found, refs = [], {}
    for i, article in enumerate(corpus.articles):
        sp, qp = search_parts.get(id(article)), quote_parts.get(id(article))
        found.append((article, sp, qp))
        refs[id(article)] = ("a", i)
        if sp is not None:
            refs[id(sp)] = ("s", i)
        if qp is not None:
            refs[id(qp)] = ("q", i)
            for k, quote in enumerate(qp.quotes):
                refs[id(quote)] = ("Q", i, k)
    return found, refs


class _CorpusPickler(_Pickler):
    def __init__(self, file, refs: dict[int, tuple]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs  # every object named here is alive until the dump ends: no id() is reused

    def persistent_id(self, obj):  # noqa: ANN001 - pickle protocol
        return self._refs.get(id(obj))


class _CorpusUnpickler(pickle.Unpickler):
    def __init__(self, file, found: list[tuple]):
        super().__init__(file)
        self._groups = found

    def persistent_load(self, pid):  # noqa: ANN001 - pickle protocol
        kind, i, *rest = pid
        article, sp, qp = self._groups[i]
        found = {"a": article, "s": sp, "q": qp}.get(kind) if kind != "Q" else qp.quotes[rest[0]]
        if found is None:
            raise pickle.UnpicklingError(f"snapshot names a missing part {pid!r}")
        return found


class HashingWriter:
    """A file the pickler writes to frame by frame, hashing as it goes. Why not pickle into memory and write
    that: growing a buffer of hundreds of MB copies it whole, in calls that hold the GIL (measured: event-loop
    stalls of up to 0.23 s while a 2,000-article snapshot was pickled); here every frame is a short call."""

    def __init__(self, f) -> None:
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def write(self, data) -> int:  # bytes, or for large payloads a PickleBuffer (no len(): nbytes)
        self.sha.update(data)
        self.size += memoryview(data).nbytes
        return self.f.write(data)


# --- segment names ------------------------------------------------------------------------------

# id(article) -> (a weak reference to it, the hash of its content): a refresh keeps the Article objects of
# unchanged articles, so each is hashed once, not at every save (70 ms per save at 1,000 articles).
_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}


def _content_digest(article: Article) -> str:
    known = _DIGESTS.get(id(article))
    if known is not None and known[0]() is article:
        return known[1]
    digest = hashlib.sha256(article.model_dump_json().encode("utf-8")).hexdigest()
    key = id(article)
    _DIGESTS[key] = (weakref.ref(article, lambda _, key=key: _DIGESTS.pop(key, None)), digest)
    return digest


def segment_name(group: tuple, version: str) -> str:
    """segments/<key>.pkl: the same name exactly when the segment would hold the same objects (the same
    article content, parts present, format and code versions): the parts are made from the article alone."""
    article, sp, qp = group
    h = hashlib.sha256(f"{version}\0{sp is not None:d}{qp is not None:d}\0{_content_digest(article)}".encode())
    return f"{SEGMENTS_DIR}/{h.hexdigest()[:32]}{SUFFIX}"


def is_segment_name(name: str) -> bool:
    return _SEGMENT_NAME.fullmatch(name) is not None


def is_corpus_name(name: str) -> bool:
    return Path(name).name == name and name.startswith(CORPUS_PREFIX) and name.endswith(SUFFIX)


# --- writing, and knowing a file is intact --------------------------------------------------------

# Path -> (stat signature, sha256) of each file this process wrote or read and hashed whole: a save
# reuses a segment whose inode, size and times are unchanged since without reading it again. Anything
# else is hashed before it is reused; a load always hashes.
_VERIFIED: dict[str, tuple[tuple[int, int, int, int], str]] = {}


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _remember(path: Path, sha256: str) -> None:
    try:
        _VERIFIED[str(path)] = (_signature(path.stat()), sha256)
    except OSError:
        _VERIFIED.pop(str(path), None)


def forget(path: Path) -> None:
    _VERIFIED.pop(str(path), None)


def is_intact(path: Path, sha256: str, size: int) -> bool:
    """Whether the file holds exactly the bytes with this sha256 and size."""
    try:
        with open(path, "rb") as f:
            sig = _signature(os.fstat(f.fileno()))
            if sig[1] != size:
                return False
            if _VERIFIED.get(str(path)) == (sig, sha256):
                return True
            h = hashlib.sha256()
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        return False
    if h.hexdigest() != sha256:
        forget(path)
        return False
    _VERIFIED[str(path)] = (sig, sha256)
    return True


def write_segment(index_dir: Path, name: str, group: tuple) -> tuple[str, int]:
    """Pickle one article's group into index_dir/name (temp file, fsync, rename): (sha256, bytes)."""
    path = index_dir / name
    with new_file(path.parent, path.stem) as (f, place):
        out = HashingWriter(f)
        _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((_SEGMENT_HEADER, *group))
        place(path)
    _remember(path, out.sha.hexdigest())
    return out.sha.hexdigest(), out.size


def _dump_corpus(out, obj, refs: dict[int, tuple], n: int) -> None:
    pickle.dump((CORPUS_HEADER, n), out, protocol=pickle.HIGHEST_PROTOCOL)
    _CorpusPickler(out, refs).dump(obj)


def write_corpus(index_dir: Path, corpus: Corpus, refs: dict[int, tuple], n: int) -> tuple[str, str, int]:
    """Pickle the corpus-wide part straight into a temporary file, then rename it after its hash:
    (name, sha256, bytes)."""
    with new_file(index_dir, CORPUS_PREFIX) as (f, place):
        out = HashingWriter(f)
        _dump_corpus(out, corpus, refs, n)
        digest = out.sha.hexdigest()
        name = f"{CORPUS_PREFIX}{digest[:16]}{SUFFIX}"
        place(index_dir / name)
    _remember(index_dir / name, digest)
    return name, digest, out.size


# --- reading ----------------------------------------------------------------------------------


def read_verified(index_dir: Path, wanted: list[tuple[str, str, int, str]]) -> list[memoryview]:
    """The bytes of each (name, sha256, bytes, what) file, once they match the manifest's sha256 and size
    (StoreError naming the file otherwise). They are read into one buffer, so that it goes back to the
    system whole once unpickled: a thousand separate bytes objects left the heap 30 MiB larger."""
    sizes = []
    for name, _, size, what in wanted:
        try:
            actual = (index_dir / name).stat().st_size
        except OSError as exc:
            raise StoreError(f"cannot read {what} {name}: {exc.strerror}") from None
        if actual != size:
            raise StoreError(f"{what} {name} does not match its manifest (corrupt or partly written)")
        sizes.append(actual)
    view = memoryview(bytearray(sum(sizes)))
    out, at = [], 0
    for (name, sha256, size, what) in wanted:
        path, part = index_dir / name, view[at:at + size]
        at += size
        try:
            with open(path, "rb") as f:
                sig = _signature(os.fstat(f.fileno()))
                n = f.readinto(part) if sig[1] == size else -1
        except OSError as exc:
            raise StoreError(f"cannot read {what} {name}: {exc.strerror}") from None
        if n != size or hashlib.sha256(part).hexdigest() != sha256:
            forget(path)
            raise StoreError(f"{what} {name} does not match its manifest (corrupt or partly written)")
        _VERIFIED[str(path)] = (sig, sha256)
        out.append(part)
    return out


def _segment(data: memoryview) -> tuple | None:
    """(article, search part, quotations part), or None when the pickle is not a segment."""
    found = pickle.loads(data)
    if not (type(found) is tuple and len(found) == 4 and found[0] == _SEGMENT_HEADER and isinstance(found[1], Article)):
        return None
    return found[1:]


def _corpus(f, found: list[tuple], header: str) -> Corpus:
    head = pickle.load(f)
    if not (type(head) is tuple and len(head) == 2 and head[0] == header and type(head[1]) is int):
        raise StoreError("snapshot is not in this code's format")
    if header == _STREAM_HEADER:
        found = [pickle.load(f) for _ in range(head[1])]
    elif head[1] != len(found):
        raise StoreError(f"snapshot names {head[1]} segments, the manifest {len(found)}")
    corpus = _CorpusUnpickler(f, found).load()
    if not isinstance(corpus, Corpus):
        raise StoreError(f"snapshot holds a {type(corpus).__name__}, not a Corpus")
    return corpus


def unpickle(segments: list[tuple[str, memoryview]], corpus_name: str, corpus_data: memoryview) -> Corpus:
    """The corpus from its verified files: the segments, in the manifest's order, then the corpus part."""
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects: the collector would rescan them many times
    try:
        found = []
        for name, data in segments:
            try:
                group = _segment(data)
            except Exception as exc:  # noqa: BLE001 - any unpickling failure means "rebuild"
                raise StoreError(f"segment {name} cannot be loaded: {type(exc).__name__}: {exc}".splitlines()[0]) from None
            if group is None:
                raise StoreError(f"segment {name} is not in this code's format")
            found.append(group)
        try:
            return _corpus(io.BytesIO(corpus_data), found, CORPUS_HEADER)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"snapshot {corpus_name} cannot be loaded: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    finally:
        if enabled:
            gc.enable()


# --- the whole corpus in one stream (for a corpus handed to another process, as in the tests) ----------


def dumps(corpus: Corpus) -> bytes:
    found, refs = groups(corpus) if isinstance(corpus, Corpus) else ([], {})
    buf = io.BytesIO()
    pickle.dump((_STREAM_HEADER, len(found)), buf, protocol=pickle.HIGHEST_PROTOCOL)
    for group in found:
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(group)
    _CorpusPickler(buf, refs).dump(corpus)
    return buf.getvalue()


def loads(data: bytes) -> Corpus:
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _corpus(io.BytesIO(data), [], _STREAM_HEADER)
    finally:
        if enabled:
            gc.enable()
