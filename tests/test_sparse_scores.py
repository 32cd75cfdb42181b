"""Scores held sparsely (index.retrieval.bm25.Scores) give exactly what the dense array gave."""

from __future__ import annotations

import numpy as np
import pytest

from index.retrieval.bm25 import Scores
from index.retrieval.search import _top


def _random(seed: int, size: int, touched: int) -> tuple[Scores, np.ndarray]:
    rng = np.random.default_rng(seed)
    docs = np.sort(rng.choice(size, size=touched, replace=False)).astype(np.int64)
    values = 1.0 + rng.integers(1, 4, size=touched).astype(np.float64)  # few distinct values: many ties
    scores = Scores(docs, values, 1.0, size)
    return scores, scores.dense()


@pytest.mark.parametrize("seed,size,touched,k", [(0, 50, 0, 5), (1, 50, 3, 5), (2, 50, 5, 5), (3, 50, 20, 5),
                                                 (4, 7, 7, 10), (5, 7, 2, 10), (6, 1000, 40, 15), (7, 1, 1, 3)])
def test_top_is_the_dense_order_with_ties_by_position(seed, size, touched, k):
    scores, dense = _random(seed, size, touched)
    assert scores.top(k).tolist() == _top(dense, k).tolist()
    for lo, hi in [(0, size), (size // 3, size), (size // 2, size // 2 + 3), (0, 1)]:
        if lo < hi <= size:
            within = range(lo, hi)
            assert scores.top(k, within).tolist() == _top(dense, k, within).tolist(), within
            matched = [i for i in _top(dense, k, within).tolist() if dense[i] > 1.0]
            got = scores.top(k, within, matched_only=True).tolist()
            assert got == [i for i in _top(dense, hi - lo, within).tolist() if dense[i] > 1.0][:k]
            assert got[:len(matched)] == matched


def test_at_reads_any_rows_matched_or_not():
    scores, dense = _random(9, 100, 10)
    rows = [0, 99, 5, 5, *scores.docs.tolist()]
    assert scores.at(rows).tolist() == dense[rows].tolist()
    assert Scores(np.zeros(0, dtype=np.int64), np.zeros(0), 2.5, 4).at([0, 3]).tolist() == [2.5, 2.5]


@pytest.mark.parametrize("seed", range(6))
def test_best_k_is_a_full_sort_by_value_then_position_cut_at_k(seed):
    from index.retrieval.bm25 import best_k

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, size=int(rng.integers(0, 60))).astype(np.float64)
    full = np.lexsort((np.arange(len(values)), -values))
    for k in (0, 1, 3, 10, 100):
        assert best_k(values, k).tolist() == full[:k].tolist()
