"""Follow-ups: a question read with the turn before it (index.conversation), as strategies tried by kind.

Each takes the follow-up, the turn before and the index, and returns the Answer (with `read_as`, the
question it was read as) or None, when the question is best answered on its own. A follow-up about the
last answer ("why?", "tell me more", "who said that?") when there was none is declined, saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..conversation import FollowUp, Turn, read_follow_up
from ..conversation.followups import name_the_pronoun, swap_subject
from ..lexicon.reasons import REASON_PHRASES
from ..models import Answer, AnswerSpan, Expert
from ..question import analyse
from ..retrieval.search import SearchIndex
from ..text.display import as_quotation
from ..text.tokenize import fold, tokenize
from .compose import SpeakerSource, _candidate, _related
from .validate import decline

# A reason found by search, not next to the answer, is a guess about which sentence explains it.
SEARCHED_REASON_CONFIDENCE = 0.6
SHORT_QUOTE = 80
_REASON = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(REASON_PHRASES, key=len, reverse=True)) + r")\b", re.I)
OWN_WORDS = "No one is quoted saying it: these are the article's own words."


@dataclass
class Context:
    index: SearchIndex
    question: str  # as asked: "why?"
    follow: FollowUp
    turn: Turn
    speakers: SpeakerSource | None
    scope: int | None
    ask: Callable[[str], Answer]  # a question of its own, answered through the usual strategies

    @property
    def article(self) -> int | None:
        """The position of the last answer's article, if it is still indexed."""
        return next((i for i, a in enumerate(self.index.articles) if a.id == self.turn.article), None)

    def read(self, read_as: str, a: Answer) -> Answer:
        return a.model_copy(update={"question": self.question, "read_as": read_as})


def _nothing_before(c: Context, read_as: str) -> Answer:
    return c.read(read_as, decline(c.question, "The last question had no answer to follow up; ask it in full."))


def _sentence_answer(c: Context, a_idx: int, start: int, end: int, confidence: float, read_as: str,
                     others: list[int] = ()) -> Answer:  # type: ignore[assignment]
    """The article's text[start:end] as the answer, with its paragraph, speaker and `others` (rows) beside it."""
    index = c.index
    article = index.articles[a_idx]
    rows = list(index.rows_overlapping(a_idx, start, start + 1))
    paragraph = article.paragraph(index.sentences[rows[0]].sentence.paragraph)
    spans = [(article.id, start, end), *((article.id, index.sentences[r].sentence.start, index.sentences[r].sentence.end)
                                          for r in others)]
    found = c.speakers.speakers_of(spans) if c.speakers is not None else [None] * len(spans)
    return Answer(question=c.question, answered=True, confidence=confidence, read_as=read_as,
                  answer=AnswerSpan(text=article.text[start:end], start=start, end=end, article=article.id,
                                    paragraph=paragraph.number, speaker=found[0]),
                  excerpt=article.span(paragraph.start, paragraph.end), article_title=article.meta.title,
                  related=[_candidate(index, r, 1.0, s) for r, s in zip(others, found[1:])])


def _rows_after(c: Context, a_idx: int) -> list[int]:
    """The body sentences after the last answer, in order (headings and bylines answer nothing)."""
    text = c.index.articles[a_idx].text
    rows = c.index.rows_overlapping(a_idx, c.turn.end or 0, len(text))
    return [r for r in rows if c.index.sentences[r].sentence.start >= (c.turn.end or 0)
            and c.index.sentences[r].kind not in ("heading", "byline")]


def why(c: Context) -> Answer | None:
    """The sentence after the last answer when it gives a reason; else the best sentence for the last
    question that gives one (a guess, said with middling confidence); else a decline."""
    read_as = f"{_asked(c.turn)} — why?"
    a_idx = c.article
    if a_idx is None or c.turn.start is None:
        return _nothing_before(c, read_as)
    after = _rows_after(c, a_idx)[:1]
    if after and gives_a_reason(_text(c, after[0])):
        s = c.index.sentences[after[0]].sentence
        return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as)
    q = analyse(c.turn.question)
    shown = set(c.index.rows_overlapping(a_idx, c.turn.start, c.turn.end or c.turn.start))
    article_id = c.index.articles[a_idx].id
    for scored in c.index.rank(q, limit=10, article=a_idx):
        if scored.row in shown or scored.coverage <= 0 or not gives_a_reason(_text(c, scored.row)):
            continue
        s = c.index.sentences[scored.row].sentence
        if c.turn.speaker is not None:  # why someone thinks so is in their own words, not in another's
            said = c.speakers.speaker_of(article_id, s.start, s.end) if c.speakers is not None else None
            if said is None or said.name != c.turn.speaker:
                continue
        return _sentence_answer(c, a_idx, s.start, s.end, round(min(SEARCHED_REASON_CONFIDENCE, scored.coverage), 3), read_as)
    return c.read(read_as, decline(c.question, "The article doesn't say why.", _related(c.index, q, a_idx)))


def more(c: Context) -> Answer | None:
    """The sentence after the last answer."""
    read_as = f"{_asked(c.turn)} — tell me more"
    a_idx = c.article
    if a_idx is None or c.turn.end is None:
        return _nothing_before(c, read_as)
    after = _rows_after(c, a_idx)
    if not after:
        return c.read(read_as, decline(c.question, "That was the end of the article."))
    s = c.index.sentences[after[0]].sentence
    return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as, others=after[1:3])


def who_said(c: Context) -> Answer | None:
    """The speaker of the last answer, shown with it; "the article's own words" when it is no quotation."""
    a_idx = c.article
    if a_idx is None or c.turn.start is None or c.turn.end is None:
        return _nothing_before(c, "Who said the last answer?")
    text = c.index.articles[a_idx].text[c.turn.start:c.turn.end]
    short = as_quotation(text)
    short = short if len(short) <= SHORT_QUOTE else short[:SHORT_QUOTE].rsplit(" ", 1)[0] + "…"
    read_as = f"Who said “{short}”?"
    a = _sentence_answer(c, a_idx, c.turn.start, c.turn.end, 1.0, read_as)
    if a.answer is not None and a.answer.speaker is None:
        return a.model_copy(update={"note": OWN_WORDS})
    return a


def what_else(c: Context) -> Answer | None:
    """The next of that person's quotations not shown yet in this conversation."""
    person = _person(c)
    if person is None:
        return None
    read_as = f"What else did {person.name} say?"
    seen = set(c.turn.seen)
    positions = {a.id: i for i, a in enumerate(c.index.articles)}
    rest = []
    for quote in person.quotes:
        a_idx = positions.get(quote.article)
        if a_idx is None or any(art == quote.article and s < quote.end and quote.start < e for art, s, e in seen):
            continue
        rows = list(c.index.rows_overlapping(a_idx, quote.start, quote.end))
        if rows and rows[0] not in (r for _, r in rest):
            rest.append((a_idx, rows[0]))
    if not rest:
        return c.read(read_as, decline(c.question, f"That is all the article quotes {person.name} saying."))
    a_idx, row = rest[0]
    s = c.index.sentences[row].sentence
    return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as,
                            others=[r for i, r in rest[1:3] if i == a_idx])


def swap(c: Context) -> Answer | None:
    """The last question with its subject replaced."""
    subject = c.follow.subject or ""
    if not tokenize(subject):
        return None
    new_person = c.speakers.person_in(subject, opinion=False) if c.speakers is not None else None
    old_person = c.speakers.person_in(c.turn.question) if c.speakers is not None else None
    words = _name_words(old_person) if old_person is not None else frozenset()
    read_as = swap_subject(c.turn.question, subject, words, new_person is not None)
    return c.read(read_as, c.ask(read_as))


def pronoun(c: Context) -> Answer | None:
    """"What did she say about Europe?": the question with the conversation's person named."""
    person = _person(c)
    if person is None or (c.speakers is not None and c.speakers.person_in(c.question) is not None):
        return None
    read_as = name_the_pronoun(c.question, person.name)
    return c.read(read_as, c.ask(read_as))


FOLLOW_UP_STRATEGIES: dict[str, Callable[[Context], Answer | None]] = {
    "why": why, "more": more, "who_said": who_said, "what_else": what_else, "swap": swap, "pronoun": pronoun,
}


def answer_follow_up(index: SearchIndex, question: str, turn: Turn, speakers: SpeakerSource | None, scope: int | None,
                     ask: Callable[[str], Answer]) -> Answer | None:
    """The answer to `question` read with `turn`, or None when it is a question of its own."""
    follow = read_follow_up(question)
    if follow is None:
        return None
    return FOLLOW_UP_STRATEGIES[follow.kind](Context(index, question, follow, turn, speakers, scope, ask))


def gives_a_reason(sentence: str) -> bool:
    return _REASON.search(sentence) is not None


def _asked(turn: Turn) -> str:
    """The conversation's question as the start of a reading: "What does bockowski think about europe"."""
    q = turn.question.strip().rstrip(" ?!.")
    return q[:1].upper() + q[1:]


def _text(c: Context, row: int) -> str:
    r = c.index.sentences[row]
    return c.index.articles[r.article].text[r.sentence.start:r.sentence.end]


def _person(c: Context) -> Expert | None:
    """The person the conversation is about (the last answer's speaker, or the one last asked about)."""
    if c.turn.person is None or c.speakers is None:
        return None
    return next((e for e in c.speakers.experts if e.name == c.turn.person), None)


def _name_words(person: Expert) -> frozenset[str]:
    return frozenset(fold(w) for n in (person.name, *person.aliases) for w in n.split())
