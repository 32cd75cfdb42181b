"""index.lexicon: each word list as a table, and what reading it does in the rules that use it.

A word added to a list gets its row here: a verb of saying its form and the speaker it gives, a title
the sentence it keeps together, a number word the answer type it fills.
"""

import re

import pytest

from index.lexicon import function_words, numbers, people, pronouns, speech, titles
from index.models import ArticleMeta
from index.quotes.find import find_quotes
from index.quotes.patterns import CUE_RE
from index.retrieval.facts import sentence_facts
from index.text.article import parse_article
from index.text.segment import ABBREVIATIONS, split_sentences


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(parse_article(text, ArticleMeta(id="t")))]


@pytest.mark.parametrize(("verb", "forms"), [
    ("note", ["note", "notes", "noted", "noting"]),
    ("warn", ["warn", "warns", "warned", "warning"]),
    ("argue", ["argue", "argues", "argued", "arguing"]),
])
def test_regular_verbs_are_inflected(verb, forms):
    assert speech.inflect(verb) == forms


@pytest.mark.parametrize("form", ["said", "told", "wrote", "quipped", "replied", "testified", "noted", "tweeted",
                                  "emphasised", "reiterated", "recounted", "gushed", "interjected", "retorted"])
def test_every_listed_form_is_a_cue_and_names_the_speaker(form):
    assert form in speech.speech_forms() and CUE_RE.fullmatch(form)
    assert _speakers(f'"We will rebuild the bridge by spring," {form} Maria Lopez.\n') == ["Maria Lopez"]


@pytest.mark.parametrize("word", ["walked", "said-so", "countered", "wondered"])
def test_words_not_listed_are_no_cue(word):
    # "countered", "wondered": verbs of saying only where the parse links them to the quotation
    # (PARSE_SPEECH_VERBS); after a quotation as bare words they are too often something else.
    assert CUE_RE.fullmatch(word) is None


def test_opinions_are_forms_of_listed_verbs():
    assert speech.COGNITION_FORMS <= set(speech.speech_forms())


def test_the_phrases_of_saying_are_regexes_that_compile():
    for phrase in speech.SPEECH_PHRASES:
        re.compile(phrase)
    assert CUE_RE.search("as she points out, ") and CUE_RE.search("he did not hide the fact")


@pytest.mark.parametrize("abbreviation", sorted(titles.TITLE_ABBREVIATIONS | titles.NAME_SUFFIXES))
def test_an_abbreviated_title_keeps_the_sentence_together(abbreviation):
    title = abbreviation.capitalize()
    text = f"The talks began with {title}. Novak in the chair. They ended late."
    assert len(split_sentences(text)) == 2, (abbreviation, split_sentences(text))
    assert abbreviation in ABBREVIATIONS


def test_title_words_are_the_folded_words_of_the_titles():
    assert {"attorney", "general", "prof", "hab"} <= titles.TITLE_WORDS
    assert all(w == w.lower() and " " not in w for w in titles.TITLE_WORDS)


def test_speaker_pronouns_say_whom_they_stand_for():
    assert set(pronouns.SPEAKER_PRONOUNS.values()) <= set("mfps")
    assert {"he", "she", "they"} <= pronouns.REFERRING_WORDS


@pytest.mark.parametrize("words", [people.NOT_NAME, people.ORG_WORDS, people.ROLE_NOUNS, people.GROUP_NOUNS,
                                   people.LEAD_ROLES, function_words.AUXILIARIES, function_words.PREPOSITIONS,
                                   function_words.RELATIVE_WORDS, numbers.TIME_WORDS, numbers.CARDINALS,
                                   numbers.MONEY_WORDS, numbers.TIME_UNITS, numbers.MEASURE_UNITS, numbers.ORDINALS])
def test_word_lists_are_folded_single_words(words):
    assert words and all(w == w.lower() and w.isascii() and w.strip() == w and " " not in w for w in words)


@pytest.mark.parametrize(("sentence", "word", "tag"), [
    ("It costs 300 dollars.", "300", "money"),
    ("They met on Friday.", "friday", "time"),
    ("It took two minutes.", "two", "duration"),
    ("The tower is 160 metres tall.", "160", "measure"),
    ("Twelve people came.", "twelve", "number"),
    ("In the 11th century it fell.", "11", "time"),
    ("The club is ninth in the table.", "ninth", "ordinal"),
    ("He finished 3rd last season.", "3", "ordinal"),
])
def test_number_words_give_their_answer_type(sentence, word, tag):
    facts = sentence_facts(sentence)
    assert tag in facts.tags[facts.words.index(word)]


@pytest.mark.parametrize("title", ["Senator", "Ambassador", "Attorney General", "Dr.", "Prof."])
def test_a_title_of_the_lexicon_opens_a_name_line(title):
    # The article parser reads the same titles as the quotation finders: a name line under a pull quote.
    article = parse_article(f'"We will rebuild."\n\n{title} Anna Maria Lopez Garcia, mayor of Hel\n\nThe town voted.\n',
                            ArticleMeta(id="t"))
    assert [p.kind for p in article.paragraphs][1] == "name_line"


def test_the_lexicon_is_plain_data_that_imports_nothing_of_the_index():
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    folder = Path(__file__).resolve().parents[1] / "index" / "lexicon"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0 and node.module == "__future__", (path.name, node.module)
            assert not isinstance(node, ast.Import), path.name
