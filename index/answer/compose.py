"""An Answer from the chosen sentence: the verbatim text (with a neighbour when the question's words are
split between them), its position, excerpt, speaker and confidence; and the candidates shown beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..models import Answer, AnswerSpan, Candidate, Expert, Speaker
from ..question import Question
from ..retrieval.search import Around, Scored, SearchIndex
from .confidence import Evidence, probability

RELATED = 3
# Add the neighbouring sentence when it holds at least this much more of the question's terms.
PAIR_GAIN = 0.3
# ... or completes it: each sentence holds some of the question, the two hold all of it.
PAIR_GAIN_COMPLETE = 0.15
_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|without)\b|n[’']t\b", re.I)
_REFERS_BACK = re.compile(r"\b(?:he|him|his|she|her|it|its|they|them|their|this|that|these|those)\b", re.I)


class SpeakerSource(Protocol):
    """What the answering core needs from attribution (index.quotes.attribution provides it)."""

    def speaker_of(self, article: str, start: int, end: int) -> Speaker | None: ...

    def speakers_of(self, spans: list[tuple[str, int, int]]) -> list[Speaker | None]: ...

    def person_in(self, question: str, *, opinion: bool = True) -> Expert | None: ...

    @property
    def experts(self) -> list[Expert]: ...


@dataclass(frozen=True)
class Ranked:
    """How a sentence answer was chosen by the ranker, for its fitted confidence (index.answer.confidence)."""

    second: Scored | None  # the next-ranked sentence, if any
    of_person: bool = False  # chosen among a quoted person's words


def _rule_confidence(best: Scored) -> float:
    """The confidence of a sentence chosen by rule (the lead, the byline, a description): its Scored is set by
    the strategy, not measured, so this says how sure the rule is."""
    return round(min(1.0, 0.8 * best.coverage + 0.2 * best.type_match), 3)


def _fitted_confidence(q: Question, best: Scored, ranked: Ranked, around: Around, own: float, pair: bool) -> float:
    """The probability that the answer is right (index.answer.confidence), from what is known of it."""
    second = ranked.second
    return probability(Evidence(
        coverage=best.coverage, own=own, type_match=best.type_match,
        second_coverage=second.coverage if second is not None else 0.0,
        score_margin=best.score - second.score if second is not None else float("inf"),
        terms=len(q.unique_terms), unknown=around.unknown, pair=pair, answer_type=q.answer_type,
        of_person=ranked.of_person, bigrams=around.bigrams, words=around.words, length=around.length,
        missing_max=around.missing_max, missing_known=around.missing_known,
        negated=_NEGATION.search(q.text) is not None))


def _compose(
    index: SearchIndex, q: Question, best: Scored, others: list[Scored], speakers: SpeakerSource | None, pair: bool = True,
    ranked: Ranked | None = None,
) -> Answer:
    """The Answer from the sentence `best` (and a neighbour, with `pair`); `ranked`: how the ranker chose it, for
    a fitted confidence (without it the sentence was chosen by rule)."""
    row = index.sentences[best.row]
    article = index.articles[row.article]
    start, end = row.sentence.start, row.sentence.end
    around = index.around(q, best.row) if pair or ranked is not None else None
    own, paired = (around.own if around is not None else 0.0), False
    if pair and around is not None and around.pairs:
        # Two sentences when the question's words are split between them: "Why could Putin be
        # arrested?" -> "Putin is wanted by the ICC ..." + "... not obligated to arrest him."
        # On a tie, a sentence that refers back ("arrest *him*") takes the one before it.
        back = _REFERS_BACK.search(article.text[start:end]) is not None
        both, _, n = max((both, (n < best.row) == back, n) for n, both in around.pairs)
        if both - own >= PAIR_GAIN or (both >= 0.99 and both - own >= PAIR_GAIN_COMPLETE):
            start = min(start, index.sentences[n].sentence.start)
            end = max(end, index.sentences[n].sentence.end)
            own, paired = both, True
    if ranked is not None and around is not None:
        confidence = _fitted_confidence(q, best, ranked, around, own, paired)
    else:
        confidence = _rule_confidence(best)
    paragraph = article.paragraph(row.sentence.paragraph)
    spans = [(article.id, start, end), *(_span(index, s.row) for s in others)]
    found = speakers.speakers_of(spans) if speakers else [None] * len(spans)
    return Answer(
        question=q.text,
        answered=True,
        confidence=confidence,
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
