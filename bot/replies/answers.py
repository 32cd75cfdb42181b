"""Answers: a question in, an answer or decline reply out (the quoted span, where it is, how sure, how fresh).

Used by the Discord cogs and by the terminal chat alike. `ask` calls the core and blocks; the cogs run it
with asyncio.to_thread.
"""

from __future__ import annotations

import re

from index.answer import HOW_TO_ASK
from index.conversation import Turn
from index.text.display import as_quotation, tidy
from index.models import Answer, Candidate, Speaker

from ..text import (EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_NAME_LIMIT, EMBED_FIELD_VALUE_LIMIT, EMBED_TITLE_LIMIT,
                    escape_md, highlight, truncate)
from .experts import PEOPLE_FOOTER, people_list
from .models import Field, Reply
from .reader import Reader, article_label

NOT_COVERED = "The article doesn't say"
RELATED_SHOWN = 3
SPEAKER_DESCRIPTION_LIMIT = 60  # "— Name, <this>": the full description is in /expert

# A description's first clause ends at a comma, semicolon, bracket, dash or relative clause.
_CLAUSE_END = re.compile(r"\s*(?:[,;:(\[]|\s[–—-]\s|\s(?:who|which|whose|where|and also)\s)", re.I)
# "works at the Łukasiewicz Research Network" -> "Łukasiewicz Research Network", "is a professor" -> "professor".
_PREDICATE = re.compile(r"^(?:who\s+)?(?:is|was|works|worked|serves|served|lectures)\s+(?:(?:as|at|for|with|in)\s+)?", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_DANGLING = frozenset("a an the of at for in on to with and or from by as".split())


def short_description(description: str, limit: int = SPEAKER_DESCRIPTION_LIMIT) -> str:
    """A description short enough for the line under an answer: its first clause as a noun phrase, at most `limit`
    characters, cut at a word boundary ("works at the Łukasiewicz Research Network (ITECH Institute), studies ..."
    -> "Łukasiewicz Research Network")."""
    text = " ".join(description.split())
    clause = _CLAUSE_END.split(text, maxsplit=1)[0] or text
    clause = _ARTICLE.sub("", _PREDICATE.sub("", clause)) or clause
    words = clause.split()
    cut = len(clause) > limit
    while cut and len(words) > 1 and len(" ".join(words)) > limit - 1:
        words.pop()
    while len(words) > 1 and words[-1].casefold() in _DANGLING:
        words.pop()
    short = " ".join(words).rstrip(" ,;:.-–—")
    if len(short) >= limit:  # one word longer than the line: no boundary to cut at
        return truncate(short, limit)
    return short + "…" if cut else short


def speaker_line(speaker: Speaker) -> str:
    """ "— Tomasz Pawłuszko, Łukasiewicz Research Network": the name and a short form of the description."""
    short = short_description(speaker.description) if speaker.description else ""
    return f"— {speaker.name}, {short}" if short else f"— {speaker.name}"


def confidence_label(confidence: float) -> str:
    level = "high" if confidence >= 0.75 else "medium" if confidence >= 0.5 else "low"
    return f"Confidence: {level} ({confidence:.0%})"


def _where(service: Reader, article_id: str, paragraph: int | None) -> str:
    """ "Paragraph 30 of <the article>": no character offsets for people (`python -m index ask --json` has them)."""
    title, url = article_label(service, article_id)
    name = f"[{escape_md(title)}]({url})" if url else f"*{escape_md(title)}*"
    para = f"paragraph {paragraph} of " if paragraph else ""
    return f"{para.capitalize()}{name}"


def ask(service: Reader, question: str, article: str | None = None, context: Turn | None = None) -> Reply:
    """Answer a question from the articles, or from one (blocking: run it off the event loop); `context`:
    the conversation's last turn, for a follow-up."""
    return answer_reply(service, service.ask(question, article, context=context))


def answer_reply(service: Reader, a: Answer) -> Reply:
    title = truncate(a.question.strip() or "(empty question)", EMBED_TITLE_LIMIT)
    if a.invalid:  # not a question the article could answer: say why and how to ask, nothing more
        return Reply(kind="error", title=title, description=escape_md(a.reason or HOW_TO_ASK), answer=a)
    if a.page_fact is not None:  # from the page, not the text: said as such, no quotation marks
        return Reply(kind="info", title=title, description=escape_md(a.page_fact.line()),
                     footer="From the article's metadata.", answer=a)
    if a.answered and a.people:
        return _people_reply(a, title)
    if a.alternatives:
        return _alternatives_reply(service, a, title)
    if not a.answered or a.answer is None:
        return _decline_reply(service, a, title)
    span = a.answer
    quote = escape_md(truncate(as_quotation(span.text), EMBED_DESCRIPTION_LIMIT - 300))
    lines = ["> " + quote.replace("\n", "\n> ")]
    if a.read_as:  # a follow-up: what it was read as, so that a wrong reading shows
        lines.insert(0, "*Reading that as:* " + escape_md(truncate(a.read_as, 300)))
    if span.speaker is not None:
        lines.append(escape_md(truncate(speaker_line(span.speaker), 250)))
    if a.note:
        lines.append(escape_md(truncate(a.note, 300)))
    fields = []
    if a.excerpt is not None and a.excerpt.text.split() != span.text.split():  # not the answer again
        ex = a.excerpt
        fields.append(Field("Source excerpt", tidy(highlight(ex.text, span.start - ex.start, span.end - ex.start, EMBED_FIELD_VALUE_LIMIT))))
    fields.append(Field("Where", truncate(_where(service, span.article, span.paragraph), EMBED_FIELD_VALUE_LIMIT)))
    _, url = article_label(service, span.article)
    footer = confidence_label(a.confidence)
    fresh = freshness(service, span.article)
    if fresh:
        footer += f" · {fresh}"
    return Reply(kind="answer", title=title, description="\n".join(lines), fields=fields,
                 footer=footer, url=url, answer=a)


def _alternatives_reply(service: Reader, a: Answer, title: str) -> Reply:
    """ "The article may answer it in one of these sentences": each verbatim, with its speaker and place."""
    desc = escape_md(a.reason or "The article may answer it in one of these sentences.")
    if a.read_as:
        desc = "*Reading that as:* " + escape_md(truncate(a.read_as, 300)) + "\n" + desc
    fields = []
    for n, alt in enumerate(a.alternatives, 1):
        value = "> " + escape_md(truncate(as_quotation(alt.text), EMBED_FIELD_VALUE_LIMIT - 420)).replace("\n", "\n> ")
        if alt.speaker is not None:
            value += "\n" + escape_md(truncate(speaker_line(alt.speaker), 150))
        value += "\n" + truncate(_where(service, alt.article, alt.paragraph), 250)
        fields.append(Field(f"{n}.", truncate(value, EMBED_FIELD_VALUE_LIMIT)))
    footer = "Neither is certain; answers come only from the article's own words."
    return Reply(kind="decline", title=title, description=truncate(desc, EMBED_DESCRIPTION_LIMIT), fields=fields,
                 footer=footer, answer=a)


def _people_reply(a: Answer, title: str) -> Reply:
    """ "Who is quoted?": each person, how often, and the article's words describing them (like /experts)."""
    text = people_list([(p.name, p.quotes, p.description.text if p.description else None) for p in a.people])
    return Reply(kind="info", title=title, description=text, footer=PEOPLE_FOOTER, answer=a)


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
    if a.read_as:
        desc = "*Reading that as:* " + escape_md(truncate(a.read_as, 300)) + "\n" + desc
    fields = [_candidate_field(service, c) for c in a.related[:RELATED_SHOWN]]
    if fields:
        desc += "\nThe closest passages are below; none of them answers the question."
    return Reply(kind="decline", title=title, description=truncate(desc, EMBED_DESCRIPTION_LIMIT), fields=fields,
                 footer="Answers come only from the article's own words.", answer=a)


def _candidate_field(service: Reader, c: Candidate) -> Field:
    name = f"Paragraph {c.paragraph}"
    if len(service.corpus.articles) > 1:
        name += f" · {article_label(service, c.article)[0]}"
    value = escape_md(truncate(tidy(c.text), EMBED_FIELD_VALUE_LIMIT - 200))
    if c.speaker is not None:
        value += "\n" + escape_md(truncate(speaker_line(c.speaker), 150))
    return Field(truncate(name, EMBED_FIELD_NAME_LIMIT), truncate(value, EMBED_FIELD_VALUE_LIMIT))
