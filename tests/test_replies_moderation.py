"""bot/replies/moderation.py: refresh reports, /config show, within Discord's limits."""

from __future__ import annotations

import pytest

from bot.render import to_embed
from bot.replies import moderation
from index.service import ArticleChange, CorpusInfo, RefreshReport


def test_reports_and_lists_stay_within_discord_limits(tmp_path):
    changes = [ArticleChange(id=f"article-{i:03d}-" + "x" * 80, status="failed", reason="HTTP 404 " * 40, kept_previous=True)
               for i in range(300)]
    info = CorpusInfo(articles=[], built_at="2025-01-01T00:00:00Z", passages=0, sentences=0, quotes=0, experts=0)
    report = RefreshReport(ok=False, lines=[c.line() for c in changes], info=info, changes=changes, actor="m (1)")
    reply = moderation.reindex_reply(report)
    embed = to_embed(reply)
    assert len(embed) <= 6000 and len(embed.description) <= 4096
    assert "more lines" in embed.description and embed.footer.text.startswith("by m (1) at ")
    assert moderation.refused(report) is None  # a refresh's failures are reported per article


@pytest.mark.parametrize("enabled", [True, False])
def test_config_reply_within_limits(enabled):
    reply = moderation.config_reply(channel_ids=list(range(10**17, 10**17 + 60)), own_channels=True, elsewhere=False,
                                     answer_in_thread=enabled, own_thread=False, cooldown_rate=1, cooldown_seconds=10)
    embed = to_embed(reply)
    assert len(embed) <= 6000 and all(len(f.value) <= 1024 for f in embed.fields)
    assert "and 20 more" in embed.fields[0].value
