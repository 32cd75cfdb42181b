"""The search index over a set of articles: passages and sentences, each under BM25+.

Passages are paragraphs. A question is scored against both: the passage score says
"this is the part of the article the question is about", the sentence score and the
sentence's own evidence (coverage of the question's rarest terms, adjacent question
words, the asked-for answer type) pick the sentence inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .bm25 import SparseBM25
from .features import SentenceFacts, sentence_facts, type_match
from .models import Article, Sentence
from .question import Question
from .tokenize import tokenize

# How many passages and sentences are looked at closely for one question.
TOP_PASSAGES = 6
TOP_SENTENCES = 12

# Weights of the sentence score; fitted on SQuAD articles (scripts/eval.py), not on the shipped article.
WEIGHTS = {
    "sentence": 1.0,
    "passage": 0.6,
    "coverage": 1.0,
    "context": 0.4,
    "type": 0.5,
    "bigram": 0.3,
    "kind_penalty": 0.3,
}
_PENALISED_KINDS = {"heading": 1.0, "name_line": 0.5, "byline": 1.0, "pull_quote": 0.1}


@dataclass(frozen=True, slots=True)
class SentenceRow:
    article: int  # position in SearchIndex.articles
    sentence: Sentence
    passage: int  # position in SearchIndex.passages
    terms: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    facts: SentenceFacts
    kind: str


@dataclass(frozen=True, slots=True)
class Passage:
    article: int
    paragraph: int  # Paragraph.number
    sentences: tuple[int, ...]  # rows in SearchIndex.sentences


@dataclass(frozen=True, slots=True)
class Scored:
    row: int  # sentence row
    score: float
    coverage: float  # idf-weighted share of the question's terms found in the sentence and its neighbours
    type_match: float


def _bigrams(terms: list[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(terms, terms[1:]))


class SearchIndex:
    """Immutable once built: a refresh builds a new one and swaps it in."""

    def __init__(self, articles: list[Article]):
        if not articles:
            raise ValueError("no articles to index")
        self.articles = list(articles)
        self.passages: list[Passage] = []
        self.sentences: list[SentenceRow] = []
        passage_terms: list[list[str]] = []
        sentence_terms: list[list[str]] = []
        for a_idx, article in enumerate(self.articles):
            by_paragraph: dict[int, list[int]] = {}
            for sentence in article.sentences:
                by_paragraph.setdefault(sentence.paragraph, []).append(sentence.number)
            for paragraph in article.paragraphs:
                numbers = by_paragraph.get(paragraph.number, [])
                if not numbers:
                    continue
                p_idx = len(self.passages)
                rows = []
                p_terms: list[str] = []
                for n in numbers:
                    s = article.sentences[n]
                    text = article.text[s.start:s.end]
                    terms = tokenize(text)
                    p_terms.extend(terms)
                    rows.append(len(self.sentences))
                    sentence_terms.append(terms)
                    self.sentences.append(
                        SentenceRow(a_idx, s, p_idx, frozenset(terms), _bigrams(terms), sentence_facts(text), paragraph.kind)
                    )
                passage_terms.append(p_terms)
                self.passages.append(Passage(a_idx, paragraph.number, tuple(rows)))
        self.passage_bm25 = SparseBM25(passage_terms)
        self.sentence_bm25 = SparseBM25(sentence_terms)
        self._oov_idf = math.log((self.sentence_bm25.size + 1) / 0.5)

    def idf(self, term: str) -> float:
        return self.sentence_bm25.idf.get(term, self._oov_idf)

    def text_of(self, row: int) -> str:
        r = self.sentences[row]
        return self.articles[r.article].text[r.sentence.start:r.sentence.end]

    def rank(self, q: Question, limit: int = 5, restrict: set[int] | None = None) -> list[Scored]:
        """The best sentences for a question, best first. `restrict` limits them to given rows."""
        if not q.terms:
            return []
        p_scores = self.passage_bm25.get_scores(q.terms)
        s_scores = self.sentence_bm25.get_scores(q.terms)
        p_base = sum(self.passage_bm25.idf.get(t, 0.0) for t in q.terms) * self.passage_bm25.delta
        s_base = sum(self.sentence_bm25.idf.get(t, 0.0) for t in q.terms) * self.sentence_bm25.delta
        if restrict is not None:
            candidates = sorted(restrict)
        else:
            top_p = _top(p_scores, TOP_PASSAGES)
            top_s = _top(s_scores, TOP_SENTENCES)
            cand = {r for p in top_p for r in self.passages[p].sentences}
            cand.update(int(r) for r in top_s)
            candidates = sorted(cand)
        if not candidates:
            return []
        p_max = max(float(p_scores[self.sentences[r].passage]) - p_base for r in candidates) or 1.0
        s_max = max(float(s_scores[r]) - s_base for r in candidates) or 1.0
        idf = {t: self.idf(t) for t in q.unique_terms}
        total_idf = sum(idf.values()) or 1.0
        q_bigrams = _bigrams(q.terms)
        w = WEIGHTS
        scored = []
        for r in candidates:
            row = self.sentences[r]
            own = sum(v for t, v in idf.items() if t in row.terms) / total_idf
            ctx_terms = set(row.terms)
            for n in (r - 1, r + 1):
                if 0 <= n < len(self.sentences) and self.sentences[n].passage == row.passage:
                    ctx_terms |= self.sentences[n].terms
            ctx = sum(v for t, v in idf.items() if t in ctx_terms) / total_idf
            tm = type_match(row.facts, q.answer_type, q.raw_words)
            bigram = len(q_bigrams & row.bigrams) / len(q_bigrams) if q_bigrams else 0.0
            score = (
                w["sentence"] * (float(s_scores[r]) - s_base) / s_max
                + w["passage"] * (float(p_scores[row.passage]) - p_base) / p_max
                + w["coverage"] * own
                + w["context"] * ctx
                + w["type"] * tm
                + w["bigram"] * bigram
                - w["kind_penalty"] * _PENALISED_KINDS.get(row.kind, 0.0)
            )
            scored.append(Scored(r, score, max(own, 0.5 * own + 0.5 * ctx), tm))
        scored.sort(key=lambda s: (-s.score, s.row))
        return scored[:limit]

    def top_passages(self, q: Question, limit: int = 3) -> list[tuple[int, float]]:
        if not q.terms:
            return []
        scores = self.passage_bm25.get_scores(q.terms)
        return [(int(i), float(scores[i])) for i in _top(scores, limit)]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first; ties broken by position (deterministic)."""
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.lexsort((part, -scores[part]))]
