"""The sentence that names a person most fully ("Volodymyr Zelensky will not be at the table" over "he would
call Zelensky"): for "who is <name>?", in a news article, the introduction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..question import Question
from ..text.segment import ABBREVIATIONS
from ..text.tokenize import STOPWORDS, fold, term_of

if TYPE_CHECKING:
    from .search import SearchIndex

WHO_IS_CANDIDATES = 50  # sentences naming the person looked at: a name mentioned often is named in full once
# How much of each of those sentences is read for the name: the longest sentence in the evaluation sets has
# 1,222 characters; reading a 2 MB one took 150 ms a question.
MENTION_CHARS = 4000
_EDGE_PUNCTUATION = "\"“”‘’'()[],.;:!?"


def fullest_mention(index: "SearchIndex", q: Question, scope: int | None) -> int | None:
    """The first sentence that names the person most fully ("Volodymyr Zelensky will not be at the
    table" over "he would call Zelensky"): in a news article, the introduction. None when no
    sentence other than a headline holds the whole name."""
    name = set(q.unique_terms)
    best, most = None, (0, False)
    for row in sorted(index.sentences_with(q, WHO_IS_CANDIDATES, scope)):  # in article order
        sentence = index.sentences[row]
        if sentence.kind == "heading" or not name <= sentence.terms:  # a headline capitalises every word
            continue
        mention = _mention(_text_start(index, row), name)
        if mention > most:
            best, most = row, mention
    return best


def _text_start(index: "SearchIndex", row: int) -> str:
    """A sentence's text, or its first MENTION_CHARS characters (a sentence that long is no news article's)."""
    s = index.sentences[row].sentence
    return index.articles[index.sentences[row].article].text[s.start:min(s.end, s.start + MENTION_CHARS)]


def _abbreviation(token: str) -> bool:
    """"Dr.", "Prof.", "F.": a title or an initial, which goes on into the name after it."""
    return token.endswith(".") and (len(token) <= 3 or fold(token[:-1]) in ABBREVIATIONS)


def _mention(text: str, name: set[str]) -> tuple[int, bool]:
    """(capitalised words in the longest run that holds the name, whether that run opens the sentence):
    "President Volodymyr Zelensky" is 3; a sentence that opens with the name is about the person. "The"
    opening a sentence does not count, and "Trump-Putin" is a compound, not a mention of Putin."""
    longest, opens = 0, False
    run, named, first = 0, False, 0
    tokens = text.split()
    for i, token in enumerate(tokens + [""]):
        word = token.strip(_EDGE_PUNCTUATION)
        if word[:1].isupper() and fold(word) not in STOPWORDS:
            if run == 0:
                first = i
            run, named = run + 1, named or term_of(word) in name
            if token[-1:] not in _EDGE_PUNCTUATION or token[-1:] in "'’" or _abbreviation(token):
                continue
        if named and (run, first == 0) > (longest, opens):
            longest, opens = run, first == 0
        run, named = 0, False
    return longest, opens


