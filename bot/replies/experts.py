"""The people quoted: /expert (who they are and what they said, on pages), /experts, and the name autocomplete."""

from __future__ import annotations

from index.text.display import as_quotation, printable_line
from index.models import Expert, Quote

from ..text import (CHOICE_NAME_LIMIT, CHOICE_VALUE_LIMIT, CHOICES_LIMIT, EMBED_DESCRIPTION_LIMIT,
                    EMBED_FIELD_NAME_LIMIT, EMBED_FIELD_VALUE_LIMIT, EMBED_TITLE_LIMIT, escape_md, plural, truncate)
from .models import Field, Reply
from .reader import Reader, paragraph_of

QUOTES_PER_PAGE = 5


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


def _quote_field(service: Reader, i: int, q: Quote) -> Field:
    para = paragraph_of(service, q.article, q.start)
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
    head.append(f"Quoted **{plural(len(e.quotes), 'time')}**" + (f", ranked by “{escape_md(topic)}”." if topic else "."))
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


PEOPLE_FOOTER = "/expert NAME shows who they are and what they said."


def people_list(people: list[tuple[str, int, str | None]]) -> str:
    """ "**Name** (6 quotes) — how the article describes them", one a line, within the embed description."""
    lines = []
    for name, quotes, desc in people:
        line = f"**{escape_md(name)}** ({plural(quotes, 'quote')})"
        if desc:
            line += " — " + escape_md(truncate(desc, 120))
        lines.append(line)
    text = "\n".join(lines)
    if len(text) > EMBED_DESCRIPTION_LIMIT:
        text = truncate(text, EMBED_DESCRIPTION_LIMIT - 60).rsplit("\n", 1)[0] + f"\n… and more ({len(people)} in all)"
    return text


def experts(service: Reader) -> Reply:
    people = sorted(service.experts(), key=lambda e: (-len(e.quotes), e.name))
    if not people:
        return Reply(kind="info", title="People quoted", description="No one is quoted in the article.")
    text = people_list([(e.name, len(e.quotes), e.descriptions[0].text if e.descriptions else ", ".join(e.titles))
                        for e in people])
    return Reply(kind="info", title=f"People quoted ({len(people)})", description=text, footer=PEOPLE_FOOTER)
