"""The saved index: round trip, atomic saves, and refusing what cannot be trusted."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest

from index.catalog import files, snapshot as store
from index.corpus import Corpus, load_articles
from index.corpus import DEFAULT_ARTICLES_DIR
from index.catalog.snapshot import ArticleRecord, StoreError


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.build(load_articles([DEFAULT_ARTICLES_DIR]))


def records(corpus: Corpus) -> list[ArticleRecord]:
    now = datetime.now(timezone.utc)
    return [ArticleRecord(id=a.id, source="src", origin=f"src/{a.id}.txt", content_hash="h" * 64, fetched_at=now,
                          changed_at=now) for a in corpus.articles]


def test_round_trip_gives_the_same_index(corpus, tmp_path):
    m = store.save(tmp_path, corpus, ["src"], records(corpus))
    assert m.format_version == store.FORMAT_VERSION and m.code_version == store.code_version()
    assert m.counts["articles"] == 1 and m.counts["passages"] == len(corpus.search.passages) > 0
    manifest, loaded = store.load(tmp_path)
    assert manifest == m and loaded.built_at == corpus.built_at
    assert loaded.articles[0].model_dump() == corpus.articles[0].model_dump()
    for q in ["Where will the presidents meet?", "What did Kaja Kallas say?", "Who wrote the article?"]:
        assert loaded.ask(q).model_dump() == corpus.ask(q).model_dump()
    assert [q.model_dump() for q in loaded.quotes()] == [q.model_dump() for q in corpus.quotes()]
    assert json.loads((tmp_path / store.MANIFEST).read_text())["articles"][0]["id"] == "trump-putin-alaska"


def test_old_snapshots_are_removed_and_temp_files_do_not_linger(corpus, tmp_path):
    store.save(tmp_path, corpus, ["src"], records(corpus))
    rebuilt = Corpus.build(corpus.articles)  # another build time: another snapshot
    m = store.save(tmp_path, rebuilt, ["src"], records(rebuilt))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([store.MANIFEST, m.snapshot])


def test_a_crash_while_saving_leaves_the_previous_index_whole(corpus, tmp_path, monkeypatch):
    first = store.save(tmp_path, corpus, ["src"], records(corpus))
    real_replace = os.replace

    def crash_on_manifest(src, dst):
        if str(dst).endswith(store.MANIFEST):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", crash_on_manifest)
    with pytest.raises(OSError):
        store.save(tmp_path, Corpus.build(corpus.articles), ["src"], records(corpus))
    monkeypatch.undo()
    manifest, loaded = store.load(tmp_path)
    assert manifest.snapshot == first.snapshot and loaded.built_at == corpus.built_at
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_partial_write_of_the_snapshot_is_never_seen(corpus, tmp_path, monkeypatch):
    store.save(tmp_path, corpus, ["src"], records(corpus))
    monkeypatch.setattr(files.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError):
        store.save(tmp_path, Corpus.build(corpus.articles), ["src"], records(corpus))
    monkeypatch.undo()
    assert store.load(tmp_path)[1].built_at == corpus.built_at


@pytest.mark.parametrize("damage,reason", [
    ("no-manifest", "no saved index"),
    ("garbage-manifest", "not valid JSON"),
    ("bad-field", "malformed"),
    ("old-format", "format version 0, this code reads"),
    ("other-code", "different version of the index code"),
    ("flipped-byte", "does not match its manifest"),
    ("truncated", "does not match its manifest"),
    ("missing-snapshot", "cannot read snapshot"),
    ("path-escape", "unexpected snapshot file"),
    ("not-a-corpus", "holds a list, not a Corpus"),
])
def test_untrustworthy_indexes_are_refused_with_a_reason(corpus, tmp_path, damage, reason):
    m = store.save(tmp_path, corpus, ["src"], records(corpus))
    mpath, snap = tmp_path / store.MANIFEST, tmp_path / m.snapshot
    raw = json.loads(mpath.read_text())
    if damage == "no-manifest":
        mpath.unlink()
    elif damage == "garbage-manifest":
        mpath.write_bytes(b"\x00{not json")
    elif damage == "bad-field":
        raw["built_at"] = "yesterday"
        mpath.write_text(json.dumps(raw))
    elif damage == "old-format":
        raw["format_version"] = 0
        mpath.write_text(json.dumps(raw))
    elif damage == "other-code":
        raw["code_version"] = "0" * 16
        mpath.write_text(json.dumps(raw))
    elif damage == "flipped-byte":
        data = bytearray(snap.read_bytes())
        data[100] ^= 1
        snap.write_bytes(bytes(data))
    elif damage == "truncated":
        snap.write_bytes(snap.read_bytes()[:1000])
    elif damage == "missing-snapshot":
        snap.unlink()
    elif damage == "path-escape":
        raw["snapshot"] = "../corpus-x.pkl"
        mpath.write_text(json.dumps(raw))
    elif damage == "not-a-corpus":
        data = store.dumps([1, 2])  # a well-formed pickle of the wrong thing, with a matching manifest
        snap.write_bytes(data)
        import hashlib

        raw["snapshot_sha256"], raw["snapshot_bytes"] = hashlib.sha256(data).hexdigest(), len(data)
        mpath.write_text(json.dumps(raw))
    with pytest.raises(StoreError, match=reason):
        store.load(tmp_path)


def test_the_snapshot_is_hashed_as_written_even_with_large_payloads(tmp_path):
    """The pickler writes straight to the file; payloads over a frame arrive as PickleBuffers, not bytes."""
    import hashlib
    import pickle

    from index.corpus import Corpus

    manifest = store.save(tmp_path, Corpus.from_paths(), [], [])
    data = (tmp_path / manifest.snapshot).read_bytes()
    assert (hashlib.sha256(data).hexdigest(), len(data)) == (manifest.snapshot_sha256, manifest.snapshot_bytes)
    with open(tmp_path / "big", "wb") as f:
        out = store._HashingWriter(f)
        pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(b"x" * 2_000_000)
    raw = (tmp_path / "big").read_bytes()
    assert (out.size, out.sha.hexdigest()) == (len(raw), hashlib.sha256(raw).hexdigest())
    assert pickle.loads(raw) == b"x" * 2_000_000


def _quotes_held_by_parts(corpus: Corpus, quotes) -> list[bool]:
    held = {id(q) for p in corpus.attribution.parts for q in p.quotes}
    return [id(q) in held for q in quotes]


def test_a_loaded_snapshot_shares_each_article_as_the_built_index_does(tmp_path):
    """Articles are pickled one by one and the corpus names them: after loading, the search parts, the
    quotation parts and the corpus-wide quotation list hold the very same objects, not copies."""
    from tests.test_incremental import synthetic  # noqa: PLC0415 - a helper of the tests

    built = Corpus.build([*load_articles([DEFAULT_ARTICLES_DIR]), *(synthetic(i) for i in range(4))])
    store.save(tmp_path, built, ["src"], records(built))
    _, loaded = store.load(tmp_path)
    assert [a.id for a in loaded.articles] == [a.id for a in built.articles]
    for i, article in enumerate(loaded.articles):
        assert loaded.search.parts[i].article is article and loaded.search.articles[i] is article
        assert loaded.attribution.parts[i].article is article
    assert loaded.quotes() and all(_quotes_held_by_parts(loaded, loaded.quotes()))
    experts_quotes = [q for e in loaded.experts() for q in e.quotes]
    assert _quotes_held_by_parts(loaded, experts_quotes) == _quotes_held_by_parts(
        built, [q for e in built.experts() for q in e.quotes])


def test_a_snapshot_of_another_format_is_refused(tmp_path):
    import pickle  # noqa: PLC0415

    with pytest.raises(StoreError, match="format"):
        store.loads(pickle.dumps({"not": "a snapshot"}))


def test_long_sentences_keep_their_facts_in_the_snapshot_and_short_ones_are_made_when_read(tmp_path):
    """Facts of a sentence of LONG_ROW terms or more are made at indexing and saved (made at a question's
    first reading, one huge sentence cost that question most of a second); short rows' facts are made
    when first read, from the saved terms, equal to what indexing would have made."""
    import pickle  # noqa: PLC0415

    from index.models import ArticleMeta  # noqa: PLC0415
    from index.retrieval.parts import LONG_ROW  # noqa: PLC0415
    from index.text.article import parse_article  # noqa: PLC0415

    long = " ".join(f"word{i} in 1990" for i in range(LONG_ROW)) + "."
    text = f"Prices rose by 5% in May, the minister said.\n\n{long}\n\nThe meeting ended at 9:30 PM on Friday.\n"
    built = Corpus.build([parse_article(text, ArticleMeta(id="facts"))])
    store.save(tmp_path, built, ["src"], records(built))
    _, loaded = store.load(tmp_path)
    part = loaded.search.parts[0]
    assert part._seqs is None  # nothing unpacked at load
    lengths = [len(s) for s in pickle.loads(part.compact())[0]]
    assert any(n >= LONG_ROW for n in lengths) and any(n < LONG_ROW for n in lengths)
    part._unpack()
    unread = [part._heavy[r] is None for r in range(len(lengths))]
    assert unread == [n < LONG_ROW for n in lengths]  # long rows arrive with their facts, short ones without
    for a, b in zip(built.search.sentences, loaded.search.sentences):
        assert (a.facts, a.terms, a.context, a.bigrams, a.words) == (b.facts, b.terms, b.context, b.bigrams, b.words)
