"""index.text.tokenize: folding, stopwords, stemming, possessives, numbers, demonyms and offsets."""

from __future__ import annotations

import pytest

from index.text.tokenize import STOPWORDS, fold, fold_text, term_of, tokenize, words


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Pawłuszko", "pawluszko"),  # ł, which NFKD leaves alone
        ("Straße", "strasse"),  # ß
        ("Søren", "soren"),  # ø
        ("Đoković", "dokovic"),  # đ
        ("Boćkowski", "bockowski"),
        ("Zielińska", "zielinska"),
        ("ŁÓDŹ", "lodz"),
        ("Putin", "putin"),
    ],
)
def test_fold_lowercases_and_strips_diacritics(word, folded):
    assert fold(word) == folded


@pytest.mark.parametrize(
    ("plain", "accented"),
    [("Pawluszko", "Pawłuszko"), ("Strasse", "Straße"), ("Soren Ostergaard", "Søren Østergaard"), ("Lodz", "Łódź")],
)
def test_an_ascii_spelling_gives_the_same_terms_as_the_original(plain, accented):
    assert tokenize(plain) == tokenize(accented)
    assert tokenize(plain)  # not dropped as stopwords


def test_fold_text_keeps_punctuation_and_spaces():
    assert fold_text("Prof. Boćkowski") == "prof. bockowski"


def test_stopwords_are_dropped_and_content_words_kept():
    assert tokenize("the and of it was what") == []
    assert tokenize("The cat and the dog") == ["cat", "dog"]
    assert {"the", "who", "what", "is"} <= STOPWORDS
    assert "putin" not in STOPWORDS and "lighthouse" not in STOPWORDS
    assert term_of("The") is None
    assert term_of("Lighthouse") == tokenize("lighthouse")[0]


def test_empty_and_blank_text_give_no_terms():
    assert tokenize("") == []
    assert tokenize("   \n\t ") == []
    assert tokenize("?!… — ...") == []


def test_stemming_maps_inflections_to_one_term():
    assert tokenize("meeting") == tokenize("meetings")
    assert tokenize("voted") == tokenize("votes") == tokenize("vote")
    assert tokenize("running runs") == [tokenize("run")[0]] * 2


def test_case_does_not_matter():
    assert tokenize("LIGHTHOUSE Council") == tokenize("lighthouse council")


@pytest.mark.parametrize("possessive", ["Putin's", "Putin’s", "PUTIN'S"])
def test_possessive_is_the_name(possessive):
    assert tokenize(possessive) == tokenize("Putin")


def test_contractions_are_one_word_and_stopwords():
    assert words("don't go") == ["don't", "go"]
    assert tokenize("don't") == []


@pytest.mark.parametrize("number", ["7.2", "9:30", "1,000", "1867", "2026"])
def test_numbers_are_kept_whole_and_unstemmed(number):
    assert tokenize(f"about {number} things") == [number, tokenize("things")[0]]


def test_a_price_keeps_its_amount():
    assert tokenize("$7.2 million") == ["7.2", "million"]


@pytest.mark.parametrize(
    ("demonym", "country"),
    [("Americans", "US"), ("American", "US"), ("America", "US"), ("USA", "US"), ("Russians", "Russia"),
     ("Russian", "Russia"), ("Ukrainians", "Ukraine"), ("Polish", "Poland"), ("Chinese", "China"), ("British", "UK")],
)
def test_demonyms_mean_the_country(demonym, country):
    assert tokenize(demonym) == tokenize(country)


def test_dotted_us_means_the_us():
    assert tokenize("U.S.") == tokenize("US") == tokenize("America")


def test_tokenize_is_deterministic():
    text = "Søren Østergaard met Americans in Łódź on 3 May, 2025."
    assert tokenize(text) == tokenize(text)


def test_irregular_forms_meet_their_base_form():
    assert tokenize("sold") == tokenize("sell") == tokenize("selling")
    assert tokenize("paid") == tokenize("pays")
    assert tokenize("children") == tokenize("child")
    # Words with a common unrelated sense keep their own term.
    assert tokenize("left") != tokenize("leave")
