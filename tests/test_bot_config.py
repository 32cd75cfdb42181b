"""Per-guild settings (/config) end to end against tests/fakediscord, and their SQLite storage."""

from __future__ import annotations

import sqlite3

from fakediscord import MANAGE_GUILD, FakeDiscord

from bot.store import GuildSettings, Store

T = 10.0


def _ephemeral(rec) -> dict:
    [body] = rec.messages
    assert body.get("flags", 0) & 64, body  # only the moderator sees it
    return body


async def _config(fake: FakeDiscord, sub: str, user: dict | None = None, options=None, **kw) -> dict:
    if user is None:
        user, kw = fake.user("mod"), {"roles": [fake.moderator_role_id], **kw}
    rec = await fake.slash("config", user, subcommand=sub, options=options, **kw)
    await fake.wait_for(lambda: rec.messages, T)
    return _ephemeral(rec)


async def _mention(fake: FakeDiscord, bot, channel_id: str, text: str = "who sold Alaska?") -> dict:
    return await fake.say(f"<@{bot.user.id}> {text}", fake.user("reader"), channel_id=channel_id,
                          mentions=[fake.bot_user])


async def test_moderator_restricts_channels_then_clears(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service, moderator_role_ids=[int(fake.moderator_role_id)])
    x, y = fake.other_channel_id, fake.channel_id
    group = next(c for c in fake.commands[fake.guild_id] if c["name"] == "config")
    assert {o["name"] for o in group["options"]} == {"show", "channels", "thread", "declines", "reset"}
    assert str(group["default_member_permissions"]) == str(MANAGE_GUILD)  # a hint; the check is in code

    added = await _config(fake, "channels add", options={"channel": fake.channels[x]})
    assert added["content"].startswith(f"Added <#{x}>. I now answer only in <#{x}>")
    assert added["allowed_mentions"] == {"parse": []}

    # a mention in Y is ignored; X is answered
    await _mention(fake, bot, y)
    await _mention(fake, bot, x)
    [answer] = await fake.wait_for(lambda: fake.sent_to(x), T)
    assert "Tsar Alexander II" in answer["embeds"][0]["description"]
    assert not fake.sent_to(y)
    # /ask in Y gets the existing polite refusal, naming X
    rec = await fake.slash("ask", fake.user("reader"), options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.messages, T)
    assert _ephemeral(rec)["content"] == f"I only answer questions in <#{x}>."
    # the message menu too
    target = fake.message(y, fake.user("sam"), "Who sold Alaska to the Americans?")
    menu = await fake.message_command("Ask the article", fake.user("reader"), target)
    await fake.wait_for(lambda: menu.messages, T)
    assert "only answer questions in" in _ephemeral(menu)["content"]

    shown = await _config(fake, "show")
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert fields["Answers in"].startswith(f"<#{x}> (and their threads)") and "set here" in fields["Answers in"]
    assert fields["Answer in a thread"].startswith("Off") and "ANSWER_IN_THREAD" in fields["Answer in a thread"]
    assert shown["allowed_mentions"] == {"parse": []}

    # removing a channel not listed changes nothing
    same = await _config(fake, "channels remove", options={"channel": fake.channels[y]})
    assert "is not in the list" in same["content"]

    cleared = await _config(fake, "channels clear", permissions=MANAGE_GUILD, user=fake.user("owner-ish"))
    assert "the bot's default applies: in every channel" in cleared["content"]
    await _mention(fake, bot, y)
    await fake.wait_for(lambda: fake.sent_to(y), T)
    assert bot.store.guild_settings(int(fake.guild_id)) == GuildSettings()


async def test_non_moderators_are_refused(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    eve = fake.user("eve")
    for sub, options in (("show", None), ("channels add", {"channel": fake.channels[fake.channel_id]}),
                         ("channels clear", None), ("thread", {"enabled": True}), ("declines", {"mode": "silent"}),
                         ("reset", None)):
        rec = await fake.slash("config", eve, subcommand=sub, options=options)
        await fake.wait_for(lambda: rec.bodies, T)
        [body] = [b for b in rec.bodies if b.get("content")]
        assert body["flags"] & 64 and "Manage Server or a moderator role" in body["content"], sub
    assert bot.store.guild_settings(int(fake.guild_id)) == GuildSettings()


async def test_thread_setting_and_settings_survive_a_restart(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    x, y = fake.other_channel_id, fake.channel_id
    on = await _config(fake, "thread", options={"enabled": True}, permissions=MANAGE_GUILD, user=fake.user("mod"))
    assert on["content"].startswith("Answers now go into a thread")
    await _config(fake, "channels add", options={"channel": fake.channels[x]}, permissions=MANAGE_GUILD,
                  user=fake.user("mod"))

    question = await _mention(fake, bot, x)
    [msg] = await fake.wait_for(lambda: fake.sent_to(question["id"]), T)  # the thread's id is the message's
    assert fake.channels[question["id"]]["name"] == "who sold Alaska?"
    assert "Tsar Alexander II" in msg["embeds"][0]["description"]

    # restart: a new bot on the same database file
    await bot.close()
    bot.store.close()
    bot = await start_bot(shipped_service)
    def threads() -> list:
        return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/threads")]

    before = len(threads())
    rec = await fake.slash("ask", fake.user("reader"), options={"question": "Who sold Alaska?"}, channel_id=x)
    await fake.wait_for(lambda: rec.messages and len(threads()) > before, T)
    [opened] = threads()[before:]  # on the answer, named after the question
    assert opened.path == f"/channels/{x}/messages/{rec.created[-1]['id']}/threads"
    assert opened.json["name"] == "Who sold Alaska?"
    assert "Tsar Alexander II" in rec.messages[0]["embeds"][0]["description"]
    await _mention(fake, bot, y)  # still restricted to X: ignored
    shown = await _config(fake, "show", permissions=MANAGE_GUILD, user=fake.user("mod"))
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert fields["Answers in"].startswith(f"<#{x}>") and fields["Answer in a thread"].startswith("On")
    assert not fake.sent_to(y)

    # thread off, then reset: back to the defaults
    await _config(fake, "thread", options={"enabled": False}, permissions=MANAGE_GUILD, user=fake.user("mod"))
    assert not bot.gate.placement(int(fake.guild_id)).answer_in_thread
    await _config(fake, "reset", permissions=MANAGE_GUILD, user=fake.user("mod"))
    p = bot.gate.placement(int(fake.guild_id))
    assert p.channel_ids == () and not p.own_channels and not p.own_thread


async def test_guild_list_overrides_a_global_default(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service, allowed_channel_ids=[int(fake.channel_id)], answer_in_thread=True)
    x, y = fake.other_channel_id, fake.channel_id
    shown = await _config(fake, "show", permissions=MANAGE_GUILD, user=fake.user("mod"))
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert fields["Answers in"].startswith(f"<#{y}>") and "ALLOWED_CHANNEL_IDS" in fields["Answers in"]
    assert fields["Answer in a thread"].startswith("On") and "the bot's default" in fields["Answer in a thread"]
    # removing the default's only channel of this guild makes an own, empty list: every channel
    removed = await _config(fake, "channels remove", options={"channel": fake.channels[y]}, permissions=MANAGE_GUILD,
                            user=fake.user("mod"))
    assert "answer in every channel" in removed["content"]
    await _config(fake, "thread", options={"enabled": False}, permissions=MANAGE_GUILD, user=fake.user("mod"))
    await _mention(fake, bot, x)
    [answer] = await fake.wait_for(lambda: fake.sent_to(x), T)  # in the channel, not a thread
    assert answer["_request"]["message_reference"]
    cleared = await _config(fake, "channels clear", permissions=MANAGE_GUILD, user=fake.user("mod"))
    assert f"the bot's default applies: only in <#{y}>" in cleared["content"]
    assert bot.gate.placement(int(fake.guild_id)).channel_ids == (int(y),)


# -- storage -----------------------------------------------------------------------------------


def test_guild_settings_persist_and_old_databases_are_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)  # a database from before /config: no guild_settings table
    db.executescript("CREATE TABLE questions (id INTEGER PRIMARY KEY AUTOINCREMENT, asked_at REAL NOT NULL,"
                     " guild_id INTEGER, channel_id INTEGER, user_id INTEGER, via TEXT NOT NULL, question TEXT NOT NULL,"
                     " normalized TEXT NOT NULL, answered INTEGER NOT NULL, confidence REAL NOT NULL, article TEXT,"
                     ' start INTEGER, "end" INTEGER, paragraph INTEGER, reason TEXT);'
                     "INSERT INTO questions (asked_at, via, question, normalized, answered, confidence)"
                     " VALUES (1, 'slash', 'q?', 'q', 0, 0);")
    db.commit()
    db.close()
    store = Store(path)
    assert store.stats().asked == 1  # kept
    assert store.guild_settings(7) == GuildSettings()
    store.set_guild_settings(7, channel_ids=[3, 1, 3], by=42)
    store.set_guild_settings(7, answer_in_thread=True)
    store.set_guild_settings(8, answer_in_thread=False)
    store.close()
    again = Store(path)
    assert again.guild_settings(7) == GuildSettings(channel_ids=(3, 1), answer_in_thread=True)
    assert again.guild_settings(8) == GuildSettings(channel_ids=None, answer_in_thread=False)
    again.set_guild_settings(7, channel_ids=None)
    assert again.guild_settings(7) == GuildSettings(answer_in_thread=True)
    again.close()
