"""Private and silent declines (DECLINES, /config declines) end to end against tests/fakediscord."""

from __future__ import annotations

import asyncio

from fakediscord import MANAGE_GUILD, FakeDiscord

from bot.store import GuildSettings

T = 10.0
DECLINED = "What is the population of Anchorage?"  # the shipped article doesn't say
ANSWERED = "Who sold Alaska?"


async def _config(fake: FakeDiscord, sub: str, options=None) -> dict:
    rec = await fake.slash("config", fake.user("mod"), subcommand=sub, options=options, permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: rec.messages, T)
    [body] = rec.messages
    assert body.get("flags", 0) & 64, body
    return body


async def _ask(fake: FakeDiscord, question: str):
    rec = await fake.slash("ask", fake.user("reader"), options={"question": question})
    await fake.wait_for(lambda: rec.followups, T)
    return rec


def _webhook_requests(fake: FakeDiscord, rec) -> list[tuple[str, str]]:
    """The bot's followup POSTs and message DELETEs for one interaction, in order."""
    prefix = f"/webhooks/{fake.application_id}/{rec.token}"
    return [(r.method, r.path[len(prefix):] or "/") for r in fake.requests
            if r.path.startswith(prefix) and r.method in ("POST", "DELETE")]


async def _until(predicate, timeout: float = T) -> None:
    """Poll what the bot does without a request (recording a question) until it is true."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


def _replies(fake: FakeDiscord) -> list[dict]:
    """The bot's messages in the channel, without the interactions' followups."""
    return [m for m in fake.sent_to(fake.channel_id) if "_request" in m]


async def _mention(fake: FakeDiscord, bot, text: str) -> dict:
    return await fake.say(f"<@{bot.user.id}> {text}", fake.user("reader"), mentions=[fake.bot_user])


async def test_private_declines_are_shown_only_to_the_asker(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    set_ = await _config(fake, "declines", {"mode": "private"})
    assert set_["content"].startswith("A declined /ask is now shown only to the person who asked")
    assert bot.store.guild_settings(int(fake.guild_id)) == GuildSettings(declines="private")

    rec = await _ask(fake, DECLINED)
    assert rec.callbacks[0]["type"] == 5  # the public "thinking…" first, as for every question
    [body] = rec.followups
    assert body["flags"] & 64 and body["embeds"][0]["description"].startswith("**The article doesn't say.**")
    # the deferred response is deleted before the decline is sent: else Discord would put it in its place, public
    assert _webhook_requests(fake, rec) == [("DELETE", "/messages/@original"), ("POST", "/")]
    assert rec.created[-1]["flags"] & 64  # as the fake Discord made it: ephemeral
    buttons = [c for row in body["components"] for c in row["components"]]
    assert {b["emoji"]["name"] for b in buttons} == {"👍", "👎"}  # the asker may still rate it

    # answers stay public
    answered = await _ask(fake, ANSWERED)
    [body] = answered.followups
    assert not body.get("flags", 0) & 64 and "Tsar Alexander II" in body["embeds"][0]["description"]
    assert not answered.deleted and not answered.created[-1]["flags"] & 64

    # the message menu is an interaction too: private
    target = fake.message(fake.channel_id, fake.user("sam"), DECLINED)
    menu = await fake.message_command("Ask the article", fake.user("reader"), target)
    await fake.wait_for(lambda: menu.followups, T)
    assert menu.followups[0]["flags"] & 64 and menu.deleted == ["@original"]

    # a mention cannot be answered privately: with "private" it is still declined in the channel
    await _mention(fake, bot, DECLINED)
    [msg] = await fake.wait_for(lambda: _replies(fake), T)
    assert msg["_request"]["embeds"][0]["description"].startswith("**The article doesn't say.**")

    shown = await _config(fake, "show")
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert fields["Declines"].startswith("Private") and "set here with `/config declines`" in fields["Declines"]
    assert "/config declines" in shown["embeds"][0]["footer"]["text"]


async def test_silent_declines_get_no_reply_to_a_mention(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service, declines="silent")  # the bot's default, DECLINES=silent
    shown = await _config(fake, "show")
    fields = {f["name"]: f["value"] for f in shown["embeds"][0]["fields"]}
    assert fields["Declines"].startswith("Silent") and "the bot's default (DECLINES)" in fields["Declines"]

    await _mention(fake, bot, DECLINED)
    await _mention(fake, bot, ANSWERED)
    await fake.wait_for(lambda: _replies(fake), T)
    await _until(lambda: bot.store.stats().asked == 2)  # both asked and recorded (the decline counts in /stats)
    await _mention(fake, bot, ANSWERED)  # by its answer, a reply to the decline would have been sent long ago
    await fake.wait_for(lambda: len(_replies(fake)) == 2, T)
    assert all("Tsar Alexander II" in m["_request"]["embeds"][0]["description"] for m in _replies(fake))
    assert bot.store.stats().declined == 1

    # /ask behaves as with "private"
    rec = await _ask(fake, DECLINED)
    assert rec.followups[0]["flags"] & 64 and rec.deleted == ["@original"]

    # a server's own setting overrides the default; reset returns to it
    await _config(fake, "declines", {"mode": "public"})
    await _mention(fake, bot, DECLINED)
    await fake.wait_for(lambda: len(_replies(fake)) == 3, T)
    assert _replies(fake)[2]["_request"]["embeds"][0]["description"].startswith(
        "**The article doesn't say.**")
    public = await _ask(fake, DECLINED)
    assert not public.followups[0].get("flags", 0) & 64 and not public.deleted

    await _config(fake, "reset")
    p = bot.gate.placement(int(fake.guild_id))
    assert p.declines == "silent" and not p.own_declines
