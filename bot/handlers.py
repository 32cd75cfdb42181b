"""The bot's behaviour without Discord: core results in, Reply models out.

Used by the Discord cogs and by the terminal chat alike. The functions that call
the core are synchronous; the cogs run them with asyncio.to_thread.
"""

from __future__ import annotations

from index.models import Answer, Candidate, Expert, Quote
from index.service import CorpusInfo, QAService, RefreshReport

from .replies import Field, Reply
from .store import Stats
from .text import (
    CHOICE_NAME_LIMIT,
    CHOICE_VALUE_LIMIT,
    CHOICES_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    escape_md,
    highlight,
    truncate,
)

NOT_COVERED = "The article doesn't say"
QUOTES_PER_PAGE = 5
RELATED_SHOWN = 3


def confidence_label(confidence: float) -> str:
    level = "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"
    return f"Confidence: {level} ({confidence:.0%})"


def _article_label(service: QAService, article_id: str) -> tuple[str, str | None]:
    a = service.corpus.article(article_id)
    if a is None:
        return article_id, None
    return a.meta.title or a.id, a.meta.url


def _paragraph_of(service: QAService, article_id: str, offset: int) -> int | None:
    a = service.corpus.article(article_id)
    if a is None:
        return None
    for p in a.paragraphs:
        if p.start <= offset < p.end:
            return p.number
    return None


def _where(service: QAService, article_id: str, paragraph: int | None, start: int, end: int) -> str:
    title, url = _article_label(service, article_id)
    name = f"[{escape_md(title)}]({url})" if url else f"*{escape_md(title)}*"
    para = f"paragraph {paragraph} of " if paragraph else ""
    return f"{para.capitalize()}{name}, characters {start}–{end}"


# -- questions ---------------------------------------------------------------------------------


def ask(service: QAService, question: str) -> Reply:
    """Answer a question from the article (blocking: run it off the event loop)."""
    return answer_reply(service, service.ask(question))


def answer_reply(service: QAService, a: Answer) -> Reply:
    title = truncate(a.question.strip() or "(empty question)", EMBED_TITLE_LIMIT)
    if not a.answered or a.answer is None:
        return _decline_reply(service, a, title)
    span = a.answer
    quote = escape_md(truncate(span.text, EMBED_DESCRIPTION_LIMIT - 300))
    lines = ["> " + quote.replace("\n", "\n> ")]
    if span.speaker is not None:
        lines.append(escape_md(truncate(span.speaker.line(), 250)))
    fields = []
    if a.excerpt is not None:
        ex = a.excerpt
        fields.append(Field("Source excerpt", highlight(ex.text, span.start - ex.start, span.end - ex.start, EMBED_FIELD_VALUE_LIMIT)))
    fields.append(Field("Where", truncate(_where(service, span.article, span.paragraph, span.start, span.end), EMBED_FIELD_VALUE_LIMIT)))
    _, url = _article_label(service, span.article)
    return Reply(kind="answer", title=title, description="\n".join(lines), fields=fields,
                 footer=confidence_label(a.confidence), url=url, answer=a)


def _decline_reply(service: QAService, a: Answer, title: str) -> Reply:
    reason = a.reason or "Nothing in the article answers this question."
    if reason.casefold().startswith(NOT_COVERED.casefold()):
        reason = reason[len(NOT_COVERED):].lstrip(" .:;—-")
    desc = f"**{NOT_COVERED}.** {escape_md(reason)}".rstrip()
    fields = [_candidate_field(service, c) for c in a.related[:RELATED_SHOWN]]
    if fields:
        desc += "\nThe closest passages are below; none of them answers the question."
    return Reply(kind="decline", title=title, description=truncate(desc, EMBED_DESCRIPTION_LIMIT), fields=fields,
                 footer="Answers come only from the article's own words.", answer=a)


def _candidate_field(service: QAService, c: Candidate) -> Field:
    name = f"Paragraph {c.paragraph}"
    if len(service.corpus.articles) > 1:
        name += f" · {_article_label(service, c.article)[0]}"
    value = escape_md(truncate(c.text, EMBED_FIELD_VALUE_LIMIT - 200))
    if c.speaker is not None:
        value += "\n" + escape_md(truncate(c.speaker.line(), 150))
    return Field(truncate(name, EMBED_FIELD_NAME_LIMIT), truncate(value, EMBED_FIELD_VALUE_LIMIT))


# -- experts -----------------------------------------------------------------------------------


def expert_choices(service: QAService, current: str) -> list[tuple[str, str]]:
    """(name, value) autocomplete choices over the people quoted, best first, within Discord's limits."""
    cur = current.strip().casefold()
    scored = []
    for e in service.experts():
        names = [e.name, *e.aliases]
        folded = [n.casefold() for n in names]
        if not cur:
            rank = 2
        elif any(n.startswith(cur) or any(w.startswith(cur) for w in n.split()) for n in folded):
            rank = 0
        elif any(cur in n for n in folded):
            rank = 1
        else:
            continue
        scored.append((rank, -len(e.quotes), e.name, e))
    scored.sort(key=lambda t: t[:3])
    out = []
    for _, _, _, e in scored[:CHOICES_LIMIT]:
        label = e.name + (f" — {e.titles[0]}" if e.titles else "")
        out.append((truncate(label, CHOICE_NAME_LIMIT), e.name[:CHOICE_VALUE_LIMIT]))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _quote_field(service: QAService, i: int, q: Quote) -> Field:
    para = _paragraph_of(service, q.article, q.start)
    kind = q.kind if q.kind.endswith("quote") else f"{q.kind} quote"
    name = f"{i}. {kind.capitalize()}" + (f" · paragraph {para}" if para else "")
    return Field(truncate(name, EMBED_FIELD_NAME_LIMIT), escape_md(truncate(f"“{q.text}”", EMBED_FIELD_VALUE_LIMIT - 20)))


def expert(service: QAService, name: str, topic: str | None = None, per_page: int = QUOTES_PER_PAGE) -> list[Reply]:
    """Who a quoted person is and what they said, as one or more pages."""
    topic = (topic or "").strip() or None
    lookup = service.expert(name, topic)
    if lookup.expert is None:
        desc = f"No one called **{escape_md(truncate(name, 100))}** is quoted in the article."
        if lookup.suggestions:
            desc += " Did you mean " + ", ".join(f"**{escape_md(s)}**" for s in lookup.suggestions[:5]) + "?"
        else:
            desc += " `/experts` lists everyone quoted."
        return [Reply(kind="decline", title="Unknown name", description=desc)]
    e: Expert = lookup.expert
    head = []
    if e.titles:
        head.append("**Titles:** " + escape_md(", ".join(e.titles)))
    for d in e.descriptions[:3]:
        head.append("> " + escape_md(truncate(d.text, 600)))
    head.append(f"Quoted **{_plural(len(e.quotes), 'time')}**" + (f", ranked by “{escape_md(topic)}”." if topic else "."))
    description = truncate("\n".join(head), EMBED_DESCRIPTION_LIMIT)
    quotes = list(e.quotes)
    chunks = [quotes[i:i + per_page] for i in range(0, len(quotes), per_page)] or [[]]
    pages = []
    for n, chunk in enumerate(chunks):
        start = n * per_page
        fields = [_quote_field(service, start + i + 1, q) for i, q in enumerate(chunk)]
        footer = f"Page {n + 1}/{len(chunks)}" if len(chunks) > 1 else None
        pages.append(Reply(kind="info", title=truncate(e.name, EMBED_TITLE_LIMIT), description=description,
                           fields=fields, footer=footer))
    return pages


def experts(service: QAService) -> Reply:
    people = sorted(service.experts(), key=lambda e: (-len(e.quotes), e.name))
    if not people:
        return Reply(kind="info", title="People quoted", description="No one is quoted in the article.")
    lines = []
    for e in people:
        desc = e.descriptions[0].text if e.descriptions else ", ".join(e.titles)
        line = f"**{escape_md(e.name)}** ({_plural(len(e.quotes), 'quote')})"
        if desc:
            line += " — " + escape_md(truncate(desc, 120))
        lines.append(line)
    text = "\n".join(lines)
    if len(text) > EMBED_DESCRIPTION_LIMIT:
        text = truncate(text, EMBED_DESCRIPTION_LIMIT - 60).rsplit("\n", 1)[0] + f"\n… and more ({len(people)} in all)"
    return Reply(kind="info", title=f"People quoted ({len(people)})", description=text,
                 footer="/expert NAME shows who they are and what they said.")


# -- about, help, moderators -------------------------------------------------------------------


def about(service: QAService, info: CorpusInfo | None = None) -> Reply:
    info = info or service.about()
    fields = []
    for a in info.articles[:10]:
        title = escape_md(a.title or a.id)
        lines = [f"[{title}]({a.url})" if a.url else f"*{title}*"]
        if a.author:
            lines.append(f"By {escape_md(a.author)}" + (f" ({escape_md(a.source)})" if a.source else ""))
        elif a.source:
            lines.append(escape_md(a.source))
        lines.append(f"{_plural(a.paragraphs, 'paragraph')}, {_plural(a.sentences, 'sentence')}")
        fields.append(Field(truncate(a.id, EMBED_FIELD_NAME_LIMIT), truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT)))
    desc = (
        "I answer questions about the article below using only its own sentences. "
        "Mention me with a question, use `/ask`, or right-click a message → Apps → *Ask the article*."
    )
    counts = (f"{_plural(info.passages, 'passage')}, {_plural(info.sentences, 'sentence')}, "
              f"{_plural(info.quotes, 'quote')}, {_plural(info.experts, 'expert')}")
    built = f"Built {info.built_at:%Y-%m-%d %H:%M} UTC" + (f" ({info.indexed_ago})" if info.indexed_ago else "")
    fields.append(Field("Index", f"{counts}\n{built}"))
    title = "About the article" if len(info.articles) == 1 else f"About the {len(info.articles)} articles"
    return Reply(kind="info", title=title, description=desc, fields=fields)


def help_reply() -> Reply:
    return Reply(kind="info", title="Commands", description="\n".join([
        "Type a question about the article, or:",
        "`/expert NAME [| TOPIC]` who a quoted person is and what they said",
        "`/experts` everyone quoted",
        "`/about` the article and the index",
        "`/help` this list; `/quit` or end of input to leave",
    ]))


def stats_reply(stats: Stats) -> Reply:
    if stats.asked == 0:
        return Reply(kind="info", title="Questions", description="No questions asked yet.")
    fields = [
        Field("Questions", f"{stats.asked:,}", inline=True),
        Field("Declined", f"{stats.declined:,} ({stats.declined / stats.asked:.0%})", inline=True),
        Field("Feedback", f"👍 {stats.up:,} · 👎 {stats.down:,}", inline=True),
    ]
    if stats.unanswered:
        lines = [f"{n}× {escape_md(truncate(q, 150))}" for q, n in stats.unanswered]
        fields.append(Field("Most frequent questions the article could not answer", truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT)))
    return Reply(kind="info", title="Questions and feedback", fields=fields)


def reindex_reply(report: RefreshReport) -> Reply:
    lines = "\n".join(escape_md(line) for line in report.lines) or "(no articles)"
    info = report.info
    desc = f"**{escape_md(report.summary())}**\n" + truncate(lines, EMBED_DESCRIPTION_LIMIT - 300)
    desc += (f"\n\nNow serving {_plural(len(info.articles), 'article')}: {_plural(info.passages, 'passage')}, "
             f"{_plural(info.quotes, 'quote')}, {_plural(info.experts, 'expert')}.")
    return Reply(kind="info" if report.ok else "error", title="Index refreshed" if report.ok else "Refresh had problems",
                 description=desc, footer=f"took {report.seconds_total:.1f} s" if report.seconds_total else None)
