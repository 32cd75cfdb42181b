"""index.answer on small invented articles: verbatim answers, honest declines, determinism, bylines, corpora."""

from __future__ import annotations

import pytest

from index.answer import HOW_TO_ASK, answer, validate
from index.text.article import ArticleError, load_article, parse_article
from index.corpus import Corpus, load_articles
from index.models import Answer, ArticleMeta
from index.question import MAX_QUESTION_CHARS, analyse
from index.retrieval.search import SearchIndex

LIGHTHOUSE = (
    "Harbour town votes to rebuild its lighthouse\n"
    "The council of Port Wren voted on Tuesday to rebuild the old lighthouse on Gull Point. "
    "The tower was damaged by a storm in March 2023. Work will start next spring and should end in 2026.\n"
    "The project will cost $7.2 million, paid by the regional government. Dr. hab. Tomasz Pawłuszko, an engineer "
    "at the Coastal Institute, inspected the tower in May.\n"
    "\"The old tower cannot survive another winter. We have to act now,\" said Pawłuszko.\n"
    "Fishermen welcomed the decision. \"We have waited twenty years for a proper light,\" said Marek Nowak, "
    "head of the fishing cooperative.\n"
    "\"The light will guide every boat home.\"\n"
    "Marek Nowak, head of the fishing cooperative\n"
    "The new lamp will be visible from 40 kilometres away. Its lens was made by Gläser & Søn, a workshop in "
    "Straßburg run by Søren Østergaard.\n"
    "The mayor, Ewa Zielińska, is wanted by the anti-corruption office for questioning. However, the council "
    "is not a court, so it cannot suspend her.\n"
    "Anna Reporter\n"
)

APPLES = (
    "Orchard growers expect a record apple harvest\n"
    "Growers in the Vistula valley expect to pick 4 million tonnes of apples this autumn, a record.\n"
    "\"The trees have never looked better,\" said Piotr Sadowski, who runs an orchard near Grójec.\n"
    "Exports to Egypt and India doubled last year, the growers' union said.\n"
    "Bob Writer\n"
)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.build([parse_article(LIGHTHOUSE, ArticleMeta(id="lighthouse", title="Port Wren lighthouse"))])


@pytest.fixture(scope="module")
def two() -> Corpus:
    return Corpus.build([
        parse_article(APPLES, ArticleMeta(id="apples")),
        parse_article(LIGHTHOUSE, ArticleMeta(id="lighthouse")),
    ])


def one_article(text: str, article_id: str) -> Corpus:
    return Corpus.build([parse_article(text, ArticleMeta(id=article_id))])


def check_answered(c: Corpus, a: Answer) -> str:
    """An answer is verbatim, inside its excerpt, and the excerpt is its whole paragraph."""
    assert a.answered and a.answer is not None and a.excerpt is not None and a.reason is None
    article = c.article(a.answer.article)
    assert article is not None
    assert a.answer.text == article.text[a.answer.start:a.answer.end]
    assert a.excerpt.text == article.text[a.excerpt.start:a.excerpt.end]
    assert a.excerpt.start <= a.answer.start < a.answer.end <= a.excerpt.end
    assert a.answer.text in a.excerpt.text
    p = article.paragraph(a.answer.paragraph)
    assert (p.start, p.end) == (a.excerpt.start, a.excerpt.end)
    assert 0.0 < a.confidence <= 1.0
    for r in a.related:
        other = c.article(r.article)
        assert other is not None and r.text == other.text[r.start:r.end]
    return a.answer.text


def check_declined(a: Answer, question: str) -> None:
    assert not a.answered
    assert a.answer is None and a.excerpt is None
    assert a.confidence == 0.0
    assert a.reason and "\n" not in a.reason
    assert a.question == question


@pytest.mark.parametrize(
    ("question", "holds"),
    [
        ("How much will the project cost?", "$7.2 million"),
        ("When was the tower damaged by the storm?", "March 2023"),
        ("How far away will the new lamp be visible?", "40 kilometres"),
        ("Which government will pay the cost of the project?", "regional government"),
        ("When did the council vote to rebuild the lighthouse?", "Tuesday"),
        ("Who inspected the tower?", "inspected the tower"),
        ("Who heads the fishing cooperative?", "Marek Nowak"),
    ],
)
def test_answers_are_verbatim_sentences_holding_the_fact(corpus, question, holds):
    a = corpus.ask(question)
    text = check_answered(corpus, a)
    assert holds in text
    assert a.answer.article == "lighthouse"
    assert a.article_title == "Port Wren lighthouse"
    assert a.question == question


def test_an_answer_is_at_most_two_sentences(corpus):
    article = corpus.article("lighthouse")
    for q in ("Why can the council not suspend the mayor?", "How much will the project cost?", "When will work start?"):
        a = corpus.ask(q)
        check_answered(corpus, a)
        inside = [s for s in article.sentences if a.answer.start <= s.start and s.end <= a.answer.end]
        assert 1 <= len(inside) <= 2
        # The answer starts and ends on sentence boundaries.
        assert a.answer.start == inside[0].start and a.answer.end == inside[-1].end


def test_two_sentences_when_the_question_spans_them(corpus):
    a = corpus.ask("Why can the council not suspend the mayor wanted by the anti-corruption office?")
    text = check_answered(corpus, a)
    assert text.startswith("The mayor, Ewa Zielińska, is wanted") and text.endswith("so it cannot suspend her.")


def test_one_sentence_when_one_holds_the_whole_question(corpus):
    a = corpus.ask("Who is wanted by the anti-corruption office?")
    text = check_answered(corpus, a)
    assert text == "The mayor, Ewa Zielińska, is wanted by the anti-corruption office for questioning."


@pytest.mark.parametrize(
    ("question", "holds"),
    [
        ("What did Pawluszko inspect?", "Pawłuszko, an engineer at the Coastal Institute"),  # ł -> l
        ("Who runs the workshop in Strassburg?", "Straßburg"),  # ß -> ss
        ("What does Soren Ostergaard run?", "Søren Østergaard"),  # ø -> o
        ("Where is the mayor Zielinska wanted?", "Zielińska"),
    ],
)
def test_diacritics_are_folded_in_questions_and_articles(corpus, question, holds):
    assert holds in check_answered(corpus, corpus.ask(question))


def test_a_quotation_is_answered_with_its_speaker(corpus):
    a = corpus.ask("What did Pawluszko say about the old tower and the winter?")
    text = check_answered(corpus, a)
    assert "cannot survive another winter" in text
    assert a.answer.speaker is not None and "Pawłuszko" in a.answer.speaker.name


@pytest.mark.parametrize("question", ["How do vaccines work?", "Who will pay for the new school?"])
def test_off_topic_questions_are_declined_with_related_passages(corpus, question):
    a = corpus.ask(question)
    check_declined(a, question)
    article = corpus.article("lighthouse")
    assert a.related and not a.invalid
    for r in a.related:
        assert r.text == article.text[r.start:r.end]
        p = article.paragraph(r.paragraph)
        assert (p.start, p.end) == (r.start, r.end)


@pytest.mark.parametrize("question", ["Who won the World Cup?", "What is the capital of Peru?"])
def test_passages_sharing_no_word_with_the_question_are_not_offered_as_related(corpus, question):
    a = corpus.ask(question)
    check_declined(a, question)
    assert a.related == [] and not a.invalid


@pytest.mark.parametrize("question", ["", " ", "   \n\t  "])
def test_empty_questions_are_declined_with_a_reason(corpus, question):
    a = corpus.ask(question)
    check_declined(a, question)
    assert "empty" in a.reason.lower()
    assert a.related == []


def test_a_10000_character_question_is_declined_with_a_reason(corpus):
    question = "How much will the lighthouse cost? " * 286  # 10,010 characters
    question = question[:10_000]
    a = corpus.ask(question)
    check_declined(a, question)
    assert "10,000" in a.reason and str(MAX_QUESTION_CHARS) in a.reason


def test_the_length_limit_is_inclusive(corpus):
    q = "How much will the project cost?"
    at_limit = q + " " * (MAX_QUESTION_CHARS - len(q))
    assert validate(at_limit) is None
    assert corpus.ask(at_limit).answered
    assert validate(at_limit + "?") is not None


@pytest.mark.parametrize("question", ["the", "???", "Is it what it was?", "🙂"])
def test_questions_without_searchable_words_are_declined(corpus, question):
    a = corpus.ask(question)
    check_declined(a, question)
    assert a.invalid and HOW_TO_ASK in a.reason


@pytest.mark.parametrize("question", ["thanks!", "Hi there", "ok", "Good morning, bot!", "ok thanks!", "thank you so much bot"])
def test_greetings_get_a_hint_not_a_search(corpus, question):
    a = corpus.ask(question)
    check_declined(a, question)
    assert a.invalid and a.related == [] and HOW_TO_ASK in a.reason
    assert validate(question) == a.reason


def test_validate():
    assert validate("When will work start?") is None
    assert validate("What is this article about?") is None
    assert validate("") and validate("   ")
    assert "characters" in validate("x" * (MAX_QUESTION_CHARS + 1))


LEAD = "The council of Port Wren voted on Tuesday to rebuild the old lighthouse on Gull Point."


@pytest.mark.parametrize("question", ["What is this article about?", "what's the story about", "tl;dr",
                                      "Can you summarize the article?", "give me the gist", "Tell me about the article"])
def test_what_is_it_about_gets_the_lead_sentence(corpus, question):
    a = corpus.ask(question)
    assert check_answered(corpus, a) == LEAD  # the first sentence of the first body paragraph, not the headline
    assert not a.related


def test_a_question_about_one_topic_of_the_article_is_not_a_summary_request(corpus):
    assert check_answered(corpus, corpus.ask("What does the article say about the mayor?")) != LEAD
    assert "$7.2 million" in check_answered(corpus, corpus.ask("Summarize what the project will cost"))


def test_the_lead_of_several_articles_is_the_first_one(two):
    assert check_answered(two, two.ask("What is the article about?")).startswith("Growers in the Vistula valley")


def test_answers_are_deterministic(corpus):
    questions = ["How much will the project cost?", "Who won the World Cup?", "Where does Pawluszko work?", ""]
    first = [corpus.ask(q).model_dump_json() for q in questions]
    again = [corpus.ask(q).model_dump_json() for q in questions]
    rebuilt = Corpus.build([parse_article(LIGHTHOUSE, ArticleMeta(id="lighthouse", title="Port Wren lighthouse"))])
    fresh = [rebuilt.ask(q).model_dump_json() for q in questions]
    assert first == again == fresh


def test_answer_works_without_a_speaker_source():
    article = parse_article(LIGHTHOUSE, ArticleMeta(id="lighthouse"))
    a = answer(SearchIndex([article]), "How much will the project cost?")
    assert a.answered and "$7.2 million" in a.answer.text and a.answer.speaker is None


def test_who_wrote_the_article_gives_the_byline(corpus):
    article = corpus.article("lighthouse")
    for q in ("Who wrote the article?", "Who is the author of this story?"):
        a = corpus.ask(q)
        assert check_answered(corpus, a) == "Anna Reporter"
        assert a.answer.paragraph == len(article.paragraphs)


def test_who_wrote_without_a_byline_does_not_invent_one():
    article = parse_article("The ferry strike ended on Sunday.\nCrews will get a raise.\n", ArticleMeta(id="ferry"))
    c = Corpus.build([article])
    a = c.ask("Who wrote the article?")
    check_declined(a, "Who wrote the article?")


# -- several articles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "article_id", "holds"),
    [
        ("How many tonnes of apples will growers pick this autumn?", "apples", "4 million tonnes"),
        ("Which exports doubled last year?", "apples", "Egypt and India"),
        ("How much will the lighthouse project cost?", "lighthouse", "$7.2 million"),
        ("When was the lighthouse tower damaged?", "lighthouse", "March 2023"),
    ],
)
def test_a_corpus_answers_from_the_right_article(two, question, article_id, holds):
    a = two.ask(question)
    assert holds in check_answered(two, a)
    assert a.answer.article == article_id


def test_offsets_are_per_article_in_a_corpus(two):
    a = two.ask("How much will the lighthouse project cost?")
    lighthouse = two.article("lighthouse")
    assert a.answer.text == lighthouse.text[a.answer.start:a.answer.end]
    assert a.answer.start > 0 and LIGHTHOUSE.index("The project will cost") == a.answer.start


def test_related_passages_come_from_the_whole_corpus(two):
    a = two.ask("Who won the World Cup?")
    check_declined(a, "Who won the World Cup?")
    for r in a.related:
        assert r.text == two.article(r.article).text[r.start:r.end]


def test_who_wrote_picks_the_byline_of_the_article_asked_about(two):
    a = two.ask("Who wrote the article about the lighthouse?")
    assert a.answered and a.answer.article == "lighthouse" and a.answer.text == "Anna Reporter"


def test_who_wrote_this_with_several_articles_asks_which(two):
    a = two.ask("Who wrote this?")
    check_declined(a, "Who wrote this?")
    assert a.reason.startswith("Which article?") and "2 are loaded" in a.reason
    assert two.ask("Who wrote this?", article="apples").answer.text == "Bob Writer"


def test_who_wrote_without_a_byline_says_the_page_credits_the_author():
    c = Corpus.build([parse_article("The ferry strike ended on Sunday.\nCrews will get a raise.\n",
                                    ArticleMeta(id="ferry", author="Desk Editor"))])
    a = c.ask("who wrote it?")
    assert a.answered and a.answer is None and a.page_fact is not None
    assert (a.page_fact.field, a.page_fact.value, a.page_fact.article) == ("author", "Desk Editor", "ferry")
    assert "its page credits Desk Editor" in a.page_fact.line()


def test_when_was_it_published_gives_the_pages_date_as_the_pages():
    dated = parse_article("The ferry strike ended on Sunday.\nCrews will get a raise.\n",
                          ArticleMeta(id="ferry", published="2016-02-01"))
    a = Corpus.build([dated]).ask("When was it published?")
    assert a.answered and a.answer is None and a.page_fact.value == "2016-02-01" and a.page_fact.field == "published"
    assert "metadata" in a.page_fact.line()


def test_when_was_it_published_without_a_date_declines(two):
    check_declined(two.ask("when was this article published?"), "when was this article published?")


def test_who_is_quoted_lists_the_people_quoted_with_their_descriptions(two):
    a = two.ask("Who is quoted?")
    assert a.answered and a.answer is None and a.confidence == 1.0
    by_name = {p.name: p for p in a.people}
    assert {"Tomasz Pawłuszko", "Piotr Sadowski"} <= set(by_name)
    sadowski = by_name["Piotr Sadowski"]
    assert sadowski.articles == ["apples"] and sadowski.quotes == 1
    assert sadowski.description is not None
    assert APPLES[sadowski.description.start:sadowski.description.end] == sadowski.description.text
    assert "runs an orchard" in sadowski.description.text
    # one article asked about: only its people
    only = two.ask("Who is quoted?", article="apples")
    assert [p.name for p in only.people] == ["Piotr Sadowski"]


def test_who_is_quoted_in_an_article_without_quotations_declines():
    c = one_article("The ferry strike ended on Sunday.\nCrews will get a raise.\n", "ferry")
    check_declined(c.ask("which experts?"), "which experts?")


def test_a_question_about_a_reporter_in_the_story_is_not_a_byline_question():
    text = (
        "Mayor faces questions over ferry contract\n"
        "At Monday's press conference a local reporter asked the mayor why the ferry contract was never tendered.\n"
        "The mayor said the city had no time for a tender.\n"
        "Anna Reporter\n"
    )
    c = one_article(text, "ferry")
    a = c.ask("What did the reporter ask the mayor at the press conference?")
    assert a.answered and "tendered" in a.answer.text


def test_duplicate_article_ids_are_refused(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "news.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (tmp_path / "two" / "news.txt").write_text(APPLES, encoding="utf-8")
    with pytest.raises(ArticleError, match="news"):
        load_articles([tmp_path / "one", tmp_path / "two"])


def test_corpus_from_files_uses_file_names_as_ids(tmp_path):
    (tmp_path / "apples.txt").write_text(APPLES, encoding="utf-8")
    (tmp_path / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    c = Corpus.from_paths([tmp_path])
    assert [a.id for a in c.articles] == ["apples", "lighthouse"]
    assert c.article("missing") is None
    a = c.ask("How many tonnes of apples will growers pick this autumn?")
    assert a.answer.article == "apples"
    assert a.answer.text == load_article(tmp_path / "apples.txt").text[a.answer.start:a.answer.end]


def test_how_much_prefers_an_amount_of_money(corpus):
    # "pay" is not in the article: it says which kind of answer is wanted, and "$7.2 million" is one.
    for q in ("How much did the regional government pay for the project?", "What will the project cost?"):
        assert "$7.2 million" in check_answered(corpus, corpus.ask(q))


def test_how_long_prefers_a_duration(corpus):
    a = corpus.ask("How long have the fishermen waited for a proper light?")
    assert "twenty years" in check_answered(corpus, a)


MEETING = (
    "Mayors to meet over the bridge\n"
    "The mayors of Port Wren and Gull Point will meet in the town hall on Friday at 9:30 PM. "
    "This will be the first meeting between the two towns' leaders in four years.\n"
    "The bridge between the towns was closed in 2021.\n"
)


def test_what_time_prefers_a_time_of_day_and_when_prefers_a_date_to_a_duration():
    c = Corpus.build([parse_article(MEETING, ArticleMeta(id="meeting", title="Mayors meet"))])
    assert "9:30 PM" in check_answered(c, c.ask("What time is the meeting?"))
    assert "9:30 PM" in check_answered(c, c.ask("what time do the mayors meet"))
    # "in four years" says how long, not when: the meeting's day is the answer.
    assert "on Friday" in check_answered(c, c.ask("When will the mayors meet?"))


def test_who_wrote_finds_a_byline_over_the_story():
    wire = ("City approves bridge plan\nBy JANE MORROW Associated Press\n"
            "PORTLAND, Ore. (AP) — The city council voted 4-1 on Wednesday to replace the Riverside Bridge.\n")
    c = one_article(wire, "wire")
    assert check_answered(c, c.ask("Who wrote the article?")) == "By JANE MORROW Associated Press"
    assert check_answered(c, c.ask("what is this about")).startswith("PORTLAND, Ore. (AP) — The city council voted")


PROFILE = (
    "Bridge talks stall\n"
    "The mayor said Kowalski had not called her back. Later, Kowalski left the meeting early.\n"
    "Talks began in May. Regional governor Adam Kowalski, who leads the transport board, opposes the plan.\n"
    "Kowalski-Nowak is the name of the old bridge.\n"
)


def test_who_is_a_name_gets_the_sentence_naming_the_person_most_fully():
    c = one_article(PROFILE, "profile")
    for question in ("Who is Kowalski?", "who is kowalski"):
        assert check_answered(c, c.ask(question)).startswith("Regional governor Adam Kowalski, who leads")
    # other "who" questions rank as usual
    assert "left the meeting early" in check_answered(c, c.ask("Who left the meeting early?"))


BUDGET = (
    "# What's in the 2026 city budget\n"
    "The city council approved a $2.1 billion budget on Tuesday after a six-hour debate.\n"
    "## Key points\n"
    "- Police funding rises by 4%, to $310 million.\n"
    "- Bus fares are frozen for a second year.\n"
    "## What critics say\n"
    "Councillor Maya Fields voted against the budget.\n"
)


def test_a_heading_is_never_the_answer_the_text_under_it_is():
    c = one_article(BUDGET, "budget")
    # the headline holds "budget" and a number too, but a heading names a section, it answers nothing
    assert "$2.1 billion" in check_answered(c, c.ask("How big is the budget?"))
    assert check_answered(c, c.ask("What are the key points?")) == "Police funding rises by 4%, to $310 million."
    assert check_answered(c, c.ask("What do critics say?")) == "Councillor Maya Fields voted against the budget."


def test_a_question_verb_matches_the_article_noun():
    text = ("Harbour news\nSince the invasion of the harbour by jellyfish in June, swimming has been banned.\n"
            "The harbour master said the water was warm.\n")
    c = one_article(text, "harbour")
    assert "invasion of the harbour by jellyfish" in check_answered(c, c.ask("What invaded the harbour?"))


def test_a_greeting_before_a_question_does_not_hide_it(corpus):
    assert validate("ok so when will work start?") is None
    assert "2026" in check_answered(corpus, corpus.ask("hi! when will work start?"))


def test_a_q_and_a_interview_is_answered_from_its_answers_with_the_interviewee_as_speaker():
    interview = (
        "Drought: an interview with hydrologist Dr. Anna Berg\n"
        "Dr. Anna Berg has studied the Vistula river basin for twenty years.\n"
        "Q: What should the government do?\n"
        "A: Stop draining wetlands. Big dams are not the answer.\n"
        "Q: Will it rain this winter?\n"
        "A: Nobody can promise that.\n"
    )
    c = one_article(interview, "qa")
    a = c.ask("What should the government do?")  # the interviewer's question matches best: the answer is under it
    assert check_answered(c, a) == "Stop draining wetlands."
    assert a.answer.speaker.name == "Anna Berg"
    assert "Big dams are not the answer." in check_answered(c, c.ask("What does Berg think about dams?"))
    assert check_answered(c, c.ask("Who is Anna Berg?")).startswith("Dr. Anna Berg has studied")


def test_random_questions_never_crash_and_every_answer_is_verbatim(corpus):
    import random
    import string

    rng = random.Random(7)
    alphabet = string.printable + "łśżźćńąęóŁ“”‘’„«»—–…€£¥😀\u200b\u0301"
    words = LIGHTHOUSE.split()
    openers = ["who is ", "what is ", "tl;dr ", "Q: ", "A: ", "by ", "thanks ", "when ", "what time ", "how old "]
    article = corpus.article("lighthouse")
    for i in range(400):
        if i % 3 == 0:
            q = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        else:
            q = rng.choice(openers) * (i % 3 == 2) + " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        a = corpus.ask(q)
        assert a.answered == (a.answer is not None)
        if a.answer is not None:
            assert article.text[a.answer.start:a.answer.end] == a.answer.text
        else:
            assert a.reason


def test_a_question_can_be_asked_of_one_article(two):
    # "How many tonnes" is about apples; asked of the lighthouse article, it is not answered from apples
    assert two.ask("How many tonnes of apples will growers pick?").answer.article == "apples"
    scoped = two.ask("How many tonnes of apples will growers pick?", article="lighthouse")
    assert not scoped.answered and all(r.article == "lighthouse" for r in scoped.related)
    assert two.ask("When will work start?", article="lighthouse").answer.article == "lighthouse"
    assert check_answered(two, two.ask("Who wrote the article?", article="lighthouse")) == "Anna Reporter"
    assert check_answered(two, two.ask("Who wrote the article?", article="apples")) == "Bob Writer"
    assert check_answered(two, two.ask("What is this article about?", article="lighthouse")).startswith("The council")
    unknown = two.ask("When will work start?", article="weather")
    assert unknown.invalid and "weather" in unknown.reason


BRIDGE = (
    "Harbour bridge reopens\n"
    "The old mayor opened the harbour bridge with a long speech about the river and its ferries.\n"
    "The harbour bridge was opened to traffic again in March 2024, after repairs paid for by the port.\n"
)


def test_a_when_or_how_many_question_is_not_answered_by_a_sentence_without_a_date_or_number():
    c = one_article(BRIDGE, "bridge")
    # every word is there, but nothing says how old: that is no answer
    check_declined(c.ask("How old is the mayor?"), "How old is the mayor?")
    # the mayor's sentence holds more of the question; the one with the date answers it
    assert "March 2024" in check_answered(c, c.ask("When did the mayor open the bridge?"))


def test_a_question_to_a_person_on_a_topic_they_are_not_quoted_on_offers_their_quotes(corpus):
    q = "What does Pawluszko think about the fishermen?"
    a = corpus.ask(q)
    check_declined(a, q)
    assert "Pawłuszko" in (a.reason or "")
    assert a.related and all(c.speaker is not None and "Pawłuszko" in c.speaker.name for c in a.related)
    # on a topic they are quoted on, the quote answers
    assert "cannot survive another winter" in check_answered(corpus, corpus.ask("What does Pawluszko think about the tower?"))


def test_asking_what_someone_predicts_gets_their_words(corpus):
    assert "\"The old tower cannot survive" in check_answered(corpus, corpus.ask("What does Pawluszko predict?"))


def test_what_someone_said_outside_their_quotations_is_found_too():
    text = (
        "Town plans a night ferry\n"
        "\"The ferry will run every hour,\" said Mayor Ewa Nowak.\n"
        "Before the vote, the mayor promised she would phone the harbour master.\n"
    )
    c = one_article(text, "ferry")
    assert [e.name for e in c.experts()] == ["Ewa Nowak"]
    # her quotation says nothing of it; the reported speech does
    assert "phone the harbour master" in check_answered(c, c.ask("Did Nowak say she'd phone the harbour master?"))


def test_a_typo_is_put_right_towards_the_article_but_a_real_word_is_not(corpus):
    # "inspectd", "lighthuose": typos one letter from the article's words
    assert "inspected the tower" in check_answered(corpus, corpus.ask("who inspectd the lighthuose tower?"))
    # a misspelt name in lower case still finds the person's words
    assert "cannot survive another winter" in check_answered(corpus, corpus.ask("what does pawlusko think about the tower"))
    # "winner" is a word, not a typo of the article's "winter": the question is about something else
    check_declined(corpus.ask("Who was the winner?"), "Who was the winner?")


def test_spelling_knows_words_from_typos():
    from index.text.spelling import is_english_word

    assert is_english_word("defend") and is_english_word("reason")
    assert not is_english_word("develp") and not is_english_word("bokowski")


def test_what_something_cost_may_be_answered_in_words_how_much_needs_an_amount():
    text = "Council row\nThe mayor's delays cost the town its ferry licence.\nThe ferry carried 300 cars a day.\n"
    c = one_article(text, "row")
    assert "cost the town its ferry licence" in check_answered(c, c.ask("What did the mayor's delays cost?"))
    check_declined(c.ask("How much did the mayor's delays cost?"), "How much did the mayor's delays cost?")


def test_a_question_worded_with_a_word_close_in_meaning_finds_the_sentence():
    text = ("River town braces for floods\n"
            "Residents fear the river will burst its banks again before the new dam is finished.\n"
            "The mayor phoned the governor on Monday to ask for sandbags.\n")
    c = one_article(text, "river")
    assert "Residents fear the river" in check_answered(c, c.ask("What are the residents afraid of?"))
    assert "phoned the governor" in check_answered(c, c.ask("Who did the mayor call?"))


def test_a_verb_of_saying_in_the_question_can_match_the_quotations_own_sentence():
    text = ("Ferry row\n"
            "\"The ferry must stay,\" said Mayor Ewa Nowak. She emphasized that the harbour needs it all year.\n")
    c = one_article(text, "row2")
    assert "She emphasized" in check_answered(c, c.ask("What did Nowak emphasize?"))


def test_how_tall_or_far_is_answered_by_a_number_with_a_unit_or_not_at_all():
    text = ("Glacier report\n"
            "The mayor, 54, opened the new visitor centre on the glacier in 2019.\n"
            "The glacier's tongue has pulled back by 160 metres since then.\n")
    c = one_article(text, "glacier")
    assert "160 metres" in check_answered(c, c.ask("How far has the glacier's tongue retreated?"))
    check_declined(c.ask("How tall is the mayor?"), "How tall is the mayor?")


def test_where_a_quoted_person_works_is_answered_by_the_sentence_describing_them():
    text = ("Glacier shrinks\n"
            "The glacier has lost a tenth of its ice since 2022.\n"
            "\"We did not expect this,\" said Dr. Lena Brunner, a glaciologist at ETH Zurich who led the study.\n"
            "Brunner said the blankets on the ice help only locally.\n")
    c = one_article(text, "glacier")
    for q in ("Where does Brunner work?", "What does Lena Brunner do?", "Which institute is Brunner from?"):
        assert "a glaciologist at ETH Zurich" in check_answered(c, c.ask(q)), q


def test_asking_what_people_think_finds_what_they_said():
    text = ("Bakery chain grows\n"
            "The chain will open 12 new shops next year.\n"
            "Analysts at Peel Hunt said the expansion was \"ambitious but well funded\".\n")
    c = one_article(text, "bakery")
    # the article never says "think": that word asks for their words, it is not what they are about
    assert "ambitious but well funded" in check_answered(c, c.ask("What do analysts think?"))


def test_a_name_alone_is_answered_like_who_is(corpus):
    assert "an engineer at the Coastal Institute" in check_answered(corpus, corpus.ask("pawluszko?"))


LEAGUE = (
    "Harbour United lose again at home\n"
    "Harbour United lost 0:2 to Lake City on Saturday in front of 12,000 fans. After the defeat the club is ninth "
    "in the league table, four points behind Rovers. Coach Adam Brook said the team would fight back.\n"
    "City's striker Tom Vale scored both goals. He finished 3rd in the scoring chart last season.\n"
)


@pytest.mark.parametrize(("question", "expected"), [
    ("What position is Harbour United?", "ninth"),
    ("Where does Harbour United rank in the league?", "ninth"),
    ("Which place did Vale finish in the scoring chart?", "3rd"),
])
def test_an_ordinal_question_is_answered_with_the_sentence_that_holds_the_order(question, expected):
    c = one_article(LEAGUE, "league")
    a = c.ask(question)
    assert a.answered and expected in a.answer.text


def test_an_ordinal_question_with_no_order_in_the_article_is_declined():
    c = one_article(LEAGUE.replace("is ninth in", "is in").replace("finished 3rd in", "was in"), "league")
    assert not c.ask("What position is Harbour United?").answered


# -- between answering and declining: the best two ---------------------------------------------------------

COMMITTEES = (
    "Council splits over the budget\n"
    "The finance committee met on Monday to discuss the tram budget and the bus fares.\n"
    "The transport committee met on Friday to discuss the tram budget and the ferry fares.\n"
    "The mayor left for Berlin on Sunday.\n"
)


def test_a_close_call_shows_the_best_two_as_alternatives_not_as_an_answer():
    c = one_article(COMMITTEES, "council")
    q = "When did the committee meet to discuss the tram budget?"
    a = c.ask(q)
    assert not a.answered and a.answer is None and a.reason == "The article may answer it in one of these sentences."
    assert sorted(x.text.split()[1] for x in a.alternatives) == ["finance", "transport"]
    for alt in a.alternatives:  # verbatim, with its position
        assert COMMITTEES[alt.start:alt.end] == alt.text and alt.article == "council" and alt.paragraph in (2, 3)


@pytest.mark.parametrize(("question", "holds"), [
    ("When did the mayor leave for Berlin?", "Sunday"),
    ("Who discussed the ferry fares?", "transport committee"),  # one sentence holds more of it: no close call
])
def test_a_clear_best_sentence_is_answered_alone(question, holds):
    c = one_article(COMMITTEES, "council")
    a = c.ask(question)
    assert holds in check_answered(c, a) and a.alternatives == []


def _two_timetables() -> Corpus:
    return Corpus.build([
        parse_article("Ferry to Hel suspended\n\nThe ferry between Gdynia and Hel will stop running on 1 December "
                      "because the harbour will be dredged.\n", ArticleMeta(id="ferry", title="Ferry to Hel suspended")),
        parse_article("Winter timetable for Hel\n\nThe bus to Hel will stop running on 15 December, the transport "
                      "office said on Monday.\n", ArticleMeta(id="bus", title="Winter timetable for Hel")),
    ])


def test_with_several_articles_an_answer_names_another_that_answers_nearly_as_well():
    c = _two_timetables()
    a = c.ask("What will stop running to Hel?")
    assert a.answered and a.answer.article == "ferry"
    assert a.note == "From “Ferry to Hel suspended”; “Winter timetable for Hel” may answer it too (ask with article: bus)."
    clear = c.ask("When will the ferry between Gdynia and Hel stop running?")
    assert clear.answer.article == "ferry" and clear.note is None  # one article answers it clearly
    assert c.ask("What will stop running to Hel?", article="bus").note is None  # one article asked


def test_the_article_asked_about_is_the_one_whose_paragraphs_match_best(two):
    q = analyse("who wrote the article about apples and orchards?")
    assert two.article("apples") is two.search.articles[two.search.best_article(q, [0, 1])]
    assert two.search.best_article(q, [1]) is None  # the lighthouse has no paragraph about apples
    assert two.search.best_article(analyse("the"), [0, 1]) is None  # nothing to search


def test_who_wrote_an_op_ed_without_a_byline_is_answered_by_its_authors_tagline():
    text = ("Why our state is ready\n\nOur economy grew faster than any other state's last year, and we will keep "
            "cutting taxes for the families who made it happen.\n\nRick Scott is the Republican governor of Florida.\n")
    c = one_article(text, "oped")
    a = c.ask("who wrote this op-ed")
    assert check_answered(c, a) == "Rick Scott is the Republican governor of Florida."
    # a story that ends with an ordinary sentence has no tagline: no author is made up
    check_declined(one_article("Ferry news\n\nThe ferry stops.\n\nThe mayor is a patient man, said the union.\n", "f")
                   .ask("who wrote it?"), "who wrote it?")
