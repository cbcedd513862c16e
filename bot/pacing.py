"""Keeping the whole process under Discord's global rate limit (50 requests per second per bot) without a 429.

Discord counts a request when it arrives: some time after we send it and before we read its
answer. So a request holds one of `limit` slots from the moment it is let go until `window`
seconds after its answer. That bounds what Discord can see, whatever the network delay: take any
`window`-long span on Discord's clock and, of the requests it counted in that span, the one we
let go last. Every other one was let go before it and counted less than `window` before it
arrived, so its answer came later than `window` before that last one was let go: each still held
its slot then. At most `limit` slots exist, so at most `limit` requests land in the span. No
safety margin to tune, and a fan-out still runs at limit / (window + round trip): 49.5/s at a
10 ms round trip, against 47/s for the fixed 49-per-1.04 s margin this replaced.

The slots are taken at the HTTP layer (an aiohttp trace on discord.py's session), so every REST
request counts: digest posts, history look-ups, command answers and discord.py's own retries
after a 429. Interaction and webhook routes are let through: "Interaction endpoints are not bound
to the bot's Global Rate Limit" (Discord's rate-limit docs), and an interaction must be answered
within 3 seconds even during a fan-out. discord.py still honours every 429 and per-route bucket;
this only keeps the global one from being hit. The limit is per bot token: processes that share a
token (shards run apart) must share it out (GLOBAL_REQUESTS_PER_SECOND).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import aiohttp
from yarl import URL

log = logging.getLogger(__name__)

DISCORD_GLOBAL_LIMIT = 50  # requests per second per bot token (Discord's rate-limit docs)
WINDOW_SECONDS = 1.0
# Path parts of routes Discord does not count against the global limit.
UNCOUNTED_ROUTES = ("/interactions/", "/webhooks/")


def counts_against_global_limit(url: URL) -> bool:
    """True for Discord REST routes under the global limit (not the gateway, the CDN, interactions or webhooks)."""
    path = url.path
    return "/api/" in path and not any(part in path for part in UNCOUNTED_ROUTES)


class GlobalPacer:
    """At most `limit` requests in any `window` seconds as Discord counts them (see the module docstring).

    `acquire()` waits for a slot, in arrival order; `release()` is called once the answer (or an
    error) is in, and the slot frees `window` seconds later. `clock` is injectable for tests.
    """

    def __init__(
        self,
        limit: int = DISCORD_GLOBAL_LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the pacer needs a limit of at least 1 and a positive window")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._in_flight = 0
        self._cooling: deque[float] = deque()  # when each answered request stops counting, in order
        self._lock = asyncio.Lock()  # waiters go in arrival order
        self._answered = asyncio.Event()
        self.requests = 0  # requests let through so far
        self.waited_seconds = 0.0  # time spent waiting for a slot, summed over requests

    def held(self) -> int:
        """Slots held now: requests in flight plus answered ones still inside the window."""
        now = self._clock()
        while self._cooling and self._cooling[0] <= now:
            self._cooling.popleft()
        return self._in_flight + len(self._cooling)

    def free_at(self) -> float | None:
        """When a slot is (or will be) free on the pacer's clock; None while every slot waits for an answer."""
        if self.held() < self.limit:
            return self._clock()
        return self._cooling[0] if self._cooling else None

    def try_acquire(self) -> bool:
        """Take a slot if one is free now (no waiting); True if taken."""
        if self._lock.locked() or self.held() >= self.limit:
            return False
        self._take()
        return True

    async def acquire(self) -> None:
        """Wait for a free slot and take it."""
        started = self._clock()
        async with self._lock:
            while self.held() >= self.limit:
                free_at = self.free_at()
                if free_at is None:  # every slot is in flight: the first answer starts a countdown
                    self._answered.clear()
                    await self._answered.wait()
                else:
                    await asyncio.sleep(max(0.0, free_at - self._clock()))
            self._take()
        self.waited_seconds += self._clock() - started

    def release(self) -> None:
        """The request's answer (or failure) is in: its slot frees `window` seconds from now."""
        if self._in_flight <= 0:
            raise RuntimeError("GlobalPacer.release() without a matching acquire()")
        self._in_flight -= 1
        self._cooling.append(self._clock() + self.window)
        self._answered.set()

    def _take(self) -> None:
        self._in_flight += 1
        self.requests += 1

    def trace_config(self) -> aiohttp.TraceConfig:
        """An aiohttp trace that paces every counted request of the session it is given to.

        discord.py takes it as `http_trace=` (Client, Bot or HTTPClient). aiohttp awaits the
        request-start hook before sending and always ends a started request with an end or
        exception hook, so each slot is released exactly once.
        """
        trace = aiohttp.TraceConfig()

        async def on_start(_session: aiohttp.ClientSession, context: SimpleNamespace, params: Any) -> None:
            if counts_against_global_limit(params.url):
                await self.acquire()
                context.paced = True

        async def on_done(_session: aiohttp.ClientSession, context: SimpleNamespace, _params: Any) -> None:
            if getattr(context, "paced", False):
                context.paced = False
                self.release()

        async def on_redirect(session: aiohttp.ClientSession, context: SimpleNamespace, params: Any) -> None:
            # A redirect is a second request on the same call: it needs a slot of its own.
            await on_done(session, context, params)
            await on_start(session, context, params)

        trace.on_request_start.append(on_start)
        trace.on_request_end.append(on_done)
        trace.on_request_exception.append(on_done)
        trace.on_request_redirect.append(on_redirect)
        return trace
