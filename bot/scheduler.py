"""APScheduler says when, the database says whether: one cron job per scheduled subscription.

Jobs are rebuilt from the subscriptions table at start and whenever a subscription changes, so
the database is the one truth. The job body is one call into `DigestService.run_subscription`,
which claims each (subscription, meeting) before posting; a second firing is therefore harmless,
and a digest that fell due while the bot was down is posted once by the catch-up at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest_service import DigestService, spawn
from bot.settings import Settings
from digests.schedule import ON_NEW, parse_schedule
from storage import subscriptions as subs

log = logging.getLogger(__name__)

JOB_PREFIX = "digest:"
# How late a run may start and still run. Restarts do not rely on this (the in-memory job store
# forgets missed runs; `catch_up` finds them in the database instead): it covers the loop being
# stalled or the host suspended. Six hours keeps a Monday 09:00 digest useful on Monday
# afternoon, while a digest a whole day late is better folded into the next run (coalesce=True
# merges missed runs into one; the next run posts everything due anyway).
MISFIRE_GRACE_SECONDS = 6 * 60 * 60
SHUTDOWN_WAIT_SECONDS = 30.0


def _utcnow() -> datetime:
    return datetime.now(UTC)


def job_id(subscription_id: int) -> str:
    return f"{JOB_PREFIX}{subscription_id}"


class DigestScheduler:
    """Owns the AsyncIOScheduler and the digest jobs; `start()` in setup_hook, `shutdown()` on close."""

    def __init__(
        self,
        bot: discord.Client | None,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        service: DigestService,
        *,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.settings = settings
        self.service = service
        self.now = now
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        )
        self._background: set[asyncio.Task[Any]] = set()
        self._runs: set[asyncio.Task[Any]] = set()
        self._rebuild_lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    async def start(self) -> None:
        """Start the scheduler, build the jobs from the database, and queue the catch-up."""
        if not self._scheduler.running:
            self._scheduler.start()
        await self.rebuild()
        spawn(self._background, self.catch_up(), "digest catch-up")

    async def rebuild(self) -> None:
        """Make the jobs match the database: one per active scheduled subscription, no others."""
        async with self._rebuild_lock:
            async with self.sessions.begin() as session:
                every = await subs.list_subscriptions(session, now=self.now())
            wanted = {job_id(s.id): s for s in every if s.state == subs.ACTIVE and s.schedule != ON_NEW}
            for job in self._scheduler.get_jobs():
                if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                    job.remove()
            for jid, sub in wanted.items():
                existing = self._scheduler.get_job(jid)
                trigger = parse_schedule(sub.schedule, sub.timezone).trigger()
                if existing is not None and str(existing.trigger) == str(trigger):
                    continue  # unchanged: keep its next run time
                self._scheduler.add_job(
                    self._fire,
                    trigger=trigger,
                    id=jid,
                    name=f"digest {sub.id} {sub.schedule} {sub.timezone}",
                    args=[sub.id],
                    replace_existing=True,
                )
            log.info("digest jobs rebuilt: %d scheduled subscription(s)", len(wanted))

    def next_run(self, subscription_id: int) -> datetime | None:
        """When the job of this subscription runs next (None if it has none)."""
        job = self._scheduler.get_job(job_id(subscription_id))
        return None if job is None else job.next_run_time

    def poke(self) -> None:
        """Look for due jobs now (after the clock moved: tests drive a fake clock with this)."""
        self._scheduler.wakeup()

    async def _fire(self, subscription_id: int) -> None:
        # The run is a task of our own, shielded: APScheduler's executor cancels its coroutines on
        # shutdown, while we want a post in flight to finish and be recorded.
        task = spawn(self._runs, self.service.run_subscription(subscription_id), job_id(subscription_id))
        await asyncio.shield(task)

    async def catch_up(self) -> int:
        """Post, once, what fell due while the bot was down; returns the meetings posted.

        Runs after the gateway is ready (guild membership decides which process serves what).
        A subscription is caught up when it has unfinished claims, when it is `on-new` and has
        meetings due, or when a scheduled run passed (its previous fire time) with meetings due
        that were ingested before that run.
        """
        if self.bot is not None:
            await self.bot.wait_until_ready()
        now = self.now()
        async with self.sessions.begin() as session:
            work = await subs.due_work(session)  # every active subscription, in a few queries
        todo: list[int] = []
        for item in work:
            sub = item.subscription
            if not self.service.serves(sub.guild_id):
                continue
            if item.pending:
                todo.append(sub.id)
                continue
            if not item.due:
                continue
            previous = parse_schedule(sub.schedule, sub.timezone).previous_fire(now)
            if sub.schedule == ON_NEW or (previous is not None and item.due[0].ingested_at <= previous):
                todo.append(sub.id)
        if todo:
            log.info("catching up %d subscription(s) that fell due while the bot was down", len(todo))
        return await self.service.fan_out(todo)

    async def shutdown(self) -> None:
        """Stop firing, let posts in flight finish (up to a limit), and stop the catch-up."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in list(self._background):
            task.cancel()
        runs = list(self._runs)
        if runs:
            log.info("waiting for %d digest run(s) to finish", len(runs))
            _done, pending = await asyncio.wait(runs, timeout=SHUTDOWN_WAIT_SECONDS)
            for task in pending:
                task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)

    def remove(self, subscription_id: int) -> None:
        """Drop a subscription's job at once (rebuild would too)."""
        with contextlib.suppress(JobLookupError):
            self._scheduler.remove_job(job_id(subscription_id))
