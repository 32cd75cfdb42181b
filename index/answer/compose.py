"""An Answer from the chosen sentence: the verbatim text (with a neighbour when the question's words are
split between them), its position, excerpt, speaker and confidence; and the candidates shown beside it."""

from __future__ import annotations

import re
from typing import Protocol

from ..models import Answer, AnswerSpan, Candidate, Expert, Speaker
from ..question import Question
from ..retrieval.search import Scored, SearchIndex

RELATED = 3
# Add the neighbouring sentence when it holds at least this much more of the question's terms.
PAIR_GAIN = 0.3
# ... or completes it: each sentence holds some of the question, the two hold all of it.
PAIR_GAIN_COMPLETE = 0.15
_REFERS_BACK = re.compile(r"\b(?:he|him|his|she|her|it|its|they|them|their|this|that|these|those)\b", re.I)


class SpeakerSource(Protocol):
    """What the answering core needs from attribution (index.quotes.attribution provides it)."""

    def speaker_of(self, article: str, start: int, end: int) -> Speaker | None: ...

    def speakers_of(self, spans: list[tuple[str, int, int]]) -> list[Speaker | None]: ...

    def person_in(self, question: str, *, opinion: bool = True) -> Expert | None: ...

    @property
    def experts(self) -> list[Expert]: ...


def _confidence(best: Scored) -> float:
    return round(min(1.0, 0.8 * best.coverage + 0.2 * best.type_match), 3)


def _compose(
    index: SearchIndex, q: Question, best: Scored, others: list[Scored], speakers: SpeakerSource | None, pair: bool = True
) -> Answer:
    row = index.sentences[best.row]
    article = index.articles[row.article]
    start, end = row.sentence.start, row.sentence.end
    if pair:
        # Two sentences when the question's words are split between them: "Why could Putin be
        # arrested?" -> "Putin is wanted by the ICC ..." + "... not obligated to arrest him."
        own, pairs = index.neighbour_coverage(q, best.row)
        if pairs:
            # On a tie, a sentence that refers back ("arrest *him*") takes the one before it.
            back = _REFERS_BACK.search(article.text[start:end]) is not None
            both, _, n = max((both, (n < best.row) == back, n) for n, both in pairs)
            if both - own >= PAIR_GAIN or (both >= 0.99 and both - own >= PAIR_GAIN_COMPLETE):
                start = min(start, index.sentences[n].sentence.start)
                end = max(end, index.sentences[n].sentence.end)
    paragraph = article.paragraph(row.sentence.paragraph)
    spans = [(article.id, start, end), *(_span(index, s.row) for s in others)]
    found = speakers.speakers_of(spans) if speakers else [None] * len(spans)
    return Answer(
        question=q.text,
        answered=True,
        confidence=_confidence(best),
        answer=AnswerSpan(
            text=article.text[start:end],
            start=start,
            end=end,
            article=article.id,
            paragraph=paragraph.number,
            speaker=found[0],
        ),
        excerpt=article.span(paragraph.start, paragraph.end),
        related=[_candidate(index, s.row, s.score, speaker) for s, speaker in zip(others, found[1:])],
        article_title=article.meta.title,
    )


def _span(index: SearchIndex, row_idx: int) -> tuple[str, int, int]:
    row = index.sentences[row_idx]
    return index.articles[row.article].id, row.sentence.start, row.sentence.end


def _candidate(index: SearchIndex, row_idx: int, score: float, speaker: Speaker | None) -> Candidate:
    row = index.sentences[row_idx]
    article = index.articles[row.article]
    s = row.sentence
    return Candidate(
        text=article.text[s.start:s.end],
        start=s.start,
        end=s.end,
        article=article.id,
        paragraph=s.paragraph,
        score=round(score, 4),
        speaker=speaker,
    )


def _candidates(index: SearchIndex, scored: list[Scored], speakers: SpeakerSource | None) -> list[Candidate]:
    """The candidates shown beside a decline, with their speakers (looked up together)."""
    found = speakers.speakers_of([_span(index, s.row) for s in scored]) if speakers else [None] * len(scored)
    return [_candidate(index, s.row, s.score, speaker) for s, speaker in zip(scored, found)]


def _related(index: SearchIndex, q: Question, scope: int | None) -> list[Candidate]:
    """The closest passages, offered instead of an answer when the article doesn't say."""
    out = []
    for p_idx, score in index.top_passages(q, RELATED, scope):
        passage = index.passages[p_idx]
        article = index.articles[passage.article]
        para = article.paragraph(passage.paragraph)
        out.append(Candidate(
            text=article.text[para.start:para.end], start=para.start, end=para.end,
            article=article.id, paragraph=para.number, score=round(score, 4), speaker=None,
        ))
    return out
