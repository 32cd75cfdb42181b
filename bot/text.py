"""Discord's size limits and the text helpers that fit text into them (and count things). No discord import."""

from __future__ import annotations

import re

# https://discord.com/developers/docs/resources/message#create-message and .../channel#embed-limits
MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
THREAD_NAME_LIMIT = 100

ELLIPSIS = "…"
_MD_SPECIAL = re.compile(r"([\\*_~`|>\[\]])|^([#-])", re.M)
_MD_ESCAPED = re.compile(r"\\([\\*_~`|>\[\]#-])")
_EMPHASIS = re.compile(r"(?<!\\)\*+")
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)")


def truncate(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` cut to at most `limit` characters, at a word boundary, with an ellipsis when cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[:limit]
    room = limit - len(ellipsis)
    cut = text[:room]
    space = cut.rfind(" ")
    # only back off to a space if it does not throw away most of the room
    if space >= room // 2 and not text[room].isspace():
        cut = cut[:space]
    cut = cut.rstrip()
    # never leave a dangling escape backslash
    if cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    return cut + ellipsis


def truncate_start(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """Like truncate, but keeps the end of the text."""
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    cut = text[len(text) - room:]
    space = cut.find(" ")
    if 0 <= space <= room // 2 and not text[len(text) - room - 1].isspace():
        cut = cut[space + 1:]
    return ellipsis + cut.lstrip()


def plural(n: int, word: str) -> str:
    """ "1 quote", "2 quotes"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def escape_md(text: str) -> str:
    """Article or user text made inert in Discord markdown."""
    return _MD_SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def plain(markdown: str) -> str:
    """Our markdown back to plain text for the terminal: bold markers and escapes removed."""
    return _MD_ESCAPED.sub(r"\1", _EMPHASIS.sub("", _LINK.sub(r"\1 <\2>", markdown)))


def highlight(text: str, start: int, end: int, limit: int) -> str:
    """Markdown of `text` with text[start:end] in bold, escaped, windowed around the bold part to fit `limit`."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before, mid, after = escape_md(text[:start]), escape_md(text[start:end]), escape_md(text[end:])
    mid_md = f"**{mid}**" if mid.strip() else mid
    if len(before) + len(mid_md) + len(after) <= limit:
        return before + mid_md + after
    if len(mid_md) + 2 * len(ELLIPSIS) >= limit:  # the highlighted part alone is too long
        return "**" + truncate(mid, limit - 4) + "**" if limit > 8 else truncate(mid, limit)
    room = limit - len(mid_md)
    left = min(len(before), room // 2)
    right = room - left
    if len(after) < right:
        left, right = room - len(after), len(after)
    head = truncate_start(before, left) if left < len(before) else before
    tail = truncate(after, right) if right < len(after) else after
    out = head + mid_md + tail
    return out if len(out) <= limit else truncate(out, limit)
