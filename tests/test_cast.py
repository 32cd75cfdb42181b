"""index.quotes.cast: the cast of an article, pass by pass (CAST_PASSES), each on its own."""

from __future__ import annotations

import pytest

from index.models import ArticleMeta
from index.quotes.cast import (
    _NAME_GOES_ON, _WORD_CHAR, CAST_PASSES, Cast, _CastWork, _cue_subjects, _full_names, _genders, _mentions,
    _single_word_speakers,
)
from index.quotes.find import FINDERS
from index.quotes.finders import _Cover
from index.quotes.patterns import NAME_RE, _SPLIT_NAME_RE, analysis_scope
from index.quotes.phrases import _matches_by_span
from index.text.article import parse_article


def people_after(passes, text: str) -> set[str]:
    """The people the given passes put in the cast of a one-paragraph article."""
    article = parse_article(text + "\n", ArticleMeta(id="t"))
    with analysis_scope():
        raws: list = []
        for _, finder in FINDERS:
            raws += finder(article, raws)
        paras = list(article.paragraphs)
        spans = [(p.start, p.end) for p in paras]
        quoted = _Cover([r for r in raws if r.kind in ("direct", "pull quote", "interview")])
        work = _CastWork(article, raws, Cast(), quoted, paras,
                         _matches_by_span(article.text, "name", NAME_RE, _NAME_GOES_ON, spans),
                         _matches_by_span(article.text, "split_name", _SPLIT_NAME_RE, _WORD_CHAR, spans))
        for cast_pass in passes:
            cast_pass(work)
    return set(work.cast.people)


@pytest.mark.parametrize(("passes", "text", "people"), [
    ((_full_names,), "Dr. Anna Lopez opened the bridge on Monday.", {"Anna Lopez"}),
    ((_full_names,), "Analysts at Peel Hunt expect a loss.", set()),  # where people work, not a person
    ((_full_names,), '"Anna Lopez will win the vote," said Tom Reyes.', {"Tom Reyes"}),  # a name quoted is no mention
    ((_single_word_speakers,), '"We will rebuild the bridge by spring," said Burton.', {"Burton"}),
    ((_single_word_speakers,), '"We will rebuild the bridge by spring," he said.', set()),
    ((_cue_subjects,), "Burton believes that prices will rise again next year.", {"Burton"}),
    ((_cue_subjects,), "The council believes that prices will rise again next year.", set()),
])
def test_each_pass_on_its_own(passes, text, people):
    assert people_after(passes, text) == people


def test_mentions_give_a_known_person_their_titles_and_aliases():
    text = "Prof. Anna Lopez opened the bridge. Lopez said it would carry 5,000 cars a day."
    article = parse_article(text + "\n", ArticleMeta(id="t"))
    from index.quotes.find import analyse  # noqa: PLC0415

    person = analyse(article).cast.people["Anna Lopez"]
    assert person.titles == ["Prof."] and "Lopez" in person.aliases


def test_the_declared_order():
    assert CAST_PASSES == (_full_names, _single_word_speakers, _cue_subjects, _mentions, _genders)


@pytest.mark.parametrize(("text", "gender"), [
    ("Dana Ortiz opened her office on Monday. Dana Ortiz said she would run again.", "f"),
    ("Dana Ortiz opened his office on Monday. Dana Ortiz said he would run again.", "m"),
    ("Dana Ortiz, the mayor's eldest daughter, opened the office.", "f"),
    ("Dana Ortiz opened the office on Monday.", None),  # nothing tells
    ("Dana Ortiz thanked Tom Reyes for his help. Dana Ortiz praised Tom Reyes and his staff.", None),  # two named
    ("Dana Ortiz opened her office. Dana Ortiz said his plan was bad.", None),  # one each: no clear majority
])
def test_the_article_tells_a_persons_gender(text, gender):
    from index.quotes.find import analyse  # noqa: PLC0415

    people = analyse(parse_article(text + "\n", ArticleMeta(id="t"))).cast.people
    assert people["Dana Ortiz"].gender == gender
