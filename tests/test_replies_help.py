"""bot/replies/help.py: /help on Discord (members and moderators) and in the terminal chat, from one table."""

from __future__ import annotations

from bot.render import to_embed
from bot.replies.help import COMMANDS, discord_help, help_reply
from bot.terminal import to_text
from bot.text import EMBED_TOTAL_LIMIT


def _help(**overrides):
    values = dict(me="<@42>", example="What does Daniel Boćkowski say?", moderator=False, answer_in_thread=False,
                  message_content=False)
    values.update(overrides)
    return discord_help(**values)


def test_members_see_what_the_bot_does_how_to_ask_and_their_commands():
    reply = _help()
    fields = {f.name: f.value for f in reply.fields}
    assert "only in their own words" in reply.description
    how = fields["How to ask"]
    assert "<@42> What does Daniel Boćkowski say?" in how  # a mention, with a question the articles answer
    assert "Reply to one of my answers with the ping on" in how and "/ask question:" in how and "Ask the article" in how
    assert "thread" not in how  # answers open no thread on this server
    commands = fields["Commands"]
    assert all(c in commands for c in ("/ask", "/expert name:", "/experts", "/about", "/help"))
    assert "Moderators" not in fields and "/reindex" not in str(fields) and "/articles add" not in str(fields)
    assert "Manage Server or a moderator role" in reply.footer  # who to ask for more
    assert len(to_embed(reply)) <= EMBED_TOTAL_LIMIT


def test_moderators_also_see_theirs():
    fields = {f.name: f.value for f in _help(moderator=True).fields}
    mine = fields["Moderators"]
    for usage in ("/articles add url:", "/articles remove article:", "/articles list", "/reindex", "/stats", "/config"):
        assert usage in mine
    assert fields["Commands"] == {f.name: f.value for f in _help().fields}["Commands"]


def test_follow_ups_in_the_answers_thread_as_the_server_is_set():
    how = {f.name: f.value for f in _help(answer_in_thread=True).fields}["How to ask"]
    assert "Each answer opens a thread: ask follow-ups there, mentioning me or with `/ask`" in how
    how = {f.name: f.value for f in _help(answer_in_thread=True, message_content=True).fields}["How to ask"]
    assert "just by typing them" in how


def test_the_terminal_help_comes_from_the_same_table():
    text = to_text(help_reply())
    for c in COMMANDS:
        if c.terminal is not None:
            assert f"`{c.terminal}` {c.what}" in text
    assert "/stats" not in text and "/quit" in text
