"""The search index over a set of articles: passages and sentences, each under BM25+.

Passages are paragraphs. A question is scored against both: the passage score says
"this is the part of the article the question is about", the sentence score and the
sentence's own evidence (coverage of the question's rarest terms, adjacent question
words, the asked-for answer type) pick the sentence inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .bm25 import CorpusBM25
from .scores import Scores, best_k
from .parts import ArticleIndex, Passage, SentenceRow, _bigrams, _part_for
from .facts import type_match
from .ranking import COLUMN, NAMES, read_weights
from ..lexicon.pronouns import REFERRING_WORDS
from .vocabulary import PREFIX, SPELL_MIN, TermStarts
from .mentions import fullest_mention
from ..models import Article
from ..question import PRECISE_TYPES, Question, analyse_each
from ..text.related import related_terms
from ..text.tokenize import STOPWORDS
from ..text.tokenize import term_of

# How many passages and sentences are looked at closely for one question. 3 and 10 give the same
# answers on SQuAD and the seed questions as 4 and 10 (and 6 and 12), with a fifth fewer candidates.
TOP_PASSAGES = 3
TOP_SENTENCES = 10
# The most sentences of one paragraph (or of one person's quotations) looked at closely for a question: the
# best by sentence BM25+ when there are more. The longest paragraph in the evaluation sets has 27 sentences;
# a 2 MB article of one paragraph has 25,000, and scoring them all took 150 ms a question.
MAX_CANDIDATE_ROWS = 200
# BM25+ parameters (k1, b). Values from 0.8 to 2.0 and 0.3 to 0.75 changed SQuAD top-1 by < 0.3 points.
PASSAGE_K1, PASSAGE_B = 1.2, 0.75
SENTENCE_K1, SENTENCE_B = 1.2, 0.75

# (Answer types whose words the tagger finds surely, question.PRECISE_TYPES, count about twice as much: fitted.)
# Answer types whose tagged words leave no doubt: "how much did they pay" is answered by "$7.2 million".
UNAMBIGUOUS_TYPES = frozenset(("money", "clock"))
# The feature weights, by name (index/data/weights.json; the features are declared in ranking.py).
WEIGHTS = read_weights().vector()

# A pronoun among a sentence's first words most often points into the sentence before:
# "Alaska belonged to Russia. Tsar Alexander II sold it ..." is about Alaska.
PRONOUNS = REFERRING_WORDS
PRONOUN_WINDOW = 6
PREFIX_CREDIT = 0.5
# A question word no article uses, and no English word, is taken for a typo of an index term this close
# to it: one edit from 5 letters on ("bokowski" -> "bockowski"), two from 8 ("zelenskyy" -> "zelenski").
# Only terms sharing the first two letters are compared (index.retrieval.vocabulary).
SPELL_LONG = 8

@dataclass(frozen=True, slots=True)
class Scored:
    row: int  # sentence row
    score: float
    coverage: float  # idf-weighted share of the question's terms found in the sentence and its neighbours
    type_match: float


@dataclass(frozen=True, slots=True)
class Around:
    """What a question finds in one sentence and around it (SearchIndex.around)."""

    own: float  # coverage of the sentence alone
    pairs: list[tuple[int, float]]  # each neighbour in its paragraph, with the coverage of the two together
    bigrams: float  # share of the question's adjacent term pairs found adjacent in the sentence
    words: float  # share of the question's words (unstemmed, not stopwords) in it
    length: int  # its terms
    unknown: float  # share of the question's distinct terms that no article uses
    missing_max: float  # the largest idf share of one question term missing from it and its neighbours
    missing_known: float  # idf share of the terms missing there that the articles do use


@dataclass(frozen=True)
class RankRequest:
    """What one question asks of the index (SearchIndex.ranking)."""

    q: Question  # as analysed
    is_word: Callable[[str], bool]  # a typo is fixed only in a word that is no word
    unless_known: frozenset[str]  # terms dropped unless an article uses them ("think")
    limit: int  # sentences ranked
    article: int | None = None  # the one article asked about, by position
    who_is: bool = False  # also the sentence naming the person most fully
    spans: tuple[tuple[str, int, int], ...] = ()  # a person's quotations (article id, start, end): rank within them
    drop: frozenset[str] = frozenset()  # ... for the question without these terms (the person's name)


@dataclass(frozen=True)
class Ranking:
    """The index's whole answer to a RankRequest; the answer strategies decide on it without asking again."""

    searched: Question
    ranked: list[Scored]
    within: frozenset[int]  # the rows of the person's quotations
    topic: Question | None  # the question without the person's name
    theirs: list[Scored]  # the best of their quotations for the topic
    fullest: int | None  # "who is": the row naming the person most fully


class SearchIndex:
    """Immutable once built: a refresh builds a new one and swaps it in.

    Built from one ArticleIndex per article: pass `parts` (by article, e.g. from the index
    being replaced) to reuse those of unchanged articles; only the BM25 statistics are
    recomputed over the whole corpus, from the parts' term counts.
    """

    def __init__(self, articles: list[Article], parts: "dict[int, ArticleIndex] | None" = None, *,
                 _bm25: tuple | None = None):
        if not articles:
            raise ValueError("no articles to index")
        self.articles = list(articles)
        self.parts: list[ArticleIndex] = [_part_for(a, parts) for a in self.articles]
        self.passages: list[Passage] = []
        self.sentences: list[SentenceRow] = []
        self._spans: list[tuple[range, range]] = []  # per article: its passages and its rows (consecutive)
        for a_idx, part in enumerate(self.parts):
            p0, r0 = len(self.passages), len(self.sentences)
            passages, rows = part.place(a_idx, p0, r0)
            self.passages.extend(passages)
            self.sentences.extend(rows)
            self._spans.append((range(p0, len(self.passages)), range(r0, len(self.sentences))))
        if _bm25 is not None:
            self.passage_bm25, self.sentence_bm25 = _bm25
        else:
            vocabulary = CorpusBM25.vocabulary([p.vocab for p in self.parts])
            self.passage_bm25 = CorpusBM25.from_parts([(p.vocab, p.passage_stats) for p in self.parts],
                                                      k1=PASSAGE_K1, b=PASSAGE_B, vocabulary=vocabulary)
            self.sentence_bm25 = CorpusBM25.from_parts([(p.vocab, p.sentence_stats) for p in self.parts],
                                                       k1=SENTENCE_K1, b=SENTENCE_B, vocabulary=vocabulary)
        self.term_starts = TermStarts.of(self.sentence_bm25.idf)
        self._oov_idf = math.log((self.sentence_bm25.size + 1) / 0.5)

    def __reduce__(self):
        # Without the corpus-wide BM25 arrays: they are rebuilt from the parts' term counts when loaded (0.24 s at
        # 1,000 articles), so that a saved index's corpus-wide part stays small and a one-article refresh does
        # not rewrite every posting (measured: 17 of the 18 MiB it wrote at 1,000 articles).
        return _search_index, (self.articles, self.parts)

    def knows(self, term: str) -> bool:
        """Whether any article uses the term."""
        return term in self.sentence_bm25.idf

    def idf(self, term: str) -> float:
        return self.sentence_bm25.idf.get(term, self._oov_idf)

    def variants(self, term: str) -> tuple[str, ...]:
        """Index terms other than `term` that start with its first PREFIX letters ("invas" for "invad"),
        or that mean much the same (index.text.related: "fear" for "afraid")."""
        if len(term) < PREFIX:
            return tuple(t for t in related_terms().get(term, ()) if self.knows(t))
        same_start = self.term_starts.same_start(term)
        return same_start + tuple(t for t in related_terms().get(term, ()) if self.knows(t) and t not in same_start)

    def spelled(self, q: Question, is_word: Callable[[str], bool]) -> Question:
        """The question with each word no article uses, and that `is_word` says is no word, replaced by
        the index term a typo away, if there is one: "what does bokowski say" -> "bockowski"."""
        return analyse_each(q, [self._searched_terms(q, is_word, frozenset())])[0]

    def _searched_terms(self, q: Question, is_word: Callable[[str], bool], unless_known: frozenset[str]) -> list[str]:
        fixes: dict[str, str] = {}
        for word in q.raw_words:
            term = term_of(word)
            if term is None or term in fixes or self.knows(term):
                continue
            near = self._nearest(term)
            if near is not None and not is_word(word):  # the word list is read only when a typo is possible
                fixes[term] = near
        terms = [fixes.get(t, t) for t in q.terms]
        kept = [t for t in terms if t not in unless_known or self.knows(t)]
        return kept if kept and len(kept) < len(terms) else terms

    def ranking(self, req: "RankRequest") -> "Ranking":
        """What one question needs from the index to choose its answer, in one visit: the question as
        searched, the best sentences, for a person's words the best of their quotations for the topic, for
        "who is" the sentence naming the person most fully. (The one chosen then asks for its neighbours'
        coverage, or a decline for the closest paragraphs: a second visit, made only for what is used.)"""
        terms = self._searched_terms(req.q, req.is_word, req.unless_known)
        topic_terms = [t for t in terms if t not in req.drop]
        searched, topic = analyse_each(req.q, [terms, topic_terms])
        ranked = self.rank(searched, req.limit, article=req.article)
        within: set[int] = set()
        theirs: list[Scored] = []
        if req.spans:
            within = self.rows_in_spans(list(req.spans))
            if req.article is not None:
                within &= set(self.rows_of(req.article))
            theirs = self.rank(topic, req.limit, restrict=within) if within and topic.terms else []
        fullest = fullest_mention(self, searched, req.article) if req.who_is and ranked else None
        return Ranking(searched, ranked, frozenset(within), topic if req.spans else None, theirs, fullest)

    def rows_in_spans(self, spans: "list[tuple[str, int, int]]") -> set[int]:
        """The sentence rows overlapping any of the (article id, start, end) spans."""
        at = {article.id: a_idx for a_idx, article in enumerate(self.articles)}
        rows: set[int] = set()
        for article_id, start, end in spans:
            a_idx = at.get(article_id)
            if a_idx is not None:
                rows.update(self.rows_overlapping(a_idx, start, end))
        return rows

    def _nearest(self, term: str) -> str | None:
        if len(term) < SPELL_MIN or not term.isalpha():
            return None
        edits = 2 if len(term) >= SPELL_LONG else 1
        found = process.extract(term, self.term_starts.typo_candidates(term), scorer=Levenshtein.distance,
                                score_cutoff=edits, limit=None)
        # the closest, then the commonest (lowest idf), then the first in the alphabet
        best = min(found, key=lambda m: (m[1], self.idf(m[0]), m[0]), default=None)
        return best[0] if best else None

    def coverage(self, q: Question, rows: list[int]) -> float:
        """idf-weighted share of the question's terms found in the given sentences together."""
        terms: set[str] = set()
        for r in rows:
            terms |= self.sentences[r].terms
        idf = {t: self.idf(t) for t in q.unique_terms}
        total = sum(idf.values())
        return sum(v for t, v in idf.items() if t in terms) / total if total else 0.0

    def around(self, q: Question, row: int) -> "Around":
        """What the question finds in one sentence and around it, for the answer made of it (in one visit):
        coverage(q, [row]); for each neighbour in the same paragraph, the coverage of the two together; and the
        shares the answer's confidence is judged by (index.answer.confidence)."""
        r = self.sentences[row]
        neighbours = [n for n in (row - 1, row + 1) if 0 <= n < len(self.sentences) and self.sentences[n].passage == r.passage]
        terms = q.unique_terms
        idf = {t: self.idf(t) for t in terms}
        total = sum(idf.values()) or 1.0  # (as coverage(): no terms, no coverage)
        own = r.terms
        missing = [t for t in terms if t not in r.context]
        pairs = _bigrams(list(q.terms))
        words = {w for w in q.raw_words if w not in STOPWORDS}
        return Around(
            own=sum(v for t, v in idf.items() if t in own) / total,
            pairs=[(n, sum(v for t, v in idf.items() if t in own or t in other) / total)
                   for n, other in ((n, self.sentences[n].terms) for n in neighbours)],
            bigrams=len(pairs & r.bigrams) / len(pairs) if pairs else 0.0,
            words=len(words & r.words) / len(words) if words else 0.0, length=len(r.seq),
            unknown=sum(not self.knows(t) for t in terms) / len(terms) if terms else 0.0,
            missing_max=max((idf[t] for t in missing), default=0.0) / total,
            missing_known=sum(idf[t] for t in missing if self.knows(t)) / total)

    def text_of(self, row: int) -> str:
        r = self.sentences[row]
        return self.articles[r.article].text[r.sentence.start:r.sentence.end]

    def rows_of(self, article: int) -> range:
        """The sentence rows of one article (by its position in `articles`)."""
        return self._spans[article][1]

    def rows_overlapping(self, article: int, start: int, end: int) -> "range | list[int]":
        """The sentence rows of one article whose sentences overlap its text[start:end]."""
        rows = self._spans[article][1]
        local = self.parts[article].rows_overlapping(start, end)
        if local is None:  # rows out of text order (never from the segmenter): look at each
            return [r for r in rows if self.sentences[r].sentence.start < end and start < self.sentences[r].sentence.end]
        return range(rows.start + local.start, rows.start + max(local.start, local.stop))

    def rows_of_kind(self, kind: str, last: bool) -> dict[int, int]:
        """Per article that has one (in article order), its first or last sentence row in a paragraph of `kind`.
        Made once per index and kind ("who wrote it?" must not walk every article each time)."""
        cache = self.__dict__.setdefault("_rows_of_kind", {})
        found = cache.get((kind, last))
        if found is None:
            found = cache[(kind, last)] = {}
            for a_idx, part in enumerate(self.parts):
                ends = part.kinds.get(kind)
                if ends is not None:
                    found[a_idx] = self._spans[a_idx][1].start + ends[1 if last else 0]
        return found

    def best_article(self, q: Question, among: list[int]) -> int | None:
        """Of `among` (article positions), the one whose best paragraph matches the question best (None when
        no paragraph of theirs holds a question term): over the passages the question's postings touch only."""
        if not q.terms or not among:
            return None
        docs, above = self.passage_bm25.touched(list(q.terms))
        if not len(docs):
            return None
        best = np.full(len(self.articles), -np.inf)
        np.maximum.at(best, self._passage_article()[docs], above)
        picked = best[np.asarray(among)]
        i = int(np.argmax(picked))
        return among[i] if picked[i] > 1e-9 else None

    def _passage_article(self) -> np.ndarray:
        """Each passage's article position, made once per index."""
        cached = self.__dict__.get("_passage_articles")
        if cached is None:
            cached = self.__dict__["_passage_articles"] = np.fromiter(
                (p.article for p in self.passages), dtype=np.int32, count=len(self.passages))
        return cached

    def rank(self, q: Question, limit: int = 5, restrict: set[int] | None = None,
             article: int | None = None) -> list[Scored]:
        """The best sentences for a question, best first. `restrict` limits them to given rows,
        `article` to one article's (by its position in `articles`)."""
        if not q.terms:
            return []
        p_scores = self.passage_bm25.scores(q.terms)
        s_scores = self.sentence_bm25.scores(q.terms)
        p_base, s_base = p_scores.base, s_scores.base
        if restrict is not None:
            candidates = _best_rows(sorted(restrict), s_scores)
        else:
            p_within, s_within = self._spans[article] if article is not None else (None, None)
            top_p = p_scores.top(TOP_PASSAGES, p_within)
            top_s = s_scores.top(TOP_SENTENCES, s_within)
            cand = {r for p in top_p.tolist() for r in _best_rows(self.passages[p].sentences, s_scores)}
            cand.update(top_s.tolist())
            candidates = sorted(cand)
        if not candidates:
            return []
        feats = self.features(q, candidates, p_scores, s_scores, p_base, s_base)
        scores = feats @ WEIGHTS
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i]))[:limit]
        return [
            Scored(candidates[i], float(scores[i]), _coverage(feats[i]), feats[i, _TYPE])
            for i in order
        ]

    def features(
        self, q: Question, candidates: list[int], p_scores: Scores, s_scores: Scores, p_base: float, s_base: float
    ) -> np.ndarray:
        """One row per candidate sentence, a column per feature (ranking.FEATURES), computed by name."""
        passages = [self.sentences[r].passage for r in candidates]
        p_of = p_scores.at(passages)
        s_of = s_scores.at(candidates)
        p_max = float((p_of - p_base).max()) or 1.0
        s_max = float((s_of - s_base).max()) or 1.0
        best_passage = passages[max(range(len(candidates)), key=lambda k: (p_of[k], -candidates[k]))]
        idf = {t: self.idf(t) for t in q.unique_terms}
        total_idf = sum(idf.values()) or 1.0
        # Only terms that have variants can be matched by them; most questions have few or none.
        # (as sets: a common first four letters can have thousands, and a row is looked up in them by its terms)
        variants = {t: frozenset(vs) for t in idf if (vs := self.variants(t))}
        q_bigrams = _bigrams(q.terms)
        q_terms = set(q.unique_terms)
        q_words = {w for w in q.raw_words if w not in STOPWORDS}
        precise = 1.0 if q.answer_type in PRECISE_TYPES else 0.0
        answer_type, focus, raw_words = q.answer_type, q.focus, q.raw_words
        unambiguous = answer_type in UNAMBIGUOUS_TYPES
        rows = []
        s_list = ((s_of - s_base) / s_max).tolist()
        p_list = ((p_of - p_base) / p_max).tolist()
        for k, r in enumerate(candidates):
            row = self.sentences[r]
            terms, context = row.terms, row.context
            present = [t for t in q_terms if t in terms]
            in_context = [t for t in q_terms if t in context]
            own = sum(idf[t] for t in present) / total_idf
            ctx = sum(idf[t] for t in in_context) / total_idf
            has_type, near_type = type_match(row.facts, answer_type, raw_words, q_terms, row.where)
            rows.append({
                "sentence_bm25": s_list[k],
                "passage_bm25": p_list[k],
                "coverage": own,
                "context": ctx,
                "type_match": has_type,
                "bigrams": len(q_bigrams & row.bigrams) / len(q_bigrams) if q_bigrams else 0.0,
                "exact_words": len(q_words & row.words) / len(q_words) if q_words else 0.0,
                "novelty": (len(terms) - len(present)) / len(terms) if terms else 0.0,
                "top_passage": 1.0 if row.passage == best_passage else 0.0,
                "first_in_para": 1.0 if row.first else 0.0,
                "short": 1.0 if len(row.seq) < 8 else 0.0,
                "is_structure": 1.0 if row.kind in ("heading", "name_line", "byline") else 0.0,
                "is_pull_quote": 1.0 if row.kind == "pull_quote" else 0.0,
                "focus": 1.0 if focus is not None and focus in terms else 0.0,
                "typed_coverage": has_type * own,
                "type_near": near_type,
                "precise_type": has_type * precise,
                "precise_near": near_type * precise,
                "pronoun_coverage": self._pronoun_coverage(r, row, idf, total_idf, own),
                "unambiguous": 1.0 if unambiguous and has_type >= 1.0 else 0.0,
                "prefix_coverage": _prefix_coverage(terms, idf, variants, total_idf)
                if variants and len(present) < len(idf) else 0.0,
                "prefix_context": _prefix_coverage(context, idf, variants, total_idf)
                if variants and len(in_context) < len(idf) else 0.0,
            })
        return np.array([[values[n] for n in NAMES] for values in rows], dtype=np.float64)

    def _pronoun_coverage(self, r: int, row: SentenceRow, idf: dict[str, float], total_idf: float, own: float) -> float:
        if r == 0 or not PRONOUNS.intersection(row.facts.words[:PRONOUN_WINDOW]):
            return own
        prev = self.sentences[r - 1]
        if prev.passage != row.passage:
            return own
        return sum(v for t, v in idf.items() if t in row.terms or t in prev.terms) / total_idf

    def sentences_with(self, q: Question, limit: int, article: int | None = None) -> list[int]:
        """Up to `limit` sentence rows holding a question term, best BM25+ first (of one article's, if given)."""
        if not q.terms:
            return []
        scores = self.sentence_bm25.scores(q.terms)
        within = self._spans[article][1] if article is not None else None
        return scores.top(limit, within, matched_only=True).tolist()

    def top_passages(self, q: Question, limit: int = 3, article: int | None = None) -> list[tuple[int, float]]:
        """The best paragraphs with their BM25+ scores, best first; only those holding a question term
        (and of one article, if given)."""
        if not q.terms:
            return []
        scores = self.passage_bm25.scores(q.terms)
        within = self._spans[article][0] if article is not None else None
        top = scores.top(limit, within, matched_only=True)
        return list(zip(top.tolist(), scores.at(top).tolist()))


_OWN, _CONTEXT, _TYPE, _PREFIX_OWN, _PREFIX_CONTEXT = (
    COLUMN[f] for f in ("coverage", "context", "type_match", "prefix_coverage", "prefix_context"))


def _coverage(f: np.ndarray) -> float:
    """How much of the question a candidate covers, for the answer-or-decline decision: its own terms, or
    half its own and half its neighbours'; a term matched only by its first letters counts half
    (PREFIX_CREDIT: SQuAD answerable questions declined 18.5% -> 16.6%, off-topic ones answered 1.1% -> 1.2%)."""
    own = f[_OWN] + PREFIX_CREDIT * f[_PREFIX_OWN]
    return float(max(own, 0.5 * own + 0.5 * (f[_CONTEXT] + PREFIX_CREDIT * f[_PREFIX_CONTEXT])))


def _prefix_coverage(terms: frozenset[str], idf: dict[str, float], variants: dict[str, tuple[str, ...]],
                     total_idf: float) -> float:
    """idf-weighted share of the question's terms missing from `terms` that have a variant (an index term
    with the same first PREFIX letters) among them: stems differ across parts of speech ("invad" /
    "invas"), the first letters do not."""
    return sum(idf[t] for t, vs in variants.items() if t not in terms and not terms.isdisjoint(vs)) / total_idf


def parts_by_article(index: "SearchIndex | None") -> "dict[int, ArticleIndex]":
    """An index's ArticleIndex parts keyed for reuse by SearchIndex(articles, parts)."""
    return {id(p.article): p for p in index.parts} if index is not None else {}


def _search_index(articles, parts) -> SearchIndex:
    return SearchIndex(articles, {id(p.article): p for p in parts})


def _best_rows(rows: "tuple[int, ...] | list[int]", s_scores: Scores) -> "tuple[int, ...] | list[int]":
    """Rows to look at closely: all of them, or, of more than MAX_CANDIDATE_ROWS (a paragraph of hundreds of
    sentences is no news article's), the MAX_CANDIDATE_ROWS with the best sentence BM25+, so that the work
    for one question stays bounded however the article is laid out."""
    if len(rows) <= MAX_CANDIDATE_ROWS:
        return rows
    ids = np.asarray(rows, dtype=np.int64)
    return sorted(ids[_top(s_scores.at(ids), MAX_CANDIDATE_ROWS)].tolist())


def _top(scores: np.ndarray, k: int, within: range | None = None) -> np.ndarray:
    """Indices of the k highest scores, best first; ties broken by position (deterministic). `within`:
    only among these consecutive indices."""
    if within is not None:
        return _top(scores[within.start:within.stop], k) + within.start
    return best_k(scores, k)
