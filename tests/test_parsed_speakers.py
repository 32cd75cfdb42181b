"""index.quotes.parsed: the speaker of a quotation from spaCy's parse, one table row per pattern news uses,
with the negative cases (no one said it, or someone new did)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from index.models import ArticleMeta
from index.quotes.find import analyse
from index.text.article import parse_article
from index.text.parser import rules_only, spacy_parser

# (text, the start of the quotation, the speaker it must get); every name here is made up.
SPEAKERS = [
    ('"We will win this race in November," said campaign manager Dana Ortiz.', "We will", "Dana Ortiz"),
    ('Treasury Secretary Alan K. Reyes said, "The budget will be balanced by the end of next year."', "The budget",
     "Alan K. Reyes"),
    ('Tom Hale runs the shelter.\n\n"It is over for us and for the dogs," Hale, 54, said.', "It is", "Tom Hale"),
    ('Sen. Maria Lopez (D-N.M.) said: "This bill will not pass the Senate this year."', "This bill", "Maria Lopez"),
    ('"The ice is melting faster than any model predicted," said Dr. Lena Brunner, a glaciologist at the '
     'University of Bern.', "The ice", "Lena Brunner"),
    ('"This is the best day our town has had in years," gushed Mayor Tom Reyes.', "This is", "Tom Reyes"),
    ('"We have heard enough of this," Judge Ann Fell interjected.', "We have", "Ann Fell"),
    ('The mayor returned to the podium and declared, "We are not done with this city yet."', "We are", "The mayor"),
    ('"We will not wait for the state to act," Ortiz said to the governor, adding that the town would sue.',
     "We will", "Ortiz"),
    ('Jane Roe, on Twitter: "This is the worst decision the council has made in a decade."', "This is",
     "Jane Roe"),
    ('The senator answered in a long letter. Tom Reyes wrote:\n\n"I have never met the man and never will."',
     "I have", "Tom Reyes"),
    ('"Trump must stop portraying us as criminals when most of us work hard." ― Sonya Herridge', "Trump must",
     "Sonya Herridge"),
    ('According to the newspaper, "Crime is surging everywhere in the district this year."', "Crime is",
     "the newspaper"),
    ('As Professor Ada Foner put it: "The country does a better job at welcoming people than it thinks."', "The country",
     "Ada Foner"),
    ('"This is a big year for our town and for the county," state Del. Marcia Price (D-Newport News) shouted.',
     "This is", "Marcia Price"),
    ('"He is right about the generals and about the war," Dan Reyes, a former adviser, said Thursday on "Fox '
     'and Friends."', "He is", "Dan Reyes"),
    ('"We were wrong not to confront him from the beginning," Ramos, 58, told the agency in an interview.',
     "We were", "Ramos"),
    ('RED STATES OUTNUMBER BLUE STATES - Jeffrey M. Jones: "Our analysis finds that twenty states lean one way."',
     "Our analysis", "Jeffrey M. Jones"),
    ('Roger Stone spoke on the radio.\n\nStated Stone:\n\n"I think the stakes are so high for everyone in this race."',
     "I think", "Roger Stone"),
    ('As the Ledger reported, "If the primary were held this evening, the mayor would win it easily."', "If the",
     "Ledger"),
    ('Mr. Reyes hardly clarified the matter, treating the remark first as a compliment -- "That makes me smart" -- '
     'and, when questioned after the debate, asserting, "Of course, I pay my taxes."', "Of course", "Reyes"),
    ('Tax plans under fire\n\nEllen Marsh studies the tax code.\n\nExperts say the plans would make it more complicated. Said Marsh: "I do '
     'not get the sense she is the least bit interested in reform."', "I do", "Ellen Marsh"),
    ('"I would rather live anywhere else than in a country he runs." ― Christina N Luis Olidem', "I would",
     "Christina N Luis Olidem"),
]

# "she" is the woman named before it, not a man of the same surname nor a plural subject.
PRONOUNS = [
    ('Keith Lamont Scott was sitting in his truck.\n\nRakeyia Scott can be heard yelling to the officers that her '
     'husband was unarmed.\n\n"Do not shoot him," she says.', "Do not", "Rakeyia Scott"),
    ('Keith Lamont Scott was sitting in his truck.\n\nKeith Scott waited for his son there every day.\n\n"I was there," '
     'he says.', "I was", "Keith Lamont Scott"),
]

# A description as written, with what belongs to it: the words before the noun, hyphens included, and the
# phrase after it up to a comma ("a person close to the Clintons").
DESCRIPTIONS = [
    ('"The drop we are seeing now is due to the emails," said a person close to the campaign.', "The drop",
     "a person close to the campaign"),
    ('"From the first day, I made the climate our top priority," the bespectacled, 71-year-old diplomat said.',
     "From the", "71-year-old diplomat"),
]


@pytest.mark.parametrize("text, start, speaker", DESCRIPTIONS, ids=[s for _, _, s in DESCRIPTIONS])
def test_a_description_is_kept_whole(text, start, speaker):
    assert speaker in (_speaker(text, start) or "")


# An indefinite description is someone new: it never inherits the last person quoted.
INDEFINITE = ('"We will win," Dana Ortiz said. "Nobody in the campaign believes that any more," one aide said.',
              "Nobody in", "one aide")

# No one's words: a scare quote, a title, a nickname, a quoted label.
NOT_QUOTATIONS = [
    'The senator called the plan a "disaster" on Monday.',
    'She wrote the novel "The Long Road Home" in 1936.',
    'Locals call him "the Bull" because of his temper.',
    'The box was marked "fragile" and left at the door.',
]


def _quotes(text: str, parser=spacy_parser):
    return analyse(parse_article(text + "\n", ArticleMeta(id="t")), parser).quotes


def _speaker(text: str, start: str, parser=spacy_parser) -> str | None:
    q = next((q for q in _quotes(text, parser) if q.text.startswith(start)), None)
    return q.speaker if q else None


@pytest.mark.parametrize("text, start, speaker", SPEAKERS, ids=[s for _, _, s in SPEAKERS])
def test_the_parse_names_who_said_it(text, start, speaker):
    assert _speaker(text, start) == speaker


def test_the_parse_decides_where_the_rules_alone_miss():
    """Some rows are beyond the rules (the reason for the parse): without it they lose their speaker."""
    missed = [s for text, start, s in SPEAKERS if _speaker(text, start, rules_only) != s]
    assert len(missed) >= 3, missed


@pytest.mark.parametrize("text, start, speaker", PRONOUNS, ids=[s for _, _, s in PRONOUNS])
def test_a_pronoun_is_the_person_it_stands_for(text, start, speaker):
    assert _speaker(text, start) == speaker


def test_she_is_never_a_plural_subject():
    text = ('Keith Lamont Scott was sitting in his truck.\n\nAttorneys for the family released the video to the '
            'press on Friday.\n\n"Do not shoot him," she says.')
    assert _speaker(text, "Do not") != "Attorneys for the family"


def test_an_indefinite_description_inherits_no_one():
    text, start, speaker = INDEFINITE
    assert _speaker(text, start) == speaker


@pytest.mark.parametrize("text", NOT_QUOTATIONS)
def test_no_one_said_a_scare_quote_title_nickname_or_label(text):
    assert [q for q in _quotes(text) if q.speaker] == []


def test_an_abstract_subject_is_no_speaker():
    text = ('Mr. Reyes hardly clarified the matter, treating the remark as a compliment, "That makes me smart," '
            'and moved on.')
    assert _speaker(text, "That makes") not in ("the matter", "the remark")


def test_a_subject_that_cannot_speak_is_no_speaker():
    text = ('The timing of the surge does not surprise pollster Daron Shaw: "Lesser-known candidates who win early '
            'contests see the biggest boost."')
    assert _speaker(text, "Lesser-known") in (None, "Daron Shaw")


def test_answering_from_a_saved_index_never_imports_spacy(tmp_path):
    """Parsing happens when articles are indexed; a question over a saved index runs without spaCy."""
    from index.catalog import snapshot
    from index.corpus import Corpus
    corpus = Corpus.from_paths()
    (tmp_path / "snap").write_bytes(snapshot.dumps(corpus))
    code = (
        "import sys, pathlib\n"
        "from index.catalog import snapshot\n"
        f"corpus = snapshot.loads(pathlib.Path({str(tmp_path / 'snap')!r}).read_bytes())\n"
        "a = corpus.ask('Who is meeting in Alaska?')\n"
        "corpus.expert(corpus.experts()[0].name)\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_parse_is_bounded_by_the_article_and_the_budget():
    """Only paragraphs with quotations are parsed, at most _ARTICLE_LIMIT characters an article, and none of
    an article longer than any news article (the rules alone attribute it, in linear time)."""
    from index.quotes import parsed

    seen: list[int] = []

    def counting(texts, offsets):
        seen.append(sum(map(len, texts)))
        return spacy_parser(texts, offsets)

    quoted = '"We will rebuild the bridge by the spring," said Mayor Ann Fell.\n\n'
    narration = "The council met on Monday and talked about the budget for the coming year.\n\n"
    _quotes(narration * 5 + quoted, counting)
    assert seen and sum(seen) <= len(quoted) + 5  # the quotation's paragraph, not the narration
    seen.clear()
    _quotes(quoted * 2000, counting)
    assert 0 < sum(seen) <= parsed._ARTICLE_LIMIT
    seen.clear()
    huge = narration * (parsed.PARSED_ARTICLES_UP_TO // len(narration) + 1) + quoted
    assert _speaker(huge, "We will", counting) == "Ann Fell" and seen == []  # the rules' speaker


def test_the_pinned_model_is_checked_without_importing_spacy():
    from index.text.parser import MISSING_MODEL, model_problem

    assert model_problem() is None  # make installed it
    assert model_problem(("no_such_model_package",)) == MISSING_MODEL
    assert "spacy download en_core_web_sm" in MISSING_MODEL


def _two_words(label: str):
    """'Nora Vale acknowledged': a hand-made parse whose name carries the given entity label."""
    from index.quotes.parse_tree import _Tree
    from index.text.parser import Parsed
    return _Tree(Parsed(starts=(0, 5, 10), ends=(4, 9, 22), words=("Nora", "Vale", "acknowledged"),
                        lemmas=("nora", "vale", "acknowledge"), pos=("PROPN", "PROPN", "VERB"),
                        tags=("NNP", "NNP", "VBD"), deps=("compound", "nsubj", "ROOT"), heads=(1, 2, 2),
                        sent_starts=(0,), entities=((0, 2, label),)))


@pytest.mark.parametrize("label, can_speak", [("PERSON", True), ("ORG", True), ("PRODUCT", True),
                                              ("DATE", False), ("MONEY", False), ("WORK_OF_ART", False)])
def test_a_name_the_model_reads_as_a_brand_may_still_speak(label, can_speak):
    """The small model labels a name it knows as a brand PRODUCT ('Ivanka Trump'); a date or a sum never speaks."""
    from index.quotes.parse_tree import _someone
    assert _someone(_two_words(label), 1) is can_speak
