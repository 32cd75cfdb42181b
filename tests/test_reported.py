"""index.quotes.reported: one table of positive and negative cases per reported-speech finder, each run on
its own (as textacy's tests/extract/test_triples.py tests its triples), and the declared order."""

from __future__ import annotations

import pytest

from index.models import ArticleMeta
from index.quotes.finders import _Cover
from index.quotes.phrases import _cues_by_sentence
from index.quotes.reported import (
    REPORTED_SPEECH, ReportedSentence, according_to, as_x_says, clause_then_x_said, x_said_that,
)
from index.text.article import parse_article


def run(finder, sentence: str) -> tuple[str, str, str] | None:
    """(clause, who, cue) the finder reads in a one-sentence article, or None."""
    article = parse_article(sentence + "\n", ArticleMeta(id="t"))
    s = article.sentences[0]
    raw = finder(ReportedSentence(article.text, s.start, s.end, 0, _cues_by_sentence(article)[0], _Cover([])))
    if raw is None:
        return None
    text = article.text
    return text[raw.start:raw.end], text[raw.who[0]:raw.who[1]], raw.cue


CASES = {
    according_to: [
        ("According to the mayor, the bridge will reopen in May.", ("the bridge will reopen in May", "the mayor", "according to")),
        ("According to Dr. Lena Brunner, the glacier lost a tenth of its ice.",
         ("the glacier lost a tenth of its ice", "Dr. Lena Brunner", "according to")),
        ("According to the mayor, it is.", None),  # too short a clause
        ("As the mayor points out, the bridge will reopen in May.", None),  # the other pattern's
        ("The bridge will reopen in May.", None),
    ],
    as_x_says: [
        ("As the mayor points out, the bridge will reopen in May.", ("the bridge will reopen in May", "the mayor", "points out")),
        ("As Prof. Novak noted, the tower cannot survive another winter.",
         ("the tower cannot survive another winter", "Prof. Novak", "noted")),
        ("As the tower aged, the council voted to rebuild it.", None),  # no verb of saying
        ("According to the mayor, the bridge will reopen in May.", None),
    ],
    x_said_that: [
        ("The mayor said that the bridge will reopen in May.", ("the bridge will reopen in May", "The mayor", "said")),
        ("Novak told reporters on Monday that the tower cannot survive another winter.",
         ("the tower cannot survive another winter", "Novak", "told")),
        ("Lopez said the federation would push for a new vote.", ("the federation would push for a new vote", "Lopez", "said")),
        ("The mayor said nothing.", None),  # no clause
        ("By explaining that the tower is old, the council won time.", None),  # not a finite verb
    ],
    clause_then_x_said: [
        ("The bridge will reopen in May, the mayor said.", ("The bridge will reopen in May", "the mayor", "said")),
        ("Europe is not losing the war, the Americanist believes.",
         ("Europe is not losing the war", "the Americanist", "believes")),
        ("The bridge will reopen in May, and the ferry will stop.", None),
        ("It is late, he said.", None),  # too short a clause
    ],
}


@pytest.mark.parametrize(("finder", "sentence", "expected"),
                         [(f, s, e) for f, cases in CASES.items() for s, e in cases],
                         ids=[f"{f.__name__}:{s[:40]}" for f, cases in CASES.items() for s, _ in cases])
def test_each_finder_on_its_own(finder, sentence, expected):
    assert run(finder, sentence) == expected


def test_every_finder_is_in_the_declared_order_and_has_cases():
    assert REPORTED_SPEECH == (according_to, as_x_says, x_said_that, clause_then_x_said)
    assert set(CASES) == set(REPORTED_SPEECH)
    for cases in CASES.values():
        assert any(e is not None for _, e in cases) and any(e is None for _, e in cases)


def test_a_relative_clauses_report_ends_with_the_relative_clause():
    """What the mayor said is the relative clause's, not what the main clause tells of her."""
    assert run(x_said_that, "The mayor, who said that the budget would not pass this year, left the room early.") == (
        "the budget would not pass this year", "The mayor", "said")
