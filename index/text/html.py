"""The article in an HTML page: its main text and metadata, without menus, ads and footers.

trafilatura does the extraction (it is what the best readers use, and hand-written tag
stripping keeps navigation and cookie banners). Used for fetched pages and for saved
`.html` files alike, so both give the same text, and every offset is into that text.
"""

from __future__ import annotations

HTML_SUFFIXES = (".html", ".htm")


class NoArticleText(ValueError):
    """The page holds no article text trafilatura can find."""


def extract(html: str | bytes, url: str | None = None) -> tuple[str, dict[str, str]]:
    """The page's main text, and the metadata it names (title, author, published, source, language)."""
    import trafilatura  # ~0.5 s to import: only when a page is actually read

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False,
        # The date the page's markup states, never one guessed from its text ("Copyright 2026" is no date).
        date_extraction_params={"extensive_search": False},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise NoArticleText("no article text found in the HTML")
    found = {
        "title": doc.title,
        "author": doc.author,
        "published": doc.date,
        "source": doc.sitename,
        "language": getattr(doc, "language", None),
    }
    return text.strip() + "\n", {k: v for k, v in found.items() if v}
