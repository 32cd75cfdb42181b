"""A terminal chat over the article through the same reply builders (bot.replies) as the Discord bot.

One question a line; `/expert NAME [| TOPIC]`, `/experts`, `/about`, `/help` build those
replies; `/reindex [ARTICLE]` and `/articles [list | add SOURCE | remove ARTICLE]` change the
index (the terminal user is the local operator, so they are allowed; each change is logged
and written to the audit log as "<login> (terminal)"). `/quit` or the end of input leaves.
Works with piped stdin.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any, Coroutine, TextIO

from index.text.display import printable, printable_line, valid_text
from index.conversation import ConversationMemory, Turn
from index.service import QAService, run_blocking

from .replies import answers, articles, experts, moderation
from .replies.help import help_reply
from .replies.models import Reply
from .text import plain, truncate

PROMPT = "ask> "  # not "> ": that starts the answer's quotation, and a user must tell their line from it
ARTICLES_USAGE = "Usage: /articles [list | add URL | remove ARTICLE]"


def to_text(reply: Reply, width_limit: int | None = None) -> str:
    """The reply as plain terminal text, with no control character, bidi override or surrogate left raw."""
    lines = []
    if reply.title:
        lines.append(f"Q: {reply.title}" if reply.answer is not None else reply.title)
    if reply.description:
        lines.append(plain(reply.description))
    for f in reply.fields:
        lines.append(f"[{plain(f.name)}] {plain(f.value)}")
    if reply.footer:
        lines.append(f"({reply.footer})")
    text = printable("\n".join(lines))
    return truncate(text, width_limit) if width_limit else text


def operator() -> str:
    """The local operator, as the actor of refreshes and source changes."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name (some containers)
        name = "operator"
    return f"{name} (terminal)"


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a service coroutine from the synchronous chat."""
    return run_blocking(coro)


def _report(report) -> list[Reply]:
    moderation.log_report(report)
    refusal = moderation.refused(report)
    if refusal is not None:
        return [Reply(kind="error", description=refusal)]
    return [moderation.reindex_reply(report)]


def _articles(service: QAService, rest: str) -> list[Reply]:
    sub, _, arg = rest.partition(" ")
    sub, arg = sub.lower(), arg.strip()
    if sub in ("", "list"):
        return articles.articles_pages(service)
    if sub == "add" and arg:
        return _report(_run(service.add_source(arg, actor=operator())))
    if sub == "remove" and arg:
        return _report(_run(service.remove_source(arg, actor=operator())))
    return [Reply(kind="error", description=ARTICLES_USAGE)]


TERMINAL = "terminal"  # the terminal chat is one conversation


def respond(service: QAService, line: str, memory: ConversationMemory | None = None) -> list[Reply] | None:
    """The replies to one input line, or None to leave. With `memory`, a follow-up ("why?") is read with the
    last question and answer, as in an answer's thread on Discord."""
    line = line.strip()
    if not line:
        return []
    if line.startswith("/"):
        command, _, rest = line.partition(" ")
        command, rest = command.lower(), rest.strip()
        if command in ("/quit", "/exit"):
            return None
        if command == "/help":
            return [help_reply()]
        if command == "/about":
            return [articles.about(service, problems=service.source_problems())]  # the terminal user is the operator
        if command == "/experts":
            return [experts.experts(service)]
        if command == "/expert":
            if not rest:
                return [Reply(kind="error", description="Usage: /expert NAME [| TOPIC]")]
            name, _, topic = rest.partition("|")
            return experts.expert(service, name.strip(), topic.strip() or None, per_page=1000)
        if command == "/reindex":
            return _report(_run(service.refresh(rest or None, actor=operator())))
        if command == "/articles":
            return _articles(service, rest)
        if command == "/ask":
            line = rest
        else:
            return [Reply(kind="error", description=f"Unknown command {command}; /help lists them.")]
    turn = memory.get(TERMINAL) if memory is not None else None
    reply = answers.ask(service, line, context=turn)
    if memory is not None and reply.answer is not None:
        memory.put(TERMINAL, Turn.after(reply.answer, turn))
    return [reply]


NOT_UTF8 = "(that line is not valid UTF-8: the bytes that are not were read as \ufffd)"


def read_line(stdin: TextIO) -> tuple[str, bool]:
    """The next input line ("" at the end) and whether it was valid UTF-8. Each line is decoded alone,
    so a stray byte (a Latin-1 terminal, a pasted binary) spoils its own line, not the chat."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream (tests, a StringIO): it may still hold surrogates
        line = stdin.readline()
        text = valid_text(line)
        return text, text == line
    raw = buffer.readline()
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), False


def chat(service: QAService, stdin: TextIO | None = None, stdout: TextIO | None = None,
         memory: ConversationMemory | None = None) -> int:
    stdin = stdin or sys.stdin
    memory = memory if memory is not None else ConversationMemory()
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        titles = printable_line(", ".join(a.title or a.id for a in service.about().articles))
        print(f"Ask about: {titles}\nType a question, /help for commands, Ctrl-D to leave.", file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        try:
            line, valid = read_line(stdin)
        except KeyboardInterrupt:
            line, valid = "", True
        if not line:  # end of input
            if interactive:
                print(file=stdout)
            return 0
        if not valid:
            print(NOT_UTF8, file=stdout)
        replies = respond(service, line, memory)
        if replies is None:
            return 0
        for reply in replies:
            print(to_text(reply), file=stdout)
            print(file=stdout, flush=True)
