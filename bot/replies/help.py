"""The terminal chat's /help."""

from __future__ import annotations

from .models import Reply


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
