"""Rendering without any network: Discord's limits, truncation at word boundaries, the speaker line."""

from __future__ import annotations

import pytest

from bot.render import to_embed, to_text
from bot.replies import answers
from bot.replies.models import Field, Reply
from bot.text import (
    CHOICE_NAME_LIMIT,
    CHOICES_LIMIT,
    ELLIPSIS,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    escape_md,
    highlight,
    plain,
    truncate,
)
from index.models import Answer, AnswerSpan, Candidate, Expert, Span, Speaker
from index.service import QAService


def test_truncate_keeps_short_text():
    assert truncate("short", 10) == "short"


def test_truncate_cuts_at_a_word_boundary():
    out = truncate("the quick brown fox jumps over the lazy dog", 20)
    assert len(out) <= 20 and out.endswith(ELLIPSIS)
    assert out == "the quick brown fox" + ELLIPSIS


def test_truncate_long_word_is_cut_hard():
    out = truncate("x" * 50, 10)
    assert len(out) == 10 and out.endswith(ELLIPSIS)


def test_truncate_never_leaves_a_dangling_escape():
    text = escape_md("a" * 8 + "*" * 20)
    for limit in range(2, 30):
        out = truncate(text, limit)
        assert len(out) <= limit
        assert not (out.rstrip(ELLIPSIS).endswith("\\") and not out.rstrip(ELLIPSIS).endswith("\\\\"))


def test_escape_and_plain_round_trip():
    text = "A *bold* claim_with [brackets] > and `code` | pipes \\ slash"
    assert plain(escape_md(text)) == text


def test_highlight_marks_the_answer_and_fits():
    text = ("Lorem ipsum dolor sit amet. " * 80) + "THE ANSWER IS HERE." + (" Consectetur adipiscing elit." * 80)
    start = text.index("THE ANSWER")
    out = highlight(text, start, start + len("THE ANSWER IS HERE."), EMBED_FIELD_VALUE_LIMIT)
    assert len(out) <= EMBED_FIELD_VALUE_LIMIT
    assert "**THE ANSWER IS HERE.**" in out
    assert out.startswith(ELLIPSIS) and out.endswith(ELLIPSIS)


def test_embed_within_every_limit():
    reply = Reply(kind="answer", title="t" * 1000, description="word " * 3000, footer="f" * 3000,
                  fields=[Field("n" * 400, "v " * 2000) for _ in range(40)])
    embed = to_embed(reply)
    assert len(embed.title) <= EMBED_TITLE_LIMIT
    assert len(embed.description) <= EMBED_DESCRIPTION_LIMIT
    assert len(embed.fields) <= 25
    assert all(len(f.value) <= EMBED_FIELD_VALUE_LIMIT and len(f.name) <= 256 for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_LIMIT


def _answer(text: str, speaker: Speaker | None = None, excerpt: str | None = None) -> Answer:
    excerpt = excerpt or text
    start = excerpt.index(text)
    return Answer(question="What did they say?", answered=True, confidence=0.9,
                  answer=AnswerSpan(text=text, start=start, end=start + len(text), article="a", paragraph=3, speaker=speaker),
                  excerpt=Span(text=excerpt, start=0, end=len(excerpt)))


def test_speaker_line_under_a_quoted_answer(shipped_service: QAService):
    speaker = Speaker(name="Daniel Boćkowski", description="professor at the University of Białystok")
    reply = answers.answer_reply(shipped_service, _answer("Putin will want to follow up.", speaker))
    assert "— Daniel Boćkowski, professor at the University of Białystok" in reply.description
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


def test_autocomplete_choices_within_limits():
    long_name = "Professor " + "Verylongname " * 20
    experts = [Expert(name=f"Person {i:02d}", titles=["t" * 150]) for i in range(40)] + [Expert(name=long_name.strip())]

    class Svc:
        def experts(self):
            return experts

    choices = answers.expert_choices(Svc(), "")  # type: ignore[arg-type]
    assert len(choices) == CHOICES_LIMIT
    assert all(len(n) <= CHOICE_NAME_LIMIT and len(v) <= 100 for n, v in choices)
    assert answers.expert_choices(Svc(), "person 07")[0][1] == "Person 07"  # type: ignore[arg-type]


@pytest.mark.parametrize("per_page", [1, 5])
def test_expert_pages(toy_service: QAService, per_page: int):
    pages = answers.expert(toy_service, "Kowalska", per_page=per_page)
    assert len(pages) == (2 if per_page == 1 else 1)
    assert pages[0].title == "Anna Kowalska"
    assert "an engineer at the Coastal Institute" in pages[0].description
    assert "Quoted **2 times**" in pages[0].description


def test_expert_topic_ranks_quotes(toy_service: QAService):
    pages = answers.expert(toy_service, "Kowalska", "summer season")
    assert "summer season" in pages[0].fields[0].value


def test_unknown_expert_suggests(toy_service: QAService):
    [page] = answers.expert(toy_service, "Kowalsky")
    assert page.kind == "decline" and "Did you mean **Anna Kowalska**" in page.description


def test_experts_and_about(toy_service: QAService):
    assert "Anna Kowalska" in answers.experts(toy_service).description
    about = answers.about(toy_service)
    text = to_text(about)
    assert "Port Wren gets a new lighthouse" in text and "Jan Reporter" in text
    assert "3 quotes, 2 experts" in text


def test_articles_list_shows_every_article_on_pages_within_the_embed_limit():
    """Not "… and 29 more" cut at the first long line: every article is on some page."""
    from datetime import datetime, timezone

    from bot.replies.answers import articles_pages
    from bot.text import EMBED_DESCRIPTION_LIMIT
    from index.service import ArticleInfo, CorpusInfo

    long_title = "A very long headline about the harbour, the ferry and the bridge " * 4
    arts = [ArticleInfo(id=f"story-{i:02d}", title=f"{i}: {long_title}", author=None, source="Coast News",
                        url=f"https://news.example/{i}/" + "x" * 150, paragraphs=3, sentences=9, indexed_ago="1 hour ago")
            for i in range(60)]
    info = CorpusInfo(articles=arts, built_at=datetime.now(timezone.utc), passages=1, sentences=1, quotes=0, experts=0)
    pages = articles_pages(None, info)
    assert len(pages) > 1
    text = "\n".join(p.description for p in pages)
    assert all(f"`story-{i:02d}`" in text for i in range(60))
    assert all(len(p.description) <= EMBED_DESCRIPTION_LIMIT for p in pages)
    assert [p.footer.split(" · ")[0] for p in pages] == [f"Page {n}/{len(pages)}" for n in range(1, len(pages) + 1)]
    assert "more article" not in text
    one = articles_pages(None, info.model_copy(update={"articles": arts[:2]}))
    assert len(one) == 1 and "Page" not in one[0].footer
