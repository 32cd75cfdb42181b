import pytest

from index.question import analyse
from index.text.tokenize import tokenize


def test_answer_types():
    assert analyse("When did the war start?").answer_type == "time"
    assert analyse("In what year was it sold?").answer_type == "time"
    assert analyse("How many people live there?").answer_type == "number"
    assert analyse("How much did the city pay for the bridge?").answer_type == "money"
    assert analyse("Who signed the treaty?").answer_type == "person"
    assert analyse("Where was the summit held?").answer_type == "place"
    assert analyse("Why did the talks fail?").answer_type == "reason"
    assert analyse("What is the plan?").answer_type == "other"


def test_type_cue_words_are_not_search_terms():
    q = analyse("How long did the ceasefire last?")
    assert tokenize("long")[0] not in q.terms
    assert tokenize("ceasefire")[0] in q.terms
    assert tokenize("year")[0] not in analyse("What year did the bridge open?").terms


def test_chatty_filler_is_not_searched():
    q = analyse("hey bot, can you tell me where the summit is held?")
    assert set(q.terms) == set(tokenize("summit held"))


@pytest.mark.parametrize("chatty,plain", [
    ("yo bot where is the summit held", "where is the summit held"),
    ("bruh why did the ferry stop tho", "why did the ferry stop"),
    ("is the summit in geneva or nah", "is the summit in geneva or"),
    ("bro ngl who won the vote smh", "who won the vote"),
])
def test_chat_interjections_are_not_searched(chatty, plain):
    assert analyse(chatty).terms == analyse(plain).terms


def test_durations_and_amounts():
    assert analyse("How long did the ceasefire last?").answer_type == "duration"
    assert analyse("How long ago was Alaska sold?").answer_type == "time"
    assert analyse("What did the city pay for the bridge?").answer_type == "money"
    # The money verb says what kind of answer is wanted; it is not searched for.
    assert "pay" not in analyse("How much did the city pay for the bridge?").terms
    assert "bridg" in analyse("How much did the city pay for the bridge?").terms


def test_what_time_asks_for_a_time_of_day():
    assert analyse("What time is the meeting?").answer_type == "clock"
    assert analyse("At what time will they meet?").answer_type == "clock"
    assert analyse("What time period is the story set in?").answer_type == "time"
    assert analyse("When is the meeting?").answer_type == "time"


def test_how_old_keeps_old_as_a_search_word():
    # "the 90-year-old bridge": the answer usually says "old" too, unlike "how long" or "how far".
    assert "old" in analyse("How old is the bridge?").terms
    assert analyse("How old is the bridge?").answer_type == "number"


@pytest.mark.parametrize("text, intent", [
    ("thanks!", "small_talk"), ("ok thanks bot", "small_talk"), ("hi, who sold Alaska?", "search"),
    ("What is this article about?", "about"), ("tl;dr", "about"), ("What does the article say about Crimea?", "search"),
    ("whats the main point?", "about"), ("what are the key takeaways here", "about"),
    ("What is the main point of contention?", "search"), ("What are the key points of the deal?", "search"),
    ("What are the key points?", "search"),  # an article's "Key points" heading answers that one
    ("Who wrote the article?", "author"), ("who is the author", "author"), ("Who is the reporter in Kyiv?", "search"),
    ("who wrote this op-ed", "author"), ("who wrote it?", "author"), ("Who wrote the article about the lighthouse?", "author"),
    ("who wrote the novel", "search"), ("Who wrote the letter to the mayor?", "search"),  # about the story
    ("Who is Zelensky?", "who_is"), ("who's anna berg", "who_is"), ("Who is the Russian president?", "search"),
    ("Who sold Alaska?", "search"),
    ("Where does Brunner work?", "affiliation"), ("what does she do", "affiliation"),
    ("Which university is Bockowski from?", "affiliation"), ("What is Rutte's job?", "affiliation"),
    ("Where does the river flow?", "search"), ("Zelensky?", "who_is"), ("kaja kallas", "who_is"),
    ("is it over?", "search"),
    # the people quoted, not a sentence; "who is in charge?" and "who is quoted about X?" are not that
    ("who is quoted?", "people"), ("whos quoted", "people"), ("who's in the article?", "people"),
    ("which experts?", "people"), ("what experts are quoted?", "people"), ("who does the article quote?", "people"),
    ("who are the sources", "people"), ("who is in charge?", "who_is"), ("who is in the article about alaska?", "search"),
    # the article's own date; a date in the story is a search
    ("when was it published?", "published"), ("when was this written", "published"),
    ("whats the date of this article?", "published"), ("how old is this article", "published"),
    ("When was the treaty published?", "search"), ("When was the report written?", "search"),
])
def test_intent(text, intent):
    assert analyse(text).intent == intent


def test_chat_words_are_not_searched():
    assert analyse("is zelensky gonna be at the meeting lol").terms == analyse("is zelensky be at the meeting").terms
    assert "late" in analyse("Why was the train late?").terms  # a real word stays


def test_the_asked_for_kind_of_place_or_amount_is_not_searched():
    assert "citi" not in analyse("In which city are the presidents meeting?").terms  # "city" says: a place
    q = analyse("What price did the Americans pay for Alaska?")
    assert q.answer_type == "money" and not {"price", "pay"} & set(q.terms)
    assert "citi" in analyse("Why did the city close the bridge?").terms  # here the city is the subject


def test_a_when_clause_before_the_question_does_not_make_it_a_when_question():
    # "When ..., what ...?": the question proper follows the comma.
    assert analyse("When the bridge closed, what did drivers use instead?").answer_type == "other"
    assert analyse("When the bridge closed, who paid for the ferry?").answer_type == "person"
    assert analyse("When did the bridge close?").answer_type == "time"


def test_ages_and_charges():
    assert analyse("At what age do workers retire?").answer_type == "number"
    assert analyse("In what age did the dinosaurs live?").answer_type == "time"
    # "in charge of" names a role, not a price
    assert analyse("What did the official in charge of the bridge announce?").answer_type == "other"
    assert analyse("What did they charge for the tickets?").answer_type == "money"


def test_how_tall_or_far_asks_for_a_measure_and_the_word_is_not_searched():
    # the answer says "160 metres", seldom "far"; the unit, not the word, shows it answers
    q = analyse("How far has the glacier retreated?")
    assert q.answer_type == "measure" and "far" not in q.terms
    assert analyse("How tall is the tower?").answer_type == "measure"
    assert analyse("How big is the budget?").answer_type == "number"
    assert not {"big", "larg"} & set(analyse("How big is the budget? How large is it?").terms)


def test_question_words_as_typed_in_chat():
    assert analyse("whens the vote").answer_type == "time"
    assert analyse("wher will they meet").answer_type == "place"
    assert analyse("whos the mayor").answer_type == "person"
    assert analyse("wher will they meet").text == "wher will they meet"  # the question is kept as asked
    assert "wher" not in analyse("wher will they meet").terms
    assert analyse("what if the mayor isnt re-elected").terms == analyse("what if the mayor isn't re-elected").terms


# The answer-type table (index.question.ANSWER_TYPES), row by row: a new type adds its rows here.
@pytest.mark.parametrize(("question", "answer_type"), [
    ("What position is Cracovia?", "ordinal"),
    ("Which spot did the team end the season in?", "ordinal"),
    ("Where does the club rank in the league?", "ordinal"),
    ("Which place did Ishak finish in the race?", "ordinal"),
    ("What position does Kroczek hold?", "other"),  # a job, not an order
    ("What position did he play?", "other"),
    ("Where did the uprisings take place?", "place"),  # "take place" is no ranking
    ("Which place did they visit?", "place"),
    ("What time is the meeting?", "clock"),
    ("When is the meeting?", "time"),
    ("How much did the city pay?", "money"),
    ("How long did the ceasefire last?", "duration"),
    ("How tall is the tower?", "measure"),
    ("How many people live there?", "number"),
    ("Why did the talks fail?", "reason"),
    ("Who signed the treaty?", "person"),
    ("What is the plan?", "other"),
])
def test_answer_type_table(question, answer_type):
    assert analyse(question).answer_type == answer_type


def test_required_and_precise_types_come_from_the_table():
    from index.question import ANSWER_TYPES, PRECISE_TYPES, TYPE_REQUIRED  # noqa: PLC0415

    assert "ordinal" in TYPE_REQUIRED and "ordinal" not in PRECISE_TYPES
    assert TYPE_REQUIRED == {r.name for r in ANSWER_TYPES if r.required}
    assert len({r.name for r in ANSWER_TYPES}) == len(ANSWER_TYPES)


CHAT_SPELLING = [
    ("what does bockowski think abt europe", "what does bockowski think about europe"),
    ("r ppl gonna vote 4 him", "are people will vote 4 him"),
    ("trump n putin meet w/ aides", "trump and putin meet with aides"),
    ("what did u say pls", "what did you say please"),
    ("wanna know why bc im lost thx", "want to know why because im lost thanks"),
    ("a deal w/o ur help", "a deal without your help"),
]
NOT_CHAT_SPELLING = ["What did the U.S. say?", "Who is Daniel R. Smith?", "What did N say?", "Is rock'n'roll dead?"]


@pytest.mark.parametrize("typed, meant", CHAT_SPELLING)
def test_chat_spelling_is_read_as_the_words_it_stands_for(typed, meant):
    assert analyse(typed).terms == analyse(meant).terms
    assert analyse(typed).text == typed  # the question is kept as asked


@pytest.mark.parametrize("text", NOT_CHAT_SPELLING)
def test_initials_and_capitals_are_not_chat_spelling(text):
    from index.question.analyse import _CHAT_FORM_RE, _chat_form
    assert _CHAT_FORM_RE.sub(_chat_form, text) == text


def test_a_question_in_chat_spelling_gets_the_answer_of_the_spelled_out_one():
    from index.corpus import Corpus
    corpus = Corpus.from_paths()
    typed = corpus.ask("what does bockowski think abt europe")
    spelled = corpus.ask("what does bockowski think about europe")
    assert typed.answered == spelled.answered and typed.answer == spelled.answer
