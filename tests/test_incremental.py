"""Incremental indexing: a corpus refreshed article by article, or loaded from disk, must answer
exactly like one built from scratch; CorpusBM25 (assembled from per-article term counts) must
score exactly like SparseBM25 (itself checked against rank_bm25.BM25Plus in test_bm25)."""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from index.catalog import snapshot as store
from index.text.article import load_article, parse_article
from index.retrieval.bm25 import CorpusBM25, SparseBM25, TermStats
from index.corpus import DEFAULT_ARTICLES_DIR, Corpus
from index.models import ArticleMeta
from index.retrieval.search import PASSAGE_B, PASSAGE_K1, SearchIndex, parts_by_article
from index.service import QAService

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from scripts.bench_lifecycle import synthetic_article, synthetic_question  # noqa: E402

SHIPPED = DEFAULT_ARTICLES_DIR / "trump-putin-alaska.txt"
QUESTIONS = [
    "When will Trump and Putin meet?", "Who wrote the article?", "What does Bockowski think about the meeting?",
    "Why is the meeting in Alaska?", "What did the World Bank announce about sanctions?", "Who wrote about the election?",
    "What happened to energy prices in Warsaw?", "How many people are affected by the drought?",
    "When will the ferry to Hel run again?", *[synthetic_question(500 + i) for i in range(12)],
]


def synthetic(i: int, extra: str = ""):
    text, meta = synthetic_article(i, paragraphs=14)
    return parse_article(text + extra, ArticleMeta(id=f"syn-{i:02d}", **meta))


def answers(corpus: Corpus) -> list[dict]:
    return [corpus.ask(q).model_dump() for q in QUESTIONS] + [corpus.expert(e.name, "prices").model_dump()
                                                              for e in corpus.experts()[:5]]


def assert_same_index(a: SearchIndex, b: SearchIndex) -> None:
    assert a.passages == b.passages
    assert a.sentences == b.sentences  # compares every row's terms, sets, context and facts
    for x, y in ((a.passage_bm25, b.passage_bm25), (a.sentence_bm25, b.sentence_bm25)):
        assert x.idf == y.idf and x.corpus_size == y.corpus_size and x.avgdl == y.avgdl
        for terms in (["trump", "putin"], ["price", "energi", "warsaw"], ["nothing-like-this"]):
            assert np.array_equal(x.get_scores(terms), y.get_scores(terms))


def assert_same_corpus(a: Corpus, b: Corpus) -> None:
    assert [x.model_dump() for x in a.articles] == [x.model_dump() for x in b.articles]
    assert_same_index(a.search, b.search)
    assert [q.model_dump() for q in a.quotes()] == [q.model_dump() for q in b.quotes()]
    assert [e.model_dump() for e in a.experts()] == [e.model_dump() for e in b.experts()]
    assert answers(a) == answers(b)


# --- CorpusBM25 == SparseBM25 -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_corpus_bm25_scores_exactly_like_sparse_bm25(seed):
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(30)]
    docs = [[rng.choice(vocab[: rng.randint(1, 30)]) for _ in range(rng.randint(0, 25))] for _ in range(rng.randint(1, 60))]
    # split into "articles" of a few documents each
    cuts = sorted(rng.sample(range(1, len(docs)), min(len(docs) - 1, rng.randint(0, 6)))) if len(docs) > 1 else []
    parts = []
    for lo, hi in zip([0, *cuts], [*cuts, len(docs)]):
        local: dict[str, int] = {}
        stats = TermStats.of(docs[lo:hi], local)
        parts.append((list(local), stats))
    ours = CorpusBM25.from_parts(parts, k1=PASSAGE_K1, b=PASSAGE_B)
    ref = SparseBM25(docs, k1=PASSAGE_K1, b=PASSAGE_B)
    assert ours.idf == ref.idf and ours.corpus_size == ref.corpus_size and ours.avgdl == ref.avgdl
    for _ in range(20):
        query = [rng.choice(vocab + ["unknown"]) for _ in range(rng.randint(1, 6))]
        assert np.array_equal(ours.get_scores(query), ref.get_scores(query))  # bit for bit, not approximately


def test_corpus_bm25_all_empty_documents_like_sparse_bm25():
    docs: list[list[str]] = [[], [], []]
    local: dict[str, int] = {}
    ours = CorpusBM25.from_parts([(list(local), TermStats.of(docs, local))])
    ref = SparseBM25(docs)
    assert ours.idf == ref.idf
    assert np.array_equal(ours.get_scores(["x", ""]), ref.get_scores(["x", ""]))


# --- incremental builds -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def articles():
    return [load_article(SHIPPED), *[synthetic(i) for i in range(6)]]


def test_rebuild_with_previous_reuses_unchanged_articles_and_equals_scratch(articles):
    first = Corpus.build(articles)
    changed = list(articles)
    changed[3] = synthetic(2, extra="The ferry to Hel will run again from 3 May, officials said.\n")
    changed[3] = changed[3].model_copy(update={"meta": changed[3].meta.model_copy(update={"id": "syn-02b"})})
    changed.append(synthetic(9))
    del changed[1]
    incremental = Corpus.build(changed, previous=first)
    scratch = Corpus.build(changed)
    old_parts = parts_by_article(first.search)
    reused = [id(p.article) in old_parts and old_parts[id(p.article)] is p for p in incremental.search.parts]
    assert reused == [True, True, False, True, True, True, False]
    assert incremental.attribution.parts[0] is first.attribution.parts[0]
    assert_same_corpus(incremental, scratch)
    assert "3 May" in incremental.ask("When will the ferry to Hel run again?").answer.text


def test_saved_index_loads_equal_to_the_built_one(articles, tmp_path):
    built = Corpus.build(articles)
    now = datetime.now(timezone.utc)
    store.save(tmp_path, built, ["x"], [store.ArticleRecord(id=a.id, source="x", origin=a.id, content_hash="h",
                                                            fetched_at=now, changed_at=now) for a in built.articles])
    loaded = store.load(tmp_path)[1]
    assert_same_corpus(loaded, built)
    # and a refresh of a loaded corpus reuses its parts and still equals a scratch build
    changed = [*loaded.articles[:2], synthetic(1, extra="A late paragraph about the harbour, the mayor said.\n"),
               *loaded.articles[3:]]
    again = Corpus.build(changed, previous=loaded)
    assert again.search.parts[0] is loaded.search.parts[0]
    assert_same_corpus(again, Corpus.build(changed))


def test_service_refresh_of_one_article_answers_like_a_fresh_service(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SHIPPED, folder / SHIPPED.name)
    shutil.copy(SHIPPED.with_suffix(".json"), folder / SHIPPED.with_suffix(".json").name)
    for i in range(4):
        text, meta = synthetic_article(i, paragraphs=14)
        (folder / f"syn-{i:02d}.txt").write_text(text, encoding="utf-8")
        (folder / f"syn-{i:02d}.json").write_text(__import__("json").dumps(meta), encoding="utf-8")
    svc = QAService.open([str(folder)], tmp_path / "idx")
    target = folder / "syn-02.txt"
    target.write_text(target.read_text(encoding="utf-8") + "The ferry to Hel will run again from 3 May, officials said.\n",
                      encoding="utf-8")
    report = asyncio.run(svc.refresh("syn-02", actor="test"))
    assert report.ok and [c.status for c in report.changes] == ["updated"]
    fresh = QAService.from_sources([folder])
    assert_same_corpus(svc.corpus, fresh.corpus)
    # the saved index, loaded in a new service, is the same again
    reopened = QAService.open([str(folder)], tmp_path / "idx")
    assert reopened.startup[0].startswith("loaded the saved index")
    assert_same_corpus(reopened.corpus, fresh.corpus)
