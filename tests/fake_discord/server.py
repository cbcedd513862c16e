"""A local fake of Discord: gateway v10 (zlib-stream) and the REST routes a bot uses.

The real, unmodified bot logs in to it through DISCORD_API_BASE and DISCORD_GATEWAY_URL. Tests inject
interactions the way Discord's client would send them (built from the command payloads the bot synced,
with the member's real permission bitfield) and read back every request the bot made.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from tests.fake_discord.payloads import (
    ADMIN_PERMISSIONS,
    BOT_PERMISSIONS,
    MEMBER_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Snowflakes,
    message_payload,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
T = TypeVar("T")

# Interaction types and callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
EPHEMERAL = 1 << 6


class CommandHidden(Exception):
    """Discord's client would not offer this command to this member (default_member_permissions)."""


@dataclass
class Recorded:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int = 200
    request: Any = field(default=None, repr=False, compare=False)  # the aiohttp request, while it is served


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and what the bot answered."""

    id: str
    token: str
    payload: dict[str, Any]
    user: FakeUser
    fake: FakeDiscord
    callback: dict[str, Any] | None = None
    original_id: str | None = None
    followup_ids: list[str] = field(default_factory=list)
    edited: bool = False

    @property
    def original(self) -> dict[str, Any] | None:
        return self.fake.messages.get(self.original_id) if self.original_id else None

    async def wait_callback(self, seconds: float = 10) -> dict[str, Any]:
        """The interaction callback (type 4, 5, 6, 7 or 8) the bot posted."""
        return await self.fake.wait_until(lambda: self.callback, seconds)

    async def answer(self, seconds: float = 10) -> dict[str, Any]:
        """The message the user finally sees: the immediate reply, or the one that replaced "thinking"."""
        callback = await self.wait_callback(seconds)
        if callback["type"] in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            return self.original or {}

        def settled() -> dict[str, Any] | None:
            message = self.original
            return message if message is not None and self.edited else None

        return await self.fake.wait_until(settled, seconds)

    @property
    def ephemeral(self) -> bool:
        message = self.original
        return bool(message and int(message.get("flags", 0)) & EPHEMERAL)


class FakeDiscord:
    """An aiohttp server on 127.0.0.1 (random port) playing Discord for one bot."""

    def __init__(
        self, *, token: str = "fake-token", heartbeat_interval_ms: int = 41250, extra_channels: int = 0
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.extra_channels = extra_channels
        # Seconds each channel message takes to be stored, one at a time (a slow Discord, so a
        # test can kill the bot in the middle of a fan-out). 0 stores at once.
        self.message_delay = 0.0
        self._message_lock = asyncio.Lock()
        self.ids = Snowflakes()
        self.requests: list[Recorded] = []
        self.gateway_sent: list[dict[str, Any]] = []
        self.gateway_received: list[dict[str, Any]] = []
        self.identify_count = 0
        self.heartbeats = 0
        self.messages: dict[str, dict[str, Any]] = {}
        self.channel_messages: dict[str, list[str]] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[str, dict[str, dict[str, Any]]] = {}
        self.interactions: dict[str, FakeInteraction] = {}
        self.attachments: dict[str, bytes] = {}
        self.denied_channels: set[str] = set()
        self._sessions: list[_GatewaySession] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

        self.app_id = self.ids.next()
        self.bot_user = FakeUser(self.app_id, "NEC Digest", bot=True)
        self.owner = FakeUser(self.ids.next(), "owner")
        self.admin = FakeUser(self.ids.next(), "alex_admin")
        self.member = FakeUser(self.ids.next(), "morgan_member")
        self.guild = self._build_guild()

    # -- set-up -------------------------------------------------------------------------------

    def _build_guild(self) -> FakeGuild:
        gid = self.ids.next()
        everyone = FakeRole(gid, "@everyone", MEMBER_PERMISSIONS)
        admins = FakeRole(self.ids.next(), "Organisers", ADMIN_PERMISSIONS, position=2)
        bot_role = FakeRole(self.ids.next(), "NEC Digest", BOT_PERMISSIONS, position=1)
        guild = FakeGuild(gid, "Northshire Labour", owner_id=self.owner.id, everyone=everyone)
        guild.roles = [admins, bot_role]
        guild.channels = [
            FakeChannel(self.ids.next(), gid, "general"),
            FakeChannel(self.ids.next(), gid, "nec-reports"),
            FakeChannel(self.ids.next(), gid, "clp-northshire"),
        ]
        guild.channels += [
            FakeChannel(self.ids.next(), gid, f"branch-{n:02d}") for n in range(1, self.extra_channels + 1)
        ]
        guild.members = [
            FakeMember(self.owner, [admins]),
            FakeMember(self.admin, [admins]),
            FakeMember(self.member, []),
            FakeMember(self.bot_user, [bot_role]),
        ]
        return guild

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/", self._gateway)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for session in list(self._sessions):
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- waiting ------------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, check: Callable[[], T | None], seconds: float = 10) -> T:
        """Wait until `check()` returns something other than None (or False) and return it."""
        async with asyncio.timeout(seconds), self._changed:
            while not (result := check()):
                await self._changed.wait()
            return result

    async def wait_for_request(self, predicate: Callable[[Recorded], bool], seconds: float = 10) -> Recorded:
        return await self.wait_until(lambda: next((r for r in self.requests if predicate(r)), None), seconds)

    async def wait_ready(self, seconds: float = 15) -> None:
        """Wait until a gateway session has identified and received its guilds."""
        await self.wait_until(lambda: any(s.guilds_sent for s in self._sessions), seconds)

    # -- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = _GatewaySession(self, ws, compressed=request.query.get("compress") == "zlib-stream")
        self._sessions.append(session)
        try:
            await session.run()
        finally:
            self._sessions.remove(session)
            await self._notify()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: str | None = None) -> None:
        """Send a DISPATCH event to the session whose shard holds `guild_id`."""
        for session in self._sessions:
            if session.ready and (guild_id is None or session.holds(guild_id)):
                await session.dispatch(event, data)
                return
        raise RuntimeError(f"no ready gateway session to receive {event}")

    # -- interactions -------------------------------------------------------------------------

    def commands(self, guild_id: str | None = None) -> list[dict[str, Any]]:
        """Commands as the bot last synced them (globally, or to one guild)."""
        source = self.guild_commands.get(guild_id, {}) if guild_id else self.global_commands
        return list(source.values())

    def find_command(self, name: str) -> dict[str, Any]:
        guild_cmd = self.guild_commands.get(self.guild.id, {}).get(name)
        command = guild_cmd or self.global_commands.get(name)
        if command is None:
            raise KeyError(f"/{name} was never synced")
        return command

    def _member_payload(self, user: FakeUser) -> dict[str, Any]:
        member = self.guild.member(user)
        payload = member.payload()
        payload["permissions"] = str(member.permissions(self.guild))
        return payload

    def can_use(self, user: FakeUser, command: dict[str, Any]) -> bool:
        """What Discord's client enforces: default_member_permissions against the member's permissions."""
        required = command.get("default_member_permissions")
        if required is None:
            return True
        perms = self.guild.member(user).permissions(self.guild)
        return int(required) & perms == int(required) if int(required) else user.id == self.guild.owner_id

    def _command_options(
        self,
        schema: list[dict[str, Any]],
        values: dict[str, Any],
        resolved: dict[str, dict[str, Any]],
        focused: str | None = None,
    ) -> list[dict[str, Any]]:
        by_name = {o["name"]: o for o in schema}
        unknown = set(values) - set(by_name)
        if unknown:
            raise KeyError(f"unknown options {sorted(unknown)}; known: {sorted(by_name)}")
        out = []
        for option in schema:
            name = option["name"]
            if name not in values:
                if option.get("required") and focused is None:
                    raise KeyError(f"required option {name!r} missing")
                continue
            value = values[name]
            kind = option["type"]
            if name == focused:
                out.append({"name": name, "type": kind, "value": str(value), "focused": True})
                continue
            if kind == 7:
                channel = self.guild.channel(value)
                resolved.setdefault("channels", {})[channel.id] = {
                    "id": channel.id,
                    "name": channel.name,
                    "type": channel.type,
                    "permissions": str(BOT_PERMISSIONS),
                }
                value = channel.id
            elif kind == 11:
                attachment = value
                resolved.setdefault("attachments", {})[attachment["id"]] = attachment
                value = attachment["id"]
            elif kind == 4:
                value = int(value)
            elif kind == 10:
                value = float(value)
            out.append({"name": name, "type": kind, "value": value})
        return out

    def _interaction_payload(
        self, kind: int, data: dict[str, Any], user: FakeUser, channel: FakeChannel, **extra: Any
    ) -> dict[str, Any]:
        return {
            "id": self.ids.next(),
            "application_id": self.app_id,
            "type": kind,
            "data": data,
            "guild_id": self.guild.id,
            "guild": {"id": self.guild.id, "locale": "en-GB", "features": []},
            "channel_id": channel.id,
            "channel": {**channel.payload(), "permissions": str(self.guild.member(user).permissions(self.guild))},
            "member": self._member_payload(user),
            "token": f"itoken-{self.ids.next()}",
            "version": 1,
            "app_permissions": str(BOT_PERMISSIONS),
            "locale": "en-GB",
            "guild_locale": "en-GB",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild.id},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
            **extra,
        }

    def _command_data(
        self, name: str, subcommand: str | None, options: dict[str, Any], focused: str | None
    ) -> dict[str, Any]:
        command = self.find_command(name)
        resolved: dict[str, dict[str, Any]] = {}
        schema = command.get("options", [])
        if subcommand is not None:
            sub = next((o for o in schema if o["name"] == subcommand and o["type"] == 1), None)
            if sub is None:
                raise KeyError(f"/{name} has no subcommand {subcommand!r}")
            opts = [
                {
                    "type": 1,
                    "name": subcommand,
                    "options": self._command_options(sub.get("options", []), options, resolved, focused),
                }
            ]
        else:
            opts = self._command_options(schema, options, resolved, focused)
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": opts}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return data

    async def _send_interaction(self, payload: dict[str, Any], user: FakeUser) -> FakeInteraction:
        interaction = FakeInteraction(payload["id"], payload["token"], payload, user, self)
        self.interactions[interaction.id] = interaction
        await self.dispatch("INTERACTION_CREATE", payload, self.guild.id)
        return interaction

    async def invoke(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeUser,
        subcommand: str | None = None,
        channel: str = "general",
        respect_default_permissions: bool = True,
    ) -> FakeInteraction:
        """A member runs a slash command, as Discord's client would send it."""
        command = self.find_command(name)
        if respect_default_permissions and not self.can_use(user, command):
            raise CommandHidden(f"/{name} is hidden from {user.username}")
        data = self._command_data(name, subcommand, options or {}, None)
        payload = self._interaction_payload(APPLICATION_COMMAND, data, user, self.guild.channel(channel))
        return await self._send_interaction(payload, user)

    async def autocomplete(
        self,
        name: str,
        focused: str,
        typed: str,
        *,
        user: FakeUser,
        subcommand: str | None = None,
        options: dict[str, Any] | None = None,
        seconds: float = 10,
    ) -> list[dict[str, Any]]:
        """A member types into an autocomplete option; returns the choices the bot offered."""
        data = self._command_data(name, subcommand, {**(options or {}), focused: typed}, focused)
        payload = self._interaction_payload(AUTOCOMPLETE, data, user, self.guild.channel("general"))
        interaction = await self._send_interaction(payload, user)
        callback = await interaction.wait_callback(seconds)
        assert callback["type"] == AUTOCOMPLETE_RESULT, callback
        choices: list[dict[str, Any]] = callback["data"]["choices"]
        return choices

    async def press(self, message: dict[str, Any], custom_id: str, *, user: FakeUser) -> FakeInteraction:
        """A member presses a button on a message."""
        current = self.messages[message["id"]]
        data = {"custom_id": custom_id, "component_type": 2}
        channel = next(c for c in self.guild.channels if c.id == current["channel_id"])
        payload = self._interaction_payload(MESSAGE_COMPONENT, data, user, channel, message=current)
        interaction = await self._send_interaction(payload, user)
        interaction.original_id = current["id"]
        return interaction

    def add_attachment(self, filename: str, data: bytes, content_type: str = "text/plain") -> dict[str, Any]:
        """An uploaded file, served where Discord's CDN would serve it."""
        attachment_id = self.ids.next()
        self.attachments[attachment_id] = data
        url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{filename}"
        return {
            "id": attachment_id,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        data = self.attachments.get(request.match_info["id"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    # -- REST ---------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                body = await _read_multipart(request)
            else:
                raw = await request.read()
                body = json.loads(raw) if raw else None
        record = Recorded(request.method, path, dict(request.query), body, request=request)
        self.requests.append(record)
        try:
            needs_auth = not path.startswith(("/webhooks/", "/interactions/"))
            if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                status, result = 401, {"message": "401: Unauthorized", "code": 0}
            else:
                status, result = await self._route(request.method, path, body, record)
        except _HTTPError as exc:
            status, result = exc.status, {"message": exc.message, "code": exc.code}
        record.status = status
        record.request = None
        await self._notify()
        if status == 204:
            return web.Response(status=204)
        # Discord sends exactly "application/json" (no charset), and discord.py compares it exactly.
        return web.Response(body=json.dumps(result).encode(), status=status, content_type="application/json")

    async def _route(self, method: str, path: str, body: Any, record: Recorded) -> tuple[int, Any]:
        for pattern_method, pattern, handler in self._routes():
            if method != pattern_method:
                continue
            match = re.fullmatch(pattern, path)
            if match:
                return await handler(body, record, *match.groups())
        return 404, {"message": "404: Not Found", "code": 0}

    def _routes(self) -> list[tuple[str, str, Callable[..., Awaitable[tuple[int, Any]]]]]:
        app = self.app_id
        return [
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("PUT", rf"/applications/{app}/commands", self._put_global_commands),
            ("GET", rf"/applications/{app}/commands", self._get_global_commands),
            ("PUT", rf"/applications/{app}/guilds/(\d+)/commands", self._put_guild_commands),
            ("GET", rf"/applications/{app}/guilds/(\d+)/commands", self._get_guild_commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._interaction_callback),
            ("GET", rf"/webhooks/{app}/([^/]+)/messages/([^/]+)", self._get_webhook_message),
            ("PATCH", rf"/webhooks/{app}/([^/]+)/messages/([^/]+)", self._edit_webhook_message),
            ("DELETE", rf"/webhooks/{app}/([^/]+)/messages/([^/]+)", self._delete_webhook_message),
            ("POST", rf"/webhooks/{app}/([^/]+)", self._post_followup),
            ("POST", r"/channels/(\d+)/messages", self._post_channel_message),
            ("GET", r"/channels/(\d+)/messages", self._get_channel_messages),
            ("GET", r"/channels/(\d+)/messages/(\d+)", self._get_channel_message),
            ("GET", r"/channels/(\d+)", self._get_channel),
            ("GET", r"/guilds/(\d+)", self._get_guild),
            ("GET", r"/guilds/(\d+)/channels", self._get_guild_channels),
        ]

    async def _get_gateway(self, body: Any, record: Recorded) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, body: Any, record: Recorded) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _get_me(self, body: Any, record: Recorded) -> tuple[int, Any]:
        return 200, self.bot_user.payload()

    async def _get_application(self, body: Any, record: Recorded) -> tuple[int, Any]:
        return 200, {
            "id": self.app_id,
            "name": "NEC Digest",
            "icon": None,
            "description": "Digests of Labour NEC meeting reports",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.bot_user.payload(),
        }

    def _store_commands(self, body: list[dict[str, Any]], store: dict[str, dict[str, Any]], guild: str | None) -> Any:
        previous = dict(store)
        store.clear()
        for command in body:
            stored = dict(command)
            stored.setdefault("type", 1)
            if stored.get("default_member_permissions") is not None:
                # Discord accepts a number or a string and always answers with the string form.
                stored["default_member_permissions"] = str(stored["default_member_permissions"])
            stored["id"] = previous.get(command["name"], {}).get("id") or self.ids.next()
            stored["application_id"] = self.app_id
            stored["version"] = self.ids.next()
            if guild:
                stored["guild_id"] = guild
            store[command["name"]] = stored
        return list(store.values())

    async def _put_global_commands(self, body: Any, record: Recorded) -> tuple[int, Any]:
        return 200, self._store_commands(body, self.global_commands, None)

    async def _get_global_commands(self, body: Any, record: Recorded) -> tuple[int, Any]:
        return 200, list(self.global_commands.values())

    async def _put_guild_commands(self, body: Any, record: Recorded, guild_id: str) -> tuple[int, Any]:
        return 200, self._store_commands(body, self.guild_commands.setdefault(guild_id, {}), guild_id)

    async def _get_guild_commands(self, body: Any, record: Recorded, guild_id: str) -> tuple[int, Any]:
        return 200, list(self.guild_commands.get(guild_id, {}).values())

    def _new_message(self, channel_id: str, body: dict[str, Any], *, from_app: bool, kind: int = 0) -> dict[str, Any]:
        message = message_payload(
            message_id=self.ids.next(),
            channel_id=channel_id,
            author=self.bot_user,
            body=body,
            guild_id=self.guild.id,
            application_id=self.app_id if from_app else None,
            message_type=kind,
        )
        self.messages[message["id"]] = message
        self.channel_messages.setdefault(channel_id, []).append(message["id"])
        return message

    @staticmethod
    def _apply_edit(message: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                message[key] = body[key]
        message["edited_timestamp"] = message["timestamp"]

    def _interaction_by_token(self, token: str) -> FakeInteraction:
        interaction = next((i for i in self.interactions.values() if i.token == token), None)
        if interaction is None:
            raise _HTTPError(404, "Unknown Webhook", 10015)
        return interaction

    async def _interaction_callback(self, body: Any, record: Recorded, iid: str, token: str) -> tuple[int, Any]:
        interaction = self.interactions.get(iid)
        if interaction is None or interaction.token != token:
            raise _HTTPError(404, "Unknown interaction", 10062)
        if interaction.callback is not None:
            raise _HTTPError(400, "Interaction has already been acknowledged.", 40060)
        kind = body["type"]
        data = body.get("data") or {}
        info: dict[str, Any] = {"id": iid, "type": interaction.payload["type"]}
        result: dict[str, Any] = {"interaction": info}
        channel_id = interaction.payload["channel_id"]
        if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            message = self._new_message(channel_id, data, from_app=True, kind=20)
            interaction.original_id = message["id"]
            interaction.edited = kind == CHANNEL_MESSAGE
            info.update(
                response_message_id=message["id"],
                response_message_loading=kind == DEFERRED_CHANNEL_MESSAGE,
                response_message_ephemeral=bool(int(data.get("flags") or 0) & EPHEMERAL),
            )
            result["resource"] = {"type": kind, "message": message}
        elif kind == UPDATE_MESSAGE:
            message = self.messages[interaction.original_id or ""]
            self._apply_edit(message, data)
            interaction.edited = True
            result["resource"] = {"type": kind, "message": message}
        elif kind not in (DEFERRED_UPDATE_MESSAGE, AUTOCOMPLETE_RESULT):
            raise _HTTPError(400, f"callback type {kind} not supported by the fake", 50035)
        interaction.callback = body
        return 200, result

    def _webhook_message(self, token: str, message_id: str) -> tuple[FakeInteraction, dict[str, Any]]:
        interaction = self._interaction_by_token(token)
        target = interaction.original_id if message_id == "@original" else message_id
        message = self.messages.get(target or "")
        if message is None:
            raise _HTTPError(404, "Unknown Message", 10008)
        return interaction, message

    async def _get_webhook_message(self, body: Any, record: Recorded, token: str, mid: str) -> tuple[int, Any]:
        return 200, self._webhook_message(token, mid)[1]

    async def _edit_webhook_message(self, body: Any, record: Recorded, token: str, mid: str) -> tuple[int, Any]:
        interaction, message = self._webhook_message(token, mid)
        self._apply_edit(message, body or {})
        if mid == "@original" or mid == interaction.original_id:
            interaction.edited = True
        return 200, message

    async def _delete_webhook_message(self, body: Any, record: Recorded, token: str, mid: str) -> tuple[int, Any]:
        interaction, message = self._webhook_message(token, mid)
        del self.messages[message["id"]]
        self.channel_messages[message["channel_id"]].remove(message["id"])
        if message["id"] == interaction.original_id:
            interaction.original_id = None
        return 204, None

    async def _post_followup(self, body: Any, record: Recorded, token: str) -> tuple[int, Any]:
        interaction = self._interaction_by_token(token)
        if interaction.callback is None:
            raise _HTTPError(400, "Interaction has not been acknowledged.", 40060)
        body = dict(body or {})
        original = interaction.original
        if interaction.callback["type"] == DEFERRED_CHANNEL_MESSAGE and original is not None and not interaction.edited:
            # Discord: the first follow-up after a deferred reply replaces the "thinking" message,
            # keeping the ephemeral flag the defer chose.
            body["flags"] = int(original.get("flags", 0)) | (int(body.get("flags") or 0) & ~EPHEMERAL)
            self._apply_edit(original, body)
            interaction.edited = True
            return 200, original
        message = self._new_message(interaction.payload["channel_id"], body, from_app=True)
        interaction.followup_ids.append(message["id"])
        return 200, message

    def _check_channel(self, channel_id: str) -> FakeChannel:
        channel = next((c for c in self.guild.channels if c.id == channel_id), None)
        if channel is None:
            raise _HTTPError(404, "Unknown Channel", 10003)
        if channel_id in self.denied_channels:
            raise _HTTPError(403, "Missing Access", 50001)
        return channel

    def _by_nonce(self, channel_id: str, nonce: str) -> dict[str, Any] | None:
        for mid in self.channel_messages.get(channel_id, []):
            message = self.messages[mid]
            if message.get("nonce") == nonce:
                return message
        return None

    async def _post_channel_message(self, body: Any, record: Recorded, channel_id: str) -> tuple[int, Any]:
        self._check_channel(channel_id)
        body = body or {}
        if not self.message_delay:
            return 200, self._store_channel_message(channel_id, body)
        async with self._message_lock:
            transport = record.request.transport if record.request is not None else None
            if transport is None or transport.is_closing():
                # The bot went away while its request waited in our queue: Discord never got it.
                raise _HTTPError(499, "client closed the request", 0)
            await asyncio.sleep(self.message_delay)
            # Past this point Discord has it, whether or not the bot lives to read the answer.
            return 200, self._store_channel_message(channel_id, body)

    def _store_channel_message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: with enforce_nonce, a nonce already used (recently) answers the first message.
            existing = self._by_nonce(channel_id, str(nonce))
            if existing is not None:
                return existing
        return self._new_message(channel_id, body, from_app=False)

    def channel_posts(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages the bot posted to a channel itself (not interaction replies), oldest first."""
        ids = self.channel_messages.get(channel_id, [])
        return [self.messages[i] for i in ids if "webhook_id" not in self.messages[i]]

    async def _get_channel_messages(self, body: Any, record: Recorded, channel_id: str) -> tuple[int, Any]:
        self._check_channel(channel_id)
        limit = int(record.query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise _HTTPError(400, "Invalid Form Body (limit)", 50035)
        newest_first = [self.messages[i] for i in reversed(self.channel_messages.get(channel_id, []))]
        before = record.query.get("before")
        if before is not None:
            newest_first = [m for m in newest_first if int(m["id"]) < int(before)]
        return 200, newest_first[:limit]

    async def _get_channel_message(self, body: Any, record: Recorded, channel_id: str, mid: str) -> tuple[int, Any]:
        self._check_channel(channel_id)
        if mid not in self.messages:
            raise _HTTPError(404, "Unknown Message", 10008)
        return 200, self.messages[mid]

    async def _get_channel(self, body: Any, record: Recorded, channel_id: str) -> tuple[int, Any]:
        return 200, self._check_channel(channel_id).payload()

    async def _get_guild(self, body: Any, record: Recorded, guild_id: str) -> tuple[int, Any]:
        if guild_id != self.guild.id:
            raise _HTTPError(404, "Unknown Guild", 10004)
        payload = self.guild.payload()
        payload.pop("members")
        payload.pop("channels")
        return 200, payload

    async def _get_guild_channels(self, body: Any, record: Recorded, guild_id: str) -> tuple[int, Any]:
        if guild_id != self.guild.id:
            raise _HTTPError(404, "Unknown Guild", 10004)
        return 200, [c.payload() for c in self.guild.channels]

    # -- captured output ----------------------------------------------------------------------

    def sent_payloads(self) -> list[dict[str, Any]]:
        """Every message-like body the bot sent (callbacks' data, follow-ups, edits, channel posts)."""
        out: list[dict[str, Any]] = []
        for record in self.requests:
            if not isinstance(record.json, dict):
                continue
            if record.path.endswith("/callback"):
                data = record.json.get("data")
                if isinstance(data, dict):
                    out.append(data)
            elif record.method in ("POST", "PATCH") and (
                record.path.startswith("/webhooks/") or record.path.endswith("/messages")
            ):
                out.append(record.json)
        return out

    def unknown_routes(self) -> list[Recorded]:
        return [r for r in self.requests if r.status == 404 and not r.path.startswith(("/webhooks", "/channels"))]


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


async def _read_multipart(request: web.Request) -> Any:
    """discord.py sends files as multipart with the JSON in `payload_json`."""
    reader = await request.multipart()
    payload: Any = None
    async for part in reader:
        if getattr(part, "name", None) == "payload_json":
            payload = json.loads(await part.text())  # type: ignore[union-attr]
        else:
            await part.read()  # type: ignore[union-attr]
    return payload


class _GatewaySession:
    """One gateway connection: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, dispatches."""

    def __init__(self, fake: FakeDiscord, ws: web.WebSocketResponse, *, compressed: bool) -> None:
        self.fake = fake
        self.ws = ws
        self.compressed = compressed
        self._compressor = zlib.compressobj()
        self._seq = itertools.count(1)
        self.ready = False
        self.guilds_sent = False
        self.shard: tuple[int, int] = (0, 1)
        self.session_id = f"session-{fake.ids.next()}"
        self._lock = asyncio.Lock()

    def holds(self, guild_id: str) -> bool:
        shard_id, count = self.shard
        return (int(guild_id) >> 22) % count == shard_id

    async def send(self, payload: dict[str, Any]) -> None:
        self.fake.gateway_sent.append(payload)
        raw = json.dumps(payload).encode()
        async with self._lock:
            if self.compressed:
                # One shared compressor with Z_SYNC_FLUSH, so every message ends with 00 00 ff ff.
                await self.ws.send_bytes(self._compressor.compress(raw) + self._compressor.flush(zlib.Z_SYNC_FLUSH))
            else:
                await self.ws.send_str(raw.decode())

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self.send({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def run(self) -> None:
        await self.send({"op": 10, "d": {"heartbeat_interval": self.fake.heartbeat_interval_ms}, "s": None, "t": None})
        async for msg in self.ws:
            if msg.type != WSMsgType.TEXT:
                break
            payload = json.loads(msg.data)
            self.fake.gateway_received.append(payload)
            op = payload.get("op")
            if op == 1:
                self.fake.heartbeats += 1
                await self.send({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                await self._identify(payload["d"])
            elif op == 6:
                # Sessions are not kept across connections: ask for a fresh IDENTIFY.
                await self.send({"op": 9, "d": False, "s": None, "t": None})
            await self.fake._notify()

    async def _identify(self, data: dict[str, Any]) -> None:
        fake = self.fake
        if data.get("token") != fake.token:
            await self.ws.close(code=4004, message=b"Authentication failed.")
            return
        fake.identify_count += 1
        if "shard" in data:
            self.shard = (int(data["shard"][0]), int(data["shard"][1]))
        guilds = [fake.guild] if self.holds(fake.guild.id) else []
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": fake.bot_user.payload(),
                "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
                "session_id": self.session_id,
                "resume_gateway_url": fake.gateway_url,
                "shard": list(self.shard),
                "application": {"id": fake.app_id, "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
        )
        self.ready = True
        for guild in guilds:
            await self.dispatch("GUILD_CREATE", guild.payload())
        self.guilds_sent = True
