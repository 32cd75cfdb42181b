"""/help, on Discord and in the terminal chat, from one table of commands (COMMANDS)."""

from __future__ import annotations

from dataclasses import dataclass

from ..text import EMBED_FIELD_VALUE_LIMIT, escape_md, truncate
from .models import Field, Reply


@dataclass(frozen=True)
class Command:
    what: str
    discord: str | None  # how it is typed in Discord; None: not a Discord command
    terminal: str | None  # how it is typed in the terminal chat; None: not there
    moderators: bool = False  # on Discord: Manage Server or a moderator role (the terminal user may run them all)


COMMANDS = (
    Command("ask a question (`article:` picks one article)", "/ask question: [article:]", None),
    Command("who a quoted person is and what they said", "/expert name: [topic:]", "/expert NAME [| TOPIC]"),
    Command("everyone quoted", "/experts", "/experts"),
    Command("the articles and the index", "/about", "/about"),
    Command("this help", "/help", "/help"),
    Command("every article, with its source and how fresh it is", "/articles list", "/articles [list]",
            moderators=True),
    Command("add a news article by its http(s) URL", "/articles add url:", "/articles add URL", moderators=True),
    Command("stop answering about an article", "/articles remove article:", "/articles remove ARTICLE",
            moderators=True),
    Command("read or fetch the articles again and report what changed", "/reindex [article:]", "/reindex [ARTICLE]",
            moderators=True),
    Command("questions asked, declines, feedback", "/stats", None, moderators=True),
    Command("where and how I answer in this server", "/config show | channels | thread | declines | reset", None,
            moderators=True),
)

ABOUT = ("I answer questions about the articles I have read, **only in their own words**: each answer is a sentence "
         "quoted from an article, with who said it when it is a quotation; when the articles don't say, I say so.")
MODERATORS = "Manage Server or a moderator role"


def _lines(commands: list[Command], usage) -> str:
    return "\n".join(f"`{usage(c)}` {c.what}" for c in commands)


def help_reply() -> Reply:
    """The terminal chat's /help: the local operator may run every command."""
    commands = [c for c in COMMANDS if c.terminal is not None]
    return Reply(kind="info", title="Commands", description="\n".join([
        "Type a question about the article, or:",
        _lines(commands, lambda c: c.terminal),
        "`/quit` or end of input to leave",
    ]))


def discord_help(*, me: str, example: str, moderator: bool, answer_in_thread: bool, message_content: bool) -> Reply:
    """/help on Discord: what the bot does, how to ask, the commands this member may run (a moderator's too).

    `me` is how the bot is mentioned (`<@id>`, which pings no one in an embed); `example`, a question the server's
    articles answer."""
    how = [
        f"• Mention me with a question: {me} {escape_md(truncate(example, 200))}",
        "• Reply to one of my answers with the ping on, for a follow-up (“why?”, “and who else?”)",
        "• `/ask question:`, or right-click a message → *Apps* → *Ask the article*",
    ]
    if answer_in_thread:
        how.append("• Each answer opens a thread: ask follow-ups there, "
                   + ("just by typing them" if message_content else "mentioning me or with `/ask`"))
    fields = [Field("How to ask", "\n".join(how)),
              Field("Commands", _lines([c for c in COMMANDS if c.discord and not c.moderators], lambda c: c.discord))]
    if moderator:
        mine = [c for c in COMMANDS if c.discord and c.moderators]
        text = _lines(mine, lambda c: c.discord) + "\n*Articles you add or remove are this server's alone.*"
        fields.append(Field("Moderators", truncate(text, EMBED_FIELD_VALUE_LIMIT)))
        footer = f"You see the moderators' commands because you have {MODERATORS}."
    else:
        footer = f"Moderators ({MODERATORS}) also manage the articles and this server's settings."
    return Reply(kind="info", title="How to use me", description=ABOUT, fields=fields, footer=footer)
