"""The bot's behaviour without Discord: core results in, Reply models out.

Used by the Discord cogs and by the terminal chat alike. The functions that call
the core are synchronous; the cogs run them with asyncio.to_thread.
"""

from __future__ import annotations

import logging

from index.answer import HOW_TO_ASK
from index.display import as_quotation, printable_line, tidy
from index.models import Answer, Candidate, Expert, Quote
from index.service import CorpusInfo, QAService, RefreshReport, View

from ..store import Stats
from ..text import (
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
from .models import Field, Reply

log = logging.getLogger(__name__)

# What the handlers read from: one server's View, or the service (the shared articles).
Reader = View | QAService

NOT_COVERED = "The article doesn't say"
QUOTES_PER_PAGE = 5
RELATED_SHOWN = 3


def confidence_label(confidence: float) -> str:
    level = "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"
    return f"Confidence: {level} ({confidence:.0%})"


def _article_label(service: Reader, article_id: str) -> tuple[str, str | None]:
    a = service.corpus.article(article_id)
    if a is None:
        return article_id, None
    return a.meta.title or a.id, a.meta.url


def _paragraph_of(service: Reader, article_id: str, offset: int) -> int | None:
    a = service.corpus.article(article_id)
    if a is None:
        return None
    for p in a.paragraphs:
        if p.start <= offset < p.end:
            return p.number
    return None


def _where(service: Reader, article_id: str, paragraph: int | None, start: int, end: int) -> str:
    title, url = _article_label(service, article_id)
    name = f"[{escape_md(title)}]({url})" if url else f"*{escape_md(title)}*"
    para = f"paragraph {paragraph} of " if paragraph else ""
    return f"{para.capitalize()}{name}, characters {start}–{end}"


# -- questions ---------------------------------------------------------------------------------


def ask(service: Reader, question: str, article: str | None = None) -> Reply:
    """Answer a question from the articles, or from one (blocking: run it off the event loop)."""
    return answer_reply(service, service.ask(question, article))


def answer_reply(service: Reader, a: Answer) -> Reply:
    title = truncate(a.question.strip() or "(empty question)", EMBED_TITLE_LIMIT)
    if a.invalid:  # not a question the article could answer: say why and how to ask, nothing more
        return Reply(kind="error", title=title, description=escape_md(a.reason or HOW_TO_ASK), answer=a)
    if not a.answered or a.answer is None:
        return _decline_reply(service, a, title)
    span = a.answer
    quote = escape_md(truncate(as_quotation(span.text), EMBED_DESCRIPTION_LIMIT - 300))
    lines = ["> " + quote.replace("\n", "\n> ")]
    if span.speaker is not None:
        lines.append(escape_md(truncate(span.speaker.line(), 250)))
    fields = []
    if a.excerpt is not None:
        ex = a.excerpt
        fields.append(Field("Source excerpt", tidy(highlight(ex.text, span.start - ex.start, span.end - ex.start, EMBED_FIELD_VALUE_LIMIT))))
    fields.append(Field("Where", truncate(_where(service, span.article, span.paragraph, span.start, span.end), EMBED_FIELD_VALUE_LIMIT)))
    _, url = _article_label(service, span.article)
    footer = confidence_label(a.confidence)
    fresh = freshness(service, span.article)
    if fresh:
        footer += f" · {fresh}"
    return Reply(kind="answer", title=title, description="\n".join(lines), fields=fields,
                 footer=footer, url=url, answer=a)


def freshness(service: Reader, article_id: str | None) -> str | None:
    """ "indexed 5 minutes ago" for an article (None when the service cannot tell)."""
    indexed_ago = getattr(service, "indexed_ago", None)
    if indexed_ago is None:
        return None
    try:
        return indexed_ago(article_id)
    except (AttributeError, KeyError, TypeError):  # a service without records or a corpus
        return None


def _decline_reply(service: Reader, a: Answer, title: str) -> Reply:
    reason = a.reason or "Nothing in the article answers this question."
    if reason.casefold().startswith(NOT_COVERED.casefold()):
        reason = reason[len(NOT_COVERED):].lstrip(" .:;—-")
    desc = f"**{NOT_COVERED}.** {escape_md(reason)}".rstrip()
    fields = [_candidate_field(service, c) for c in a.related[:RELATED_SHOWN]]
    if fields:
        desc += "\nThe closest passages are below; none of them answers the question."
    return Reply(kind="decline", title=title, description=truncate(desc, EMBED_DESCRIPTION_LIMIT), fields=fields,
                 footer="Answers come only from the article's own words.", answer=a)


def _candidate_field(service: Reader, c: Candidate) -> Field:
    name = f"Paragraph {c.paragraph}"
    if len(service.corpus.articles) > 1:
        name += f" · {_article_label(service, c.article)[0]}"
    value = escape_md(truncate(tidy(c.text), EMBED_FIELD_VALUE_LIMIT - 200))
    if c.speaker is not None:
        value += "\n" + escape_md(truncate(c.speaker.line(), 150))
    return Field(truncate(name, EMBED_FIELD_NAME_LIMIT), truncate(value, EMBED_FIELD_VALUE_LIMIT))


# -- experts -----------------------------------------------------------------------------------


def expert_choices(service: Reader, current: str) -> list[tuple[str, str]]:
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
        label = printable_line(e.name + (f" — {e.titles[0]}" if e.titles else ""))
        out.append((truncate(label, CHOICE_NAME_LIMIT), e.name[:CHOICE_VALUE_LIMIT]))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _quote_field(service: Reader, i: int, q: Quote) -> Field:
    para = _paragraph_of(service, q.article, q.start)
    kind = q.kind if q.kind.endswith("quote") else f"{q.kind} quote"
    name = f"{i}. {kind.capitalize()}" + (f" · paragraph {para}" if para else "")
    return Field(truncate(name, EMBED_FIELD_NAME_LIMIT), escape_md(truncate(f"“{as_quotation(q.text)}”", EMBED_FIELD_VALUE_LIMIT - 20)))


def expert(service: Reader, name: str, topic: str | None = None, per_page: int = QUOTES_PER_PAGE) -> list[Reply]:
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


def experts(service: Reader) -> Reply:
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


def about(service: Reader, info: CorpusInfo | None = None) -> Reply:
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
        counts = f"{_plural(a.paragraphs, 'paragraph')}, {_plural(a.sentences, 'sentence')}"
        lines.append(counts + (f" · indexed {a.indexed_ago}" if a.indexed_ago else ""))
        fields.append(Field(truncate(a.id, EMBED_FIELD_NAME_LIMIT), truncate("\n".join(lines), EMBED_FIELD_VALUE_LIMIT)))
    more = len(info.articles) - ABOUT_ARTICLES_SHOWN
    if more > 0:
        fields.append(Field("More", f"… and {_plural(more, 'more article')}: `/articles list` shows them all."))
    one = len(info.articles) == 1
    desc = (
        f"I answer questions about the {'article' if one else 'articles'} below using only {'its' if one else 'their'} own sentences. "
        "Mention me with a question, use `/ask`, or right-click a message → Apps → *Ask the article*."
    )
    counts = (f"{_plural(info.passages, 'passage')}, {_plural(info.sentences, 'sentence')}, "
              f"{_plural(info.quotes, 'quote')}, {_plural(info.experts, 'expert')}")
    built = f"Built {info.built_at:%Y-%m-%d %H:%M} UTC" + (f" ({info.indexed_ago})" if info.indexed_ago else "")
    fields.append(Field("Index", f"{counts}\n{built}"))
    title = "About the article" if one else f"About the {len(info.articles)} articles"
    return Reply(kind="info", title=title, description=desc, fields=fields)


def articles_pages(service: "Reader", info: CorpusInfo | None = None) -> list[Reply]:
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


def help_reply() -> Reply:
    return Reply(kind="info", title="Commands", description="\n".join([
        "Type a question about the article, or:",
        "`/expert NAME [| TOPIC]` who a quoted person is and what they said",
        "`/experts` everyone quoted",
        "`/about` the articles and the index",
        "`/articles` [list | add URL | remove ARTICLE] the articles, with how fresh they are",
        "`/reindex [ARTICLE]` read or fetch the articles again and report what changed",
        "`/help` this list; `/quit` or end of input to leave",
    ]))


def config_reply(*, channel_ids: list[int], own_channels: bool, elsewhere: bool, answer_in_thread: bool,
                 own_thread: bool, cooldown_rate: int, cooldown_seconds: float) -> Reply:
    """/config show: a guild's effective settings and where each comes from (channels as <#id> mentions)."""
    if channel_ids:
        shown = ", ".join(f"<#{c}>" for c in channel_ids[:40])
        where = shown + (f" and {len(channel_ids) - 40} more" if len(channel_ids) > 40 else "") + " (and their threads)"
    elif elsewhere:
        where = "No channel of this server: the default lists only other servers' channels"
    else:
        where = "Every channel"
    origin = "set here with `/config channels`" if own_channels else "the bot's default (ALLOWED_CHANNEL_IDS)"
    thread_origin = "set here with `/config thread`" if own_thread else "the bot's default (ANSWER_IN_THREAD)"
    if cooldown_seconds > 0:
        cooldown = f"{_plural(cooldown_rate, 'question')} per {cooldown_seconds:g} s per user (the bot's default)"
    else:
        cooldown = "Off (the bot's default)"
    fields = [
        Field("Answers in", truncate(f"{where}\n*{origin}*", EMBED_FIELD_VALUE_LIMIT)),
        Field("Answer in a thread", f"{'On' if answer_in_thread else 'Off'}\n*{thread_origin}*"),
        Field("Cooldown", cooldown),
    ]
    return Reply(kind="info", title="Settings for this server", fields=fields,
                 footer="/config channels add|remove|clear, /config thread, /config reset")


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


REPORT_TITLES = {
    "refresh": ("Index refreshed", "Refresh had problems"),
    "add": ("Source added", "Source added, with problems"),
    "remove": ("Source removed", "Removal had problems"),
}


REFUSED_LABELS = {"refresh": "Not refreshed", "add": "Not added", "remove": "Not removed"}


def describe_report(report: RefreshReport) -> str:
    """One line for the bot's log: what, by whom, when, and the result."""
    who = report.actor or "unknown"
    target = report.target or "all articles"
    lines = "; ".join(report.lines) or "nothing to do"
    result = report.summary() if report.changes else ("done" if report.ok else "refused")
    return f"{report.action} of {target} by {who} at {report.at.isoformat(timespec='seconds')}: {result} ({lines})"


def log_report(report: RefreshReport) -> None:
    (log.info if report.ok else log.warning)("%s", describe_report(report))


def refused(report: RefreshReport) -> str | None:
    """The one-line reason when a refresh or source change was refused or changed nothing, else None.

    A refused change (bad scheme, private address, host not allowed, fetch error, unknown id) serves
    the previous index unchanged; the moderator gets this line instead of a report.
    """
    if report.ok or report.swapped or any(c.status != "failed" for c in report.changes):
        return None
    if report.action == "refresh" and report.changes:
        return None  # a refresh whose articles failed: the report shows each one and why
    line = " ".join((report.lines[0] if report.lines else "refused").split())
    for prefix in (f"{report.action} refused: ", "not added: "):
        if line.startswith(prefix):
            line = line[len(prefix):]
    label = REFUSED_LABELS.get(report.action, "Not done")
    return f"{label}: {truncate(line, 300)} — nothing already indexed has changed."


def reindex_reply(report: RefreshReport) -> Reply:
    """The moderator's report: one line per article (unchanged, updated, added, removed, failed and why)."""
    info = report.info
    lines = [escape_md(line) for line in report.lines] or ["(no articles)"]
    head = f"**{escape_md(report.summary())}**\n"
    tail = (f"\n\nNow serving {_plural(len(info.articles), 'article')}: {_plural(info.passages, 'passage')}, "
            f"{_plural(info.quotes, 'quote')}, {_plural(info.experts, 'expert')}.")
    room = EMBED_DESCRIPTION_LIMIT - len(head) - len(tail)
    body = ""
    for i, line in enumerate(lines):
        line = truncate(line, 1000)
        more = f"\n… and {len(lines) - i} more lines (see the bot's log)"
        if len(body) + len(line) + 1 + len(more) > room:
            body += more
            break
        body += ("\n" if body else "") + line
    ok_title, bad_title = REPORT_TITLES.get(report.action, REPORT_TITLES["refresh"])
    footer = f"by {report.actor or 'unknown'} at {report.at:%Y-%m-%d %H:%M} UTC"
    if report.seconds_total:
        footer += f" · took {report.seconds_total:.1f} s"
    return Reply(kind="info" if report.ok else "error", title=ok_title if report.ok else bad_title,
                 description=head + body + tail, footer=footer)
