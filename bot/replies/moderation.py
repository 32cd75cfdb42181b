"""The moderators' replies: refresh and source-change reports (and their log line), /stats, /config show."""

from __future__ import annotations

import logging

from index.service import RefreshReport

from ..store import Stats
from ..text import EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_VALUE_LIMIT, escape_md, plural, truncate
from .models import Field, Reply

log = logging.getLogger(__name__)


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
        cooldown = f"{plural(cooldown_rate, 'question')} per {cooldown_seconds:g} s per user (the bot's default)"
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
    tail = (f"\n\nNow serving {plural(len(info.articles), 'article')}: {plural(info.passages, 'passage')}, "
            f"{plural(info.quotes, 'quote')}, {plural(info.experts, 'expert')}.")
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
