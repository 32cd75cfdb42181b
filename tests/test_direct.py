"""index.quotes.finders: the rules of the direct-quote finder, each as a table, and the finder over them."""

from __future__ import annotations

import pytest

from index.models import ArticleMeta
from index.quotes.finders import _direct, is_sentence_like, leads_into_attribution, says_nothing
from index.quotes.patterns import analysis_scope
from index.text.article import parse_article


@pytest.mark.parametrize(("content", "expected"), [
    ("We will rebuild the bridge. It will take a year", True),  # a sentence end with more after it
    ("we will rebuild the old bridge on the river by spring", True),  # more than eight words
    ("Never again.", True),  # capitalised, ending as a sentence ends
    ("cuties", False),
    ("special military operation", False),
    ("Hope.", False),  # one word
])
def test_is_sentence_like(content, expected):
    assert is_sentence_like(content) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ('"We will win," she said.', True),
    ('"We will win!" she said.', True),
    ('"We will win" - he said.', True),
    ('"We will win." She left.', False),
])
def test_leads_into_attribution(text, expected):
    cs, e = 1, text.index('"', 1) + 1
    ce = e - 1
    assert leads_into_attribution(text, text[cs:ce].strip(" ,"), cs, ce, e) is expected


@pytest.mark.parametrize(("words", "short", "attributed", "tail", "expected"), [
    (["cuties"], True, False, False, True),  # a scare quote
    (["One", "Hundred", "Years", "of", "Solitude"], True, True, False, True),  # a title
    (["Hope"], True, True, False, True),  # one word, attributed before it
    (["Hope"], True, True, True, False),  # '"Hope," she said.'
    (["We", "will", "win", "the", "war", "soon"], False, True, False, False),
])
def test_says_nothing(words, short, attributed, tail, expected):
    assert says_nothing(words, short, attributed, tail) is expected


@pytest.mark.parametrize(("text", "found"), [
    ('"We will rebuild the bridge by spring," said Mayor Anna Lopez.', [("said", "Mayor Anna Lopez")]),
    ('Lopez said: "We will rebuild the bridge by spring."', [("said", "Lopez")]),
    ('Burton thinks that cats are "cuties" and dogs are not.', []),
])
def test_the_finder_over_its_rules(text, found):
    article = parse_article(text + "\n", ArticleMeta(id="t"))
    with analysis_scope():
        raws = _direct(article)
    assert [(r.cue, article.text[r.who[0]:r.who[1]]) for r in raws] == found
