"""index.answer.strategies: the answer kinds tried in their declared order, and a question's trip through
the core (analysed once, each room entered a bounded number of times)."""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from index.answer import STRATEGIES, answer, validate
from index.answer.strategies import Asked
from index.corpus import Corpus
from index.models import ArticleMeta
from index.question import analyse
from index.text.article import parse_article
from tests.test_answer import LIGHTHOUSE


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.build([parse_article(LIGHTHOUSE, ArticleMeta(id="lighthouse", title="Port Wren lighthouse"))])


def deciding_strategy(corpus: Corpus, question: str) -> str:
    asked = Asked(corpus.search, question, analyse(question), corpus.attribution, None)
    return next(s.name for s in STRATEGIES if s.run(asked) is not None)


def test_the_declared_order():
    assert [s.name for s in STRATEGIES] == ["lead", "byline", "published", "people", "no terms", "description",
                                             "person's words", "general"]


@pytest.mark.parametrize(("question", "strategy"), [
    ("What is this article about?", "lead"),
    ("Who wrote the article?", "byline"),
    ("When was it published?", "published"),
    ("Who is quoted?", "people"),
    ("What is the?", "no terms"),
    ("Where does Pawłuszko work?", "description"),
    ("What does Pawłuszko think about the tower?", "person's words"),
    ("What does Nowak say?", "person's words"),
    ("How much will the project cost?", "general"),
    ("When will work start?", "general"),
    ("How many wolves live on Gull Point?", "general"),  # declined by the general decision
])
def test_each_kind_of_question_is_decided_by_its_strategy(corpus, question, strategy):
    assert deciding_strategy(corpus, question) == strategy


def test_the_strategy_that_decides_gives_the_answer(corpus):
    q = "What does Pawłuszko think about the tower?"
    got = answer(corpus.search, q, corpus.attribution)
    assert got.answered and "cannot survive another winter" in got.answer.text
    assert got.answer.speaker is not None and "Pawłuszko" in got.answer.speaker.name


def test_a_question_is_analysed_once_from_validation_to_answer(corpus):
    question = "When will the new lamp be lit, and by whom?"
    analyse.cache_clear()
    assert validate(question) is None
    corpus.ask(question)
    assert analyse.cache_info().misses == 1


ROOMS = ("index.answer", "index.retrieval", "index.quotes", "index.question")


def _room(frame) -> str | None:
    name = frame.f_globals.get("__name__", "") if frame is not None else ""
    return next((r for r in ROOMS if name == r or name.startswith(r + ".")), None)


def _calling_room(frame) -> str | None:
    """The room of the nearest caller in the index (frames of the standard library between, such as
    functools' cached_property, are looked through)."""
    frame = frame.f_back
    while frame is not None and not frame.f_globals.get("__name__", "").startswith("index"):
        frame = frame.f_back
    return _room(frame)


def trip(corpus: Corpus, question: str) -> Counter:
    """How often a question's trip from Corpus.ask enters each room (a call from outside it into it)."""
    entries: Counter = Counter()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name != "__init__":  # making a value (a Scored) is no visit
            here, caller = _room(frame), _calling_room(frame)
            if here is not None and here != caller:
                entries[here] += 1

    sys.setprofile(profile)
    try:
        corpus.ask(question)
    finally:
        sys.setprofile(None)
    return entries


@pytest.mark.parametrize("question", [
    "When will work start?", "What is this article about?", "Who wrote the article?", "Who is Pawłuszko?",
    "Where does Pawłuszko work?", "What does Pawłuszko think about the tower?", "How many wolves live there?",
])
def test_a_questions_trip_enters_each_room_a_bounded_number_of_times(corpus, question):
    entries = trip(corpus, question)
    # Analysed once, then the question as searched and its topic without a name made in one call; the index
    # asked once (SearchIndex.ranking) or, for the lead and byline, twice; attribution at most twice.
    assert entries["index.answer"] == 1 and entries["index.question"] <= 2 and entries["index.quotes"] <= 2, entries
    assert entries["index.retrieval"] <= 2, entries
