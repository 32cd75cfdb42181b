"""index.text.patterns: a trie of words matches exactly what the words joined with "|" (longest first) match."""

import re

import pytest

from index.lexicon.speech import SPEECH_PHRASES, speech_forms
from index.quotes.patterns import CUE_RE
from index.text.patterns import alternation, first_letters

WORDS = ["say", "says", "said", "saying", "sa", "add", "added", "a.b", "vice president"]
TEXTS = ["she says so", "said it", "sa", "saying-ish", "he added that", "a.b and axb", "the vice president spoke",
         "sayings", "", "SAY"]


def _joined(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")


@pytest.mark.parametrize("text", TEXTS)
def test_trie_matches_what_the_joined_words_match(text):
    trie = re.compile(r"(?<!\w)" + alternation(WORDS) + r"(?!\w)")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in _joined(WORDS).finditer(text)]


@pytest.mark.parametrize(("word", "matches"), [("a.b", True), ("axb", False), ("saying", True), ("sayin", False)])
def test_literals_are_escaped_and_whole(word, matches):
    assert (re.fullmatch(alternation(WORDS), word) is not None) is matches


def test_an_empty_word_is_refused():
    with pytest.raises(ValueError):
        alternation(["say", ""])


def test_first_letters_is_a_class_of_the_first_characters():
    assert re.fullmatch(first_letters(["say", "add", "-x"]), "-")
    assert not re.fullmatch(first_letters(["say", "add"]), "b")


def test_the_cue_pattern_finds_what_the_plain_alternation_found():
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(SPEECH_PHRASES + speech_forms()) + r")(?![\w-])")
    text = ('"We will," she said. He points out that it pointed out; did not hide the fact, didn\'t hide; '
            "so-called says-ish; saying, told, tells, added, adds, noted, noting, recounted, quipped, replies")
    assert [m.span() for m in CUE_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(list(CUE_RE.finditer(text))) > 10
