"""The answer kinds, as strategies tried in a declared order (STRATEGIES): each looks at the question and
answers it, declines it, or passes (None) to the next. The last, `general`, always answers or declines.

    lead         "What is this article about?": the first sentence of the first body paragraph
    byline       "Who wrote it?": the byline, or the author the page credits when the text has none
    published    "When was it published?": the date the article's page gives, said as the page's
    people       "Who is quoted?": the people quoted, with how the article describes them
    no_terms     nothing left to search for: "The article doesn't say."
    description  "Where does Brunner work?": the sentence that describes the quoted person
    persons_words  "What does Bockowski think about Europe?": the best of their quotations, or reported speech
    general      the best-ranked sentence that covers the question and holds the asked-for type
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from ..lexicon.speech import ASKING_FOR_WORDS, SAYING_WORDS
from ..models import Answer, Expert, PageFact, PersonQuoted
from ..question import TYPE_REQUIRED, Question
from ..retrieval.search import RankRequest, Ranking, Scored, SearchIndex
from ..text.spelling import is_english_word
from ..text.tokenize import tokenize
from .compose import RELATED, Ranked, SpeakerSource, _candidates, _compose, _related
from .validate import decline

# Below this idf-weighted share of the question's terms found around the best sentence,
# the article is taken not to cover the question. Fitted with questions from other
# SQuAD articles as off-topic questions (scripts/eval.py), not on the shipped article.
MIN_COVERAGE = 0.5
# A sentence of the asked-for type (a number for "how much") may cover a little less.
MIN_COVERAGE_TYPED = 0.4
# Between answering and declining: the best two sentences are shown as alternatives ("the article may answer it
# in one of these") when the second's ranker score is within CLOSE_MARGIN of the best's, or when the best
# holds too little of the question to answer but at least ALTERNATIVE_COVERAGE (the second too). Measured on
# SQuAD (scripts/eval.py): the answer or an alternative holds the gold answer for 80.7% of answerable
# questions against 72.1% answered right before; answered right falls to 68.2%, since a close call is
# no longer given as one sentence; at a margin under 0.5 the best was right for only 44-56%.
CLOSE_MARGIN = 0.5
ALTERNATIVE_COVERAGE = 0.35
_ALTERNATIVE_KINDS = frozenset(("body", "bullet", "interview"))
# With several articles, another article's best within this of the answer's score is named beside it.
OTHER_ARTICLE_MARGIN = 2.0
# The types a sentence must hold to answer are the table's (question.types, `required`); money only for
# "how much": "What do his mistakes cost?" may be answered in words ("more than they cost him").
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
# Words asking for someone's words ("What does Bockowski *think*?") and verbs of saying a quotation's own
# sentence may use ("She *emphasized* that ..."), as index terms (index.lexicon.speech).
_SPEECH_TERMS = frozenset(tokenize(" ".join(ASKING_FOR_WORDS)))
_SAYING_TERMS = frozenset(tokenize(" ".join(SAYING_WORDS)))
RANK_LIMIT = 1 + RELATED  # the answer and the candidates shown beside it


@dataclass
class Asked:
    """One question on its way through the strategies: what was asked, of which index, in which scope."""

    index: SearchIndex
    question: str  # as asked
    q: Question  # analysed once
    speakers: SpeakerSource | None
    scope: int | None  # the article asked about, by position, if one was named

    @cached_property
    def ranking(self) -> Ranking:
        """The index's one answer for this question: the question as searched (typos fixed to index terms,
        verbs of saying no article uses dropped), the best sentences, and for a quoted person the best of
        their quotations for the rest of the question."""
        # "What do analysts *think*?": a verb asking for someone's words that no article uses is not searched
        # for ("Analysts at Peel Hunt said ..."); one they do use is ("I think Putin will ...").
        person = self.person
        return self.index.ranking(RankRequest(
            self.q, is_english_word, _SPEECH_TERMS, RANK_LIMIT, self.scope, who_is=self.q.intent == "who_is",
            spans=tuple((quote.article, quote.start, quote.end) for quote in person.quotes) if person else (),
            drop=_names_and_asking(person) if person else frozenset()))

    @cached_property
    def person(self) -> Expert | None:
        """The quoted person the question asks about, if any."""
        return self.speakers.person_in(self.question) if self.speakers is not None else None


@dataclass(frozen=True)
class Strategy:
    name: str
    run: Callable[[Asked], Answer | None]


def lead(asked: Asked) -> Answer | None:
    """The lead of the article the question is about: the first sentence of its first body paragraph,
    which in a news article says what the story is."""
    if asked.q.intent != "about":
        return None
    index = asked.index
    leads = index.rows_of_kind("body", last=False)
    about = _article_asked_about(index, asked.q, list(leads), asked.scope)
    if about is None:
        return None
    return _compose(index, asked.q, Scored(leads[about], 1.0, 1.0, 1.0), [], asked.speakers, pair=False)


def byline(asked: Asked) -> Answer | None:
    """The byline of the article the question is about; a web page names its author in its metadata, not
    always in the text. With several articles and none named, the reply asks which."""
    if asked.q.intent != "author":
        return None
    index, q = asked.index, asked.q
    bylines = index.rows_of_kind("byline", last=True)
    credited = _with_meta(index, "author")
    if asked.scope is None and not _names_an_article(q):
        either = set(bylines) | set(credited)
        if len(either) > 1:
            return _which_article(asked, sorted(either))
    about = _article_asked_about(index, q, list(bylines), asked.scope)
    if about is not None:
        return _compose(index, q, Scored(bylines[about], 1.0, 1.0, 1.0), [], asked.speakers)
    about = _article_asked_about(index, q, credited, asked.scope)
    if about is not None:
        return _page_fact(asked, about, "author", index.articles[about].meta.author or "")
    about = _article_asked_about(index, q, list(range(len(index.articles))), asked.scope)
    row = _tagline(index, about) if about is not None else None
    if row is not None:  # an op-ed's "Rick Scott is the Republican governor of Florida." at its end
        return _compose(index, q, Scored(row, 1.0, 0.9, 1.0), [], asked.speakers, pair=False)
    return None


def published(asked: Asked) -> Answer | None:
    """The date the page of the article asked about gives (a sidecar's or web page's metadata): the text
    itself rarely dates the article, and a date in the story is not the article's."""
    if asked.q.intent != "published":
        return None
    index = asked.index
    dated = _with_meta(index, "published")
    if len(dated) > 1 and asked.scope is None and not _names_an_article(asked.q):
        return _which_article(asked, dated)
    about = _article_asked_about(index, asked.q, dated, asked.scope)
    if about is None:
        return decline(asked.question, "The article's page gives no date, and the text does not date the article.")
    return _page_fact(asked, about, "published", index.articles[about].meta.published or "")


def people(asked: Asked) -> Answer | None:
    """Everyone quoted in the articles (or in the one asked about), most quoted first, each with the
    article's own words describing them."""
    if asked.q.intent != "people" or asked.speakers is None:
        return None
    index = asked.index
    ids = {index.articles[asked.scope].id} if asked.scope is not None else {a.id for a in index.articles}
    quoted = [e for e in asked.speakers.experts if ids & set(e.articles)]
    if not quoted:
        return decline(asked.question, "No one is quoted in the article.")
    quoted.sort(key=lambda e: (-len(e.quotes), e.name))
    lines = [PersonQuoted(name=e.name, description=e.descriptions[0] if e.descriptions else None,
                          articles=[a for a in e.articles if a in ids],
                          quotes=sum(1 for quote in e.quotes if quote.article in ids)) for e in quoted]
    return Answer(question=asked.question, answered=True, confidence=1.0, people=lines)


def no_terms(asked: Asked) -> Answer | None:
    return decline(asked.question, "The article doesn't say.") if not asked.q.terms else None


def description(asked: Asked) -> Answer | None:
    """The sentence that describes the quoted person the question names ("Where does Brunner work?" ->
    "..., said Dr. Lena Brunner, a glaciologist at ETH Zurich who led the study."), or None."""
    if asked.q.intent != "affiliation" or asked.speakers is None:
        return None
    index = asked.index
    person = asked.speakers.person_in(asked.q.text, opinion=False)
    if person is None or not person.descriptions:
        return None
    # "Where ... work?" wants a place of work: a description naming one ("at the University of ...") first.
    described = sorted(person.descriptions, key=lambda d: not _NAMES_A_PLACE.search(d.text))
    for d in described:
        for a_idx, article in enumerate(index.articles):
            if (asked.scope is not None and a_idx != asked.scope) or article.id not in person.articles:
                continue
            if article.text[d.start:d.end] != d.text:
                continue
            rows = index.rows_overlapping(a_idx, d.start, d.start + 1)
            if rows:
                return _compose(index, asked.q, Scored(rows[0], 1.0, 1.0, 1.0), [], asked.speakers, pair=False)
    return None


_NAMES_A_PLACE = re.compile(r"\b(?:at|of|from|with|for)\s+(?:the\s+)?[A-Z]")


def persons_words(asked: Asked) -> Answer | None:
    """"What does Bockowski think about Europe?": his quotations searched for the rest of the question; "What
    does he say?" his first; reported speech that names him ("Before that, Trump argued, he would call
    Zelensky."); or a decline that shows what he did say. None when the question names no quoted person."""
    person = asked.person
    if person is None:
        return None
    index, ranking = asked.index, asked.ranking
    rows, topic, theirs = ranking.within, ranking.topic, ranking.theirs
    if not rows or topic is None:
        return None
    if theirs and _covers(theirs[0]):
        return decide(asked, theirs, of_topic=True, of_person=True)
    if set(topic.terms) <= _SAYING_TERMS:  # "What does Bockowski say / predict?": his first quotation
        return _compose(index, ranking.searched, Scored(min(rows), 1.0, 1.0, 0.0), [], asked.speakers, pair=False)
    names = _name_terms(person)
    ranked = [s for s in ranking.ranked if names & index.sentences[s.row].terms]
    if theirs and not (ranked and _covers(ranked[0])):
        # Asked about what someone said: show what they did say, closest first.
        return decline(asked.question, f"The article doesn't quote {person.name} on that.",
                       _candidates(index, theirs[:RELATED], asked.speakers))
    return decide(asked, ranked, of_person=True) if ranked else None


def general(asked: Asked) -> Answer:
    """The best-ranked sentence; for "who is <name>?", the one that names the person most fully."""
    ranking = asked.ranking
    ranked = ranking.ranked
    if ranking.fullest is not None:  # chosen for naming the person most fully: no close call to show
        ranked = [Scored(ranking.fullest, 1.0, 1.0, 1.0)] + [s for s in ranked if s.row != ranking.fullest][:RELATED]
        return decide(asked, ranked, alternatives=False)
    return decide(asked, ranked)


# In order: the first that answers (or declines) decides.
STRATEGIES: tuple[Strategy, ...] = (
    Strategy("lead", lead), Strategy("byline", byline), Strategy("published", published), Strategy("people", people),
    Strategy("no terms", no_terms),
    Strategy("description", description), Strategy("person's words", persons_words), Strategy("general", general),
)


def decide(asked: Asked, ranked: list[Scored], of_topic: bool = False, alternatives: bool = True,
           of_person: bool = False) -> Answer:
    """Answer with the best of `ranked` (ranked for the question as searched, or for its topic without the
    person's name), or decline: nothing matched, the asked-for type is missing (a "when" with no date), or
    the best sentence holds too little of the question. The answer's confidence is the fitted probability
    that it is right (index.answer.confidence)."""
    index, ranking = asked.index, asked.ranking
    q = ranking.topic if of_topic and ranking.topic is not None else ranking.searched
    scope = asked.scope
    if not ranked:
        return decline(asked.question, "Nothing in the article matches the question.", _related(index, q, scope))
    best = ranked[0]
    type_required = q.answer_type in TYPE_REQUIRED or (q.answer_type == "money" and _HOW_MUCH.search(q.text))
    # A bare number half answers "how many metres"; it does not say how tall something is.
    least = 1.0 if q.answer_type == "measure" else 1e-9
    if type_required and best.type_match < least:
        # the next best that holds one, if it holds enough of the question
        typed = next((s for s in ranked if s.type_match >= least and s.coverage >= MIN_COVERAGE_TYPED), None)
        if typed is None:
            return decline(asked.question, "The article doesn't say.", _related(index, q, scope))
        best, ranked = typed, [typed] + [s for s in ranked if s is not typed]
    # The one an alternative would be: a sentence that could answer too (of the asked-for type, when one is
    # required), not a name line or pull quote repeating the body.
    rival = next((s for s in ranked if s is not best and s.coverage >= ALTERNATIVE_COVERAGE
                  and (not type_required or s.type_match >= least)
                  and index.sentences[s.row].kind in _ALTERNATIVE_KINDS), None) if alternatives else None
    if not _covers(best):
        if rival is not None and best.coverage >= ALTERNATIVE_COVERAGE:
            return _alternatives(asked, q, best, rival)
        return decline(asked.question, "The article doesn't say.", _related(index, q, scope))
    chosen = Ranked(next((s for s in ranked if s is not best), None), of_person)
    section = _section_under(index, best.row)
    if section is not None:  # "What are the key points?" matches the heading; the points are below it
        return _compose(index, q, Scored(section, best.score, best.coverage, best.type_match),
                        [s for s in ranked[1:] if s.row != section], asked.speakers, pair=False, ranked=chosen)
    if rival is not None and best.score - rival.score < CLOSE_MARGIN and index.sentences[best.row].kind in _ALTERNATIVE_KINDS:
        return _alternatives(asked, q, best, rival)
    answer = _compose(index, q, best, ranked[1:], asked.speakers, ranked=chosen)
    other = _other_article(index, best, ranked) if scope is None and len(index.articles) > 1 else None
    return answer.model_copy(update={"note": other}) if other else answer


def _other_article(index: SearchIndex, best: Scored, ranked: list[Scored]) -> str | None:
    """With several articles: when another article's best sentence answers nearly as well, a line naming it."""
    mine = index.sentences[best.row].article
    rival = next((s for s in ranked if index.sentences[s.row].article != mine), None)
    if rival is None or rival.coverage < ALTERNATIVE_COVERAGE or best.score - rival.score >= OTHER_ARTICLE_MARGIN:
        return None
    there = index.articles[index.sentences[rival.row].article]
    here = index.articles[mine]
    return (f"From “{here.meta.title or here.id}”; “{there.meta.title or there.id}” may answer it too "
            f"(ask with article: {there.id}).")


def _alternatives(asked: Asked, q: Question, best: Scored, second: Scored) -> Answer:
    """The best two sentences, each verbatim with its position and speaker, in the order ranked: not an answer."""
    one, two = (_compose(asked.index, q, s, [], asked.speakers, pair=False) for s in (best, second))
    return Answer(question=asked.question, answered=False, confidence=one.confidence,
                  reason="The article may answer it in one of these sentences.",
                  alternatives=[a.answer for a in (one, two) if a.answer is not None], article_title=one.article_title)


def _covers(best: Scored) -> bool:
    """Whether a sentence holds enough of the question to answer it (a little less will do when it holds
    something of the asked-for type)."""
    return best.coverage >= (MIN_COVERAGE_TYPED if best.type_match >= 1.0 else MIN_COVERAGE)


def _section_under(index: SearchIndex, row: int) -> int | None:
    """For a heading, the first sentence of the text under it (None for any other sentence, or a
    heading with nothing under it): a heading names a section, it answers nothing itself."""
    if index.sentences[row].kind != "heading":
        return None
    article = index.sentences[row].article
    for r in range(row + 1, len(index.sentences)):
        below = index.sentences[r]
        if below.article != article:
            return None
        if below.kind in ("body", "bullet", "interview"):
            return r
    return None


def _name_terms(person: Expert) -> set[str]:
    return set(tokenize(" ".join([person.name, *person.aliases])))


def _names_and_asking(person: Expert) -> frozenset[str]:
    """The words naming the person ("Bockowski", "Prof.") or asking for their words ("think", "say"): without
    them, what is left of the question is the topic to find among their quotations."""
    return frozenset(_name_terms(person) | set(tokenize(" ".join(person.titles))) | _SPEECH_TERMS)


def _article_asked_about(index: SearchIndex, q: Question, articles: list[int], scope: int | None) -> int | None:
    """Of `articles` (positions in index.articles), the one asked about: `scope` when given (None if it is not
    among them), else the one whose paragraphs best match the question, the first when nothing matches (the
    question names no article) or there is only one; None when `articles` is empty."""
    if scope is not None or not articles:
        return scope if scope in articles else None
    if len(articles) == 1 or not q.terms:
        return articles[0]
    best = index.best_article(q, articles)
    return best if best is not None else articles[0]


# The words of "who wrote this article?", "when was it published?": a question with nothing else names no article.
_ABOUT_ITSELF = frozenset(tokenize(
    "who wrote write writes written authored author writer journalist reporter byline penned published publish posted "
    "date dated old come came article story piece report text"))


def _names_an_article(q: Question) -> bool:
    return any(t not in _ABOUT_ITSELF for t in q.terms)


def _which_article(asked: Asked, articles: list[int]) -> Answer:
    """With several articles and a question that names none: ask which, naming them."""
    names = [asked.index.articles[i].meta.title or asked.index.articles[i].id for i in articles[:5]]
    shown = "; ".join(f"“{n}”" for n in names) + ("; …" if len(articles) > 5 else "")
    return decline(asked.question, f"Which article? {len(articles)} are loaded: {shown}. Name one in the question "
                   "(“who wrote the article about …?”) or choose it with the article option.")


# The author's line an op-ed or column ends with: "Rick Scott is the Republican governor of Florida."
_TAGLINE = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?:is|was|has\s+been)\s+(?:a|an|the)\s+\w")
TAGLINE_MAX_WORDS = 40


def _tagline(index: SearchIndex, article: int) -> int | None:
    """The row of an author's tagline in the article's last two paragraphs (a one-sentence paragraph), or None."""
    a = index.articles[article]
    for paragraph in reversed(a.paragraphs[-2:]):
        text = a.text[paragraph.start:paragraph.end]
        rows = list(index.rows_overlapping(article, paragraph.start, paragraph.end))
        if len(rows) == 1 and len(text.split()) <= TAGLINE_MAX_WORDS and _TAGLINE.match(text):
            return rows[0]
    return None


def _with_meta(index: SearchIndex, field: str) -> list[int]:
    """The articles whose page gives `field` (author, published), made once per index: a question must not
    read every article's metadata."""
    cache = index.__dict__.setdefault("_with_meta", {})
    found = cache.get(field)
    if found is None:
        found = cache[field] = [i for i, a in enumerate(index.articles) if getattr(a.meta, field)]
    return found


def _page_fact(asked: Asked, about: int, fact: str, value: str) -> Answer:
    article = asked.index.articles[about]
    return Answer(question=asked.question, answered=True, confidence=1.0, article_title=article.meta.title,
                  page_fact=PageFact(article=article.id, field=fact, value=value))  # type: ignore[arg-type]
