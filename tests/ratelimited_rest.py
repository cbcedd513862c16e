"""A local stand-in for Discord's REST message endpoints that enforces Discord's documented rate limits.

- Global: 50 requests in any second per bot, whatever the route; beyond it, 429 with `"global": true`
  and X-RateLimit-Global. `arrivals` keeps the time of every request counted against it.
- Per route and channel: POST /channels/{id}/messages allows 5 per 5 seconds; every answer carries
  X-RateLimit-Limit / -Remaining / -Reset / -Reset-After / -Bucket, and a 429 carries Retry-After,
  X-RateLimit-Scope and a JSON body with `retry_after` (seconds, float) and `global`.
- A message with `enforce_nonce` and a nonce already used in that channel returns the first message.
- Channels can be scripted to answer 403/404, to be slow, or to answer 429 once.

Used by the delivery tests and by bench/bench_fanout.py; it only binds 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

GLOBAL_PER_SECOND = 50
CHANNEL_LIMIT = 5
CHANNEL_WINDOW = 5.0
BOT_USER = {"id": "900000000000000001", "username": "necdigest", "discriminator": "0", "bot": True, "avatar": None}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py decodes JSON only when Content-Type is exactly application/json (no charset).
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(body).encode(), status=status, headers=all_headers)


@dataclass
class _Bucket:
    reset_at: float = 0.0
    remaining: int = CHANNEL_LIMIT


@dataclass
class RateLimitedRest:
    """The fake server's state: messages per channel, counters, scripted behaviour."""

    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    forbidden: set[int] = field(default_factory=set)
    missing: set[int] = field(default_factory=set)
    slow: dict[int, float] = field(default_factory=dict)
    once_429: dict[int, float] = field(default_factory=dict)  # channel -> retry_after of one scripted 429
    requests: int = 0
    global_429s: int = 0
    bucket_429s: int = 0
    scripted_429s: int = 0
    post_times: list[float] = field(default_factory=list)
    attempts: dict[int, list[float]] = field(default_factory=dict)
    arrivals: list[float] = field(default_factory=list)
    _window: deque[float] = field(default_factory=deque)
    _buckets: dict[int, _Bucket] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1_200_000_000_000_000_000))
    url: str = ""
    _runner: web.AppRunner | None = None

    def count(self, channel_id: int) -> int:
        return len(self.messages.get(channel_id, []))

    @property
    def total_429s(self) -> int:
        return self.global_429s + self.bucket_429s + self.scripted_429s

    def _global_ok(self, now: float) -> bool:
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= GLOBAL_PER_SECOND:
            return False
        self._window.append(now)
        self.arrivals.append(now)
        return True

    def _global_429(self, now: float) -> web.Response:
        self.global_429s += 1
        return self._too_many(1.0 - (now - self._window[0]), is_global=True, scope="global")

    def _too_many(self, retry_after: float, *, is_global: bool, scope: str) -> web.Response:
        # discord.py treats a 429 without `Via` as a Cloudflare ban (no retry); Discord sends one.
        headers = {"Retry-After": str(max(1, round(retry_after))), "X-RateLimit-Scope": scope, "Via": "1.1 google"}
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        return _json(body, status=429, headers=headers)

    async def _me(self, request: web.Request) -> web.Response:
        self.requests += 1
        now = time.monotonic()
        if not self._global_ok(now):
            return self._global_429(now)
        return _json(BOT_USER)

    async def _history(self, request: web.Request) -> web.Response:
        self.requests += 1
        now = time.monotonic()
        if not self._global_ok(now):
            return self._global_429(now)
        channel_id = int(request.match_info["channel_id"])
        limit = int(request.query.get("limit", "50"))
        return _json(list(reversed(self.messages.get(channel_id, [])))[:limit])

    async def _post(self, request: web.Request) -> web.Response:
        self.requests += 1
        now = time.monotonic()
        channel_id = int(request.match_info["channel_id"])
        self.attempts.setdefault(channel_id, []).append(now)
        if not self._global_ok(now):
            return self._global_429(now)
        if channel_id in self.once_429:
            retry = self.once_429.pop(channel_id)
            self.scripted_429s += 1
            return self._too_many(retry, is_global=False, scope="user")
        bucket = self._buckets.setdefault(channel_id, _Bucket())
        if now >= bucket.reset_at:
            bucket.reset_at, bucket.remaining = now + CHANNEL_WINDOW, CHANNEL_LIMIT
        if bucket.remaining <= 0:
            self.bucket_429s += 1
            return self._too_many(bucket.reset_at - now, is_global=False, scope="user")
        bucket.remaining -= 1
        headers = {
            "X-RateLimit-Limit": str(CHANNEL_LIMIT),
            "X-RateLimit-Remaining": str(bucket.remaining),
            "X-RateLimit-Reset": f"{time.time() + (bucket.reset_at - now):.3f}",
            "X-RateLimit-Reset-After": f"{bucket.reset_at - now:.3f}",
            "X-RateLimit-Bucket": "message-create",
        }
        if channel_id in self.slow:
            await asyncio.sleep(self.slow[channel_id])
        if channel_id in self.forbidden:
            return _json({"message": "Missing Permissions", "code": 50013}, status=403, headers=headers)
        if channel_id in self.missing:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404, headers=headers)
        payload = await request.json()
        channel = self.messages.setdefault(channel_id, [])
        nonce = payload.get("nonce")
        if nonce and payload.get("enforce_nonce"):
            for message in channel:
                if message.get("nonce") == nonce:
                    return _json(message, headers=headers)
        message = {
            "id": str(next(self._ids)),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": payload.get("content") or "",
            "embeds": payload.get("embeds") or [],
            "nonce": nonce,
            "timestamp": "2031-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 0,
        }
        channel.append(message)
        self.post_times.append(time.monotonic())
        return _json(message, headers=headers)

    async def _stats(self, request: web.Request) -> web.Response:
        return _json(
            {
                "requests": self.requests,
                "global_429s": self.global_429s,
                "bucket_429s": self.bucket_429s,
                "scripted_429s": self.scripted_429s,
                "post_times": self.post_times,
                "messages_per_channel": {str(c): len(ms) for c, ms in self.messages.items()},
            }
        )

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_get("/stats", self._stats)
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/channels/{channel_id}/messages", self._history)
        app.router.add_post("/api/v10/channels/{channel_id}/messages", self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/api/v10"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class RestOnlyBot:
    """What DigestService needs from a bot, backed by discord.py's real HTTP client (no gateway)."""

    def __init__(self, http: Any, guild_ids: set[int] | None = None) -> None:
        self.http = http
        self.user = None
        self.guild_ids = guild_ids

    def get_guild(self, guild_id: int) -> object | None:
        return object() if self.guild_ids is None or guild_id in self.guild_ids else None


def serve_in_process(port_out: Any) -> None:
    """Run a RateLimitedRest in this (child) process until killed; sends its base URL to `port_out`."""

    async def run() -> None:
        fake = RateLimitedRest()
        port_out.put(await fake.start())
        await asyncio.Event().wait()

    asyncio.run(run())
