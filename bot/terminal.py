"""A terminal chat over the article through the same handlers as the Discord bot.

One question a line; `/expert NAME [| TOPIC]`, `/experts`, `/about`, `/help` run those
handlers; `/quit` or the end of input leaves. Works with piped stdin.
"""

from __future__ import annotations

import sys
from typing import TextIO

from index.service import QAService

from . import handlers
from .render import to_text
from .replies import Reply

PROMPT = "> "


def respond(service: QAService, line: str) -> list[Reply] | None:
    """The replies to one input line, or None to leave."""
    line = line.strip()
    if not line:
        return []
    if line.startswith("/"):
        command, _, rest = line.partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("/quit", "/exit"):
            return None
        if command == "/help":
            return [handlers.help_reply()]
        if command == "/about":
            return [handlers.about(service)]
        if command == "/experts":
            return [handlers.experts(service)]
        if command == "/expert":
            if not rest:
                return [Reply(kind="error", description="Usage: /expert NAME [| TOPIC]")]
            name, _, topic = rest.partition("|")
            return handlers.expert(service, name.strip(), topic.strip() or None, per_page=1000)
        if command == "/ask":
            line = rest
        else:
            return [Reply(kind="error", description=f"Unknown command {command}; /help lists them.")]
    return [handlers.ask(service, line)]


def chat(service: QAService, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        titles = ", ".join(a.title or a.id for a in service.about().articles)
        print(f"Ask about: {titles}\nType a question, /help for commands, Ctrl-D to leave.", file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not line:  # end of input
            if interactive:
                print(file=stdout)
            return 0
        replies = respond(service, line)
        if replies is None:
            return 0
        for reply in replies:
            print(to_text(reply), file=stdout)
            print(file=stdout, flush=True)
