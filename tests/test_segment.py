"""index.text.segment.split_sentences: news-text sentence boundaries, returned as character offsets."""

from __future__ import annotations

import random

import pytest

from index.text.segment import split_sentences


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def check_spans(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> None:
    """Spans are in order, non-overlapping, inside [start, end), non-empty and trimmed."""
    end = len(text) if end is None else end
    prev = start
    for s, e in spans:
        assert prev <= s < e <= end
        piece = text[s:e]
        assert piece == piece.strip()
        assert any(ch.isalnum() for ch in piece)
        prev = e


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Anna Kowalska spoke first. She was brief.", ["Dr. Anna Kowalska spoke first.", "She was brief."]),
        ("Prof. Jan Nowak designed the lens. It is new.", ["Prof. Jan Nowak designed the lens.", "It is new."]),
        ("Dr. hab. Ewa Zielińska inspected it. Work starts soon.",
         ["Dr. hab. Ewa Zielińska inspected it.", "Work starts soon."]),
        ("Mr. Smith and Gen. Brown met. Sen. Jones left.", ["Mr. Smith and Gen. Brown met.", "Sen. Jones left."]),
        ("John F. Kennedy visited Berlin in 1963. He spoke.", ["John F. Kennedy visited Berlin in 1963.", "He spoke."]),
    ],
)
def test_titles_and_initials_do_not_end_sentences(text, expected):
    assert sents(text) == expected


def test_us_inside_a_sentence_does_not_split():
    assert sents("The U.S. Senate met on Monday. The vote failed.") == ["The U.S. Senate met on Monday.", "The vote failed."]
    assert sents("He met the U.S. ambassador. Then he left.") == ["He met the U.S. ambassador.", "Then he left."]


def test_us_at_the_end_of_a_sentence_splits_before_a_typical_opener():
    assert sents("Talks were held in the U.S. The meeting ended early.") == [
        "Talks were held in the U.S.",
        "The meeting ended early.",
    ]


def test_decimal_amounts_and_times_are_not_boundaries():
    assert sents("The deal is worth $7.2 million. It was signed at 9:30 a.m. on Friday.") == [
        "The deal is worth $7.2 million.",
        "It was signed at 9:30 a.m. on Friday.",
    ]
    assert sents("Prices rose 3.5 percent in 2024. Wages did not.") == ["Prices rose 3.5 percent in 2024.", "Wages did not."]


def test_bracketed_ellipsis():
    assert sents("The summit was historic (...). Putin did not comment.") == [
        "The summit was historic (...).",
        "Putin did not comment.",
    ]
    # An omission marker followed by lower case continues the sentence.
    assert sents("He said the talks (...) would continue next week. Nobody objected.") == [
        "He said the talks (...) would continue next week.",
        "Nobody objected.",
    ]


def test_quote_glued_to_the_previous_sentence_is_split_before_the_quote():
    text = 'They discussed recent events."Trump has nothing to lose," he said.'
    assert sents(text) == ["They discussed recent events.", '"Trump has nothing to lose," he said.']


def test_closing_quote_stays_with_its_sentence():
    assert sents('"We have to act now." The council agreed.') == ['"We have to act now."', "The council agreed."]
    assert sents('He said "Go home." Then he left.') == ['He said "Go home."', "Then he left."]


def test_question_and_exclamation_marks():
    assert sents("Did it work? Nobody knows! Maybe.") == ["Did it work?", "Nobody knows!", "Maybe."]


def test_ellipsis_before_a_capital_ends_a_sentence():
    assert sents("He waited... Then the bus came.") == ["He waited...", "Then the bus came."]


def test_lower_case_after_a_period_continues():
    assert sents("Use e.g. a ladder. Then climb.") == ["Use e.g. a ladder.", "Then climb."]


def test_list_markers_and_white_space_are_trimmed():
    assert sents("  - First point here. Second sentence.  ") == ["First point here.", "Second sentence."]
    assert sents("• One thing.") == ["One thing."]


def test_text_without_a_final_period_is_one_sentence():
    assert sents("A headline without a period") == ["A headline without a period"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", " - ", "(...)"])
def test_nothing_to_split_gives_no_spans(text):
    assert split_sentences(text) == []


def test_start_and_end_restrict_the_search_and_offsets_are_absolute():
    text = "Intro line.\nThe tower fell. Work starts soon.\nOutro."
    start = text.index("The tower")
    end = text.index("\nOutro")
    spans = split_sentences(text, start, end)
    check_spans(text, spans, start, end)
    assert [text[s:e] for s, e in spans] == ["The tower fell.", "Work starts soon."]


def test_sentences_of_a_paragraph_cover_all_its_words():
    text = ('Dr. hab. Ewa Nowak said the U.S. plan costs $7.2 million (...). "It is too much," she said. '
            'They discussed recent events."Trump has nothing to lose," he added. Really? Yes!')
    spans = split_sentences(text)
    check_spans(text, spans)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(ch for ch in covered if ch.isalnum()) == "".join(ch for ch in text if ch.isalnum())


def test_random_texts_give_ordered_trimmed_spans_inside_the_text():
    rng = random.Random(7)
    pieces = ["Dr.", "Prof.", "U.S.", "$7.2", "million", "(...)", '"Yes,"', "he", "said.", "The", "tower", "fell.",
              "Why?", "Now!", "e.g.", "a", "x...", '."Trump', "9:30", "a.m.", "  ", "\n", "-", "Łódź.", "It"]
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        spans = split_sentences(text)
        check_spans(text, spans)
        assert split_sentences(text) == spans  # deterministic


def test_a_wire_dateline_with_a_state_abbreviation_is_part_of_the_first_sentence():
    assert sents("PORTLAND, Ore. (AP) — The council voted 4-1 on Wednesday. Work starts in March.") == [
        "PORTLAND, Ore. (AP) — The council voted 4-1 on Wednesday.", "Work starts in March."]
    # ... while a state at the end of a sentence still ends it before a typical opener,
    assert sents("She moved to Salem, Ore. The city is small.") == ["She moved to Salem, Ore.", "The city is small."]
    # and the lower-case word is just a word.
    assert sents("The patient was ill. Doctors said so.") == ["The patient was ill.", "Doctors said so."]
