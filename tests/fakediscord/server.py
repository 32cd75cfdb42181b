"""A small Discord-compatible server for end-to-end tests: REST + gateway on 127.0.0.1.

The real discord.py client connects to it (DISCORD_API_URL / DISCORD_GATEWAY_URL). Tests act
as users (slash commands, autocomplete, buttons, message menus, mentions) and assert on what
the bot sent: every REST request is recorded with its JSON body. `slash` and `autocomplete` take
`subcommand="add"` or `subcommand="channels add"` (group + subcommand) and type options from their
values (str, bool, int, float, or a channel dict such as `fake.channels[fake.channel_id]`).

Two guilds (`guild_id` with two channels, `second_guild_id` with `second_channel_id`), so that tests
can check that what one server does is invisible to the other; a user acts in the guild of the
channel they act in. Covers what this bot uses: GET /gateway, /gateway/bot, /users/@me, /oauth2/applications/@me;
HELLO / IDENTIFY / READY / GUILD_CREATE / heartbeat ACK / RESUME; PUT+GET application commands
(global and guild); INTERACTION_CREATE and MESSAGE_CREATE dispatch; interaction callbacks;
webhook followups and @original edits; channel messages, message threads, typing, deletes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
HEARTBEAT_MS = 41250
MANAGE_GUILD = 1 << 5
BASIC_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31)  # view, send, read history, use app commands


BODY = web.RequestKey("body", object) if hasattr(web, "RequestKey") else "body"


MESSAGE_CONTENT_INTENT = 1 << 15  # the privileged intent: the text of every message the bot can see


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass
class Request:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    headers: dict[str, str]


@dataclass
class InteractionRecord:
    """One interaction a test sent, and everything the bot answered to it."""

    id: str
    token: str
    payload: dict
    callbacks: list[dict] = field(default_factory=list)  # {"type": n, "data": {...}}
    followups: list[dict] = field(default_factory=list)  # request bodies of followup messages
    edits: list[dict] = field(default_factory=list)  # request bodies of @original edits
    created: list[dict] = field(default_factory=list)  # message objects the server made for them
    deleted: list[str] = field(default_factory=list)  # ids of webhook messages the bot deleted ("@original" too)

    @property
    def bodies(self) -> list[dict]:
        """Every message body the bot sent for this interaction (callback data, followups, edits)."""
        out = [c.get("data") or {} for c in self.callbacks if c.get("type") in (4, 7)]
        return out + self.followups + self.edits

    @property
    def messages(self) -> list[dict]:
        """The message bodies that carry content or embeds."""
        return [b for b in self.bodies if b.get("content") or b.get("embeds")]

    @property
    def deferred(self) -> bool:
        return any(c.get("type") in (5, 6) for c in self.callbacks)

    @property
    def choices(self) -> list[dict] | None:
        for c in self.callbacks:
            if c.get("type") == 8:
                return c["data"]["choices"]
        return None


class FakeDiscord:
    def __init__(self, token: str = "test-token", *, log_requests: bool = False):
        self.token = token
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self.application_id = self.snowflake()
        self.bot_user = self.user("article-bot", bot=True, id=self.application_id)
        self.guild_id = self.snowflake()
        self.channel_id = self.snowflake()
        self.other_channel_id = self.snowflake()
        self.moderator_role_id = self.snowflake()
        self.owner = self.user("owner")  # owns the application and the first guild
        # A second guild with one channel and its own owner: what one server does must not reach the other.
        self.second_guild_id = self.snowflake()
        self.second_channel_id = self.snowflake()
        self.second_owner = self.user("second-owner")
        self.requests: list[Request] = []
        self.messages: dict[str, list[dict]] = {}  # channel id -> message objects the bot created
        self.channels: dict[str, dict] = {c["id"]: c for c in self._text_channels()}
        self.commands: dict[str | None, list[dict]] = {}  # guild id (None = global) -> commands
        self.interactions: dict[str, InteractionRecord] = {}
        self.identifies: list[dict] = []
        self.heartbeats = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._changed = asyncio.Condition()
        self._ready = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.log_requests = log_requests
        self.ready_guilds: list[str] | None = None  # the guilds the bot is in at READY (None: both)

    # -- ids and payloads ------------------------------------------------------------------------

    def snowflake(self) -> str:
        return str(next(self._ids))

    def user(self, name: str, *, bot: bool = False, id: str | None = None) -> dict:
        return {"id": id or self.snowflake(), "username": name, "global_name": name, "discriminator": "0",
                "avatar": None, "bot": bot, "public_flags": 0, "flags": 0}

    def member(self, user: dict, roles: list[str] | None = None, permissions: int = BASIC_PERMISSIONS) -> dict:
        return {"user": user, "roles": roles or [], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0,
                "nick": None, "avatar": None, "pending": False, "premium_since": None, "permissions": str(permissions)}

    def _text_channels(self) -> list[dict]:
        return [
            {"id": cid, "type": 0, "guild_id": gid, "name": name, "position": i, "permission_overwrites": [],
             "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None, "rate_limit_per_user": 0,
             "flags": 0}
            for i, (gid, cid, name) in enumerate([(self.guild_id, self.channel_id, "general"),
                                                  (self.guild_id, self.other_channel_id, "random"),
                                                  (self.second_guild_id, self.second_channel_id, "lobby")])
        ]

    def guild_of(self, channel_id: str) -> str:
        """The guild a channel (or thread) belongs to."""
        return self.channels[channel_id].get("guild_id", self.guild_id)

    def _role(self, id: str, name: str, permissions: int, position: int) -> dict:
        return {"id": id, "name": name, "permissions": str(permissions), "position": position, "color": 0,
                "hoist": False, "managed": False, "mentionable": False, "flags": 0, "icon": None, "unicode_emoji": None}

    def guild_payload(self, guild_id: str | None = None) -> dict:
        gid = guild_id or self.guild_id
        first = gid == self.guild_id
        return {
            "id": gid, "name": "Test Guild" if first else "Second Guild", "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": (self.owner if first else self.second_owner)["id"], "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0, "application_id": None,
            "system_channel_id": None, "system_channel_flags": 0, "rules_channel_id": None, "max_members": 500000,
            "vanity_url_code": None, "description": None, "banner": None, "premium_tier": 0,
            "preferred_locale": "en-US", "public_updates_channel_id": None, "nsfw_level": 0,
            "premium_progress_bar_enabled": False, "features": [], "emojis": [], "stickers": [],
            "roles": [self._role(gid, "@everyone", BASIC_PERMISSIONS, 0),
                      *([self._role(self.moderator_role_id, "moderators", BASIC_PERMISSIONS, 1)] if first else [])],
            "unavailable": False, "large": False, "member_count": 2, "joined_at": now_iso(),
            "channels": list(c for c in self.channels.values() if c["type"] == 0 and c.get("guild_id") == gid),
            "threads": [],
            "members": [self.member(self.bot_user)], "voice_states": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    def message(self, channel_id: str, author: dict, content: str = "", **extra: Any) -> dict:
        msg = {"id": self.snowflake(), "channel_id": channel_id, "author": author, "content": content,
               "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
               "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
               "flags": 0, "components": []}
        if channel_id in self.channels:
            msg["guild_id"] = self.channels[channel_id].get("guild_id", self.guild_id)
        msg.update(extra)
        return msg

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> "FakeDiscord":
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway", self._gateway_ws)
        r = app.router
        p = API_PREFIX
        r.add_get(p + "/gateway", self._get_gateway)
        r.add_get(p + "/gateway/bot", self._get_gateway_bot)
        r.add_get(p + "/users/@me", self._users_me)
        r.add_get(p + "/oauth2/applications/@me", self._app_info)
        r.add_get(p + "/applications/@me", self._app_info)
        r.add_put(p + "/applications/{app}/commands", self._put_commands)
        r.add_get(p + "/applications/{app}/commands", self._get_commands)
        r.add_put(p + "/applications/{app}/guilds/{guild}/commands", self._put_commands)
        r.add_get(p + "/applications/{app}/guilds/{guild}/commands", self._get_commands)
        r.add_post(p + "/interactions/{id}/{token}/callback", self._callback)
        r.add_post(p + "/webhooks/{app}/{token}", self._followup)
        r.add_patch(p + "/webhooks/{app}/{token}/messages/{mid}", self._edit_webhook_message)
        r.add_get(p + "/webhooks/{app}/{token}/messages/{mid}", self._get_webhook_message)
        r.add_delete(p + "/webhooks/{app}/{token}/messages/{mid}", self._delete_webhook_message)
        r.add_post(p + "/channels/{cid}/messages", self._create_message)
        r.add_post(p + "/channels/{cid}/messages/{mid}/threads", self._create_thread)
        r.add_post(p + "/channels/{cid}/threads", self._create_thread)
        r.add_post(p + "/channels/{cid}/typing", self._no_content)
        r.add_delete(p + "/channels/{cid}/messages/{mid}", self._no_content)
        r.add_put(p + "/channels/{cid}/messages/{mid}/reactions/{emoji}/@me", self._no_content)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1000)
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> "FakeDiscord":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until predicate() is truthy (re-checked whenever the bot sends something)."""

        async def waiter() -> Any:
            async with self._changed:
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self._changed.wait()

        return await asyncio.wait_for(waiter(), timeout)

    async def wait_ready(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout)

    # -- REST ------------------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler):
        if request.path.startswith(API_PREFIX):
            body = None
            if request.can_read_body:
                raw = await request.read()
                if raw:
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
            auth = request.headers.get("Authorization")
            path = request.path[len(API_PREFIX):]
            self.requests.append(Request(request.method, path, dict(request.query), body, dict(request.headers)))
            if self.log_requests:
                log.info("%s %s %s", request.method, path, body)
            request[BODY] = body
            needs_auth = not (path.startswith("/interactions/") or path.startswith("/webhooks/") or path == "/gateway")
            if needs_auth and auth != f"Bot {self.token}":
                return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        response = await handler(request)
        await self._notify()
        return response

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})

    async def _users_me(self, request: web.Request) -> web.Response:
        return _json({**self.bot_user, "verified": True, "mfa_enabled": False, "locale": "en-US"})

    async def _app_info(self, request: web.Request) -> web.Response:
        return _json({
            "id": self.application_id, "name": "article-bot", "icon": None, "description": "", "rpc_origins": [],
            "bot_public": True, "bot_require_code_grant": False, "owner": self.owner, "summary": "",
            "verify_key": "0" * 64, "team": None, "flags": 0, "tags": [], "interactions_endpoint_url": None,
            "redirect_uris": [], "approximate_guild_count": 1,
        })

    async def _put_commands(self, request: web.Request) -> web.Response:
        guild = request.match_info.get("guild")
        out = []
        for cmd in request[BODY] or []:
            c = {"id": self.snowflake(), "application_id": self.application_id, "version": self.snowflake(),
                 "type": 1, "description": "", "default_member_permissions": None, "dm_permission": True,
                 "nsfw": False, **cmd}
            if guild:
                c["guild_id"] = guild
            out.append(c)
        self.commands[guild] = out
        return _json(out)

    async def _get_commands(self, request: web.Request) -> web.Response:
        return _json(self.commands.get(request.match_info.get("guild"), []))

    def _record_for(self, token: str) -> InteractionRecord | None:
        return next((r for r in self.interactions.values() if r.token == token), None)

    async def _callback(self, request: web.Request) -> web.Response:
        rec = self.interactions.get(request.match_info["id"])
        if rec is None or rec.token != request.match_info["token"]:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if rec.callbacks:
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
        body = request[BODY] or {}
        rec.callbacks.append(body)
        kind = body.get("type")
        data = body.get("data") or {}
        result: dict[str, Any] = {"interaction": {"id": rec.id, "type": rec.payload["type"]}}
        if kind in (4, 5):
            msg = self.message(rec.payload.get("channel_id", self.channel_id), self.bot_user, data.get("content") or "",
                               embeds=data.get("embeds") or [], components=data.get("components") or [],
                               flags=data.get("flags", 0), webhook_id=self.application_id,
                               interaction_metadata={"id": rec.id, "type": rec.payload["type"],
                                                     "user": self._user_of(rec.payload),
                                                     "authorizing_integration_owners": {}})
            rec.created.append(msg)
            result["interaction"].update(response_message_id=msg["id"], response_message_loading=kind == 5,
                                         response_message_ephemeral=bool(data.get("flags", 0) & 64))
            result["resource"] = {"type": kind, "message": msg}
        else:
            result["resource"] = {"type": kind}
        return _json(result)

    def _user_of(self, payload: dict) -> dict:
        return payload["member"]["user"] if "member" in payload else payload["user"]

    async def _followup(self, request: web.Request) -> web.Response:
        rec = self._record_for(request.match_info["token"])
        body = request[BODY] or {}
        if rec is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        flags = body.get("flags", 0)
        deferred = next((c for c in rec.callbacks if c.get("type") == 5), None)
        if deferred is not None and not rec.followups and not rec.edits and "@original" not in rec.deleted:
            # as Discord does: the first followup after a defer takes the deferred response's place and keeps
            # its visibility, whatever flags it asks for (delete @original first for an ephemeral one)
            flags = (flags & ~64) | ((deferred.get("data") or {}).get("flags", 0) & 64)
        rec.followups.append(body)
        msg = self.message(rec.payload.get("channel_id", self.channel_id), self.bot_user, body.get("content") or "",
                           embeds=body.get("embeds") or [], components=body.get("components") or [],
                           flags=flags, webhook_id=self.application_id)
        rec.created.append(msg)
        self.messages.setdefault(msg["channel_id"], []).append(msg)
        return _json(msg)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._record_for(request.match_info["token"])
        body = request[BODY] or {}
        if rec is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        rec.edits.append(body)
        base = rec.created[0] if rec.created else self.message(rec.payload.get("channel_id", self.channel_id), self.bot_user)
        msg = {**base, **{k: v for k, v in body.items() if k in ("content", "embeds", "components", "flags")},
               "edited_timestamp": now_iso()}
        return _json(msg)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._record_for(request.match_info["token"])
        if rec is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        mid = request.match_info["mid"]
        if mid in rec.deleted or (mid == "@original" and not rec.callbacks):
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        rec.deleted.append(mid)
        return web.Response(status=204)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        rec = self._record_for(request.match_info["token"])
        if rec is None or not rec.created:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(rec.created[0])

    async def _create_message(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if cid not in self.channels:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        body = request[BODY] or {}
        extra: dict[str, Any] = {"embeds": body.get("embeds") or [], "components": body.get("components") or []}
        if body.get("message_reference"):
            extra.update(type=19, message_reference=body["message_reference"])
        msg = self.message(cid, self.bot_user, body.get("content") or "", **extra)
        msg["_request"] = body  # what the bot sent, allowed_mentions included
        self.messages.setdefault(cid, []).append(msg)
        return _json({k: v for k, v in msg.items() if k != "_request"})

    async def _create_thread(self, request: web.Request) -> web.Response:
        parent = request.match_info["cid"]
        body = request[BODY] or {}
        tid = request.match_info.get("mid") or self.snowflake()
        thread = {"id": tid, "guild_id": self.guild_of(parent) if parent in self.channels else self.guild_id,
                  "parent_id": parent, "owner_id": self.bot_user["id"],
                  "name": body.get("name", "thread"), "type": 11, "message_count": 0, "member_count": 1,
                  "rate_limit_per_user": 0, "last_message_id": None, "flags": 0, "total_message_sent": 0,
                  "thread_metadata": {"archived": False, "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                      "archive_timestamp": now_iso(), "locked": False}}
        self.channels[tid] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})  # as Discord tells its creator
        return _json(thread, status=201)

    async def _no_content(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    # -- gateway ---------------------------------------------------------------------------------

    async def _gateway_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._sockets.append(ws)
        try:
            await ws.send_json({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}, "s": None, "t": None})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                data = json.loads(msg.data)
                op = data.get("op")
                if op == 1:
                    self.heartbeats += 1
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    await self._identify(ws, data["d"])
                elif op == 6:
                    await self._send(ws, "RESUMED", {})
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: dict) -> None:
        if d.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies.append({k: v for k, v in d.items() if k != "token"})
        shard = d.get("shard") or [0, 1]
        await self._send(ws, "READY", {
            "v": 10, "user": self.bot_user,
            "guilds": [{"id": g, "unavailable": True} for g in self._guilds_at_ready()],
            "session_id": "session-" + self.snowflake(), "resume_gateway_url": self.gateway_url, "shard": shard,
            "application": {"id": self.application_id, "flags": 0}, "private_channels": [], "relationships": [],
        })
        for g in self._guilds_at_ready():
            await self._send(ws, "GUILD_CREATE", self.guild_payload(g))
        self._ready.set()

    def _guilds_at_ready(self) -> list[str]:
        return [self.guild_id, self.second_guild_id] if self.ready_guilds is None else list(self.ready_guilds)

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def dispatch(self, event: str, data: dict) -> None:
        await self.wait_ready()
        for ws in list(self._sockets):
            await self._send(ws, event, data)

    # -- acting as users -------------------------------------------------------------------------

    def _interaction(self, kind: int, data: dict | None, user: dict, *, channel_id: str | None = None,
                     permissions: int = BASIC_PERMISSIONS, roles: list[str] | None = None,
                     message: dict | None = None) -> dict:
        cid = channel_id or self.channel_id
        gid = self.guild_of(cid)
        payload = {
            "id": self.snowflake(), "application_id": self.application_id, "type": kind, "token": "tok-" + self.snowflake(),
            "version": 1, "guild_id": gid, "channel_id": cid, "channel": self.channels[cid],
            "member": self.member(user, roles, permissions), "app_permissions": str(BASIC_PERMISSIONS),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [], "attachment_size_limit": 8 * 1024 * 1024,
            "authorizing_integration_owners": {"0": gid}, "context": 0,
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = message
        return payload

    async def _send_interaction(self, payload: dict) -> InteractionRecord:
        rec = InteractionRecord(id=payload["id"], token=payload["token"], payload=payload)
        self.interactions[rec.id] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        return rec

    def _command_id(self, name: str) -> str:
        """The synced command's id; a name the bot never synced gets a new one, as a command Discord still lists
        after an upgrade that removed it from the code (`slash("gone", user)` sends one)."""
        for cmds in self.commands.values():
            for c in cmds:
                if c["name"] == name:
                    return c["id"]
        return self.snowflake()

    def _options(self, values: dict[str, Any] | None, resolved: dict[str, dict]) -> list[dict]:
        """Option payloads typed from the Python values: str, bool, int, float, or a channel dict (resolved)."""
        out = []
        for k, v in (values or {}).items():
            if isinstance(v, bool):
                out.append({"name": k, "type": 5, "value": v})
            elif isinstance(v, int):
                out.append({"name": k, "type": 4, "value": v})
            elif isinstance(v, float):
                out.append({"name": k, "type": 10, "value": v})
            elif isinstance(v, dict) and "id" in v and "type" in v:  # a channel, e.g. fake.channels[fake.channel_id]
                resolved.setdefault("channels", {})[v["id"]] = {**v, "permissions": str(BASIC_PERMISSIONS)}
                out.append({"name": k, "type": 7, "value": v["id"]})
            else:
                out.append({"name": k, "type": 3, "value": v})
        return out

    def _command_data(self, name: str, opts: list[dict], subcommand: str | None, resolved: dict[str, dict]) -> dict:
        """/name [group] [subcommand] with opts placed in the innermost level, as Discord nests them."""
        for i, part in enumerate(reversed((subcommand or "").split())):
            opts = [{"name": part, "type": 1 if i == 0 else 2, "options": opts}]
        data: dict[str, Any] = {"id": self._command_id(name), "name": name, "type": 1, "options": opts}
        if resolved:
            data["resolved"] = resolved
        return data

    async def slash(self, name: str, user: dict, *, options: dict[str, Any] | None = None,
                    subcommand: str | None = None, **kw: Any) -> InteractionRecord:
        """A user runs /name [subcommand] with options (typed from their values; see _options).

        subcommand is a subcommand ("list") or a group and its subcommand ("channels add").
        """
        resolved: dict[str, dict] = {}
        data = self._command_data(name, self._options(options, resolved), subcommand, resolved)
        return await self._send_interaction(self._interaction(2, data, user, **kw))

    async def autocomplete(self, name: str, user: dict, focused: str, value: str,
                           others: dict[str, Any] | None = None, *, subcommand: str | None = None,
                           **kw: Any) -> InteractionRecord:
        """A user types `value` into the option `focused` of /name [subcommand]."""
        resolved: dict[str, dict] = {}
        opts = self._options(others, resolved)
        opts.append({"name": focused, "type": 3, "value": value, "focused": True})
        data = self._command_data(name, opts, subcommand, resolved)
        return await self._send_interaction(self._interaction(4, data, user, **kw))

    async def message_command(self, name: str, user: dict, target: dict, **kw: Any) -> InteractionRecord:
        """A user picks Apps -> `name` on a message."""
        data = {"id": self._command_id(name), "name": name, "type": 3, "target_id": target["id"],
                "resolved": {"messages": {target["id"]: target}}}
        return await self._send_interaction(self._interaction(2, data, user, **kw))

    async def click(self, message: dict, custom_id: str, user: dict, **kw: Any) -> InteractionRecord:
        """A user presses the button `custom_id` on a message the bot sent."""
        data = {"custom_id": custom_id, "component_type": 2}
        kw.setdefault("channel_id", message["channel_id"])
        return await self._send_interaction(self._interaction(3, data, user, message=message, **kw))

    async def say(self, content: str, user: dict, *, channel_id: str | None = None, mentions: list[dict] | None = None,
                  reply_to: dict | None = None) -> dict:
        """A user posts a message in a channel. As Discord does for a bot without the message-content intent,
        the bot gets the text only of a message that mentions it (a reply that pings counts)."""
        cid = channel_id or self.channel_id
        content_intent = any(int(i.get("intents", 0)) & MESSAGE_CONTENT_INTENT for i in self.identifies)
        if not content_intent and not any(m.get("id") == self.bot_user["id"] for m in mentions or []):
            content = ""
        extra: dict[str, Any] = {"mentions": mentions or [], "member": self.member(user),
                                 "mention_everyone": "@everyone" in content}
        if reply_to is not None:
            extra.update(type=19, referenced_message=reply_to,
                         message_reference={"message_id": reply_to["id"], "channel_id": cid, "guild_id": self.guild_of(cid)})
        msg = self.message(cid, user, content, **extra)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    def sent_to(self, channel_id: str) -> list[dict]:
        return self.messages.get(channel_id, [])
