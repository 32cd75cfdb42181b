"""What one article contributes to a search index, computed once per article and reused by every index
that holds it: its sentence rows and passages (light until first read), term statistics and packed facts."""

from __future__ import annotations

from __future__ import annotations
import pickle
from dataclasses import dataclass, field
from .bm25 import TermStats
from .facts import TYPES, Positions, SentenceFacts, positions, sentence_facts
from ..models import Article, Sentence


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
    (Paragraph.number, local rows) per passage. The term fields of each row (`heavy`) are kept
    in memory once computed and saved compactly (`compact`): a saved index is loaded without
    rebuilding them, and a row's are unpacked the first time a question reads that row.
    """

    __slots__ = ("article", "layout", "paragraphs", "vocab", "sentence_stats", "passage_stats", "_heavy", "_compact",
                 "_placed", "__weakref__")

    def __init__(self, article: Article):
        self.article = article
        self.layout: list[tuple[Sentence, int, bool, str]] = []
        self.paragraphs: list[tuple[int, tuple[int, ...]]] = []
        by_paragraph: dict[int, list[int]] = {}
        for sentence in article.sentences:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence.number)
        heavy: list[tuple] = []
        passage_terms: list[list[str]] = []
        sentence_terms: list[list[str]] = []
        for paragraph in article.paragraphs:
            numbers = by_paragraph.get(paragraph.number, [])
            if not numbers:
                continue
            p_local = len(self.paragraphs)
            rows = []
            p_terms: list[str] = []
            for k, n in enumerate(numbers):
                s = article.sentences[n]
                facts = sentence_facts(article.text[s.start:s.end])
                # Its words and terms, as tokenize() and words() give them: those of the same WORD_RE matches.
                terms = [t for t in facts.terms if t is not None]
                p_terms.extend(terms)
                rows.append(len(self.layout))
                sentence_terms.append(terms)
                self.layout.append((s, p_local, k == 0, paragraph.kind))
                heavy.append((frozenset(terms), tuple(terms), frozenset(facts.words), _bigrams(terms), None, facts,
                              positions(facts)))
            passage_terms.append(p_terms if len(numbers) > 1 else sentence_terms[-1])  # one sentence: the same list
            self.paragraphs.append((paragraph.number, tuple(rows)))
        # Context = own terms plus the neighbours' in the same paragraph (for pronoun-linked answers).
        for _, rows in self.paragraphs:
            for k, r in enumerate(rows):
                ctx = set(heavy[r][0])
                for n in rows[max(0, k - 1):k + 2]:
                    ctx |= heavy[n][0]
                h = heavy[r]
                heavy[r] = (h[0], h[1], h[2], h[3], frozenset(ctx), h[5], h[6])
        self._heavy: list[tuple] | None = heavy
        self._compact: bytes | None = None
        self._placed = None
        vocab: dict[str, int] = {}
        counted: dict = {}
        self.sentence_stats = TermStats.of(sentence_terms, vocab, counted)
        self.passage_stats = TermStats.of(passage_terms, vocab, counted)
        self.vocab = list(vocab)

    def heavy(self, row: int) -> tuple:
        """(terms, seq, words, bigrams, context, facts, where) of a local row."""
        heavy = self._heavy
        if heavy is None:
            heavy = self._heavy = _unpack(self._compact, self.layout)
        return heavy[row]

    def compact(self) -> bytes:
        """The term fields of all rows, as saved: each row's terms in order and its facts without
        what can be derived (sets, bigrams, context, typed positions)."""
        if self._compact is None:
            self._compact = pickle.dumps(
                [(h[1], h[2] if h[2] != frozenset(h[5].words) else None, h[5].words, h[5].terms, h[5].tags,
                  h[5].has_reason) for h in self._heavy],
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        return self._compact

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


def _article_index(article, layout, paragraphs, vocab, sentence_stats, passage_stats, compact) -> ArticleIndex:
    part = object.__new__(ArticleIndex)
    part.article, part.layout, part.paragraphs, part.vocab = article, layout, paragraphs, vocab
    part.sentence_stats, part.passage_stats = sentence_stats, passage_stats
    part._heavy, part._compact, part._placed = None, compact, None
    return part


def _unpack(compact: bytes, layout: list[tuple]) -> list[tuple]:
    packed = pickle.loads(compact)
    heavy: list[tuple] = []
    for seq, surface, f_words, f_terms, tags, has_reason in packed:
        typed = {t: tuple(i for i, tags_i in enumerate(tags) if t in tags_i) for t in TYPES}
        facts = SentenceFacts(words=f_words, terms=f_terms, tags=tags, has_reason=has_reason, typed=typed)
        heavy.append((frozenset(seq), seq, surface if surface is not None else frozenset(f_words),
                      _bigrams(seq), None, facts, positions(facts)))
    # Context: own terms plus the neighbours' in the same paragraph.
    n = len(heavy)
    for r in range(n):
        p = layout[r][1]
        ctx = set(heavy[r][0])
        if r > 0 and layout[r - 1][1] == p:
            ctx |= heavy[r - 1][0]
        if r + 1 < n and layout[r + 1][1] == p:
            ctx |= heavy[r + 1][0]
        h = heavy[r]
        heavy[r] = (h[0], h[1], h[2], h[3], frozenset(ctx), h[5], h[6])
    return heavy


def _part_for(article: Article, parts: "dict[int, ArticleIndex] | None") -> ArticleIndex:
    """The article's ArticleIndex from `parts` (keyed by id(article)) if it is for this very
    article or an equal one, else a new one."""
    if parts:
        part = parts.get(id(article))
        if part is not None and (part.article is article or part.article == article):
            return part
    return ArticleIndex(article)
