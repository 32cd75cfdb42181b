"""bot/replies/answers.py: answers and declines as replies (the quote, the speaker line, where, confidence), within limits."""

from __future__ import annotations

from bot.render import to_embed
from bot.replies import answers
from bot.terminal import to_text
from bot.text import (
    ELLIPSIS,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TOTAL_LIMIT,
)
from index.models import Answer, AnswerSpan, Candidate, PageFact, PersonQuoted, Span, Speaker
from index.service import QAService


def _answer(text: str, speaker: Speaker | None = None, excerpt: str | None = None) -> Answer:
    excerpt = excerpt or text
    start = excerpt.index(text)
    return Answer(question="What did they say?", answered=True, confidence=0.9,
                  answer=AnswerSpan(text=text, start=start, end=start + len(text), article="a", paragraph=3, speaker=speaker),
                  excerpt=Span(text=excerpt, start=0, end=len(excerpt)))


def test_speaker_line_under_a_quoted_answer(shipped_service: QAService):
    speaker = Speaker(name="Daniel Boćkowski", description="a professor at the University of Białystok who specializes in international security")
    reply = answers.answer_reply(shipped_service, _answer("Putin will want to follow up.", speaker))
    assert "— Daniel Boćkowski, professor at the University of Białystok\n" in reply.description + "\n"
    embed = to_embed(reply)
    assert embed.description.startswith("> Putin will want to follow up.")
    assert "— Daniel Boćkowski" in to_text(reply)


def test_no_speaker_line_without_a_speaker(shipped_service: QAService):
    reply = answers.answer_reply(shipped_service, _answer("Alaska was sold in 1867."))
    assert "—" not in reply.description


def test_oversized_answer_is_truncated_within_limits(shipped_service: QAService):
    long = ("This sentence goes on and on about the summit in Anchorage " * 200).strip() + "."
    reply = answers.answer_reply(shipped_service, _answer(long, excerpt="Before. " + long + " After."))
    embed = to_embed(reply)
    assert len(embed.description) <= EMBED_DESCRIPTION_LIMIT and len(embed) <= EMBED_TOTAL_LIMIT
    assert embed.description.rstrip().endswith(ELLIPSIS)
    assert all(len(f.value) <= EMBED_FIELD_VALUE_LIMIT for f in embed.fields)


def test_answer_shows_where_and_confidence(shipped_service: QAService):
    reply = answers.ask(shipped_service, "Who sold Alaska?")
    assert reply.kind == "answer" and reply.answered
    embed = to_embed(reply)
    names = [f.name for f in embed.fields]
    assert names == ["Source excerpt", "Where"]
    assert "**" in embed.fields[0].value  # the answer is highlighted in the excerpt
    assert embed.fields[1].value.startswith("Paragraph ")
    assert embed.footer.text.startswith("Confidence:")


def test_decline_says_so_and_lists_closest_passages(shipped_service: QAService):
    a = Answer(question="What is the weather on Mars?", answered=False, confidence=0.0, reason="The article doesn't say.",
               related=[Candidate(text="Some passage.", start=0, end=13, article="trump-putin-alaska", paragraph=2, score=1.0)])
    reply = answers.answer_reply(shipped_service, a)
    assert reply.kind == "decline"
    assert reply.description.startswith("**The article doesn't say.**")
    assert reply.description.count("doesn't say") == 1
    assert reply.fields[0].name == "Paragraph 2" and "Some passage." in reply.fields[0].value


def test_mentions_in_questions_are_echoed_inert(shipped_service: QAService):
    reply = answers.ask(shipped_service, "@everyone who is *meeting* in Alaska?")
    assert reply.title == "@everyone who is *meeting* in Alaska?"  # titles are plain text; pings are off when sent


def test_who_is_quoted_is_a_list_of_people_within_limits(shipped_service: QAService):
    reply = answers.ask(shipped_service, "who is quoted?")
    assert reply.kind == "info" and reply.answer.people
    first = reply.answer.people[0]
    assert f"**{first.name}**" in reply.description and "quote" in reply.description
    many = Answer(question="who is quoted?", answered=True, confidence=1.0,
                  people=[PersonQuoted(name=f"Person {i} *bold*", quotes=i,
                                       description=Span(text="an expert " * 20, start=0, end=200)) for i in range(80)])
    embed = to_embed(answers.answer_reply(shipped_service, many))
    assert len(embed) <= EMBED_TOTAL_LIMIT and embed.description.endswith("(80 in all)")
    assert "\\*bold\\*" in embed.description  # a name is shown as text, not markdown


def test_a_page_fact_is_said_as_the_pages_not_quoted(shipped_service: QAService):
    a = Answer(question="when was it published?", answered=True, confidence=1.0,
               page_fact=PageFact(article="a", field="published", value="2016-02-01"))
    reply = answers.answer_reply(shipped_service, a)
    assert reply.kind == "info" and "2016-02-01" in reply.description and not reply.description.startswith(">")
    assert "metadata" in reply.footer and "metadata" in to_text(reply)


def test_alternatives_are_shown_verbatim_each_with_its_place_and_no_answer_colour(shipped_service: QAService):
    article = shipped_service.corpus.articles[0]
    spans = [AnswerSpan(text=article.text[s.start:s.end], start=s.start, end=s.end, article=article.id,
                        paragraph=s.paragraph, speaker=Speaker(name="*Someone*") if i else None)
             for i, s in enumerate(article.sentences[3:5])]
    a = Answer(question="what happened?", answered=False, confidence=0.6, alternatives=spans,
               reason="The article may answer it in one of these sentences.")
    reply = answers.answer_reply(shipped_service, a)
    assert reply.kind == "decline" and reply.description.startswith("The article may answer it")
    assert [f.name for f in reply.fields] == ["1.", "2."]
    for field, span in zip(reply.fields, spans):
        assert field.value.startswith("> ") and f"Paragraph {span.paragraph} of " in field.value
        assert "characters" not in field.value and f"{span.start}–{span.end}" not in field.value  # no offsets for people
    assert "\\*Someone\\*" in reply.fields[1].value  # a speaker's name is text, not markdown
    embed = to_embed(reply)
    assert len(embed) <= EMBED_TOTAL_LIMIT and all(len(f.value) <= EMBED_FIELD_VALUE_LIMIT for f in embed.fields)


PAWLUSZKO = ("works at the Łukasiewicz Research Network (ITECH Institute), studies technological rivalry between states, "
             "and also lectures at the University of Opole")


def test_the_speaker_line_is_short_and_grammatical(shipped_service: QAService):
    """The first clause as a noun phrase, at most ~60 characters, cut between words; /expert has the full one."""
    line = answers.speaker_line(Speaker(name="Tomasz Pawłuszko", description=PAWLUSZKO))
    assert line == "— Tomasz Pawłuszko, Łukasiewicz Research Network"
    assert answers.speaker_line(Speaker(name="Kaja Kallas", description="EU foreign policy chief")) == "— Kaja Kallas, EU foreign policy chief"
    assert answers.speaker_line(Speaker(name="Mark Rutte")) == "— Mark Rutte"
    long = "senior research fellow at the Institute for Strategic and International Studies of the Carnegie Endowment"
    short = answers.short_description(long)
    assert len(short) <= answers.SPEAKER_DESCRIPTION_LIMIT and short.endswith("…")
    assert long.startswith(short[:-1]) and long[len(short) - 1] == " "  # cut at a word boundary, never mid-word
    assert short.split()[-1].rstrip("…") not in {"the", "of", "for", "and"}
    reply = answers.answer_reply(shipped_service, _answer("Europe is a technological dwarf.",
                                                          Speaker(name="Tomasz Pawłuszko", description=PAWLUSZKO)))
    assert reply.description.splitlines()[-1] == "— Tomasz Pawłuszko, Łukasiewicz Research Network"


def test_alternatives_and_declines_use_the_short_speaker_line(shipped_service: QAService):
    article = shipped_service.corpus.articles[0]
    s = article.sentences[3]
    who = Speaker(name="Tomasz Pawłuszko", description=PAWLUSZKO)
    alt = AnswerSpan(text=article.text[s.start:s.end], start=s.start, end=s.end, article=article.id,
                     paragraph=s.paragraph, speaker=who)
    alternatives = answers.answer_reply(shipped_service, Answer(question="what?", answered=False, confidence=0.6,
                                                                alternatives=[alt, alt]))
    declined = answers.answer_reply(shipped_service, Answer(
        question="what?", answered=False, confidence=0.0,
        related=[Candidate(text="Some passage.", start=0, end=13, article=article.id, paragraph=2, score=1.0, speaker=who)]))
    for reply in (alternatives, declined):
        value = reply.fields[0].value
        assert "— Tomasz Pawłuszko, Łukasiewicz Research Network" in value and "studies" not in value


def test_no_excerpt_when_it_is_the_answer_itself(shipped_service: QAService):
    same = answers.answer_reply(shipped_service, _answer("Alaska was sold in 1867."))
    assert [f.name for f in same.fields] == ["Where"]
    wider = answers.answer_reply(shipped_service, _answer("Alaska was sold in 1867.", excerpt="Before. Alaska was sold in 1867."))
    assert [f.name for f in wider.fields] == ["Source excerpt", "Where"]


def test_an_answer_says_where_without_character_offsets(shipped_service: QAService):
    reply = answers.ask(shipped_service, "Who sold Alaska?")
    span = reply.answer.answer
    where = next(f.value for f in reply.fields if f.name == "Where")
    assert where.startswith(f"Paragraph {span.paragraph} of ") and "characters" not in where
    assert f"{span.start}–{span.end}" not in to_text(reply)  # the terminal chat neither (the JSON and the CLI have them)
    assert reply.url is None or reply.url.startswith("http")  # the "Read the article" button's link
