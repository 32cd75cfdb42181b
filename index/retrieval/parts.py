"""What one article contributes to a search index, computed once per article and reused by every index
that holds it: its sentence rows and passages (light until first read), term statistics and the rows' terms."""

from __future__ import annotations

import pickle
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .bm25 import TermStats
from .facts import TYPES, Positions, SentenceFacts, positions, sentence_facts
from ..models import Article, Sentence
from ..text.tokenize import tokenize


# A row of this many terms or more has its facts made at indexing, and saved: made at a question's first
# reading, one sentence thousands of words long cost that question 0.4-0.9 s. Shorter rows cost ~30 us each.
LONG_ROW = 48

_HEAVY = ("terms", "seq", "words", "bigrams", "context", "facts", "where")


@dataclass(frozen=True, slots=True)
class SentenceRow:
    article: int  # position in SearchIndex.articles
    sentence: Sentence
    passage: int  # position in SearchIndex.passages
    terms: frozenset[str]
    seq: tuple[str, ...]  # the terms in order
    words: frozenset[str]  # folded surface words, unstemmed
    bigrams: frozenset[tuple[str, str]]
    first: bool  # first sentence of its paragraph
    context: frozenset[str]  # its terms and its neighbours' in the same paragraph
    facts: SentenceFacts
    # Where each word and term stands, in a sentence too long to scan (features.positions); else None.
    where: Positions | None = field(compare=False, repr=False)
    kind: str
    # Where the term fields above come from when they are not set yet (rows are assembled
    # light, and filled from their article's ArticleIndex the first time one is read).
    part: "ArticleIndex | None" = field(default=None, compare=False, repr=False)
    local: int = field(default=0, compare=False, repr=False)

    def __getattr__(self, name: str):
        # Only called for a slot that is not set: one of the term fields of a light row.
        if name in _HEAVY:
            part = object.__getattribute__(self, "part")
            if part is not None:
                for slot, value in zip(_HEAVY, part.heavy(object.__getattribute__(self, "local"))):
                    _SETTERS[slot](self, value)
                return object.__getattribute__(self, name)
        raise AttributeError(name)


_SETTERS = {name: getattr(SentenceRow, name).__set__ for name in SentenceRow.__slots__}


@dataclass(frozen=True, slots=True)
class Passage:
    article: int
    paragraph: int  # Paragraph.number
    sentences: tuple[int, ...]  # rows in SearchIndex.sentences


_P_SETTERS = tuple(getattr(Passage, name).__set__ for name in Passage.__slots__)


def _bigrams(terms: list[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(terms, terms[1:]))


class ArticleIndex:
    """What one article contributes to a SearchIndex, computed once per article and reused by
    every index that holds the article (a refresh re-indexes only the articles that changed).

    Positions are local: rows and passages are numbered within the article. `layout` has one
    (Sentence, local passage, first in paragraph, paragraph kind) per row, `paragraphs` one
    (Paragraph.number, local rows) per passage. Indexing tokenizes every sentence (BM25 needs all the
    terms); the rest of a row's fields (`heavy`: its facts, sets, bigrams, context) are made the first
    time a question reads that row, and only the terms (and long rows' facts) are saved, packed (`compact`). A question reads a few
    hundred rows at most (search.MAX_CANDIDATE_ROWS), so making them then costs it a few milliseconds,
    and indexing a 2 MB article no longer pays ~0.5 s for facts of rows no question reads.
    """

    __slots__ = ("article", "layout", "paragraphs", "vocab", "sentence_stats", "passage_stats", "_seqs", "_heavy",
                 "_packed", "_placed", "bounds", "kinds", "__weakref__")

    def __init__(self, article: Article):
        self.article = article
        self.layout: list[tuple[Sentence, int, bool, str]] = []
        self.paragraphs: list[tuple[int, tuple[int, ...]]] = []
        by_paragraph: dict[int, list[int]] = {}
        for sentence in article.sentences:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence.number)
        seqs: list[tuple[str, ...]] = []
        passage_terms: list[list[str] | tuple[str, ...]] = []
        text = article.text
        for paragraph in article.paragraphs:
            numbers = by_paragraph.get(paragraph.number, [])
            if not numbers:
                continue
            p_local = len(self.paragraphs)
            rows = []
            p_terms: list[str] = []
            for k, n in enumerate(numbers):
                s = article.sentences[n]
                seq = tuple(tokenize(text[s.start:s.end]))  # the terms sentence_facts gives, in order
                p_terms.extend(seq)
                rows.append(len(self.layout))
                seqs.append(seq)
                self.layout.append((s, p_local, k == 0, paragraph.kind))
            passage_terms.append(p_terms if len(numbers) > 1 else seqs[-1])  # one sentence: the same terms
            self.paragraphs.append((paragraph.number, tuple(rows)))
        self._seqs: list[tuple[str, ...]] | None = seqs
        self._heavy: list | None = [None] * len(seqs)
        self._packed: bytes | None = None
        self._placed = None
        _derive(self)
        for row, seq in enumerate(seqs):
            if len(seq) >= LONG_ROW:
                self.heavy(row)
        vocab: dict[str, int] = {}
        counted: dict = {}
        self.sentence_stats = TermStats.of(seqs, vocab, counted)
        self.passage_stats = TermStats.of(passage_terms, vocab, counted)
        self.vocab = list(vocab)

    def heavy(self, row: int) -> tuple:
        """(terms, seq, words, bigrams, context, facts, where) of a local row, made at its first reading."""
        if self._seqs is None:
            self._unpack()
        h = self._heavy[row]  # None, or a long row's saved SentenceFacts, until the row's tuple is made
        if h is None or type(h) is not tuple:
            s, p = self.layout[row][0], self.layout[row][1]
            seq = self._seqs[row]
            facts = sentence_facts(self.article.text[s.start:s.end]) if h is None else h
            terms = frozenset(seq)
            # Context: own terms plus the neighbours' in the same paragraph (for pronoun-linked answers).
            ctx = set(terms)
            if row > 0 and self.layout[row - 1][1] == p:
                ctx.update(self._seqs[row - 1])
            if row + 1 < len(self._seqs) and self.layout[row + 1][1] == p:
                ctx.update(self._seqs[row + 1])
            h = self._heavy[row] = (terms, seq, frozenset(facts.words), _bigrams(seq), frozenset(ctx), facts,
                                    positions(facts))
        return h

    def compact(self) -> bytes:
        """What is saved of the rows, packed in one bytes object (unpacked when a question first reads the
        article, so that loading a saved index makes no per-row objects): their terms in order, and the
        facts of long rows (LONG_ROW); the rest is made again when read."""
        if self._packed is None:
            long_facts = {}
            for row, seq in enumerate(self._seqs):
                if len(seq) >= LONG_ROW:
                    f = self.heavy(row)[5]
                    long_facts[row] = (f.words, f.terms, f.tags, f.has_reason)
            self._packed = pickle.dumps((self._seqs, long_facts), protocol=pickle.HIGHEST_PROTOCOL)
        return self._packed

    def _unpack(self) -> None:
        seqs, long_facts = pickle.loads(self._packed)
        heavy: list = [None] * len(seqs)
        for row, (words, terms, tags, has_reason) in long_facts.items():  # made at the first reading from these
            typed = {t: tuple(i for i, tags_i in enumerate(tags) if t in tags_i) for t in TYPES}
            heavy[row] = SentenceFacts(words=words, terms=terms, tags=tags, has_reason=has_reason, typed=typed)
        self._heavy, self._seqs = heavy, seqs

    def rows_overlapping(self, start: int, end: int) -> range | None:
        """The local rows whose sentences overlap text[start:end]; None if the rows are not in text order."""
        if self.bounds is None:
            return None
        starts, ends = self.bounds
        return range(bisect_right(ends, start), bisect_left(starts, end))

    def __reduce__(self):
        return _article_index, (self.article, self.layout, self.paragraphs, self.vocab, self.sentence_stats,
                                self.passage_stats, self.compact())

    def place(self, a_idx: int, p_off: int, r_off: int) -> tuple[list[Passage], list[SentenceRow]]:
        """This article's passages and (light) rows at the given positions in a SearchIndex."""
        placed = self._placed
        if placed is not None and placed[0] == (a_idx, p_off, r_off):
            return placed[1], placed[2]
        new = object.__new__
        p_article, p_paragraph, p_sentences = _P_SETTERS
        passages = []
        for number, rows in self.paragraphs:  # a paragraph's rows are consecutive
            passage = new(Passage)
            p_article(passage, a_idx)
            p_paragraph(passage, number)
            p_sentences(passage, tuple(range(r_off + rows[0], r_off + rows[-1] + 1)))
            passages.append(passage)
        set_article, set_sentence, set_passage = _SETTERS["article"], _SETTERS["sentence"], _SETTERS["passage"]
        set_first, set_kind, set_part, set_local = _SETTERS["first"], _SETTERS["kind"], _SETTERS["part"], _SETTERS["local"]
        rows = []
        for k, (s, p, first, kind) in enumerate(self.layout):
            row = new(SentenceRow)
            set_article(row, a_idx)
            set_sentence(row, s)
            set_passage(row, p_off + p)
            set_first(row, first)
            set_kind(row, kind)
            set_part(row, self)
            set_local(row, k)
            rows.append(row)
        self._placed = ((a_idx, p_off, r_off), passages, rows)
        return passages, rows

    def release(self) -> None:
        """Forget the placed rows (they point back here): call when no index uses this part any more, so
        that reference counting frees the article's rows at once instead of a full collection later."""
        self._placed = None


def _article_index(article, layout, paragraphs, vocab, sentence_stats, passage_stats, packed) -> ArticleIndex:
    part = object.__new__(ArticleIndex)
    part.article, part.layout, part.paragraphs, part.vocab = article, layout, paragraphs, vocab
    part.sentence_stats, part.passage_stats = sentence_stats, passage_stats
    part._seqs, part._heavy, part._packed, part._placed = None, None, packed, None
    _derive(part)
    return part


def _derive(part: ArticleIndex) -> None:
    """What is read from the layout often: the rows' text bounds (if in text order) and, per paragraph kind,
    its first and last row."""
    starts = [s.start for s, *_ in part.layout]
    ends = [s.end for s, *_ in part.layout]
    ascending = all(a <= b for a, b in zip(starts, starts[1:])) and all(a <= b for a, b in zip(ends, ends[1:]))
    part.bounds = (starts, ends) if ascending else None
    kinds: dict[str, tuple[int, int]] = {}
    for row, (_, _, _, kind) in enumerate(part.layout):
        first = kinds.get(kind, (row, row))[0]
        kinds[kind] = (first, row)
    part.kinds = kinds


def _part_for(article: Article, parts: "dict[int, ArticleIndex] | None") -> ArticleIndex:
    """The article's ArticleIndex from `parts` (keyed by id(article)) if it is for this very
    article or an equal one, else a new one."""
    if parts:
        part = parts.get(id(article))
        if part is not None and (part.article is article or part.article == article):
            return part
    return ArticleIndex(article)
