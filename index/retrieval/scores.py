"""A question's BM25+ scores over every document, held as its terms' posting lists and read only where needed.

`top(k)` finds the k best documents without summing every posting of a common word: the terms are taken
rarest first (MaxScore, Turtle and Flood 1995), shortest list first. Once the k-th best score among the documents holding the
terms taken so far beats, strictly, what the remaining terms could add at most (the sum of their largest
weights), no other document can enter the top k, and the remaining lists are only looked up for those documents
(a binary search each). `at(rows)` reads any documents' scores the same way. Results are exactly those of the
dense array of scores (ties by position), which tests/test_sparse_scores.py checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Posting:
    """One query term's documents (sorted), their weights, and the largest weight it has anywhere."""

    docs: np.ndarray
    weights: np.ndarray
    bound: float


def best_k(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest values, best first, ties by index, also at the k-th place (argpartition alone
    picks among equal values at the cut arbitrarily): in linear time plus a sort of k."""
    if len(values) > k > 0:
        kth = values[np.argpartition(-values, k - 1)[k - 1]]
        above = np.flatnonzero(values > kth)
        chosen = np.concatenate([above, np.flatnonzero(values == kth)[:k - len(above)]])
    else:
        chosen = np.arange(len(values) if k > 0 else 0)
    return chosen[np.lexsort((chosen, -values[chosen]))]


# Up to this many documents (an article or a few: the shipped one has 112 sentences) one dense array is cheaper
# than reading lists: measured on the shipped article, answer p50 0.38 ms with lists only.
DENSE_UP_TO = 20_000


class Scores:
    """Every document's score: `base` plus the weights of the query terms it holds (a term asked twice counts
    twice, as in BM25Plus.get_scores)."""

    __slots__ = ("lists", "base", "size", "_dense")

    def __init__(self, lists: list[Posting], base: float, size: int):
        self.lists, self.base, self.size = lists, base, size
        self._dense = self.dense() if size <= DENSE_UP_TO else None

    def at(self, rows) -> np.ndarray:
        """The scores of these documents (any order, repeats allowed)."""
        idx = np.asarray(rows, dtype=np.int64)
        if self._dense is not None:
            return self._dense[idx]
        total = np.full(idx.shape, self.base, dtype=np.float64)
        for p in self.lists:
            if len(p.docs):
                pos = np.minimum(np.searchsorted(p.docs, idx), len(p.docs) - 1)
                total += np.where(p.docs[pos] == idx, p.weights[pos], 0.0)
        return total

    def dense(self) -> np.ndarray:
        out = np.full(self.size, self.base, dtype=np.float64)
        for p in self.lists:
            out[p.docs] += p.weights
        return out

    def top(self, k: int, within: range | None = None, matched_only: bool = False) -> np.ndarray:
        """What a dense argsort gives: the indices of the k best scores, best first, ties by position, among
        `within` (consecutive indices); `matched_only`: only documents holding a query term."""
        lo, hi = (within.start, within.stop) if within is not None else (0, self.size)
        if k <= 0 or hi <= lo:
            return np.zeros(0, dtype=np.int64)
        if self._dense is not None:
            best = best_k(self._dense[lo:hi], k) + lo
            return best[self._dense[best] > self.base] if matched_only else best
        slices = []
        for p in self.lists:
            a, b = np.searchsorted(p.docs, lo), np.searchsorted(p.docs, hi)
            if b > a:
                slices.append((p.bound, p.docs[a:b]))
        # the longest lists (common words) stay out longest: what is read grows with the shorter ones taken
        slices.sort(key=lambda s: -len(s[1]))
        bounds = np.cumsum([b for b, _ in slices]) if slices else np.zeros(0)
        best = np.zeros(0, dtype=np.int64)
        for split in range(len(slices) - 1, -1, -1):
            taken = [d for _, d in slices[split:]]
            docs = (taken[0] if len(taken) == 1 else np.unique(np.concatenate(taken))).astype(np.int64, copy=False)
            rest = float(bounds[split - 1]) if split else 0.0  # the most the terms not taken add
            if len(docs) < k and split:
                continue
            values = self.at(docs)
            chosen = best_k(values, k)
            best = docs[chosen]
            # strictly more, with room for rounding: (base + w) - base may exceed w by an ulp, and a document
            # holding only the terms not read yet could then tie with the k-th one and rank before it
            if not split or values[chosen[-1]] - self.base > rest + 1e-9 * (abs(self.base) + rest):
                break
        if matched_only or len(best) >= k or len(best) >= hi - lo:
            return best[:k]
        # fewer matches than k: the rest are the first unmatched documents (all at the base score), as a dense sort
        taken = set(best.tolist())
        fill = []
        for d in range(lo, hi):
            if d not in taken:
                fill.append(d)
                if len(fill) == k - len(best):
                    break
        return np.concatenate([best, np.asarray(fill, dtype=np.int64)])
