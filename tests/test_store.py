"""The saved index: round trip, atomic saves, and refusing what cannot be trusted."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from datetime import datetime, timezone

import pytest

from index.catalog import files, segments, snapshot as store
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


def on_disk(folder) -> dict[str, tuple[int, int]]:
    """Every file under the folder (relative name) with its inode and mtime: what a save rewrote changes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_old_snapshots_are_removed_and_temp_files_do_not_linger(corpus, tmp_path):
    first = store.save(tmp_path, corpus, ["src"], records(corpus))
    segment = on_disk(tmp_path)[first.segments[0].name]
    rebuilt = Corpus.build(corpus.articles)  # another build time: another corpus part, the same segment
    m = store.save(tmp_path, rebuilt, ["src"], records(rebuilt))
    assert m.snapshot != first.snapshot and m.segments == first.segments
    assert sorted(on_disk(tmp_path)) == sorted([store.MANIFEST, m.snapshot, m.segments[0].name])
    assert on_disk(tmp_path)[m.segments[0].name] == segment  # not rewritten


def _five(changed: int | None = None) -> list:
    from tests.test_incremental import synthetic  # noqa: PLC0415 - a helper of the tests

    return [*load_articles([DEFAULT_ARTICLES_DIR]),
            *(synthetic(i, "A late paragraph about the harbour, the mayor said.\n" if i == changed else "")
              for i in range(4))]


@pytest.mark.parametrize("checked", ["known to this process", "read again"])
def test_a_save_after_one_article_changed_writes_its_segment_and_the_corpus_part_only(tmp_path, checked):
    from index.catalog import segments  # noqa: PLC0415

    built = Corpus.build(_five())
    first = store.save(tmp_path, built, ["src"], records(built))
    assert len({s.name for s in first.segments}) == 5
    before = on_disk(tmp_path)
    if checked == "read again":  # as another process would: each kept segment is hashed, not trusted
        segments._VERIFIED.clear()
    changed = Corpus.build(_five(changed=1), previous=built)  # syn-01, the third article
    m = store.save(tmp_path, changed, ["src"], records(changed))
    after = on_disk(tmp_path)
    rewritten = sorted(name for name, stamp in after.items() if before.get(name) != stamp)
    assert rewritten == sorted([store.MANIFEST, m.snapshot, m.segments[2].name])
    assert m.segments[:2] == first.segments[:2] and m.segments[3:] == first.segments[3:]
    assert first.segments[2].name not in after and first.snapshot not in after  # the replaced ones are gone
    _, loaded = store.load(tmp_path)
    assert "harbour" in loaded.articles[2].text and [a.id for a in loaded.articles] == [a.id for a in built.articles]


def test_an_unnamed_segment_is_removed_by_the_next_save_and_a_named_one_never(corpus, tmp_path):
    first = store.save(tmp_path, corpus, ["src"], records(corpus))
    stray = tmp_path / "segments" / ("0" * 32 + ".pkl")  # a killed save's, or an older save's
    stray.write_bytes(b"not ours any more")
    m = store.save(tmp_path, Corpus.build(corpus.articles), ["src"], records(corpus))
    assert not stray.exists() and (tmp_path / m.segments[0].name).is_file() and m.segments == first.segments
    assert store.load(tmp_path)[0] == m


def test_a_corrupt_segment_is_named_and_rewritten_by_the_save_after_it(corpus, tmp_path):
    m = store.save(tmp_path, corpus, ["src"], records(corpus))
    seg = tmp_path / m.segments[0].name
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 1
    seg.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=f"^segment {m.segments[0].name} does not match its manifest"):
        store.load(tmp_path)
    again = store.save(tmp_path, corpus, ["src"], records(corpus))  # what the caller does: rebuild and save
    assert again.segments[0].name == m.segments[0].name and store.load(tmp_path)[0] == again


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
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


_KILLED_SAVE = """
import os, sys
from index.catalog import segments, snapshot as store
from index.corpus import Corpus
from index.text.parser import rules_only
from tests.test_incremental import synthetic
from tests.test_store import records
_, loaded = store.load(sys.argv[1])
changed = Corpus.build([*loaded.articles[:2], synthetic(1, "A late paragraph about the harbour.\\n"), *loaded.articles[3:]],
                       previous=loaded, parser=rules_only)
def killed(out, *args):
    out.write(b"half a corpus part")
    os._exit(9)  # no cleanup: as a kill -9 in the middle of the save
segments._dump_corpus = killed
store.save(sys.argv[1], changed, ["src"], records(changed))
"""


def test_a_save_killed_midway_leaves_the_previous_manifest_loadable(tmp_path):
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    built = Corpus.build(_five())
    first = store.save(tmp_path, built, ["src"], records(built))
    before = on_disk(tmp_path)
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(tmp_path)], cwd=root, capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()[-2000:]
    after = on_disk(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing the manifest names was touched
    left = sorted(set(after) - set(before))
    assert len(left) == 2 and left[0].startswith(".corpus-") and left[1].startswith("segments/"), left
    manifest, loaded = store.load(tmp_path)
    assert manifest == first and loaded.built_at == built.built_at
    assert files.remove_leftovers(tmp_path) == 1  # what the next start does, then its save
    m = store.save(tmp_path, loaded, ["src"], records(loaded))
    assert sorted(on_disk(tmp_path)) == sorted([store.MANIFEST, m.snapshot, *(s.name for s in m.segments)])


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
    ("flipped-segment", "^segment segments/[0-9a-f]{32}.pkl does not match its manifest"),
    ("missing-segment", "^cannot read segment segments/[0-9a-f]{32}.pkl"),
    ("segment-path-escape", "unexpected segment file '../corpus-x.pkl'"),
    ("segment-left-out", "names 0 segments for 1 articles"),
    ("not-a-segment", "^segment segments/[0-9a-f]{32}.pkl is not in this code's format"),
])
def test_untrustworthy_indexes_are_refused_with_a_reason(corpus, tmp_path, damage, reason):
    m = store.save(tmp_path, corpus, ["src"], records(corpus))
    mpath, snap, seg = tmp_path / store.MANIFEST, tmp_path / m.snapshot, tmp_path / m.segments[0].name
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
    elif damage == "not-a-corpus":  # a well-formed pickle of the wrong thing, with a matching manifest
        data = pickle.dumps((segments.CORPUS_HEADER, 1)) + pickle.dumps([1, 2])
        snap.write_bytes(data)
        raw["snapshot_sha256"], raw["snapshot_bytes"] = hashlib.sha256(data).hexdigest(), len(data)
        mpath.write_text(json.dumps(raw))
    elif damage == "flipped-segment":
        data = bytearray(seg.read_bytes())
        data[100] ^= 1
        seg.write_bytes(bytes(data))
    elif damage == "missing-segment":
        seg.unlink()
    elif damage == "segment-path-escape":
        raw["segments"][0]["name"] = "../corpus-x.pkl"
        mpath.write_text(json.dumps(raw))
    elif damage == "segment-left-out":
        raw["segments"] = []
        mpath.write_text(json.dumps(raw))
    elif damage == "not-a-segment":
        data = pickle.dumps(("index-snapshot/segment", "no article", None, None))
        seg.write_bytes(data)
        raw["segments"][0]["sha256"], raw["segments"][0]["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
        mpath.write_text(json.dumps(raw))
    with pytest.raises(StoreError, match=reason):
        store.load(tmp_path)


def test_the_snapshot_is_hashed_as_written_even_with_large_payloads(tmp_path):
    """The pickler writes straight to the file; payloads over a frame arrive as PickleBuffers, not bytes."""
    manifest = store.save(tmp_path, Corpus.from_paths(), [], [])
    data = (tmp_path / manifest.snapshot).read_bytes()
    assert (hashlib.sha256(data).hexdigest(), len(data)) == (manifest.snapshot_sha256, manifest.snapshot_bytes)
    for s in manifest.segments:
        data = (tmp_path / s.name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (s.sha256, s.bytes)
    with open(tmp_path / "big", "wb") as f:
        out = segments.HashingWriter(f)
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
    with pytest.raises(StoreError, match="format"):
        store.loads(pickle.dumps({"not": "a snapshot"}))


def test_long_sentences_keep_their_facts_in_the_snapshot_and_short_ones_are_made_when_read(tmp_path):
    """Facts of a sentence of LONG_ROW terms or more are made at indexing and saved (made at a question's
    first reading, one huge sentence cost that question most of a second); short rows' facts are made
    when first read, from the saved terms, equal to what indexing would have made."""
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
