"""bot/text.py: Discord's limits and the helpers that fit text into them (truncation at word boundaries, markdown)."""

from __future__ import annotations

from bot.text import (
    ELLIPSIS,
    EMBED_FIELD_VALUE_LIMIT,
    escape_md,
    highlight,
    plain,
    plural,
    truncate,
)


def test_truncate_keeps_short_text():
    assert truncate("short", 10) == "short"


def test_truncate_cuts_at_a_word_boundary():
    out = truncate("the quick brown fox jumps over the lazy dog", 20)
    assert len(out) <= 20 and out.endswith(ELLIPSIS)
    assert out == "the quick brown fox" + ELLIPSIS


def test_truncate_long_word_is_cut_hard():
    out = truncate("x" * 50, 10)
    assert len(out) == 10 and out.endswith(ELLIPSIS)


def test_truncate_never_leaves_a_dangling_escape():
    text = escape_md("a" * 8 + "*" * 20)
    for limit in range(2, 30):
        out = truncate(text, limit)
        assert len(out) <= limit
        assert not (out.rstrip(ELLIPSIS).endswith("\\") and not out.rstrip(ELLIPSIS).endswith("\\\\"))


def test_escape_and_plain_round_trip():
    text = "A *bold* claim_with [brackets] > and `code` | pipes \\ slash"
    assert plain(escape_md(text)) == text


def test_highlight_marks_the_answer_and_fits():
    text = ("Lorem ipsum dolor sit amet. " * 80) + "THE ANSWER IS HERE." + (" Consectetur adipiscing elit." * 80)
    start = text.index("THE ANSWER")
    out = highlight(text, start, start + len("THE ANSWER IS HERE."), EMBED_FIELD_VALUE_LIMIT)
    assert len(out) <= EMBED_FIELD_VALUE_LIMIT
    assert "**THE ANSWER IS HERE.**" in out
    assert out.startswith(ELLIPSIS) and out.endswith(ELLIPSIS)


def test_plural():
    assert [plural(n, "quote") for n in (0, 1, 2)] == ["0 quotes", "1 quote", "2 quotes"]
