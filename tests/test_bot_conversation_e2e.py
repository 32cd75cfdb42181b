"""End to end: follow-ups in the answer's thread and reply chain, through the real discord.py client and
tests/fakediscord (which, like Discord, gives the bot no text of a message that does not mention it)."""

from __future__ import annotations

from fakediscord import FakeDiscord

T = 10.0
READING = "*Reading that as:*"


def _plain(msg: dict) -> dict:
    return {k: v for k, v in msg.items() if k != "_request"}


def _description(msg: dict) -> str:
    return (msg.get("_request") or msg)["embeds"][0]["description"]


async def test_a_follow_up_in_the_answers_thread_is_read_with_the_last_answer(fake: FakeDiscord, start_bot,
                                                                             shipped_service):
    bot = await start_bot(shipped_service, answer_in_thread=True)
    alice, bob = fake.user("alice"), fake.user("bob")
    first = await fake.say(f"<@{bot.user.id}> what does bockowski think about europe?", alice, mentions=[fake.bot_user])
    thread = first["id"]  # the thread opened on the question
    [answer] = await fake.wait_for(lambda: fake.sent_to(thread), T)
    assert "Europe isn't losing" in _description(answer) and READING not in _description(answer)

    await fake.say(f"<@{bot.user.id}> who said that?", alice, channel_id=thread, mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(thread)) == 2, T)
    said = _description(fake.sent_to(thread)[1])
    assert READING in said and "Who said" in said and "— Daniel Boćkowski" in said

    # the thread is one conversation for everyone in it
    await fake.say(f"<@{bot.user.id}> what else did he say?", bob, channel_id=thread, mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(thread)) == 3, T)
    more = _description(fake.sent_to(thread)[2])
    assert "What else did Daniel Boćkowski say?" in more and "Europe isn't losing" not in more

    # /ask in the thread uses the thread's context too
    rec = await fake.slash("ask", alice, options={"question": "and what about Kallas?"}, channel_id=thread)
    await fake.wait_for(lambda: rec.messages, T)
    swapped = rec.messages[0]["embeds"][0]["description"]
    assert READING in swapped and "Kallas" in swapped.split("\n")[0]


async def test_a_follow_up_as_a_reply_to_the_answer_is_read_with_it(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    carol, dave = fake.user("carol"), fake.user("dave")
    await fake.say(f"<@{bot.user.id}> what does bockowski think about europe?", carol, mentions=[fake.bot_user])
    [answer] = await fake.wait_for(lambda: fake.sent_to(fake.channel_id), T)
    await fake.say(f"<@{bot.user.id}> who said that?", carol, reply_to=_plain(answer), mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 2, T)
    who = fake.sent_to(fake.channel_id)[1]
    assert READING in _description(who) and "Who said “Europe isn't losing" in _description(who)
    assert "— Daniel Boćkowski" in _description(who)

    # the chain goes on from the newest answer
    await fake.say(f"<@{bot.user.id}> what else did he say?", carol, reply_to=_plain(who), mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 3, T)
    assert "What else did Daniel Boćkowski say?" in _description(fake.sent_to(fake.channel_id)[2])

    # someone else's reply to carol's answer does not inherit her conversation
    await fake.say(f"<@{bot.user.id}> who said that?", dave, reply_to=_plain(answer), mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 4, T)
    alone = fake.sent_to(fake.channel_id)[3]["_request"]["embeds"][0]
    assert READING not in alone["description"] and "Boćkowski" not in alone["description"]


async def test_an_empty_reply_without_a_ping_gets_no_public_message(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    erin = fake.user("erin")
    await fake.say(f"<@{bot.user.id}> who sold Alaska?", erin, mentions=[fake.bot_user])
    [answer] = await fake.wait_for(lambda: fake.sent_to(fake.channel_id), T)
    await fake.say("why?", erin, reply_to=_plain(answer))  # no ping: Discord gives the bot no text
    # a mention after it is answered, so the empty reply was handled (ignored) before it
    await fake.say(f"<@{bot.user.id}>", erin, mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 2, T)
    hint = fake.sent_to(fake.channel_id)[1]
    assert hint["content"].startswith("Ask me something about the article, e.g.")
    assert shipped_service.view(None).example_question() in hint["content"]  # from the loaded article
    assert len(fake.sent_to(fake.channel_id)) == 2


async def test_with_the_message_content_intent_a_follow_up_in_the_thread_needs_no_ping(fake: FakeDiscord, start_bot,
                                                                                      shipped_service):
    bot = await start_bot(shipped_service, answer_in_thread=True, message_content=True)
    assert int(fake.identifies[-1]["intents"]) & (1 << 15)  # asked for, as the setting says
    fay = fake.user("fay")
    first = await fake.say(f"<@{bot.user.id}> what does bockowski think about europe?", fay, mentions=[fake.bot_user])
    thread = first["id"]
    await fake.wait_for(lambda: fake.sent_to(thread), T)
    await fake.say("who said that?", fay, channel_id=thread)  # no ping
    await fake.wait_for(lambda: len(fake.sent_to(thread)) == 2, T)
    assert "— Daniel Boćkowski" in _description(fake.sent_to(thread)[1])
    # in a channel, a message without a ping is still not the bot's business
    unpinged = await fake.say("who sold Alaska?", fay)
    pinged = await fake.say(f"<@{bot.user.id}> who sold Alaska?", fay, mentions=[fake.bot_user])
    await fake.wait_for(lambda: fake.sent_to(pinged["id"]), T)  # answered in its thread, so the one before was seen
    assert unpinged["id"] not in fake.channels and not fake.sent_to(fake.channel_id)
