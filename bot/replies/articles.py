"""The articles: /about (what the index holds), /articles list (every article, on pages), the article autocomplete."""

from __future__ import annotations

from index.text.display import printable_line
from index.service import CorpusInfo

from ..text import (CHOICE_NAME_LIMIT, CHOICE_VALUE_LIMIT, CHOICES_LIMIT, EMBED_DESCRIPTION_LIMIT,
                    EMBED_FIELD_NAME_LIMIT, EMBED_FIELD_VALUE_LIMIT, escape_md, plural, truncate)
from .models import Field, Reply
from .reader import Reader

ABOUT_ARTICLES_SHOWN = 20


def _origin(a) -> str | None:
    """Where an article is read from: its URL, else the file (just the name), else None."""
    if a.url:
        return a.url
    if a.origin:
        return a.origin if "://" in a.origin else a.origin.replace("\\", "/").rsplit("/", 1)[-1]
    return None


def _source_line(a) -> str | None:
    origin = _origin(a)
    if origin and "://" in origin:  # a URL is shown as a link, never escaped (that would break it)
        return f"{escape_md(a.source)} · <{origin}>" if a.source else f"<{origin}>"
    parts = [escape_md(x) for x in (a.source, origin) if x]
    return " · ".join(parts) or None


def about(service: Reader, info: CorpusInfo | None = None, problems: list[str] | None = None) -> Reply:
    """What the bot answers about; with `problems` (for moderators and the operator), the sources that failed."""
    info = info or service.about()
    fields = []
    for a in info.articles[:ABOUT_ARTICLES_SHOWN]:
        title = escape_md(a.title or a.id)
        lines = [f"[{title}]({a.url})" if a.url else f"*{title}*"]
        if a.author:
            lines.append(f"By {escape_md(a.author)}")
        source = _source_line(a)
        if source:
            lines.append(source)
        counts = f"{plural(a.paragraphs, 'paragraph')}, {plural(a.sentences, 'sentence')}"
        lines.append(counts + (f" · indexed {a.indexed_ago}" if a.indexed_ago else ""))
        fields.append(Field(truncate(a.id, EMBED_FIELD_NAME_LIMIT), truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT)))
    more = len(info.articles) - ABOUT_ARTICLES_SHOWN
    if more > 0:
        fields.append(Field("More", f"… and {plural(more, 'more article')}: moderators' `/articles list` shows them all."))
    one = len(info.articles) == 1
    desc = (
        f"I answer questions about the {'article' if one else 'articles'} below using only {'its' if one else 'their'} own sentences. "
        "Mention me with a question, use `/ask`, or right-click a message → Apps → *Ask the article*."
    )
    counts = (f"{plural(info.passages, 'passage')}, {plural(info.sentences, 'sentence')}, "
              f"{plural(info.quotes, 'quote')}, {plural(info.experts, 'expert')}")
    built = f"Built {info.built_at:%Y-%m-%d %H:%M} UTC" + (f" ({info.indexed_ago})" if info.indexed_ago else "")
    fields.append(Field("Index", f"{counts}\n{built}"))
    if problems:
        shown = "\n".join(escape_md(truncate(p, 300)) for p in problems[:5])
        more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
        fields.insert(0, Field(f"Sources that failed ({len(problems)})", truncate(shown + more, EMBED_FIELD_VALUE_LIMIT)))
    title = "About the article" if one else f"About the {len(info.articles)} articles"
    return Reply(kind="info", title=title, description=desc, fields=fields)


def articles_pages(service: Reader, info: CorpusInfo | None = None) -> list[Reply]:
    """/articles list: every article with its title, source and how fresh it is, on as many pages as it takes."""
    info = info or service.about()
    footer = "Moderators: /articles add URL, /articles remove ARTICLE, /reindex [ARTICLE]"
    title = f"Articles ({len(info.articles)})"
    if not info.articles:
        return [Reply(kind="info", title="Articles", description="No article is indexed.")]
    lines = []
    for a in info.articles:
        name = escape_md(truncate(a.title or a.id, 150))
        line = f"`{truncate(a.id, 100)}` — " + (f"[{name}]({a.url})" if a.url else f"**{name}**")
        source = _source_line(a)
        if source:
            line += f"\n  {truncate(source, 400)}"
        line += f" · indexed {a.indexed_ago or 'at an unknown time'}"
        lines.append(line)
    bodies: list[str] = []
    text = ""
    for line in lines:  # each line is well under the limit, so every article is on some page
        if text and len(text) + 1 + len(line) > EMBED_DESCRIPTION_LIMIT:
            bodies.append(text)
            text = ""
        text += ("\n" if text else "") + line
    bodies.append(text)
    many = len(bodies) > 1
    return [Reply(kind="info", title=title, description=body,
                  footer=f"Page {n}/{len(bodies)} · {footer}" if many else footer)
            for n, body in enumerate(bodies, 1)]


def article_choices(service: Reader, current: str) -> list[tuple[str, str]]:
    """(name, value) autocomplete choices over the indexed article ids, within Discord's limits."""
    cur = current.strip().casefold()
    scored = []
    corpus = service.corpus
    for a in corpus.articles if corpus is not None else []:  # read only, no per-keystroke summary of the index (service.about)
        hay = [a.id.casefold(), (a.meta.title or "").casefold()]
        if not cur:
            rank = 1
        elif any(h.startswith(cur) for h in hay):
            rank = 0
        elif any(cur in h for h in hay):
            rank = 1
        else:
            continue
        scored.append((rank, a))
    scored.sort(key=lambda t: t[0])
    out = []
    for _, a in scored:
        if len(a.id) > CHOICE_VALUE_LIMIT:  # a value Discord cannot carry; such an id is typed by hand
            continue
        title = a.meta.title
        label = printable_line(a.id + (f" — {title}" if title and title != a.id else ""))
        out.append((truncate(label, CHOICE_NAME_LIMIT), a.id))
        if len(out) == CHOICES_LIMIT:
            break
    return out
