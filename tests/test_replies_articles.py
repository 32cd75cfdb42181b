"""bot/replies/articles.py: /about, /articles list on pages, and the article autocomplete."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.replies import articles
from bot.terminal import to_text
from bot.text import EMBED_DESCRIPTION_LIMIT
from index.service import ArticleInfo, CorpusInfo, QAService


def test_about_shows_the_article_and_the_index(toy_service: QAService):
    about = articles.about(toy_service)
    text = to_text(about)
    assert "Port Wren gets a new lighthouse" in text and "Jan Reporter" in text
    assert "3 quotes, 2 experts" in text


def test_articles_list_shows_every_article_on_pages_within_the_embed_limit():
    """Not "… and 29 more" cut at the first long line: every article is on some page."""
    long_title = "A very long headline about the harbour, the ferry and the bridge " * 4
    arts = [ArticleInfo(id=f"story-{i:02d}", title=f"{i}: {long_title}", author=None, source="Coast News",
                        url=f"https://news.example/{i}/" + "x" * 150, paragraphs=3, sentences=9, indexed_ago="1 hour ago")
            for i in range(60)]
    info = CorpusInfo(articles=arts, built_at=datetime.now(timezone.utc), passages=1, sentences=1, quotes=0, experts=0)
    pages = articles.articles_pages(None, info)
    assert len(pages) > 1
    text = "\n".join(p.description for p in pages)
    assert all(f"`story-{i:02d}`" in text for i in range(60))
    assert all(len(p.description) <= EMBED_DESCRIPTION_LIMIT for p in pages)
    assert [p.footer.split(" · ")[0] for p in pages] == [f"Page {n}/{len(pages)}" for n in range(1, len(pages) + 1)]
    assert "more article" not in text
    one = articles.articles_pages(None, info.model_copy(update={"articles": arts[:2]}))
    assert len(one) == 1 and "Page" not in one[0].footer


def test_article_autocomplete_reads_the_corpus_not_about(toy_service, monkeypatch):
    def boom():
        raise AssertionError("about() summarises the whole index: too slow per keystroke")

    monkeypatch.setattr(toy_service, "about", boom)
    assert articles.article_choices(toy_service, "port") == [("port-wren — Port Wren gets a new lighthouse", "port-wren")]
    assert articles.article_choices(toy_service, "lighthouse") == articles.article_choices(toy_service, "")
    assert articles.article_choices(toy_service, "zzz") == []
