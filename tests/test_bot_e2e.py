"""End to end: the real discord.py client in this process, connected to tests/fakediscord."""

from __future__ import annotations

from fakediscord import MANAGE_GUILD, FakeDiscord

T = 10.0


async def test_ask_answers_with_embed_and_buttons(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    user = fake.user("alice")
    rec = await fake.slash("ask", user, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.messages, T)
    assert rec.callbacks[0]["type"] == 5  # deferred within the 3-second window
    [body] = rec.messages
    embed = body["embeds"][0]
    assert "Tsar Alexander II sold it" in embed["description"]
    assert embed["footer"]["text"].startswith("Confidence:")
    assert [f["name"] for f in embed["fields"]] == ["Source excerpt", "Where"]
    buttons = [c for row in body["components"] for c in row["components"]]
    assert {b["emoji"]["name"] for b in buttons} == {"👍", "👎"}
    assert body["allowed_mentions"] == {"parse": []}  # as the server received it



def _no_pings(allowed_mentions: dict) -> bool:
    """allowed_mentions that ping no one: nothing parsed, no users, roles or replied user."""
    am = allowed_mentions
    return am.get("parse") == [] and not am.get("users") and not am.get("roles") and not am.get("replied_user")


def _embed(body: dict) -> dict:
    return body["embeds"][0]


def _ephemeral_text(rec) -> str:
    [body] = [b for b in rec.bodies if b.get("content")]
    assert body.get("flags", 0) & 64, body  # only the user sees it
    return body["content"]


async def test_ask_declines_with_closest_passages(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("bob"), options={"question": "What is the population of Anchorage?"})
    await fake.wait_for(lambda: rec.messages, T)
    embed = _embed(rec.messages[0])
    assert embed["description"].startswith("**The article doesn't say.**")
    assert embed["fields"] and all(f["name"].startswith("Paragraph") for f in embed["fields"])


async def test_a_greeting_gets_a_private_hint_not_a_public_decline(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("dora"), options={"question": "thanks!"})
    await fake.wait_for(lambda: rec.bodies, T)
    assert rec.callbacks[0]["type"] == 4  # answered at once, not deferred into a public "thinking…"
    assert "isn't a question about the article" in _ephemeral_text(rec)
    assert not any(b.get("embeds") for b in rec.bodies)  # no public answer embed
    assert bot.store.stats().asked == 0  # not recorded as a question

    # by mention there is no private reply: the hint goes to the channel, as an error embed
    await fake.say(f"<@{bot.user.id}> hello", fake.user("dora"), mentions=[fake.bot_user])
    [msg] = await fake.wait_for(lambda: fake.sent_to(fake.channel_id), T)
    embed = msg["_request"]["embeds"][0]
    assert "Ask who, what, when, where, why or how much" in embed["description"]
    assert "doesn't say" not in embed["description"]
    assert not msg["_request"].get("components")  # no feedback buttons on a hint


async def test_commands_synced_to_the_dev_guild_only(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    names = {c["name"] for c in fake.commands[fake.guild_id]}
    assert {"ask", "expert", "experts", "about", "reindex", "stats", "Ask the article"} <= names
    assert None not in fake.commands  # never synced globally on start
    reindex = next(c for c in fake.commands[fake.guild_id] if c["name"] == "reindex")
    assert str(reindex["default_member_permissions"]) == str(MANAGE_GUILD)  # the hint; the real check is in code


async def test_mention_answers_in_channel_without_pings(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service)
    user = fake.user("carol")
    question = await fake.say(f"<@{bot.user.id}> @everyone who sold Alaska?", user, mentions=[fake.bot_user])
    [msg] = await fake.wait_for(lambda: fake.sent_to(fake.channel_id), T)
    sent = msg["_request"]
    assert _no_pings(sent["allowed_mentions"])
    assert str(sent["message_reference"]["message_id"]) == question["id"]
    assert "Tsar Alexander II" in sent["embeds"][0]["description"]
    assert "@everyone" in sent["embeds"][0]["title"]  # echoed, but it pings no one

    # a reply to the bot's answer that pings it is a question too
    await fake.say("And who bought it?", user, reply_to={k: v for k, v in msg.items() if k != "_request"},
                   mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 2, T)
    assert _no_pings(fake.sent_to(fake.channel_id)[1]["_request"]["allowed_mentions"])

    # messages that do not mention the bot are ignored
    await fake.say("who sold Alaska?", user)
    await fake.say(f"<@{bot.user.id}> what did <@{user['id']}> ask?", user, mentions=[fake.bot_user, user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 3, T)
    assert fake.sent_to(fake.channel_id)[2]["_request"]["embeds"][0]["title"] == "what did @carol ask?"


async def test_every_request_disables_pings(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("dan"), options={"question": "@everyone who sold Alaska?"})
    await fake.wait_for(lambda: rec.messages, T)
    for req in fake.requests:
        if req.method in ("POST", "PATCH") and isinstance(req.json, dict):
            body = req.json.get("data", req.json) if "/callback" in req.path else req.json
            if body.get("content") or body.get("embeds"):
                assert _no_pings(body.get("allowed_mentions") or {}), req


async def test_answer_in_thread(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service, answer_in_thread=True)
    user = fake.user("erin")
    question = await fake.say(f"<@{bot.user.id}> who sold Alaska?", user, mentions=[fake.bot_user])
    [msg] = await fake.wait_for(lambda: fake.sent_to(question["id"]), T)  # the thread's id is the message's
    assert fake.channels[question["id"]]["name"] == "who sold Alaska?"
    assert "Tsar Alexander II" in msg["embeds"][0]["description"]


async def test_only_in_allowed_channels(fake: FakeDiscord, start_bot, shipped_service):
    bot = await start_bot(shipped_service, allowed_channel_ids=[int(fake.other_channel_id)])
    user = fake.user("fay")
    rec = await fake.slash("ask", user, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.bodies, T)
    assert "only answer questions in" in _ephemeral_text(rec)
    await fake.say(f"<@{bot.user.id}> who sold Alaska?", user, mentions=[fake.bot_user])  # ignored here
    rec = await fake.slash("ask", user, options={"question": "Who sold Alaska?"}, channel_id=fake.other_channel_id)
    await fake.wait_for(lambda: rec.messages, T)
    assert not fake.sent_to(fake.channel_id)


async def test_cooldown(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service, ask_cooldown_seconds=60)
    user = fake.user("gus")
    first = await fake.slash("ask", user, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: first.messages, T)
    second = await fake.slash("ask", user, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: second.bodies, T)
    text = _ephemeral_text(second)
    assert "try again in" in text and " s" in text
    other = await fake.slash("ask", fake.user("hal"), options={"question": "Who sold Alaska?"})  # per user
    await fake.wait_for(lambda: other.messages, T)
    assert other.messages[0]["embeds"]


async def test_mentions_share_the_gate_with_commands(fake: FakeDiscord, start_bot, shipped_service):
    """A mention with no question is told how to ask (not counted); the next question is answered, then the
    user is on cooldown for mentions and /ask alike, with the same sentence."""
    bot = await start_bot(shipped_service, ask_cooldown_seconds=60)
    user = fake.user("una")
    await fake.say(f"<@{bot.user.id}>", user, mentions=[fake.bot_user])
    [usage] = await fake.wait_for(lambda: fake.sent_to(fake.channel_id), T)
    # the example is a question the loaded article answers, not a fixed one
    example = shipped_service.view(None).example_question()
    assert usage["content"] == f"Ask me something about the article, e.g. `@me {example}`"
    assert shipped_service.ask(example).answered
    assert usage["_request"]["message_reference"] and _no_pings(usage["_request"]["allowed_mentions"])
    await fake.say(f"<@{bot.user.id}> who sold Alaska?", user, mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 2, T)
    assert "Tsar Alexander II" in fake.sent_to(fake.channel_id)[1]["_request"]["embeds"][0]["description"]
    await fake.say(f"<@{bot.user.id}> who bought Alaska?", user, mentions=[fake.bot_user])
    await fake.wait_for(lambda: len(fake.sent_to(fake.channel_id)) == 3, T)
    busy = fake.sent_to(fake.channel_id)[2]
    assert busy["content"] in {"You're asking quickly: please try again in 60 s.",
                               "You're asking quickly: please try again in 59 s."}
    assert not busy["_request"].get("embeds")
    rec = await fake.slash("ask", user, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.bodies, T)
    assert _ephemeral_text(rec).startswith("You're asking quickly: please try again in ")


async def test_message_menu_only_in_allowed_channels(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service, allowed_channel_ids=[int(fake.other_channel_id)])
    target = fake.message(fake.channel_id, fake.user("sam"), "Who sold Alaska to the Americans?")
    rec = await fake.message_command("Ask the article", fake.user("vic"), target)
    await fake.wait_for(lambda: rec.bodies, T)
    assert _ephemeral_text(rec) == f"I only answer questions in <#{fake.other_channel_id}>."


async def test_feedback_counts_only_the_askers_vote_and_stats(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    asker, other = fake.user("ivy"), fake.user("jon")
    rec = await fake.slash("ask", asker, options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.created and rec.followups, T)
    answer_msg = rec.created[-1]
    up = next(c["custom_id"] for row in answer_msg["components"] for c in row["components"] if c["emoji"]["name"] == "👍")
    refused = await fake.click(answer_msg, up, other)
    await fake.wait_for(lambda: refused.bodies, T)
    assert "Only the person who asked" in _ephemeral_text(refused)
    thanks = await fake.click(answer_msg, up, asker)
    await fake.wait_for(lambda: thanks.bodies, T)
    assert "Thanks" in _ephemeral_text(thanks)
    for q in ("What is the weather on Mars?", "what is the weather on mars", "Who sold Alaska?"):
        r = await fake.slash("ask", asker, options={"question": q})
        await fake.wait_for(lambda: r.messages, T)

    denied = await fake.slash("stats", other)
    await fake.wait_for(lambda: denied.bodies, T)
    assert "Manage Server" in _ephemeral_text(denied)
    stats = await fake.slash("stats", other, permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: stats.messages, T)
    body = stats.messages[0]
    assert body.get("flags", 0) & 64
    fields = {f["name"]: f["value"] for f in _embed(body)["fields"]}
    assert fields["Questions"] == "4" and fields["Declined"].startswith("2 (50%)")
    assert fields["Feedback"] == "👍 1 · 👎 0"
    assert "2× What is the weather on Mars?" in fields["Most frequent questions the article could not answer"]


async def test_reindex_allowed_for_moderators_and_denied_to_others(fake: FakeDiscord, start_bot, shipped_service):
    from index.service import QAService

    service = QAService.from_sources()  # its own, since this one is rebuilt
    await start_bot(service, moderator_role_ids=[int(fake.moderator_role_id)])
    before = service.corpus
    denied = await fake.slash("reindex", fake.user("kim"))
    await fake.wait_for(lambda: denied.bodies, T)
    assert "Manage Server or a moderator role" in _ephemeral_text(denied)
    assert service.corpus is before

    by_role = await fake.slash("reindex", fake.user("lee"), roles=[fake.moderator_role_id])
    await fake.wait_for(lambda: by_role.messages, T)
    embed = _embed(by_role.messages[0])
    assert embed["title"] == "Index refreshed" and "unchanged" in embed["description"]
    assert by_role.messages[0]["flags"] & 64

    by_perm = await fake.slash("reindex", fake.user("max"), permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: by_perm.bodies, T)
    # Right after the first: refused, whoever asks, with when the next refresh is possible.
    assert _ephemeral_text(by_perm).startswith("Not refreshed: the shared articles were refreshed recently; next possible in 5 minutes")
    service.limiter.interval = 0
    again = await fake.slash("reindex", fake.user("max"), permissions=MANAGE_GUILD)
    await fake.wait_for(lambda: again.messages, T)
    assert _embed(again.messages[0])["title"] == "Index refreshed"


async def test_expert_autocomplete_lookup_and_list(fake: FakeDiscord, start_bot, toy_service):
    await start_bot(toy_service)
    user = fake.user("nia")
    ac = await fake.autocomplete("expert", user, "name", "kow")
    choices = await fake.wait_for(lambda: ac.choices, T)
    assert choices[0]["value"] == "Anna Kowalska" and len(choices) <= 25
    everyone = await fake.autocomplete("expert", user, "name", "")
    assert len(await fake.wait_for(lambda: everyone.choices, T)) == 2

    rec = await fake.slash("expert", user, options={"name": "Anna Kowalska", "topic": "summer"})
    await fake.wait_for(lambda: rec.messages, T)
    embed = _embed(rec.messages[0])
    assert embed["title"] == "Anna Kowalska"
    assert "an engineer at the Coastal Institute" in embed["description"] and "Quoted **2 times**" in embed["description"]
    assert "summer season" in embed["fields"][0]["value"]

    unknown = await fake.slash("expert", user, options={"name": "Kowalsky"})
    await fake.wait_for(lambda: unknown.messages, T)
    assert "Did you mean **Anna Kowalska**" in _embed(unknown.messages[0])["description"]

    listing = await fake.slash("experts", user)
    await fake.wait_for(lambda: listing.messages, T)
    desc = _embed(listing.messages[0])["description"]
    assert "Anna Kowalska" in desc and "Marek Nowak" in desc


async def test_expert_pages_turn_with_buttons(fake: FakeDiscord, start_bot, toy_service, monkeypatch):
    from bot.replies import experts

    monkeypatch.setattr(experts, "QUOTES_PER_PAGE", 1)
    monkeypatch.setattr(experts.expert, "__defaults__", (None, 1))
    await start_bot(toy_service)
    user = fake.user("oli")
    rec = await fake.slash("expert", user, options={"name": "Kowalska"})
    await fake.wait_for(lambda: rec.created and rec.followups, T)
    msg = rec.created[-1]
    assert _embed(rec.followups[0])["footer"]["text"] == "Page 1/2"
    buttons = [c for row in msg["components"] for c in row["components"]]
    nxt = buttons[1]["custom_id"]
    stranger = await fake.click(msg, nxt, fake.user("pat"))
    await fake.wait_for(lambda: stranger.bodies, T)
    assert stranger.bodies[0]["flags"] & 64
    turn = await fake.click(msg, nxt, user)
    await fake.wait_for(lambda: turn.callbacks, T)
    assert turn.callbacks[0]["type"] == 7  # message updated in place
    assert turn.callbacks[0]["data"]["embeds"][0]["footer"]["text"] == "Page 2/2"


async def test_about(fake: FakeDiscord, start_bot, toy_service):
    await start_bot(toy_service)
    rec = await fake.slash("about", fake.user("quinn"))
    await fake.wait_for(lambda: rec.messages, T)
    embed = _embed(rec.messages[0])
    text = str(embed)
    assert "Port Wren gets a new lighthouse" in text and "Jan Reporter" in text
    assert "3 quotes, 2 experts" in text and "Built " in text


async def test_message_menu_asks_the_article(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)
    user = fake.user("ray")
    target = fake.message(fake.channel_id, fake.user("sam"), "Who sold Alaska to the Americans?")
    rec = await fake.message_command("Ask the article", user, target)
    await fake.wait_for(lambda: rec.messages, T)
    assert "Tsar Alexander II" in _embed(rec.messages[0])["description"]

    # a message that is no question gets the private hint, through the same error handler
    chat = fake.message(fake.channel_id, fake.user("sam"), "ok thanks!")
    hint = await fake.message_command("Ask the article", user, chat)
    await fake.wait_for(lambda: hint.bodies, T)
    assert "isn't a question about the article" in _ephemeral_text(hint)


async def test_oversized_answer_is_truncated_within_limits(fake: FakeDiscord, start_bot, shipped_service, monkeypatch):
    from index.models import Answer, AnswerSpan, Span, Speaker
    from index.service import View

    long = " ".join(["Negotiations"] * 1500) + "."

    def verbose(self, question, article=None, context=None):
        return Answer(question=question * 40, answered=True, confidence=0.7, excerpt=Span(text=long, start=0, end=len(long)),
                      read_as=question * 40, note="a note " * 300,
                      answer=AnswerSpan(text=long, start=0, end=len(long), article="trump-putin-alaska", paragraph=1,
                                        speaker=Speaker(name="A. Person", description="x " * 400)))

    monkeypatch.setattr(View, "ask", verbose)  # what every server's view answers
    await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("tia"), options={"question": "What was negotiated at length?"})
    await fake.wait_for(lambda: rec.messages, T)
    embed = _embed(rec.messages[0])
    assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096
    assert all(len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in embed["fields"])
    total = len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"])
    total += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert total <= 6000
    assert "…" in embed["description"]


async def test_unexpected_error_apologises_and_keeps_running(fake: FakeDiscord, start_bot, shipped_service, caplog,
                                                             monkeypatch):
    from index.service import View

    def broken(self, question, article=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(View, "ask", broken)
    await start_bot(shipped_service)
    rec = await fake.slash("ask", fake.user("uma"), options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.bodies, T)
    assert "Sorry, something went wrong" in _ephemeral_text(rec)
    assert any("command 'ask' failed" in r.getMessage() and r.exc_info for r in caplog.records)
    about = await fake.slash("about", fake.user("uma"))
    await fake.wait_for(lambda: about.messages, T)


async def test_ask_one_article_of_several(fake: FakeDiscord, start_bot, two_article_service):
    await start_bot(two_article_service)
    user = fake.user("olga")
    ac = await fake.autocomplete("ask", user, "article", "port")
    assert (await fake.wait_for(lambda: ac.choices, T))[0]["value"] == "port-wren"

    rec = await fake.slash("ask", user, options={"question": "What is this article about?", "article": "port-wren"})
    await fake.wait_for(lambda: rec.messages, T)
    assert "Port Wren will build a new lighthouse" in _embed(rec.messages[0])["description"]

    wrong = await fake.slash("ask", user, options={"question": "Who sold Alaska?", "article": "weather"})
    await fake.wait_for(lambda: wrong.bodies, T)
    assert "There is no article 'weather'" in _ephemeral_text(wrong)


async def test_articles_list_pages_through_every_article(fake: FakeDiscord, start_bot):
    from index.text.article import parse_article
    from index.corpus import Corpus
    from index.models import ArticleMeta
    from index.service import QAService

    title = "A long headline about the harbour, the new ferry line and the bridge that reopens in June " * 2
    articles = [parse_article(f"Story {i} says the ferry line number {i} opens in June, the council said.\n",
                              ArticleMeta(id=f"story-{i:02d}", title=f"{i}. {title}", url=f"https://news.example/{i}"))
                for i in range(45)]
    await start_bot(QAService(Corpus.build(articles)))
    user = fake.user("lou")
    rec = await fake.slash("articles", user, subcommand="list")
    await fake.wait_for(lambda: rec.created and rec.followups, T)
    first = _embed(rec.followups[0])
    pages = int(first["footer"]["text"].split(" · ")[0].split("/")[1])
    assert pages > 1 and rec.followups[0]["flags"] & 64
    seen = first["description"]
    msg = rec.created[-1]
    nxt = [c for row in msg["components"] for c in row["components"]][1]["custom_id"]
    for _ in range(pages - 1):
        turn = await fake.click(msg, nxt, user)
        await fake.wait_for(lambda: turn.callbacks, T)
        seen += turn.callbacks[0]["data"]["embeds"][0]["description"]
    assert all(f"`story-{i:02d}`" in seen for i in range(45))
