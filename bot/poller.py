"""Feed watching: poll due sources with conditional GET, ingest what is new, tell `on-new` subscriptions.

Each source has its own next check time (storage.sources): success schedules the next poll one
interval (with +-10% jitter, so sources added together drift apart) later, an error backs off
exponentially. The loop wakes often enough that a new item is seen within one poll interval.
The first fetch of a source without backfill ingests what it holds but marks those meetings as
already seen by every subscription, so adding a source never floods a channel with history.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest_service import spawn
from bot.settings import Settings
from digests.errors import UserFacingError
from digests.views import IngestOutcome
from storage import subscriptions as subs

log = logging.getLogger(__name__)

JITTER = 0.10
MAX_TICK_SECONDS = 60.0
SOURCES_AT_ONCE = 4


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SourcePoller:
    """Polls the sources table; `start()` in setup_hook, `shutdown()` on close, `check_now` for /source check."""

    def __init__(
        self,
        bot: discord.Client | None,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        service: Any = None,
        *,
        now: Callable[[], datetime] = _utcnow,
        fetcher: Callable[..., Awaitable[Any]] | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.settings = settings
        self._service = service
        self.now = now
        self._fetcher = fetcher
        self._tasks: set[asyncio.Task[Any]] = set()
        self._busy: set[int] = set()
        self._limit = asyncio.Semaphore(SOURCES_AT_ONCE)
        self._watermark = _utcnow()  # reports ingested after this are looked at by notice_other_ingests

    @property
    def service(self) -> Any:
        """The digest service (the bot's, unless one was given)."""
        return self._service if self._service is not None else getattr(self.bot, "digest_service", None)

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.settings.poll_interval_seconds)

    def _jittered_interval(self) -> timedelta:
        # Only ever earlier than the interval, so a new item is always seen within one interval.
        return self.interval * random.uniform(1 - JITTER, 1.0)

    async def start(self) -> None:
        spawn(self._tasks, self._run(), "source poller")

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self) -> None:
        if self.bot is not None:
            await self.bot.wait_until_ready()
        tick = min(self.settings.poll_interval_seconds / 5, MAX_TICK_SECONDS)
        # Reports stored before the bot was ready are the start-up catch-up's business.
        self._watermark = _utcnow()
        while True:
            try:
                await self.poll_due()
            except Exception:
                log.exception("polling sources failed; trying again next tick")
            try:
                await self.notice_other_ingests()
            except Exception:
                log.exception("looking for reports stored by other processes failed; trying again next tick")
            await asyncio.sleep(tick * random.uniform(1 - JITTER, 1 + JITTER))

    async def poll_due(self) -> int:
        """Poll every source whose check is due; returns how many reports were added or updated."""
        from storage import sources

        async with self.sessions.begin() as session:
            due = [s.id for s in await sources.due_sources(session, self.now())]
        results = await asyncio.gather(*(self._poll_guarded(source_id) for source_id in due))
        return sum(results)

    async def notice_other_ingests(self) -> int:
        """Reports another process stored (`necdigest ingest`) reach `on-new` subscriptions within a tick.

        One aggregate query per tick: meetings with a report ingested since the last look. Those this
        process already fanned out (its own uploads and feed polls) are left alone; for the rest the
        fan-out's claims decide what is actually posted, so looking twice never posts twice.
        """
        service = self.service
        if service is None:
            return 0
        async with self.sessions.begin() as session:
            rows = await subs.meetings_ingested_since(session, self._watermark)
        if not rows:
            return 0
        newest = max((moment for _mid, _day, ingested in rows if (moment := subs.utc(ingested))), default=None)
        if newest is not None:
            self._watermark = max(self._watermark, newest)
        fresh = [
            mid
            for mid, _day, ingested in rows
            if (moment := subs.utc(ingested)) is not None and not service.announced_since(mid, moment)
        ]
        if not fresh:
            return 0
        log.info("meetings %s were stored by another process; notifying on-new subscriptions", fresh)
        await service.on_new_reports(fresh)
        return len(fresh)

    async def _poll_guarded(self, source_id: int) -> int:
        async with self._limit:
            try:
                return (await self._poll(source_id))[0]
            except Exception:
                log.exception("source %s: poll failed", source_id)
                return 0

    async def check_now(self, source_id: int) -> str:
        """Poll one source now (`/source check`); returns a one-line summary."""
        _added, summary = await self._poll(source_id)
        return summary

    async def _poll(self, source_id: int) -> tuple[int, str]:
        from bot.fetch import fetch
        from bot.ingest import _looks_like_feed, ingest_bytes, ingest_feed
        from storage import models as m
        from storage import sources

        if source_id in self._busy:
            return 0, "already being checked"
        self._busy.add(source_id)
        try:
            async with self.sessions.begin() as session:
                source = await session.get(m.Source, source_id)
                if source is None:
                    return 0, "no such source"
                url, etag, modified = source.url, source.etag, source.last_modified
                first_fetch = source.last_success is None and not source.backfill
            # Storage stamps ingestion with the wall clock (not our injectable one): compare like with like.
            started = _utcnow()
            try:
                result = await (self._fetcher or fetch)(
                    url, etag=etag, last_modified=modified, allow_private=self.settings.allow_private_urls
                )
            except UserFacingError as exc:
                async with self.sessions.begin() as session:
                    await sources.record_fetch_error(session, source_id, now=self.now(), reason=str(exc))
                log.warning("source %s: %s", source_id, exc)
                return 0, f"fetch failed: {exc}"
            if result.not_modified:
                await self._record_success(source_id, result)
                return 0, "not modified since the last check"
            outcomes: list[IngestOutcome]
            if _looks_like_feed(result):
                outcomes = await ingest_feed(self.sessions, result, settings=self.settings, source_id=source_id)
            else:
                one = await ingest_bytes(
                    self.sessions, result.body, name=result.final_url, url=result.final_url, source_id=source_id
                )
                outcomes = [one]
            await self._record_success(source_id, result)
            new = sum(1 for o in outcomes if o.status in ("added", "updated"))
            if not new:
                return 0, "no new reports"
            async with self.sessions.begin() as session:
                meetings = [row[0] for row in await subs.meetings_ingested_since(session, started)]
                if first_fetch:
                    seen = await subs.mark_seen(session, meetings, now=self.now())
            if first_fetch:
                if self.service is not None:
                    self.service.mark_announced(meetings)  # history: seen, not to be posted
                log.info("source %s first fetch: %d report(s) stored, %d meeting(s) marked seen", source_id, new, seen)
                return new, f"{new} report(s) stored; first check, so they are not posted (ask for backfill to post)"
            log.info("source %s: %d new report(s); notifying on-new subscriptions", source_id, new)
            if self.service is not None and meetings:
                await self.service.on_new_reports(meetings)
            return new, f"{new} new report(s)"
        finally:
            self._busy.discard(source_id)

    async def _record_success(self, source_id: int, result: Any) -> None:
        from storage import sources

        async with self.sessions.begin() as session:
            await sources.record_fetch_success(
                session,
                source_id,
                now=self.now(),
                interval=self._jittered_interval(),
                etag=result.etag,
                last_modified=result.last_modified,
            )
