"""bot/gate.py without Discord: placement precedence, channels (threads, DMs), cooldown windows, moderators, and the
one admission decision for /ask, the message menu and mentions. Plain ids in, decisions out."""

from __future__ import annotations

import pytest

from bot.gate import (
    MENTION_USAGE,
    MODERATORS_ONLY,
    Admission,
    Cooldowns,
    Gate,
    Placement,
    Where,
    channel_allowed,
    cooldown_sentence,
    is_moderator,
    placement,
)
from bot.settings import Settings
from bot.store import GuildSettings

A, B, C = 101, 102, 103  # channels
THREAD_IN_A = Where(channel_id=900, parent_id=A)


def _settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Guilds:
    """The one method of the store the gate reads."""

    def __init__(self, **own: GuildSettings) -> None:
        self.own = {int(k.removeprefix("g")): v for k, v in own.items()}

    def guild_settings(self, guild_id: int) -> GuildSettings:
        return self.own.get(guild_id, GuildSettings())


# -- placement: the guild's own settings over the global defaults -------------------------------

@pytest.mark.parametrize(("defaults", "own", "expected"), [
    ({}, GuildSettings(), Placement((), False)),
    ({"allowed_channel_ids": [A], "answer_in_thread": True}, GuildSettings(), Placement((A,), True)),
    ({"allowed_channel_ids": [A]}, GuildSettings(channel_ids=(B, C)), Placement((B, C), False, own_channels=True)),
    # an own, empty list is "every channel", not "the default"
    ({"allowed_channel_ids": [A]}, GuildSettings(channel_ids=()), Placement((), False, own_channels=True)),
    ({"answer_in_thread": True}, GuildSettings(answer_in_thread=False), Placement((), False, own_thread=True)),
    ({"allowed_channel_ids": [A], "answer_in_thread": False}, GuildSettings(channel_ids=(B,), answer_in_thread=True),
     Placement((B,), True, own_channels=True, own_thread=True)),
])
def test_placement_precedence(defaults, own, expected):
    assert placement(_settings(**defaults), own) == expected


def test_gate_placement_reads_the_guilds_own_settings_and_dms_use_the_defaults():
    gate = Gate(_settings(allowed_channel_ids=[A]), Guilds(g7=GuildSettings(channel_ids=(B,))))  # type: ignore[arg-type]
    assert gate.placement(7).channel_ids == (B,)
    assert gate.placement(8).channel_ids == (A,)  # a guild with no settings of its own
    assert gate.placement(None).channel_ids == (A,)  # a DM
    assert Gate(_settings(allowed_channel_ids=[A])).placement(7) == Placement((A,), False)  # no store


# -- channels ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("where", "allowed", "expected"), [
    (Where(A), (), True),  # no list: every channel
    (Where(A), (A,), True),
    (Where(B), (A,), False),
    (Where(B), (A, B), True),
    (THREAD_IN_A, (A,), True),  # a thread inherits its channel's permission
    (Where(900, parent_id=B), (A,), False),
    (Where(A, parent_id=B), (B,), True),  # the thread's own id listed, or its channel's
    (Where(B, in_guild=False), (A,), True),  # DMs are always answered
    (Where(None, in_guild=False), (A,), True),
    (Where(None), (A,), False),  # a guild channel of unknown id
])
def test_channel_allowed(where, allowed, expected):
    assert channel_allowed(where, allowed) is expected


# -- cooldowns -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("rate", "per", "hits", "expected"), [
    # hits: (seconds since the start, user) -> 0 when allowed, else the seconds to wait
    (1, 10, [(0, 1), (0, 1)], [0, 10]),
    (1, 10, [(0, 1), (4, 1)], [0, 6]),
    (1, 10, [(0, 1), (10, 1)], [0, 0]),  # the window is [t, t + per): at t + per it is open again
    (1, 10, [(0, 1), (0, 2)], [0, 0]),  # per user
    (2, 10, [(0, 1), (1, 1), (2, 1), (11, 1)], [0, 0, 8, 0]),
    (2, 10, [(0, 1), (1, 1), (10.5, 1), (10.6, 1)], [0, 0, 0, 0.4]),  # a sliding window, not buckets
    (1, 10, [(0, 1), (5, 1), (9, 1), (10, 1)], [0, 5, 1, 0]),  # refused questions are not counted
    (1, 0, [(0, 1), (0, 1), (0, 1)], [0, 0, 0]),  # per == 0: off
])
def test_cooldown_windows(rate, per, hits, expected):
    clock = Clock()
    start = clock.now
    cooldowns = Cooldowns(rate, per, clock)
    got = []
    for at, user in hits:
        clock.now = start + at
        got.append(cooldowns.hit(user))
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(("retry", "seconds"), [(0.0001, 1), (0.5, 1), (1.0, 1), (1.2, 2), (9.6, 10), (60, 60)])
def test_the_cooldown_sentence_rounds_up_to_whole_seconds(retry, seconds):
    assert cooldown_sentence(retry) == f"You're asking quickly: please try again in {seconds} s."


# -- moderators ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("flags", "roles", "moderator_roles", "expected"), [
    ({"manage_guild": True}, (), (), True),
    ({"administrator": True}, (), (), True),
    ({}, (), (), False),
    ({}, (5, 6), (6,), True),  # a moderator role
    ({}, (5,), (6,), False),
    ({}, (5,), (), False),
    ({"manage_guild": True, "in_guild": False}, (), (), False),  # not a member of a guild (a DM)
])
def test_is_moderator(flags, roles, moderator_roles, expected):
    values = {"in_guild": True, "manage_guild": False, "administrator": False, **flags}
    assert is_moderator(**values, role_ids=roles, moderator_role_ids=moderator_roles) is expected
    gate = Gate(_settings(moderator_role_ids=list(moderator_roles)))
    assert gate.is_moderator(**values, role_ids=roles) is expected


def test_moderators_only_sentence():
    assert MODERATORS_ONLY == "Only members with Manage Server or a moderator role can do that."


# -- admission: one decision for /ask, the message menu and mentions ----------------------------

COOLDOWN = cooldown_sentence(60)
OUTSIDE = f"I only answer questions in <#{A}>."


@pytest.mark.parametrize(("via", "where", "empty", "first", "second"), [
    # (what the first question gets, what the same user's second one gets, at once); None: admitted
    ("slash", Where(A), False, None, COOLDOWN),
    ("context", Where(A), False, None, COOLDOWN),
    ("mention", Where(A), False, None, COOLDOWN),
    ("slash", THREAD_IN_A, False, None, COOLDOWN),
    ("mention", Where(B, in_guild=False), False, None, COOLDOWN),  # a DM
    # outside the channels: a command is told where to ask, a mention is ignored without a word
    ("slash", Where(B), False, OUTSIDE, OUTSIDE),
    ("context", Where(B), False, OUTSIDE, OUTSIDE),
    ("mention", Where(B), False, "", ""),
    # a mention with no question is told how to ask, and that does not count against the cooldown
    ("mention", Where(A), True, MENTION_USAGE, MENTION_USAGE),
    ("mention", Where(B), True, "", ""),  # outside the channels: still ignored
])
def test_admission(via, where, empty, first, second):
    gate = Gate(_settings(allowed_channel_ids=[A], ask_cooldown_rate=1, ask_cooldown_seconds=60), clock=Clock())

    def said(admission: Admission) -> str | None:
        assert admission.via == via
        if admission.allowed:
            assert admission.message is None
            return None
        return admission.message or ""  # "" refused in silence

    assert said(gate.admit(1, 7, where, via=via, empty=empty)) == first
    assert said(gate.admit(1, 7, where, via=via, empty=empty)) == second
    if first == MENTION_USAGE:  # nothing counted: a real question is let through
        assert gate.admit(1, 7, where, via=via).allowed


def test_admission_channel_comes_before_the_cooldown_and_says_why():
    gate = Gate(_settings(allowed_channel_ids=[A], ask_cooldown_rate=1, ask_cooldown_seconds=60), clock=Clock())
    outside = gate.admit(1, 7, Where(B), via="slash")
    assert (outside.refusal, outside.channel_ids) == ("channel", (A,))
    assert gate.admit(1, 7, Where(A), via="slash").allowed  # the refused one was not counted
    busy = gate.admit(1, 7, Where(A), via="mention")  # one cooldown across every way of asking
    assert busy.refusal == "cooldown" and busy.retry_after == pytest.approx(60)
    assert gate.admit(2, 7, Where(A), via="mention").allowed  # another user


def test_admission_lists_at_most_ten_channels():
    channels = list(range(1, 15))
    gate = Gate(_settings(allowed_channel_ids=channels))
    message = gate.admit(1, 7, Where(99), via="slash").message
    assert message == "I only answer questions in " + ", ".join(f"<#{c}>" for c in channels[:10]) + "."
