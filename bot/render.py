"""Replies rendered for Discord: embeds within Discord's limits. The terminal's plain text is bot.terminal.to_text."""

from __future__ import annotations

import discord

from index.text.display import printable, printable_line

from .replies.models import Reply
from .text import (EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_NAME_LIMIT, EMBED_FIELD_VALUE_LIMIT, EMBED_FIELDS_LIMIT,
                   EMBED_FOOTER_LIMIT, EMBED_TITLE_LIMIT, EMBED_TOTAL_LIMIT, MESSAGE_LIMIT, truncate)

COLOURS = {
    "answer": discord.Colour.green(),
    "decline": discord.Colour.orange(),
    "info": discord.Colour.blurple(),
    "error": discord.Colour.red(),
}


def embed_size(title: str, description: str, fields: list[tuple[str, str]], footer: str) -> int:
    return len(title) + len(description) + len(footer) + sum(len(n) + len(v) for n, v in fields)


def to_embed(reply: Reply) -> discord.Embed:
    """An embed that Discord accepts whatever the reply holds: every part and the total within limits.

    Titles come from article metadata and descriptions hold article text and the question: control
    characters, bidi overrides and lone surrogates in them are shown as U+FFFD (printable), never sent."""
    title = truncate(printable_line(reply.title or ""), EMBED_TITLE_LIMIT)
    description = truncate(printable(reply.description), EMBED_DESCRIPTION_LIMIT)
    footer = truncate(printable(reply.footer or ""), EMBED_FOOTER_LIMIT)
    fields = [
        (truncate(printable_line(f.name or "\u200b"), EMBED_FIELD_NAME_LIMIT),
         truncate(printable(f.value or "\u200b"), EMBED_FIELD_VALUE_LIMIT), f.inline)
        for f in reply.fields[:EMBED_FIELDS_LIMIT]
    ]
    # over the total: drop trailing fields first, then shorten the description
    while fields and embed_size(title, description, [(n, v) for n, v, _ in fields], footer) > EMBED_TOTAL_LIMIT:
        fields.pop()
    excess = embed_size(title, description, [(n, v) for n, v, _ in fields], footer) - EMBED_TOTAL_LIMIT
    if excess > 0:
        description = truncate(description, max(0, len(description) - excess))
    embed = discord.Embed(title=title or None, description=description or None, colour=COLOURS[reply.kind],
                          url=reply.url if _web_url(reply.url) else None)
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    if footer:
        embed.set_footer(text=footer)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    return embed


def _web_url(url: str | None) -> bool:
    """Discord refuses the whole embed when its url is not http(s): such a link is left out instead."""
    return bool(url) and url.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def to_content(text: str) -> str:
    """Plain message content within the 2,000-character message limit."""
    return truncate(printable(text), MESSAGE_LIMIT)
