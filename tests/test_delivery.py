"""Exactly-once delivery: claims, recovery after a crash, failure isolation, filters and shards.

Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL against the real schema.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.digest_service import DigestService, digest_nonce, part_nonce
from digests.errors import NotFound, UserFacingError
from storage import subscriptions as subs
from tests.delivery_support import (
    FakeGuilds,
    Killed,
    RecordingPoster,
    add_meeting,
    settings,
    simple_meeting_view,
)
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)

GUILD = 111
OTHER_GUILD = 222


def service(database: Database, poster: RecordingPoster, guilds: set[int] | None = None) -> DigestService:
    bot: Any = FakeGuilds(guilds if guilds is not None else {GUILD, OTHER_GUILD})
    return DigestService(bot, database.sessions, settings(), poster=poster, load_meeting=simple_meeting_view)


async def subscribe(database: Database, channel: int, schedule: str = "on-new", guild: int = GUILD, **kw: Any) -> int:
    async with database.sessions.begin() as session:
        view = await subs.add_subscription(
            session, guild_id=guild, channel_id=channel, schedule=schedule, created_by=7, **kw
        )
    return view.id


async def new_meeting(database: Database, day: date = date(2031, 3, 4)) -> int:
    async with database.sessions.begin() as session:
        return await add_meeting(session, day)


async def test_bad_schedules_are_refused_and_good_ones_listed(db: Database) -> None:
    async with db.sessions.begin() as session:
        with pytest.raises(UserFacingError, match="weekly mon 09:00"):
            await subs.add_subscription(session, guild_id=GUILD, channel_id=1, schedule="fortnightly", created_by=7)
        await subs.add_subscription(session, guild_id=GUILD, channel_id=1, schedule="Weekly Mon 9:00", created_by=7)
        again = await subs.add_subscription(
            session, guild_id=GUILD, channel_id=1, schedule="weekly mon 09:00", created_by=7
        )
        listed = await subs.list_subscriptions(session, GUILD)
    assert [s.id for s in listed] == [again.id], "subscribing twice the same way is one subscription"
    assert listed[0].next_run is not None and listed[0].state == "active"


async def test_remove_only_within_the_guild(db: Database) -> None:
    sid = await subscribe(db, 1)
    async with db.sessions.begin() as session:
        with pytest.raises(NotFound):
            await subs.remove_subscription(session, guild_id=OTHER_GUILD, subscription_id=sid)
        await subs.remove_subscription(session, guild_id=GUILD, subscription_id=sid)
        assert await subs.list_subscriptions(session) == []


async def test_a_new_subscription_does_not_post_history(db: Database) -> None:
    async with db.sessions.begin() as session:
        await add_meeting(session, date(2031, 1, 1), ingested_at=datetime.now(UTC) - timedelta(days=3))
    sid = await subscribe(db, 10)
    poster = RecordingPoster()
    assert await service(db, poster).run_subscription(sid) == 0
    await new_meeting(db)
    async with db.sessions.begin() as session:
        assert len(await subs.due_meetings(session, sid, load_meeting=simple_meeting_view)) == 1
    assert await service(db, poster).run_subscription(sid) == 1
    assert poster.count(10) == 1


async def test_claims_are_unique_per_subscription_and_meeting(db: Database) -> None:
    sid = await subscribe(db, 10)
    meeting = await new_meeting(db)
    async with db.sessions.begin() as session:
        first = await subs.claim_post(session, sid, meeting, nonce="nda")
        again = await subs.claim_post(session, sid, meeting, nonce="ndb")
        assert first is not None and again is not None
        assert again.recovered and again.post_id == first.post_id and again.nonce == "nda"
        await subs.mark_posted(session, first.post_id, 555)
        assert await subs.claim_post(session, sid, meeting, nonce="ndc") is None
        assert await subs.pending_claims(session) == []


async def test_each_meeting_is_posted_once_however_often_the_job_runs(db: Database) -> None:
    sid = await subscribe(db, 10)
    await new_meeting(db)
    poster = RecordingPoster()
    svc = service(db, poster)
    results = await asyncio.gather(*(svc.run_subscription(sid) for _ in range(3)))
    assert sorted(results) == [0, 0, 1]
    assert await service(db, poster).run_subscription(sid) == 0
    assert poster.count(10) == 1 and poster.sends == 1


async def test_a_crash_after_posting_but_before_recording_does_not_post_twice(db: Database) -> None:
    sid = await subscribe(db, 10)
    await new_meeting(db)
    poster = RecordingPoster(kill_after_send={10})
    with pytest.raises(Killed):
        await service(db, poster).run_subscription(sid)
    async with db.sessions.begin() as session:
        [claim] = await subs.pending_claims(session)
    assert claim.status == "claimed" and poster.count(10) == 1
    # The "restarted" process: a fresh service finds the message by its marker and records it.
    assert await service(db, poster).run_subscription(sid) == 1
    assert poster.count(10) == 1 and poster.sends == 1
    async with db.sessions.begin() as session:
        assert await subs.pending_claims(session) == []


async def test_a_crash_after_claiming_but_before_posting_posts_on_recovery(db: Database) -> None:
    sid = await subscribe(db, 10)
    meeting = await new_meeting(db)
    async with db.sessions.begin() as session:
        await subs.claim_post(session, sid, meeting, nonce=digest_nonce(sid, [meeting]))
    poster = RecordingPoster()
    assert await service(db, poster).run_subscription(sid) == 1
    assert poster.count(10) == 1
    assert poster.messages[10][0]["nonce"] == part_nonce(digest_nonce(sid, [meeting]), 0)


async def test_a_refusing_channel_is_paused_and_its_admins_told_once_while_others_post(db: Database) -> None:
    ok_channels = [20, 21, 22]
    sids = [await subscribe(db, c) for c in ok_channels]
    broken = await subscribe(db, 99)
    gone = await subscribe(db, 98, guild=OTHER_GUILD)
    await new_meeting(db)
    poster = RecordingPoster(refuse={99: 403, 98: 404})
    svc = service(db, poster)
    assert await svc.on_new_reports([1]) == 3
    assert all(poster.count(c) == 1 for c in ok_channels)
    async with db.sessions.begin() as session:
        views = {v.id: v for v in await subs.list_subscriptions(session)}
    assert views[broken].state == "paused" and "403" in (views[broken].paused_reason or "")
    assert views[gone].state == "paused" and "404" in (views[gone].paused_reason or "")
    assert all(views[s].state == "active" for s in sids)
    assert sorted(g for g, _ in poster.notices) == [GUILD, OTHER_GUILD]
    # Another report arrives: the paused channels are not retried and nobody is told again.
    await new_meeting(db, date(2031, 4, 1))
    await svc.on_new_reports([2])
    assert len(poster.notices) == 2
    # Once resumed (permissions fixed), the failed claim is retried and both meetings go out.
    poster.refuse.clear()
    async with db.sessions.begin() as session:
        await subs.resume_subscription(session, guild_id=GUILD, subscription_id=broken)
    assert await svc.run_subscription(broken) == 2
    assert poster.count(99) == 2


async def test_a_slow_channel_does_not_hold_up_the_others(db: Database) -> None:
    channels = list(range(30, 40))
    for c in channels:
        await subscribe(db, c)
    await new_meeting(db)
    others_done = asyncio.Event()
    poster = RecordingPoster(
        hold={30: asyncio.Event()}, on_send=lambda: others_done.set() if poster.sends == 9 else None
    )
    fan_out = asyncio.create_task(service(db, poster).on_new_reports([1]))
    await asyncio.wait_for(others_done.wait(), 30)
    assert poster.count(30) == 0 and not fan_out.done()
    poster.hold[30].set()
    assert await fan_out == 10


async def test_filters_decide_what_a_channel_gets(db: Database) -> None:
    wanted = await subscribe(db, 50, keyword="membership")
    unwanted = await subscribe(db, 51, keyword="zeppelins")
    await new_meeting(db)
    poster = RecordingPoster()
    svc = service(db, poster)
    await svc.on_new_reports([1])
    assert poster.count(50) == 1 and poster.count(51) == 0
    async with db.sessions.begin() as session:
        assert await subs.due_meetings(session, unwanted, load_meeting=simple_meeting_view) == []
        assert await subs.due_meetings(session, wanted, load_meeting=simple_meeting_view) == []


async def test_a_process_only_serves_the_guilds_on_its_shards(db: Database) -> None:
    mine = await subscribe(db, 60, guild=GUILD)
    theirs = await subscribe(db, 61, guild=OTHER_GUILD)
    await new_meeting(db)
    poster = RecordingPoster()
    assert await service(db, poster, guilds={GUILD}).on_new_reports([1]) == 1
    assert poster.count(60) == 1 and poster.count(61) == 0
    assert await service(db, poster, guilds={OTHER_GUILD}).run_subscription(theirs) == 1
    assert await service(db, poster, guilds={OTHER_GUILD}).run_subscription(mine) == 0
    assert poster.count(61) == 1 and poster.count(60) == 1


async def test_scheduled_digests_gather_several_meetings_into_one_post(db: Database) -> None:
    sid = await subscribe(db, 70, schedule="weekly mon 09:00")
    for day in (date(2031, 3, 4), date(2031, 3, 11)):
        await new_meeting(db, day)
    poster = RecordingPoster()
    svc = service(db, poster)
    assert await svc.on_new_reports([1, 2]) == 0, "a scheduled subscription waits for its time"
    assert await svc.post_now(sid) == 2
    [message] = poster.messages[70]
    assert len(message["embeds"]) == 2
