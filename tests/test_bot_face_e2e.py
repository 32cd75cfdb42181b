"""End to end, the Discord face: /help, the answer's link button, hidden moderator commands, paged views that time
out, and a command Discord still lists that the code no longer has (the real client against tests/fakediscord)."""

from __future__ import annotations

from fakediscord import MANAGE_GUILD, FakeDiscord

from bot.errors import REMOVED

T = 10.0


def _ephemeral_text(rec) -> str:
    [body] = [b for b in rec.bodies if b.get("content")]
    assert body.get("flags", 0) & 64, body  # only the user sees it
    return body["content"]


def _buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components") or [] for c in row["components"]]


async def test_help_for_members_and_for_moderators(fake: FakeDiscord, start_bot, toy_service):
    bot = await start_bot(toy_service, moderator_role_ids=[int(fake.moderator_role_id)])
    synced = next(c for c in fake.commands[fake.guild_id] if c["name"] == "help")
    assert synced["default_member_permissions"] is None  # for everyone

    member = await fake.slash("help", fake.user("mia"))
    await fake.wait_for(lambda: member.messages, T)
    [body] = member.messages
    assert body["flags"] & 64  # ephemeral
    embed = body["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "only in their own words" in embed["description"]
    assert f"<@{bot.user.id}> What does Anna Kowalska say?" in fields["How to ask"]
    assert "/ask question:" in fields["Commands"] and "Moderators" not in fields

    for kw in ({"permissions": MANAGE_GUILD}, {"roles": [fake.moderator_role_id]}):
        mod = await fake.slash("help", fake.user("mod"), **kw)
        await fake.wait_for(lambda: mod.messages, T)
        fields = {f["name"]: f["value"] for f in mod.messages[0]["embeds"][0]["fields"]}
        assert "/articles add url:" in fields["Moderators"] and "/reindex" in fields["Moderators"]


async def test_an_answer_links_to_its_article_beside_the_feedback_buttons(fake: FakeDiscord, start_bot, toy_service):
    await start_bot(toy_service)
    rec = await fake.slash("ask", fake.user("ned"), options={"question": "How much will the lighthouse cost?"})
    await fake.wait_for(lambda: rec.messages, T)
    [body] = rec.messages
    buttons = _buttons(body)
    link = next(b for b in buttons if b.get("url"))
    assert link["style"] == 5 and link["label"] == "Read the article" and link["url"] == "https://example.invalid/port-wren"
    assert {b["emoji"]["name"] for b in buttons if not b.get("url")} == {"👍", "👎"}
    fields = {f["name"]: f["value"] for f in body["embeds"][0]["fields"]}
    assert "characters" not in fields["Where"] and fields["Where"].startswith("Paragraph ")


async def test_an_answer_from_an_article_without_a_url_has_no_link(fake: FakeDiscord, start_bot, shipped_service):
    await start_bot(shipped_service)  # the shipped article's sidecar names no url
    rec = await fake.slash("ask", fake.user("ola"), options={"question": "Who sold Alaska?"})
    await fake.wait_for(lambda: rec.messages, T)
    assert not any(b.get("url") for b in _buttons(rec.messages[0]))


async def test_moderators_commands_are_hidden_from_members_in_the_synced_json(fake: FakeDiscord, start_bot,
                                                                             shipped_service):
    await start_bot(shipped_service)
    synced = {c["name"]: c for c in fake.commands[fake.guild_id]}
    for name in ("articles", "reindex", "stats", "config"):
        assert str(synced[name]["default_member_permissions"]) == str(MANAGE_GUILD), name
    for name in ("ask", "expert", "experts", "about", "help"):
        assert synced[name]["default_member_permissions"] is None, name
    assert {o["name"] for o in synced["articles"]["options"]} == {"list", "add", "remove"}


async def test_page_buttons_are_disabled_when_they_time_out(fake: FakeDiscord, start_bot, toy_service, monkeypatch):
    from bot import pages
    from bot.replies import experts

    monkeypatch.setattr(pages, "PAGE_TIMEOUT", 0.3)
    monkeypatch.setattr(experts.expert, "__defaults__", (None, 1))  # one quotation a page: Kowalska has two
    await start_bot(toy_service)
    rec = await fake.slash("expert", fake.user("pia"), options={"name": "Kowalska"})
    await fake.wait_for(lambda: rec.followups, T)
    assert not all(b.get("disabled") for b in _buttons(rec.followups[0]))  # ▶ works at first
    [edit] = await fake.wait_for(lambda: rec.edits, T)
    buttons = _buttons(edit)
    assert len(buttons) == 2 and all(b["disabled"] for b in buttons)


async def test_a_command_the_code_no_longer_has_says_to_sync(fake: FakeDiscord, start_bot, shipped_service, caplog):
    await start_bot(shipped_service)
    gone = await fake.slash("quotes", fake.user("quin"))  # Discord still lists a removed /quotes
    await fake.wait_for(lambda: gone.bodies, T)
    assert _ephemeral_text(gone) == REMOVED == "This command was removed; ask a moderator to run `make sync`."
    assert any("no longer has" in r.getMessage() for r in caplog.records)

    target = fake.message(fake.channel_id, fake.user("sam"), "Who sold Alaska?")
    menu = await fake.message_command("Quote this", fake.user("quin"), target)
    await fake.wait_for(lambda: menu.bodies, T)
    assert _ephemeral_text(menu) == REMOVED

    typing = await fake.autocomplete("quotes", fake.user("quin"), "name", "ko")
    after = await fake.slash("about", fake.user("quin"))  # still running; the autocomplete got no message
    await fake.wait_for(lambda: after.messages, T)
    assert not typing.callbacks
