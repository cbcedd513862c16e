"""The digest scheduler with a controllable clock: local-time firing across DST, and catch-up after downtime.

APScheduler 3 reads `datetime.now` itself, so the test clock replaces it in the scheduler's and
the executor's modules; the DigestScheduler and DigestService take the same clock as `now`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
import sqlalchemy as sa

from bot.digest_service import DigestService
from bot.scheduler import DigestScheduler, job_id
from storage import models as m
from storage import subscriptions as subs
from tests.delivery_support import FakeGuilds, RecordingPoster, add_meeting, settings, simple_meeting_view
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)
LONDON = ZoneInfo("Europe/London")
GUILD = 5


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock(datetime(2025, 3, 28, 12, tzinfo=UTC))

    class ClockedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return fake().astimezone(tz) if tz is not None else fake().replace(tzinfo=None)

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", ClockedDatetime)
    monkeypatch.setattr(apscheduler.executors.base, "datetime", ClockedDatetime)
    yield fake


class RecordingService:
    """Stands in for the digest service: records when each subscription's job ran."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.runs: list[tuple[int, datetime]] = []
        self.ran = asyncio.Event()

    async def run_subscription(self, subscription_id: int) -> int:
        self.runs.append((subscription_id, self.clock()))
        self.ran.set()
        return 0

    def serves(self, guild_id: int) -> bool:
        return True

    async def fan_out(self, ids: list[int]) -> int:
        return 0


async def fire_next(scheduler: DigestScheduler, clock: Clock, service: RecordingService, sid: int) -> datetime:
    """Move the clock to the job's next run time, let APScheduler run it, return the local time it ran."""
    next_run = scheduler.next_run(sid)
    assert next_run is not None
    clock.moment = next_run.astimezone(UTC)
    service.ran.clear()
    scheduler.poke()
    await asyncio.wait_for(service.ran.wait(), 10)
    return service.runs[-1][1].astimezone(LONDON)


async def subscribe(db: Database, schedule: str, channel: int = 1, now: datetime | None = None) -> int:
    async with db.sessions.begin() as session:
        view = await subs.add_subscription(
            session, guild_id=GUILD, channel_id=channel, schedule=schedule, created_by=1, now=now
        )
    return view.id


@pytest.mark.parametrize(
    ("schedule", "start", "expected"),
    [
        (
            "weekly mon 09:00",
            datetime(2025, 3, 20, 12, tzinfo=UTC),
            ["2025-03-24 09:00 GMT", "2025-03-31 09:00 BST", "2025-04-07 09:00 BST"],
        ),
        (
            "daily 18:30",
            datetime(2025, 10, 25, 12, tzinfo=UTC),
            ["2025-10-25 18:30 BST", "2025-10-26 18:30 GMT", "2025-10-27 18:30 GMT"],
        ),
        (
            "weekly sun 01:30",
            datetime(2025, 10, 20, tzinfo=UTC),
            ["2025-10-26 01:30 BST", "2025-11-02 01:30 GMT"],
        ),
    ],
)
async def test_jobs_fire_at_the_local_time_across_a_dst_change(
    db: Database, clock: Clock, schedule: str, start: datetime, expected: list[str]
) -> None:
    clock.moment = start
    sid = await subscribe(db, schedule, now=start)
    service = RecordingService(clock)
    scheduler = DigestScheduler(None, db.sessions, settings(), service, now=clock)  # type: ignore[arg-type]
    await scheduler.start()
    try:
        fired = [await fire_next(scheduler, clock, service, sid) for _ in expected]
    finally:
        await scheduler.shutdown()
    assert [f.strftime("%Y-%m-%d %H:%M %Z") for f in fired] == expected
    assert [sid for sid, _ in service.runs] == [sid] * len(expected), "each fire time runs the job once"


async def test_jobs_follow_the_database(db: Database, clock: Clock) -> None:
    first = await subscribe(db, "daily 09:00", now=clock())
    on_new = await subscribe(db, "on-new", channel=2, now=clock())
    service = RecordingService(clock)
    scheduler = DigestScheduler(None, db.sessions, settings(), service, now=clock)  # type: ignore[arg-type]
    await scheduler.start()
    try:
        assert scheduler.next_run(first) is not None and scheduler.next_run(on_new) is None
        second = await subscribe(db, "weekly fri 17:00", channel=3, now=clock())
        async with db.sessions.begin() as session:
            await subs.remove_subscription(session, guild_id=GUILD, subscription_id=first)
        await scheduler.rebuild()
        assert scheduler.next_run(first) is None
        assert scheduler.next_run(second) == datetime(2025, 3, 28, 17, tzinfo=UTC)  # that Friday, GMT
        assert scheduler._scheduler.get_job(job_id(second)).max_instances == 1
    finally:
        await scheduler.shutdown()


async def test_a_digest_due_during_downtime_is_posted_once_on_restart(db: Database, clock: Clock) -> None:
    """Subscribed Friday; a meeting arrives Saturday; the bot is down over Monday 09:00; it restarts Tuesday."""
    clock.moment = datetime(2025, 3, 28, 12, tzinfo=UTC)
    sid = await subscribe(db, "weekly mon 09:00", channel=40, now=clock())
    not_yet = await subscribe(db, "monthly 1 09:00", channel=41, now=clock())
    async with db.sessions.begin() as session:
        await add_meeting(session, date(2025, 3, 27), ingested_at=datetime(2025, 3, 29, 10, tzinfo=UTC))
    clock.moment = datetime(2025, 4, 1, 7, tzinfo=UTC)  # Tuesday, before the monthly 09:00 run
    poster = RecordingPoster()
    for _restart in range(2):
        service = DigestService(
            FakeGuilds({GUILD}),  # type: ignore[arg-type]
            db.sessions,
            settings(),
            poster=poster,
            now=clock,
            load_meeting=simple_meeting_view,
        )
        scheduler = DigestScheduler(None, db.sessions, settings(), service, now=clock)
        await scheduler.start()
        await asyncio.gather(*scheduler._background)
        await scheduler.shutdown()
    assert poster.count(40) == 1, "posted once, and not again on the second restart"
    assert poster.count(41) == 0, "the monthly digest was not due yet"
    async with db.sessions.begin() as session:
        posted = await session.scalar(sa.select(sa.func.count()).select_from(m.Post).where(m.Post.status == "posted"))
    assert posted == 1
    assert sid != not_yet


async def test_shutdown_waits_for_a_run_in_flight(db: Database, clock: Clock) -> None:
    sid = await subscribe(db, "daily 09:00", now=clock())
    release = asyncio.Event()
    finished: list[int] = []

    class SlowService(RecordingService):
        async def run_subscription(self, subscription_id: int) -> int:
            self.ran.set()
            await release.wait()
            finished.append(subscription_id)
            return 1

    service = SlowService(clock)
    scheduler = DigestScheduler(None, db.sessions, settings(), service, now=clock)  # type: ignore[arg-type]
    await scheduler.start()
    next_run = scheduler.next_run(sid)
    assert next_run is not None
    clock.moment = next_run + timedelta(seconds=1)
    scheduler.poke()
    await asyncio.wait_for(service.ran.wait(), 10)
    stopping = asyncio.create_task(scheduler.shutdown())
    await asyncio.sleep(0)
    assert not stopping.done()
    release.set()
    await stopping
    assert finished == [sid]
