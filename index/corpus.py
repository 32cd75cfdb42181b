"""A corpus: the articles the bot answers about, with their search index and attribution.

One Corpus is an immutable snapshot. Refreshing builds a new one and swaps the
reference (index.service), so a question is always answered from a whole index.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .answer import answer
from .conversation import Turn
from .text.article import ArticleError, is_utf8_name, load_article, shown_path
from .quotes.attribution import Attribution, attribute
from .text.html import HTML_SUFFIXES
from .models import Answer, Article, Expert, ExpertLookup, Quote
from .retrieval.search import SearchIndex, parts_by_article
from .text.parser import Parser, spacy_parser

DEFAULT_ARTICLES_DIR = Path(__file__).resolve().parent.parent / "articles"
ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)


log = logging.getLogger(__name__)


def folder_articles(folder: Path) -> list[Path]:
    """The article files of a folder, sorted (so ids and order are stable). OSError if it cannot be listed.

    Only regular files are articles: a FIFO would block the reader and a device never ends. A name
    that is not UTF-8 could be neither shown, stored nor sent, so such a file is skipped; each skip is
    one logged line, and the rest of the folder is read."""
    out: list[Path] = []
    for f in sorted(folder.iterdir()):
        if f.suffix not in ARTICLE_SUFFIXES:
            continue
        if not is_utf8_name(f):
            log.warning("skipped %s: its name is not valid UTF-8 (rename the file)", shown_path(f))
        elif not _is_regular(f):
            log.warning("skipped %s: not a regular file", shown_path(f))
        else:
            out.append(f)
    return out


def _is_regular(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a permission error on stat: it cannot be read either
        return False


def article_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their article files (sorted, so ids and order are stable)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            try:
                out.extend(folder_articles(p))
            except OSError as exc:
                raise ArticleError(f"cannot list folder {shown_path(p)}: {exc.strerror}") from None
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
    def build(cls, articles: list[Article], previous: "Corpus | None" = None,
              parser: Parser = spacy_parser) -> "Corpus":
        """Index the articles. With `previous` (the corpus being replaced), the per-article work
        for articles it already holds (the same Article objects) is reused: only changed and new
        articles are tokenized and analysed, then the corpus-wide statistics are recomputed. The
        parser (spaCy's, loaded at its first use) is called only for new and changed articles."""
        # Tens of thousands of new objects beside millions of old ones: without this the cyclic
        # collector rescans the serving index during a refresh (0.5 s of a 1,000-article one).
        enabled = gc.isenabled()
        gc.disable()
        try:
            if previous is None:
                return cls(articles=list(articles), search=SearchIndex(articles),
                           attribution=attribute(articles, parser=parser))
            return cls(articles=list(articles), search=SearchIndex(articles, parts_by_article(previous.search)),
                       attribution=attribute(articles, previous.attribution, parser))
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def from_paths(cls, paths: list[Path] | None = None, parser: Parser = spacy_parser) -> "Corpus":
        return cls.build(load_articles(paths or [DEFAULT_ARTICLES_DIR]), parser=parser)

    def ask(self, question: str, article: str | None = None, context: Turn | None = None) -> Answer:
        """The answer from all the articles, or from the one whose id is `article`; `context`: the
        conversation's last turn, for a follow-up."""
        return answer(self.search, question, self.attribution, article, context)

    def quotes(self) -> list[Quote]:
        return self.attribution.quotes

    def experts(self) -> list[Expert]:
        return self.attribution.experts

    def expert(self, name: str, topic: str | None = None) -> ExpertLookup:
        return self.attribution.lookup(name, topic)

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)
