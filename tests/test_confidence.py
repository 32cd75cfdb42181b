"""index/answer/confidence.py: the answer's confidence as the fitted probability that it is right."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.answer import answer, compose
from index.answer.confidence import (CONFIDENCE_FILE, NAMES, ConfidenceError, Evidence, features, probability,
                                     probability_with, read_model)
from index.models import ArticleMeta
from index.retrieval.search import SearchIndex
from index.text.article import parse_article

PLAIN = Evidence(coverage=0.6, own=0.5, type_match=0.0, second_coverage=0.4, score_margin=0.5, terms=3, unknown=0.0,
                 pair=False, answer_type="other", of_person=False, bigrams=0.5, words=0.25, length=12,
                 missing_max=0.3, missing_known=0.2, negated=False)


@pytest.mark.parametrize("change, expected", [
    ({}, {"bias": 1.0, "coverage": 0.6, "own_coverage": 0.5, "full_coverage": 0.0, "type_match": 0.0,
          "typed_coverage": 0.0, "type_missing": 0.0, "coverage_margin": pytest.approx(0.2), "score_margin": 0.25,
          "one_term": 0.0, "two_terms": 0.0, "many_terms": 0.0, "pair": 0.0, "asks_precise": 0.0, "bigrams": 0.5,
          "exact_words": 0.25, "short_sentence": 0.0, "long_sentence": 0.0, "missing_max": 0.3, "negated": 0.0}),
    # the asked-for type: held (a date for "when"), half held, missing; no type asked: type words count for nothing
    ({"answer_type": "time", "type_match": 1.0}, {"type_match": 1.0, "typed_coverage": 0.6, "type_missing": 0.0,
                                                  "asks_precise": 1.0}),
    ({"answer_type": "money", "type_match": 0.5}, {"type_match": 0.5, "typed_coverage": 0.3, "asks_precise": 1.0}),
    ({"answer_type": "person", "type_match": 0.0}, {"type_missing": 1.0, "asks_person": 1.0, "asks_precise": 0.0}),
    ({"answer_type": "other", "type_match": 1.0}, {"type_match": 0.0, "typed_coverage": 0.0, "type_missing": 0.0}),
    ({"answer_type": "reason"}, {"asks_reason": 1.0}),
    ({"answer_type": "place"}, {"asks_place": 1.0}),
    # the lead over the second sentence: capped, never negative, whole when there is no second
    ({"score_margin": 5.0}, {"score_margin": 1.0}),
    ({"score_margin": float("inf"), "second_coverage": 0.0}, {"score_margin": 1.0, "coverage_margin": 0.6}),
    ({"score_margin": -0.3}, {"score_margin": 0.0}),
    ({"coverage": 1.0}, {"full_coverage": 1.0}),
    # how many terms the question has, in buckets
    ({"terms": 1}, {"one_term": 1.0, "two_terms": 0.0, "many_terms": 0.0}),
    ({"terms": 2}, {"one_term": 0.0, "two_terms": 1.0}),
    ({"terms": 7}, {"many_terms": 1.0}),
    ({"length": 5}, {"short_sentence": 1.0}),
    ({"length": 30}, {"long_sentence": 1.0}),
    ({"pair": True, "of_person": True, "negated": True, "unknown": 0.25},
     {"pair": 1.0, "of_person": 1.0, "negated": 1.0, "unknown_share": 0.25}),
])
def test_features_of_an_answer(change, expected):
    got = features(replace(PLAIN, **change))
    assert tuple(got) == NAMES
    assert all(isinstance(v, float) for v in got.values())
    assert {k: got[k] for k in expected} == expected


def test_the_shipped_weights_give_every_feature_one_number():
    weights = read_model()
    assert set(weights) == set(NAMES)
    raw = json.loads(CONFIDENCE_FILE.read_text(encoding="utf-8"))
    assert raw["fitted_on"]["examples"]  # the data it was fitted on, with counts
    assert all(v["answers"] >= v["right"] >= 0 for v in raw["fitted_on"]["examples"].values())


@pytest.mark.parametrize("base", [
    PLAIN, replace(PLAIN, answer_type="time", type_match=1.0), replace(PLAIN, terms=1, negated=True),
    replace(PLAIN, pair=True, terms=6, bigrams=0.0, words=0.0), replace(PLAIN, answer_type="person", of_person=True),
])
def test_more_coverage_gives_a_higher_confidence(base):
    ps = [probability(replace(base, coverage=c, own=c)) for c in (0.4, 0.55, 0.7, 0.85, 1.0)]
    assert all(0.0 < p < 1.0 for p in ps)
    assert ps == sorted(ps) and ps[0] < ps[-1], ps


def test_holding_the_asked_for_type_gives_a_higher_confidence():
    when = replace(PLAIN, answer_type="time", coverage=0.8, own=0.8)
    assert probability(replace(when, type_match=0.0)) < probability(replace(when, type_match=0.5)) \
        < probability(replace(when, type_match=1.0))


def test_the_probability_is_the_logistic_of_the_weighted_features():
    weights = {n: 0.0 for n in NAMES}
    assert probability_with(weights, PLAIN) == 0.5
    assert probability_with({**weights, "bias": 1.0, "coverage": 2.0}, PLAIN) == round(1 / (1 + 2.718281828 ** -2.2), 3)
    assert probability_with({**weights, "bias": 1e6}, PLAIN) == 1.0  # no overflow


@pytest.mark.parametrize("content, message", [
    ("not json", "not a confidence file"),
    (json.dumps({"weights": {n: 0.0 for n in NAMES[1:]}}), "features without a weight ['bias']"),
    (json.dumps({"weights": {**{n: 0.0 for n in NAMES}, "size": 1.0}}), "weights of no feature ['size']"),
])
def test_a_confidence_file_that_does_not_fit_the_features_is_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "confidence.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfidenceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_model(path)


def test_a_ranked_answer_has_the_fitted_confidence_and_a_rule_chosen_one_keeps_its_own(monkeypatch):
    text = ("The harbour bridge was closed on Monday.\n\nThe council said the harbour bridge would reopen in May "
            "after repairs costing 2 million euros.\n\nFishermen were unhappy.")
    index = SearchIndex([parse_article(text, ArticleMeta(id="bridge"))])
    shipped = answer(index, "When will the harbour bridge reopen after repairs?")
    assert shipped.answered and "reopen in May" in shipped.answer.text and 0.0 < shipped.confidence < 1.0
    seen: list[Evidence] = []
    monkeypatch.setattr(compose, "probability", lambda e: seen.append(e) or 0.123)
    a = answer(index, "When will the harbour bridge reopen after repairs?")
    assert a.answer == shipped.answer and a.confidence == 0.123  # the same answer: only its confidence is fitted
    assert seen[-1].answer_type == "time" and seen[-1].type_match == 1.0 and seen[-1].coverage == pytest.approx(1.0)
    lead = answer(index, "What is this article about?")  # the lead, chosen by rule
    assert lead.answered and lead.confidence == 1.0 and len(seen) == 1
