"""A corpus: the articles the bot answers about, with their search index and attribution.

One Corpus is an immutable snapshot. Refreshing builds a new one and swaps the
reference (index.service), so a question is always answered from a whole index.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .answer import answer
from .article import ArticleError, load_article
from .attribution import Attribution, attribute
from .html import HTML_SUFFIXES
from .models import Answer, Article, Expert, ExpertLookup, Quote
from .search import SearchIndex, parts_by_article

DEFAULT_ARTICLES_DIR = Path(__file__).resolve().parent.parent / "articles"
ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)


def article_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their article files (sorted, so ids and order are stable)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.suffix in ARTICLE_SUFFIXES and f.is_file()))
        else:
            out.append(p)
    return out


def load_articles(paths: list[Path]) -> list[Article]:
    files = article_paths(paths)
    if not files:
        raise ArticleError("no article files found in " + ", ".join(str(p) for p in paths))
    articles = [load_article(f) for f in files]
    seen: set[str] = set()
    for a in articles:
        if a.id in seen:
            raise ArticleError(f"two articles share the id {a.id!r}: article file names must differ")
        seen.add(a.id)
    return articles


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    search: SearchIndex
    attribution: Attribution
    built_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @classmethod
    def build(cls, articles: list[Article], previous: "Corpus | None" = None) -> "Corpus":
        """Index the articles. With `previous` (the corpus being replaced), the per-article work
        for articles it already holds (the same Article objects) is reused: only changed and new
        articles are tokenized and analysed, then the corpus-wide statistics are recomputed."""
        # Tens of thousands of new objects beside millions of old ones: without this the cyclic
        # collector rescans the serving index during a refresh (0.5 s of a 1,000-article one).
        enabled = gc.isenabled()
        gc.disable()
        try:
            if previous is None:
                return cls(articles=list(articles), search=SearchIndex(articles), attribution=attribute(articles))
            return cls(articles=list(articles), search=SearchIndex(articles, parts_by_article(previous.search)),
                       attribution=attribute(articles, previous.attribution))
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def from_paths(cls, paths: list[Path] | None = None) -> "Corpus":
        return cls.build(load_articles(paths or [DEFAULT_ARTICLES_DIR]))

    def ask(self, question: str, article: str | None = None) -> Answer:
        """The answer from all the articles, or from the one whose id is `article`."""
        return answer(self.search, question, self.attribution, article)

    def quotes(self) -> list[Quote]:
        return self.attribution.quotes

    def experts(self) -> list[Expert]:
        return self.attribution.experts

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        return self.attribution.lookup(name, topic)

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)
