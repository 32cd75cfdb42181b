"""A question's scores read from its posting lists (index.retrieval.scores) give exactly what the dense array of
scores gave: the same top k, ties by position, and the same value for any document."""

from __future__ import annotations

import numpy as np
import pytest

import index.retrieval.scores as scores_module
from index.retrieval.scores import Posting, Scores, best_k
from index.retrieval.search import _top


@pytest.fixture(autouse=True, params=["lists", "dense"])
def path(request, monkeypatch):
    """Every test on both ways of reading: the posting lists (large corpora) and one dense array (small ones)."""
    monkeypatch.setattr(scores_module, "DENSE_UP_TO", 0 if request.param == "lists" else 10**9)
    return request.param


def _random(seed: int, size: int, terms: int, common: float = 0.5) -> tuple[Scores, np.ndarray]:
    """Posting lists of `terms` terms over `size` documents: one common word (in about `common` of them, small
    weights) and rarer ones; few distinct weights, so many ties."""
    rng = np.random.default_rng(seed)
    lists = []
    for t in range(terms):
        share = common if t == 0 else rng.uniform(0.01, 0.2)
        n = int(rng.binomial(size, share))
        docs = np.sort(rng.choice(size, size=n, replace=False)).astype(np.int64)
        weights = (rng.integers(1, 3, size=n) * (0.25 if t == 0 else 1.0)).astype(np.float64)
        lists.append(Posting(docs, weights, float(weights.max()) if n else 0.0))
    if terms > 1 and rng.random() < 0.5:
        lists.append(lists[1])  # a term asked twice counts twice
    scores = Scores(lists, 1.0, size)
    return scores, scores.dense()


CASES = [(seed, size, terms, k) for seed, (size, terms, k) in enumerate(
    [(50, 0, 5), (50, 1, 5), (50, 2, 5), (50, 4, 5), (7, 3, 10), (7, 1, 10), (1000, 5, 15), (1, 1, 3),
     (2000, 3, 1), (300, 6, 30), (5000, 4, 15), (40, 3, 40)])]


@pytest.mark.parametrize("seed,size,terms,k", CASES)
def test_top_is_the_dense_order_with_ties_by_position(seed, size, terms, k):
    scores, dense = _random(seed, size, terms)
    assert scores.top(k).tolist() == _top(dense, k).tolist()
    for lo, hi in [(0, size), (size // 3, size), (size // 2, size // 2 + 3), (0, 1)]:
        if lo < hi <= size:
            within = range(lo, hi)
            assert scores.top(k, within).tolist() == _top(dense, k, within).tolist(), within
            every = [i for i in _top(dense, hi - lo, within).tolist() if dense[i] > 1.0]
            assert scores.top(k, within, matched_only=True).tolist() == every[:k]


@pytest.mark.parametrize("seed", range(4))
def test_at_reads_any_rows_matched_or_not(seed):
    scores, dense = _random(seed, 200, 3)
    rows = [0, 199, 5, 5, *range(0, 200, 7)]
    assert np.allclose(scores.at(rows), dense[rows])
    assert Scores([], 2.5, 4).at([0, 3]).tolist() == [2.5, 2.5]


@pytest.mark.parametrize("seed", range(6))
def test_best_k_is_a_full_sort_by_value_then_position_cut_at_k(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, size=int(rng.integers(0, 60))).astype(np.float64)
    full = np.lexsort((np.arange(len(values)), -values))
    for k in (0, 1, 3, 10, 100):
        assert best_k(values, k).tolist() == full[:k].tolist()


def test_a_rare_term_decides_the_top_over_a_common_word_in_most_documents():
    common = Posting(np.arange(0, 100_000, dtype=np.int64), np.full(100_000, 0.01), 0.01)
    rare = Posting(np.array([10, 20_000, 50_000], dtype=np.int64), np.array([3.0, 5.0, 4.0]), 5.0)
    scores = Scores([common, rare], 0.5, 100_000)
    assert scores.top(3).tolist() == [20_000, 50_000, 10]
    assert scores.top(4).tolist()[:3] == [20_000, 50_000, 10] and scores.top(4).tolist()[3] == 0


def test_a_tie_at_the_k_th_place_with_a_document_not_read_yet_goes_by_position():
    base, w = 6.516193076042964, 1.7848243595644429  # (base + w) - base > w in floating point
    lists = [Posting(np.array([4, 49]), np.array([w, w]), w), Posting(np.array([13, 31]), np.array([w, 3.0036]), 3.0036)]
    scores = Scores(lists, base, 30_000)
    assert scores.top(2).tolist() == [31, 4] == _top(scores.dense(), 2).tolist()
