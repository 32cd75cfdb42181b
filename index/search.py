"""The search index over a set of articles: passages and sentences, each under BM25+.

Passages are paragraphs. A question is scored against both: the passage score says
"this is the part of the article the question is about", the sentence score and the
sentence's own evidence (coverage of the question's rarest terms, adjacent question
words, the asked-for answer type) pick the sentence inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .bm25 import SparseBM25
from .features import SentenceFacts, sentence_facts, type_match
from .models import Article, Sentence
from .question import Question
from .tokenize import STOPWORDS
from .tokenize import fold, tokenize, words

# How many passages and sentences are looked at closely for one question.
TOP_PASSAGES = 6
TOP_SENTENCES = 12
# BM25+ parameters (k1, b). Values from 0.8 to 2.0 and 0.3 to 0.75 changed SQuAD top-1 by < 0.3 points.
PASSAGE_K1, PASSAGE_B = 1.2, 0.75
SENTENCE_K1, SENTENCE_B = 1.2, 0.75

# The features of a candidate sentence, in the order of WEIGHTS. Each is in [0, 1].
FEATURES = (
    "sentence_bm25",   # sentence BM25+, relative to the best candidate
    "passage_bm25",    # BM25+ of the paragraph it is in, relative to the best
    "coverage",        # idf-weighted share of the question's terms in the sentence
    "context",         # the same over the sentence and its neighbours
    "type_match",      # holds something of the asked-for type the question lacks
    "bigrams",         # share of the question's adjacent term pairs found adjacent
    "proximity",       # matched terms close together
    "exact_words",     # unstemmed word overlap ("functions" vs "function")
    "novelty",         # share of its terms the question does not contain: an answer adds something
    "top_passage",     # it is in the best paragraph
    "first_in_para",   # first sentence of its paragraph
    "short",           # fewer than 8 terms (a heading, a name line)
    "is_structure",    # heading, name line or byline
    "is_pull_quote",   # repeats a quote from the body: prefer the body
    "focus",           # holds the asked-for noun: "What *diagrams* are used ..." -> "Feynman diagrams"
    "typed_coverage",  # type match times coverage: the right kind of answer where the question's words are
    "type_near",       # the asked-for type within four words of a question term: "meet in Anchorage"
)
# Fitted by scripts/fit_weights.py (listwise softmax on SQuAD, two-fold by article), never on the
# shipped article. Order as FEATURES. The two structure weights are set by hand: SQuAD has no
# headings or pull quotes, and a heading or a repeated pull quote is never the better answer.
WEIGHTS = np.array([2.039, 2.568, 1.447, 3.093, 2.114, 1.301, 0.057, 2.497, 0.177, 0.254, 0.052, 0.038, -1.0, -0.3, 0.585, 0.091, 0.145])

@dataclass(frozen=True, slots=True)
class SentenceRow:
    article: int  # position in SearchIndex.articles
    sentence: Sentence
    passage: int  # position in SearchIndex.passages
    terms: frozenset[str]
    seq: tuple[str, ...]  # the terms in order, for proximity
    words: frozenset[str]  # folded surface words, unstemmed
    bigrams: frozenset[tuple[str, str]]
    first: bool  # first sentence of its paragraph
    context: frozenset[str]  # its terms and its neighbours' in the same paragraph
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
                for k, n in enumerate(numbers):
                    s = article.sentences[n]
                    text = article.text[s.start:s.end]
                    terms = tokenize(text)
                    p_terms.extend(terms)
                    rows.append(len(self.sentences))
                    sentence_terms.append(terms)
                    self.sentences.append(
                        SentenceRow(
                            article=a_idx, sentence=s, passage=p_idx, terms=frozenset(terms), seq=tuple(terms),
                            words=frozenset(fold(w) for w in words(text)), bigrams=_bigrams(terms), first=k == 0,
                            facts=sentence_facts(text), kind=paragraph.kind, context=frozenset(),
                        )
                    )
                passage_terms.append(p_terms)
                self.passages.append(Passage(a_idx, paragraph.number, tuple(rows)))
        # Context = own terms plus the neighbours' in the same paragraph (for pronoun-linked answers).
        for p in self.passages:
            for k, r in enumerate(p.sentences):
                ctx = set(self.sentences[r].terms)
                for n in p.sentences[max(0, k - 1):k + 2]:
                    ctx |= self.sentences[n].terms
                self.sentences[r] = replace(self.sentences[r], context=frozenset(ctx))
        self.passage_bm25 = SparseBM25(passage_terms, k1=PASSAGE_K1, b=PASSAGE_B)
        self.sentence_bm25 = SparseBM25(sentence_terms, k1=SENTENCE_K1, b=SENTENCE_B)
        self.memo: dict = {}  # per-index caches of derived lookups (e.g. a person's quoted rows)
        self._oov_idf = math.log((self.sentence_bm25.size + 1) / 0.5)

    def idf(self, term: str) -> float:
        return self.sentence_bm25.idf.get(term, self._oov_idf)

    def coverage(self, q: Question, rows: list[int]) -> float:
        """idf-weighted share of the question's terms found in the given sentences together."""
        terms: set[str] = set()
        for r in rows:
            terms |= self.sentences[r].terms
        idf = {t: self.idf(t) for t in q.unique_terms}
        total = sum(idf.values())
        return sum(v for t, v in idf.items() if t in terms) / total if total else 0.0

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
        feats = self.features(q, candidates, p_scores, s_scores, p_base, s_base)
        scores = feats @ WEIGHTS
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i]))[:limit]
        return [
            Scored(candidates[i], float(scores[i]), max(feats[i, 2], 0.5 * feats[i, 2] + 0.5 * feats[i, 3]), feats[i, 4])
            for i in order
        ]

    def features(
        self, q: Question, candidates: list[int], p_scores: np.ndarray, s_scores: np.ndarray, p_base: float, s_base: float
    ) -> np.ndarray:
        """One row of FEATURES per candidate sentence."""
        p_max = max(float(p_scores[self.sentences[r].passage]) - p_base for r in candidates) or 1.0
        s_max = max(float(s_scores[r]) - s_base for r in candidates) or 1.0
        best_passage = max(candidates, key=lambda r: (p_scores[self.sentences[r].passage], -r))
        best_passage = self.sentences[best_passage].passage
        idf = {t: self.idf(t) for t in q.unique_terms}
        total_idf = sum(idf.values()) or 1.0
        q_bigrams = _bigrams(q.terms)
        q_terms = set(q.unique_terms)
        q_words = {w for w in q.raw_words if w not in STOPWORDS}
        rows = []
        s_list = ((s_scores[candidates] - s_base) / s_max).tolist()
        p_list = ((p_scores[[self.sentences[r].passage for r in candidates]] - p_base) / p_max).tolist()
        for k, r in enumerate(candidates):
            row = self.sentences[r]
            present = [t for t in q_terms if t in row.terms]
            own = sum(idf[t] for t in present) / total_idf
            ctx = sum(v for t, v in idf.items() if t in row.context) / total_idf
            has_type, near_type = type_match(row.facts, q.answer_type, q.raw_words, q_terms)
            if len(present) > 1:
                positions = [k for k, t in enumerate(row.seq) if t in q_terms]
                proximity = len(present) / (positions[-1] - positions[0] + 1)
            else:
                proximity = 0.0
            rows.append((
                s_list[k],
                p_list[k],
                own,
                ctx,
                has_type,
                len(q_bigrams & row.bigrams) / len(q_bigrams) if q_bigrams else 0.0,
                proximity,
                len(q_words & row.words) / len(q_words) if q_words else 0.0,
                len(row.terms - q_terms) / len(row.terms) if row.terms else 0.0,
                1.0 if row.passage == best_passage else 0.0,
                1.0 if row.first else 0.0,
                1.0 if len(row.seq) < 8 else 0.0,
                1.0 if row.kind in ("heading", "name_line", "byline") else 0.0,
                1.0 if row.kind == "pull_quote" else 0.0,
                1.0 if q.focus is not None and q.focus in row.terms else 0.0,
                has_type * own,
                near_type,
            ))
        return np.array(rows, dtype=np.float64)

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
