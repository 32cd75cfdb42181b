"""The invite URL: the scopes and exactly the permissions the bot uses (no discord import: a table of bits).

Why each permission: the bot reads the channels it answers in (View Channel), answers and opens a thread per
answer when a server wants one (Send Messages, Create Public Threads, Send Messages in Threads), sends every
answer as an embed (Embed Links) and reads the message a reply or a follow-up refers to (Read Message History).
It needs no privileged intent: a mention carries its text (MESSAGE_CONTENT only lets follow-ups in its threads
go without a ping).
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlencode

# name -> bit, as Discord documents them (https://discord.com/developers/docs/topics/permissions)
PERMISSIONS = {
    "View Channel": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Read Message History": 1 << 16,
    "Create Public Threads": 1 << 35,
    "Send Messages in Threads": 1 << 38,
}
PERMISSIONS_VALUE = sum(PERMISSIONS.values())
SCOPES = ("bot", "applications.commands")
AUTHORIZE_URL = "https://discord.com/oauth2/authorize"


def client_id_from_token(token: str) -> int | None:
    """A bot token's first part is its user id (the application's id) in base64; None when it is not."""
    head = token.strip().split(".", 1)[0]
    try:
        raw = base64.b64decode(head + "=" * (-len(head) % 4), altchars=b"-_", validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(raw) if raw.isdecimal() and 15 <= len(raw) <= 21 else None


def invite_url(client_id: int, guild_id: int | None = None) -> str:
    """The URL that adds the bot to a server with its commands and exactly its permissions."""
    query = {"client_id": str(client_id), "scope": " ".join(SCOPES), "permissions": str(PERMISSIONS_VALUE)}
    if guild_id is not None:
        query["guild_id"] = str(guild_id)
    return f"{AUTHORIZE_URL}?{urlencode(query)}"
