"""BM25+ from rank-bm25, scored through an inverted index.

rank_bm25.BM25Plus computes the statistics (document frequencies, idf, lengths);
its `get_scores` walks every document for every query term, which is fine for one
article (~40 passages) and too slow for 1,000 articles (~40,000 passages). This
subclass precomputes each term's postings once and returns the same scores
(a test checks they are equal to the parent's), touching only documents that
contain a query term.

BM25Plus rather than BM25Okapi: on a small corpus Okapi's idf is zero or negative for
a term present in half the documents (rank_bm25 issues #39, #43), and a news
article about Trump mentions "Trump" in half its paragraphs.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from rank_bm25 import BM25Plus

from .scores import Posting, Scores


class _Scoring:
    """What both scorers share: BM25+ gives every document delta * idf for each query term
    before the terms it contains add their weights."""

    corpus_size: int
    idf: dict[str, float]
    delta: float

    @property
    def size(self) -> int:
        return self.corpus_size

    def idf_of(self, term: str) -> float:
        return self.idf.get(term, 0.0)

    def base_score(self, query: list[str]) -> float:
        """The score of a document holding none of the query's terms: what a match scores above."""
        return sum(self.idf.get(q) or 0.0 for q in query) * self.delta

    def _base_scores(self, query: list[str]) -> np.ndarray:
        return np.full(self.corpus_size, self.base_score(query), dtype=np.float64)


class SparseBM25(_Scoring, BM25Plus):
    def __init__(self, corpus: list[list[str]], k1: float = 1.2, b: float = 0.75, delta: float = 1.0):
        if not corpus:
            raise ValueError("cannot index an empty corpus")
        # rank_bm25 divides by the average length: only an all-empty corpus needs a placeholder term.
        if not any(corpus):
            corpus = [[""] for _ in corpus]
        super().__init__(corpus, k1=k1, b=b, delta=delta)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        norms = k1 * (1 - b + b * np.asarray(self.doc_len, dtype=np.float64) / self.avgdl)
        by_term: dict[str, tuple[list[int], list[int]]] = {}
        for i, freqs in enumerate(self.doc_freqs):
            for term, tf in freqs.items():
                docs, tfs = by_term.setdefault(term, ([], []))
                docs.append(i)
                tfs.append(tf)
        for term, (docs, tfs) in by_term.items():
            idx = np.asarray(docs, dtype=np.int32)
            tf = np.asarray(tfs, dtype=np.float64)
            self._postings[term] = (idx, self.idf[term] * (tf * (k1 + 1)) / (norms[idx] + tf))

    def get_scores(self, query: list[str]) -> np.ndarray:
        """Same values as BM25Plus.get_scores, in time proportional to the postings touched."""
        scores = self._base_scores(query)
        for q in query:
            posting = self._postings.get(q)
            if posting is not None:
                scores[posting[0]] += posting[1]
        return scores


# --- the corpus-wide index, assembled from per-article parts ----------------------------------


def _small(n: int) -> type:
    """The smallest unsigned integer type that holds 0..n-1 (a saved index stays small)."""
    return np.uint16 if n <= 2**16 else np.int32 if n <= 2**31 else np.int64


class TermStats:
    """The term counts of some documents (one article's sentences or passages), computed once.

    `vocab` is the article's own list of distinct terms; `docs`, `terms`, `tfs` list one
    (document, term id in vocab, term frequency) per distinct term of each document, and
    `lengths` the documents' lengths in terms. Corpus-wide statistics are sums of these.
    """

    __slots__ = ("docs", "terms", "tfs", "lengths")

    def __init__(self, docs: np.ndarray, terms: np.ndarray, tfs: np.ndarray, lengths: np.ndarray):
        self.docs, self.terms, self.tfs, self.lengths = docs, terms, tfs, lengths

    @classmethod
    def of(cls, corpus: list[list[str]], vocab: dict[str, int], counted: "dict[int, Counter] | None" = None) -> "TermStats":
        """Counts of the documents' terms; new terms are added to `vocab` (term -> id). `counted` keeps the
        counts by document object, for a document given again (a one-sentence paragraph is its sentence)."""
        docs: list[int] = []
        terms: list[int] = []
        tfs: list[int] = []
        counted = {} if counted is None else counted
        for i, document in enumerate(corpus):
            freqs = counted.get(id(document))
            if freqs is None:
                freqs = counted[id(document)] = Counter(document)  # in the order the terms first occur
            docs.extend([i] * len(freqs))
            terms.extend([vocab.setdefault(w, len(vocab)) for w in freqs])
            tfs.extend(freqs.values())
        return cls(np.asarray(docs, dtype=_small(len(corpus))), np.asarray(terms, dtype=_small(len(vocab))),
                   np.asarray(tfs, dtype=_small(max(tfs, default=0) + 1)),
                   np.asarray([len(d) for d in corpus], dtype=np.int32))

    def __reduce__(self):
        return TermStats, (self.docs, self.terms, self.tfs, self.lengths)


class CorpusBM25(_Scoring):
    """The same scores as SparseBM25 (so as BM25Plus), with postings in flat arrays (CSR).

    Built from per-article TermStats without re-tokenizing or per-document dicts, so that a
    1,000-article index is assembled in well under a second and pickles as a few arrays.
    """

    def __init__(self, vocab: list[str], idf: np.ndarray, indptr: np.ndarray, docs: np.ndarray, weights: np.ndarray,
                 corpus_size: int, avgdl: float, k1: float, b: float, delta: float):
        self.vocab = vocab
        self.idf_array = idf
        self.indptr, self.docs, self.weights = indptr, docs, weights
        self.corpus_size = corpus_size
        self.avgdl = avgdl
        self.k1, self.b, self.delta = k1, b, delta
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.idf = dict(zip(vocab, idf.tolist()))
        # each term's largest weight: the bound that lets a top-k skip what a common word alone cannot lift
        self.max_weight = np.zeros(len(vocab))
        if len(weights):
            filled = np.diff(indptr) > 0
            self.max_weight[filled] = np.maximum.reduceat(weights, indptr[:-1][filled])

    def __reduce__(self):
        return CorpusBM25, (self.vocab, self.idf_array, self.indptr, self.docs, self.weights, self.corpus_size,
                            self.avgdl, self.k1, self.b, self.delta)

    @staticmethod
    def vocabulary(vocabs: list[list[str]]) -> tuple[list[str], list[np.ndarray]]:
        """One vocabulary over the parts' own: (its terms, per part an array from local to global ids)."""
        flat = [t for vocab in vocabs for t in vocab]
        ids: dict[str, int] = dict.fromkeys(flat)  # distinct terms, in first-seen order
        for i, t in enumerate(ids):
            ids[t] = i
        mapped = np.fromiter(map(ids.__getitem__, flat), dtype=np.int32, count=len(flat))
        cuts = np.cumsum([len(v) for v in vocabs])[:-1]
        return list(ids), np.split(mapped, cuts)

    @classmethod
    def from_parts(cls, parts: list[tuple[list[str], TermStats]], k1: float = 1.2, b: float = 0.75,
                   delta: float = 1.0, vocabulary: tuple[list[str], list[np.ndarray]] | None = None) -> "CorpusBM25":
        """One index over the documents of all parts, in order. Each part is (its vocab, its TermStats);
        `vocabulary` is CorpusBM25.vocabulary of the parts' vocabs, when already computed."""
        if not parts:
            raise ValueError("cannot index an empty corpus")
        vocab, mappings = vocabulary or cls.vocabulary([v for v, _ in parts])
        all_docs, all_terms, all_tfs, all_lengths = [], [], [], []
        offset = 0
        for (_, stats), mapping in zip(parts, mappings):
            all_terms.append(mapping[stats.terms])
            all_docs.append(stats.docs.astype(np.int32) + offset)
            all_tfs.append(stats.tfs)
            all_lengths.append(stats.lengths)
            offset += len(stats.lengths)
        if not offset:
            raise ValueError("cannot index an empty corpus")
        lengths = np.concatenate(all_lengths)
        total = int(lengths.sum())
        if total == 0:  # rank_bm25 divides by the average length: a placeholder term, as SparseBM25
            vocab = [""]
            terms = np.zeros(offset, dtype=np.int32)
            docs = np.arange(offset, dtype=np.int32)
            tfs = np.ones(offset, dtype=np.int32)
            lengths = np.ones(offset, dtype=np.int64)
            total = offset
        else:
            terms = np.concatenate(all_terms)
            docs = np.concatenate(all_docs).astype(np.int32, copy=False)
            tfs = np.concatenate(all_tfs)
        df = np.bincount(terms, minlength=len(vocab))
        n = offset
        idf = np.array([math.log((n + 1) / f) for f in df.tolist()], dtype=np.float64)
        avgdl = total / n
        norms = k1 * (1 - b + b * np.asarray(lengths, dtype=np.float64) / avgdl)
        order = np.argsort(terms, kind="stable")
        docs = docs[order]
        tf = tfs[order].astype(np.float64)
        weights = idf[terms[order]] * (tf * (k1 + 1)) / (norms[docs] + tf)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls(vocab, idf, indptr, docs, weights, n, avgdl, k1, b, delta)

    def touched(self, query: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(documents holding a query term, their scores above the base every document gets): in time
        proportional to the postings touched, with no array the size of the corpus."""
        parts = [(self.docs[self.indptr[i]:self.indptr[i + 1]], self.weights[self.indptr[i]:self.indptr[i + 1]])
                 for i in (self.ids.get(q) for q in query) if i is not None]
        if not parts:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        docs = np.concatenate([d for d, _ in parts])
        weights = np.concatenate([w for _, w in parts])
        unique, inverse = np.unique(docs, return_inverse=True)
        return unique, np.bincount(inverse, weights=weights, minlength=len(unique))

    def scores(self, query: list[str]) -> Scores:
        """Every document's score, as the query's posting lists (index.retrieval.scores): read only where a
        question needs them, never summed over every document that holds a common word."""
        lists = []
        for i in (self.ids.get(q) for q in query):
            if i is not None:
                s, e = self.indptr[i], self.indptr[i + 1]
                lists.append(Posting(self.docs[s:e], self.weights[s:e], float(self.max_weight[i])))
        return Scores(lists, self.base_score(query), self.corpus_size)

    def get_scores(self, query: list[str]) -> np.ndarray:
        """Same values as SparseBM25.get_scores over the same documents."""
        scores = self._base_scores(query)
        for q in query:
            i = self.ids.get(q)
            if i is not None:
                s, e = self.indptr[i], self.indptr[i + 1]
                scores[self.docs[s:e]] += self.weights[s:e]
        return scores

