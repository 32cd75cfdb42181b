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
from .compose import SpeakerSource, _related
from .validate import decline

# A reason found by search, not next to the answer, is a guess about which sentence explains it.
SEARCHED_REASON_CONFIDENCE = 0.6
MIN_REASON_COVERAGE = 0.3  # a searched reason shares at least this much of the last question
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")
_A_PRONOUN = re.compile(r"\b(?:he|she|him|her|his)\b", re.I)
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


def _last_answer(c: Context, read_as: str) -> tuple[int, int, int] | Answer:
    """Where the last answer stands now (article position, start, end), or the decline that says why it can't
    be followed: there was none, or a refresh removed or changed its article since."""
    t = c.turn
    if t.article is None or t.start is None or t.end is None:
        return _nothing_before(c, read_as)
    a_idx = c.article
    if a_idx is None or c.index.articles[a_idx].text[t.start:t.end] != t.text or \
            not c.index.rows_overlapping(a_idx, t.start, t.end):
        return c.read(read_as, decline(c.question, "The article has changed since that answer; ask the question again in full."))
    return a_idx, t.start, t.end


def _sentence_answer(c: Context, a_idx: int, start: int, end: int, confidence: float, read_as: str) -> Answer:
    """The article's text[start:end] (whole sentences of it) as the answer, with its paragraph and speaker."""
    index = c.index
    article = index.articles[a_idx]
    row = next(iter(index.rows_overlapping(a_idx, start, start + 1)))
    paragraph = article.paragraph(index.sentences[row].sentence.paragraph)
    speaker = c.speakers.speaker_of(article.id, start, end) if c.speakers is not None else None
    return Answer(question=c.question, answered=True, confidence=confidence, read_as=read_as,
                  answer=AnswerSpan(text=article.text[start:end], start=start, end=end, article=article.id,
                                    paragraph=paragraph.number, speaker=speaker),
                  excerpt=article.span(paragraph.start, paragraph.end), article_title=article.meta.title)


def _rows_after(c: Context, a_idx: int, end: int) -> list[int]:
    """The body sentences after `end`, in order (headings and bylines answer nothing)."""
    text = c.index.articles[a_idx].text
    rows = c.index.rows_overlapping(a_idx, end, len(text))
    return [r for r in rows if c.index.sentences[r].sentence.start >= end
            and c.index.sentences[r].kind not in ("heading", "byline")]


def _shown(c: Context, row: int) -> bool:
    """Whether the conversation has shown this sentence already."""
    r = c.index.sentences[row]
    art = c.index.articles[r.article].id
    return any(a == art and s < r.sentence.end and r.sentence.start < e for a, s, e in c.turn.seen)


def why(c: Context) -> Answer | None:
    """The sentence after the last answer when it gives a reason; else the best sentence for the last
    question that gives one (a guess, said with middling confidence; the same speaker's, after a quotation);
    else a decline."""
    read_as = f"{_asked(c.turn)} — why?"
    last = _last_answer(c, read_as)
    if isinstance(last, Answer):
        return last
    a_idx, start, end = last
    after = _rows_after(c, a_idx, end)[:1]
    if after and gives_a_reason(_text(c, after[0])) and not _shown(c, after[0]):
        s = c.index.sentences[after[0]].sentence
        return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as)
    q = analyse(c.turn.question)
    shown = set(c.index.rows_overlapping(a_idx, start, end))
    article_id = c.index.articles[a_idx].id
    for scored in c.index.rank(q, limit=10, article=a_idx):
        if scored.row in shown or _shown(c, scored.row) or scored.coverage < MIN_REASON_COVERAGE \
                or not gives_a_reason(_text(c, scored.row)):
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
    last = _last_answer(c, read_as)
    if isinstance(last, Answer):
        return last
    a_idx, _, end = last
    after = _rows_after(c, a_idx, end)
    if not after:
        return c.read(read_as, decline(c.question, "That was the end of the article."))
    s = c.index.sentences[after[0]].sentence
    return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as)


def who_said(c: Context) -> Answer | None:
    """The speaker of the last answer, shown with it; "the article's own words" when it is no quotation."""
    last = _last_answer(c, "Who said the last answer?")
    if isinstance(last, Answer):
        return last
    a_idx, start, end = last
    short = as_quotation(c.index.articles[a_idx].text[start:end])
    short = short if len(short) <= SHORT_QUOTE else short[:SHORT_QUOTE].rsplit(" ", 1)[0] + "…"
    read_as = f"Who said “{short}”?"
    a = _sentence_answer(c, a_idx, start, end, 1.0, read_as)
    if a.answer is not None and a.answer.speaker is None:
        return a.model_copy(update={"note": OWN_WORDS})
    return a


def what_else(c: Context) -> Answer | None:
    """The next of that person's quotations not shown yet in this conversation."""
    person = _person(c)
    if person is None:
        return c.read(c.question, decline(c.question, "Whose words do you mean? Ask with the person's name."))
    read_as = f"What else did {person.name} say?"
    seen = set(c.turn.seen)
    positions = {a.id: i for i, a in enumerate(c.index.articles)}
    for quote in person.quotes:
        a_idx = positions.get(quote.article)
        if a_idx is None or any(art == quote.article and s < quote.end and quote.start < e for art, s, e in seen):
            continue
        rows = list(c.index.rows_overlapping(a_idx, quote.start, quote.end))
        if rows:
            s = c.index.sentences[rows[0]].sentence
            return _sentence_answer(c, a_idx, s.start, s.end, 1.0, read_as)
    return c.read(read_as, decline(c.question, f"That is all the article quotes {person.name} saying."))


def swap(c: Context) -> Answer | None:
    """The last question with its subject replaced (None, a question of its own, when it already holds it)."""
    subject = c.follow.subject or ""
    if not tokenize(subject):
        return None
    new_person = c.speakers.person_in(subject, opinion=False) if c.speakers is not None else None
    old_person = c.speakers.person_in(c.turn.question, opinion=False) if c.speakers is not None else None
    words = _name_words(old_person) if old_person is not None else frozenset()
    read_as = swap_subject(c.turn.question, subject, words, new_person is not None)
    return c.read(read_as, c.ask(read_as)) if read_as is not None else None


def pronoun(c: Context) -> Answer | None:
    """"What did she say about Europe?": the question with the conversation's person named, when it names
    no one itself ("Is Trump sure he will win?" keeps its "he")."""
    person = _person(c)
    if person is None or _named_before_the_pronoun(c.question) or \
            (c.speakers is not None and c.speakers.person_in(c.question, opinion=False) is not None):
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
    """The person the conversation is about: the last answer's speaker, else the quoted person the last
    question named, else the one before."""
    if c.speakers is None:
        return None
    if c.turn.speaker is None:
        named = c.speakers.person_in(c.turn.question, opinion=False)
        if named is not None:
            return named
    name = c.turn.speaker or c.turn.person
    return next((e for e in c.speakers.experts if e.name == name), None) if name else None


def _named_before_the_pronoun(question: str) -> bool:
    """A capitalised word (not the first) before the first he/she/him/her/his: the question names whom its
    pronoun stands for itself ("Is Trump sure he will win?")."""
    m = _A_PRONOUN.search(question)
    before = question[:m.start()] if m else question
    return any(w.start() > 0 and before[:w.start()].strip() for w in _CAPITALISED.finditer(before))


def _name_words(person: Expert) -> frozenset[str]:
    return frozenset(fold(w) for n in (person.name, *person.aliases) for w in n.split())
