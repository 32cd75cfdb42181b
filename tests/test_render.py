"""bot/render.py without any network: every embed within Discord's limits, whatever the reply holds."""

from __future__ import annotations

from bot.render import to_embed
from bot.replies.models import Field, Reply
from bot.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
)


def test_embed_within_every_limit():
    reply = Reply(kind="answer", title="t" * 1000, description="word " * 3000, footer="f" * 3000,
                  fields=[Field("n" * 400, "v " * 2000) for _ in range(40)])
    embed = to_embed(reply)
    assert len(embed.title) <= EMBED_TITLE_LIMIT
    assert len(embed.description) <= EMBED_DESCRIPTION_LIMIT
    assert len(embed.fields) <= 25
    assert all(len(f.value) <= EMBED_FIELD_VALUE_LIMIT and len(f.name) <= 256 for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_LIMIT
