"""bot/invite.py: the invite URL's scopes and exactly the permissions the bot uses."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.invite import PERMISSIONS_VALUE, client_id_from_token, invite_url


def test_the_permissions_are_exactly_those_the_bot_uses():
    wanted = discord.Permissions(view_channel=True, send_messages=True, send_messages_in_threads=True,
                                 create_public_threads=True, embed_links=True, read_message_history=True)
    assert PERMISSIONS_VALUE == wanted.value == 309237730304
    assert not discord.Permissions(PERMISSIONS_VALUE).administrator and not discord.Permissions(PERMISSIONS_VALUE).mention_everyone


def test_the_invite_url_asks_for_the_bot_and_its_commands():
    url = urlparse(invite_url(123456789012345678))
    assert (url.scheme, url.netloc, url.path) == ("https", "discord.com", "/oauth2/authorize")
    q = parse_qs(url.query)
    assert q == {"client_id": ["123456789012345678"], "scope": ["bot applications.commands"],
                 "permissions": [str(PERMISSIONS_VALUE)]}
    assert parse_qs(urlparse(invite_url(1234567890123456789, guild_id=42)).query)["guild_id"] == ["42"]


def test_the_client_id_is_read_from_the_token():
    head = base64.b64encode(b"1234567890123456789").decode().rstrip("=")
    assert client_id_from_token(f"{head}.GxYz12.abcdefghijklmnopqrstuvwxyz0123456789AB") == 1234567890123456789


@pytest.mark.parametrize("token", ["", "not a token", "bm90IGFuIGlk.x.y", "%%%.a.b"])
def test_a_token_that_names_no_id_gives_none(token):
    assert client_id_from_token(token) is None
