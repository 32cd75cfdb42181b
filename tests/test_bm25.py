"""index.retrieval.bm25.SparseBM25 must score exactly like rank_bm25.BM25Plus.get_scores."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from rank_bm25 import BM25Plus

from index.retrieval.bm25 import SparseBM25

VOCAB = [f"w{i}" for i in range(40)]
# Explicit everywhere: SparseBM25's default k1 (1.2, as index.retrieval.search uses) is not BM25Plus's (1.5).
PARAMS = dict(k1=1.2, b=0.75, delta=1.0)


def random_corpus(rng: np.random.Generator, docs: int, max_len: int = 30) -> list[list[str]]:
    # Zipf-like: a few frequent terms (present in most documents) and a long tail.
    p = 1.0 / np.arange(1, len(VOCAB) + 1)
    p /= p.sum()
    return [list(rng.choice(VOCAB, size=int(rng.integers(1, max_len + 1)), p=p)) for _ in range(docs)]


def random_query(rng: np.random.Generator) -> list[str]:
    terms = list(rng.choice(VOCAB, size=int(rng.integers(1, 6))))
    terms += ["unknown-term"] * int(rng.integers(0, 2))  # a term no document has
    if rng.random() < 0.5:
        terms.append(terms[0])  # a repeated term counts twice
    rng.shuffle(terms)
    return terms


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("k1", "b", "delta"), [(1.2, 0.75, 1.0), (1.5, 0.3, 0.5), (0.8, 1.0, 2.0)])
def test_scores_equal_bm25plus_on_random_corpora(seed, k1, b, delta):
    rng = np.random.default_rng(seed)
    corpus = random_corpus(rng, docs=int(rng.integers(1, 60)))
    sparse = SparseBM25(corpus, k1=k1, b=b, delta=delta)
    dense = BM25Plus(corpus, k1=k1, b=b, delta=delta)
    for _ in range(10):
        q = random_query(rng)
        assert_allclose(sparse.get_scores(q), dense.get_scores(q), rtol=1e-12, atol=1e-12)


def test_unknown_and_repeated_terms():
    corpus = [["lighthouse", "storm", "storm"], ["ferry", "strike"], ["lighthouse", "council", "vote", "vote"]]
    sparse, dense = SparseBM25(corpus, **PARAMS), BM25Plus(corpus, **PARAMS)
    for q in (["nothing"], ["nothing", "nothing"], ["storm", "storm"], ["vote", "zzz", "vote", "lighthouse"], []):
        assert_allclose(sparse.get_scores(q), dense.get_scores(q), rtol=1e-12, atol=1e-12)
    # A repeated term adds its score again.
    once, twice = sparse.get_scores(["storm"]), sparse.get_scores(["storm", "storm"])
    assert_allclose(twice, 2 * once)
    assert_allclose(sparse.get_scores(["nothing"]), np.zeros(3))


def test_the_document_holding_the_term_ranks_first():
    corpus = [["ferry", "strike"], ["lighthouse", "storm"], ["council", "budget", "ferry"]]
    scores = SparseBM25(corpus).get_scores(["lighthouse"])
    assert int(np.argmax(scores)) == 1
    assert scores[1] > scores[0] == scores[2]


def test_size_and_idf_of():
    bm = SparseBM25([["a", "b"], ["b"], ["c"]])
    assert bm.size == 3
    assert bm.idf_of("a") > bm.idf_of("b") > 0
    assert bm.idf_of("never-seen") == 0.0


def test_scores_are_float64_and_one_per_document():
    bm = SparseBM25([["a"], ["b"], ["a", "b"]])
    scores = bm.get_scores(["a"])
    assert scores.dtype == np.float64 and scores.shape == (3,)


def test_an_empty_corpus_is_refused():
    with pytest.raises(ValueError):
        SparseBM25([])


def test_a_corpus_of_empty_documents_does_not_divide_by_zero():
    scores = SparseBM25([[], []]).get_scores(["a"])
    assert np.all(np.isfinite(scores)) and scores.tolist() == [0.0, 0.0]


def test_scores_equal_bm25plus_when_one_document_is_empty():
    corpus = [["a", "b"], [], ["b", "c", "c"]]
    q = ["b", "c"]
    assert_allclose(SparseBM25(corpus, **PARAMS).get_scores(q), BM25Plus(corpus, **PARAMS).get_scores(q), rtol=1e-12)


def test_touched_gives_the_documents_holding_a_term_and_their_scores_above_the_base():
    from index.retrieval.bm25 import CorpusBM25, TermStats

    corpus = [["tram", "line", "tram"], ["ferry", "hel"], ["tram", "ferry"], ["budget"]]
    vocab = sorted({t for d in corpus for t in d})
    ids = {t: i for i, t in enumerate(vocab)}
    bm = CorpusBM25.from_parts([(vocab, TermStats.of(corpus, ids))])
    query = ["tram", "ferry", "unknown"]
    docs, above = bm.touched(query)
    dense = bm.get_scores(query)
    assert docs.tolist() == [0, 1, 2]  # every document with a term, once each; "budget" only is not touched
    assert above == pytest.approx(dense[docs] - bm.base_score(query))
    assert bm.touched(["unknown"])[0].size == 0
