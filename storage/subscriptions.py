"""Digest subscriptions and the posts made for them: the database side of "exactly once".

A post row is the claim on (subscription, meeting), unique on that pair. The digest service
claims before it posts (status `claimed`, with the deterministic nonce it will post with), then
records the message id (`posted`). A crash between the two leaves a `claimed` row that the next
run recovers: it looks for the message by nonce before posting again. `failed` marks a claim
whose channel refused the post (the subscription is paused); it is retried on resume.

Every function takes the caller's session and never commits: the caller's `sessions.begin()`
block is the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from digests.digest import build_digest
from digests.errors import NotFound, UserFacingError
from digests.schedule import parse_schedule
from digests.views import MeetingView, SubscriptionView
from storage import models as m
from storage.upsert import dialect_name

log = logging.getLogger(__name__)

ACTIVE = "active"
PAUSED = "paused"
CLAIMED = "claimed"
POSTED = "posted"
FAILED = "failed"
SEEN = "seen"  # never posted on purpose: history from a source's first fetch
DONE = (POSTED, SEEN)
MAX_FILTER_CHARS = 100
# Rows per multi-row statement and ids per IN list: few round trips, and well under SQLite's
# 32,766 bound parameters (a claim row binds 5).
BATCH_ROWS = 500

subscriptions: sa.Table = m.Subscription.__table__  # type: ignore[assignment]
posts: sa.Table = m.Post.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Claim:
    """The claim on posting one meeting to one subscription's channel."""

    post_id: int
    subscription_id: int
    meeting_id: int
    nonce: str
    status: str
    message_id: int | None
    recovered: bool = False  # True when the claim existed before this call (a crash or a retry)


@dataclass(frozen=True, slots=True)
class DueMeeting:
    """A meeting ingested after a subscription's cursor that it has not posted yet."""

    meeting_id: int
    ingested_at: datetime


@dataclass(frozen=True, slots=True)
class DueWork:
    """One active subscription's share of a fan-out: the meetings it has due and the claims a crash left unfinished."""

    subscription: SubscriptionView
    due: list[DueMeeting]
    pending: list[Claim]


@dataclass(frozen=True, slots=True)
class Posted:
    """A claimed post that went out: record `message_id` on the claim and move the subscription's cursor."""

    post_id: int
    message_id: int
    subscription_id: int
    advance_to: datetime | None = None


def _chunks(items: Sequence[Any], size: int = BATCH_ROWS) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def utc(moment: datetime | None) -> datetime | None:
    """Timezone-aware UTC; SQLite hands back naive datetimes that were stored as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


def _view(row: Any, now: datetime | None = None) -> SubscriptionView:
    next_run = None
    if row.state == ACTIVE:
        schedule = parse_schedule(row.schedule, row.timezone)
        next_run = schedule.next_fire(now or _now())
    return SubscriptionView(
        id=row.id,
        guild_id=int(row.guild_id),
        channel_id=int(row.channel_id),
        schedule=row.schedule,
        timezone=row.timezone,
        topic=row.topic,
        person=row.person,
        keyword=row.keyword,
        state=row.state,
        paused_reason=row.paused_reason,
        next_run=next_run,
    )


def _clean_filter(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = " ".join(value.split())
    if len(value) > MAX_FILTER_CHARS:
        raise UserFacingError(f"The {name} filter is too long (at most {MAX_FILTER_CHARS} characters).")
    return value


async def _row(session: AsyncSession, subscription_id: int) -> Any:
    result = await session.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id))
    return result.one_or_none()


async def add_subscription(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    schedule: str,
    timezone: str = "Europe/London",
    topic: str | None = None,
    person: str | None = None,
    keyword: str | None = None,
    created_by: int,
    now: datetime | None = None,
) -> SubscriptionView:
    """Subscribe a channel; the cursor starts now, so the channel is not flooded with history.

    Raises UserFacingError for a bad schedule or timezone. Subscribing the same channel twice with
    the same schedule and filters returns the existing subscription.
    """
    view, _ = await ensure_subscription(
        session,
        guild_id=guild_id,
        channel_id=channel_id,
        schedule=schedule,
        timezone=timezone,
        topic=topic,
        person=person,
        keyword=keyword,
        created_by=created_by,
        now=now,
    )
    return view


async def ensure_subscription(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    schedule: str,
    timezone: str = "Europe/London",
    topic: str | None = None,
    person: str | None = None,
    keyword: str | None = None,
    created_by: int,
    now: datetime | None = None,
) -> tuple[SubscriptionView, bool]:
    """Like add_subscription, also saying whether it was created (False: it already existed)."""
    parsed = parse_schedule(schedule, timezone)
    topic, person, keyword = (
        _clean_filter("topic", topic),
        _clean_filter("person", person),
        _clean_filter("keyword", keyword),
    )
    same = sa.select(subscriptions).where(
        subscriptions.c.guild_id == guild_id,
        subscriptions.c.channel_id == channel_id,
        subscriptions.c.schedule == parsed.text,
        subscriptions.c.timezone == parsed.timezone,
        subscriptions.c.topic.is_(None) if topic is None else subscriptions.c.topic == topic,
        subscriptions.c.person.is_(None) if person is None else subscriptions.c.person == person,
        subscriptions.c.keyword.is_(None) if keyword is None else subscriptions.c.keyword == keyword,
    )
    existing = (await session.execute(same)).first()
    if existing is not None:
        return _view(existing, now), False
    moment = now or _now()
    result = await session.execute(
        sa.insert(subscriptions)
        .values(
            guild_id=guild_id,
            channel_id=channel_id,
            schedule=parsed.text,
            timezone=parsed.timezone,
            topic=topic,
            person=person,
            keyword=keyword,
            created_by=created_by,
            created_at=moment,
            cursor_ingested_at=moment,
            state=ACTIVE,
            paused_reason=None,
        )
        .returning(subscriptions.c.id)
    )
    new_id = result.scalar_one()
    log.info("subscription %s added: guild %s channel %s %s", new_id, guild_id, channel_id, parsed.text)
    return _view(await _row(session, new_id), now), True


async def get_subscription(
    session: AsyncSession, subscription_id: int, *, guild_id: int | None = None
) -> SubscriptionView:
    """One subscription; NotFound if it does not exist (or is not in `guild_id` when given)."""
    row = await _row(session, subscription_id)
    if row is None or (guild_id is not None and int(row.guild_id) != guild_id):
        raise NotFound(f"No digest subscription #{subscription_id} in this server; /digest list shows them.")
    return _view(row)


async def list_subscriptions(
    session: AsyncSession, guild_id: int | None = None, *, now: datetime | None = None
) -> list[SubscriptionView]:
    """Every subscription (of one guild when given), oldest first, with its next run time."""
    query = sa.select(subscriptions).order_by(subscriptions.c.id)
    if guild_id is not None:
        query = query.where(subscriptions.c.guild_id == guild_id)
    return [_view(row, now) for row in (await session.execute(query)).all()]


async def count_subscriptions_by(session: AsyncSession, *, guild_id: int, created_by: int) -> int:
    """How many subscriptions of a guild one user (or the bot itself) created."""
    query = sa.select(sa.func.count()).where(
        subscriptions.c.guild_id == guild_id, subscriptions.c.created_by == created_by
    )
    return int((await session.execute(query)).scalar_one())


async def remove_subscription(session: AsyncSession, *, guild_id: int, subscription_id: int) -> SubscriptionView:
    """Delete a subscription of this guild and its post records; NotFound if it is not there."""
    view = await get_subscription(session, subscription_id, guild_id=guild_id)
    await session.execute(sa.delete(posts).where(posts.c.subscription_id == subscription_id))
    await session.execute(sa.delete(subscriptions).where(subscriptions.c.id == subscription_id))
    log.info("subscription %s removed from guild %s", subscription_id, guild_id)
    return view


async def pause_subscription(
    session: AsyncSession, *, subscription_id: int, reason: str, guild_id: int | None = None
) -> bool:
    """Pause an active subscription with a reason; True only for the call that paused it.

    The single transition active -> paused is what lets the caller tell the admins exactly once.
    """
    if guild_id is not None:
        await get_subscription(session, subscription_id, guild_id=guild_id)
    result = await session.execute(
        sa.update(subscriptions)
        .where(subscriptions.c.id == subscription_id, subscriptions.c.state == ACTIVE)
        .values(state=PAUSED, paused_reason=reason[:500])
    )
    changed = bool(getattr(result, "rowcount", 0))
    if changed:
        log.warning("subscription %s paused: %s", subscription_id, reason)
    return changed


async def resume_subscription(session: AsyncSession, *, guild_id: int, subscription_id: int) -> SubscriptionView:
    """Resume a paused subscription of this guild; its failed posts will be retried."""
    await get_subscription(session, subscription_id, guild_id=guild_id)
    await session.execute(
        sa.update(subscriptions).where(subscriptions.c.id == subscription_id).values(state=ACTIVE, paused_reason=None)
    )
    return _view(await _row(session, subscription_id))


async def claim_post(
    session: AsyncSession, subscription_id: int, meeting_id: int, *, nonce: str, now: datetime | None = None
) -> Claim | None:
    """Claim (subscription, meeting) before posting; None if it was already posted.

    Inserts under the unique key. If a claim already exists and is unfinished (`claimed` after a
    crash, or `failed`), it is returned with `recovered=True` so the caller can check the channel
    for the message before posting again.
    """
    moment = now or _now()
    values = {
        "subscription_id": subscription_id,
        "meeting_id": meeting_id,
        "status": CLAIMED,
        "nonce": nonce,
        "claimed_at": moment,
    }
    # ON CONFLICT DO NOTHING on the unique (subscription_id, meeting_id): one round trip, no
    # savepoint, and a concurrent claimer simply gets no row back.
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    insert = dialect.insert(posts).values(**values).on_conflict_do_nothing().returning(posts.c.id)
    post_id = (await session.execute(insert)).scalar_one_or_none()
    if post_id is not None:
        return Claim(int(post_id), subscription_id, meeting_id, nonce, CLAIMED, None)
    row = (
        await session.execute(
            sa.select(posts).where(posts.c.subscription_id == subscription_id, posts.c.meeting_id == meeting_id)
        )
    ).one()
    if row.status in DONE:
        return None
    return _claim(row, recovered=True)


def _claim(row: Any, *, recovered: bool) -> Claim:
    return Claim(
        post_id=row.id,
        subscription_id=row.subscription_id,
        meeting_id=row.meeting_id,
        nonce=row.nonce,
        status=row.status,
        message_id=int(row.message_id) if row.message_id is not None else None,
        recovered=recovered,
    )


async def mark_posted(session: AsyncSession, post_id: int, message_id: int, *, now: datetime | None = None) -> None:
    """Record that the claimed post went out as `message_id`."""
    await session.execute(
        sa.update(posts)
        .where(posts.c.id == post_id)
        .values(status=POSTED, message_id=message_id, posted_at=now or _now())
    )


async def mark_failed(session: AsyncSession, post_ids: Sequence[int]) -> None:
    """Mark claims whose channel refused the post; they are retried when the subscription resumes."""
    if post_ids:
        await session.execute(sa.update(posts).where(posts.c.id.in_(list(post_ids))).values(status=FAILED))


async def claim_posts(
    session: AsyncSession, wanted: Sequence[tuple[int, int, str]], *, now: datetime | None = None
) -> list[Claim]:
    """Claim many (subscription id, meeting id, nonce) at once, one INSERT per BATCH_ROWS; returns the claims made.

    A pair that already has a row (posted, seen, or a claim someone else holds or a crash left)
    is not claimed and not returned: the caller leaves that subscription to `claim_post` and the
    recovery of unfinished claims, which look at the existing row.
    """
    moment = now or _now()
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    made: list[Claim] = []
    for chunk in _chunks(wanted):
        rows = [
            {"subscription_id": sid, "meeting_id": mid, "status": CLAIMED, "nonce": nonce, "claimed_at": moment}
            for sid, mid, nonce in chunk
        ]
        insert = (
            dialect.insert(posts)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(posts.c.id, posts.c.subscription_id, posts.c.meeting_id, posts.c.nonce)
        )
        for row in (await session.execute(insert)).all():
            made.append(Claim(int(row.id), int(row.subscription_id), int(row.meeting_id), row.nonce, CLAIMED, None))
    return made


async def record_posted(session: AsyncSession, posted: Sequence[Posted], *, now: datetime | None = None) -> None:
    """Record many posts that went out (message ids, then cursors) in two statements per BATCH_ROWS."""
    moment = now or _now()
    update = (
        sa.update(posts)
        .where(posts.c.id == sa.bindparam("b_post_id"))
        .values(status=POSTED, message_id=sa.bindparam("b_message_id"), posted_at=moment)
    )
    for chunk in _chunks(posted):
        params = [{"b_post_id": p.post_id, "b_message_id": p.message_id} for p in chunk]
        await session.execute(update, params)
    cursors: dict[datetime, list[int]] = {}
    for p in posted:
        if p.advance_to is not None:
            cursors.setdefault(p.advance_to, []).append(p.subscription_id)
    for moment_to, ids in cursors.items():
        await advance_cursors(session, sorted(set(ids)), moment_to)


async def due_work(
    session: AsyncSession, *, subscription_ids: Sequence[int] | None = None, schedule: str | None = None
) -> list[DueWork]:
    """Active subscriptions (these ids, or all; only those with `schedule` when given), each with its due
    meetings (as `due_meeting_rows`, no filters) and unfinished claims: four queries however many there are."""
    query = sa.select(subscriptions).where(subscriptions.c.state == ACTIVE).order_by(subscriptions.c.id)
    if schedule is not None:
        query = query.where(subscriptions.c.schedule == schedule)
    if subscription_ids is None:
        rows = list((await session.execute(query)).all())
    else:
        rows = []
        for chunk in _chunks(sorted(set(subscription_ids))):
            rows += (await session.execute(query.where(subscriptions.c.id.in_(list(chunk))))).all()
    if not rows:
        return []
    cursors: dict[int, datetime] = {}
    for row in rows:
        cursor = utc(row.cursor_ingested_at) or utc(row.created_at)
        assert cursor is not None
        cursors[row.id] = cursor
    meetings = [
        DueMeeting(int(mid), moment)
        for mid, _day, ingested in await meetings_ingested_since(session, min(cursors.values()))
        if (moment := utc(ingested)) is not None
    ]
    meetings.sort(key=lambda d: d.ingested_at)
    wanted = set(cursors)
    done: set[tuple[int, int]] = set()
    for chunk in _chunks([d.meeting_id for d in meetings]):
        pairs = sa.select(posts.c.subscription_id, posts.c.meeting_id).where(
            posts.c.meeting_id.in_(list(chunk)), posts.c.status.in_(DONE)
        )
        done.update((int(s), int(m)) for s, m in (await session.execute(pairs)).all() if s in wanted)
    pending: dict[int, list[Claim]] = {}
    for claim in await pending_claims(session):
        if claim.subscription_id in wanted:
            pending.setdefault(claim.subscription_id, []).append(claim)
    return [
        DueWork(
            subscription=_view(row),
            due=[d for d in meetings if d.ingested_at > cursors[row.id] and (row.id, d.meeting_id) not in done],
            pending=pending.get(row.id, []),
        )
        for row in rows
    ]


async def pending_claims(session: AsyncSession, subscription_id: int | None = None) -> list[Claim]:
    """Claims not yet posted (a crash between claim and record, or a refused channel), oldest first."""
    query = sa.select(posts).where(posts.c.status.in_([CLAIMED, FAILED])).order_by(posts.c.id)
    if subscription_id is not None:
        query = query.where(posts.c.subscription_id == subscription_id)
    return [_claim(row, recovered=True) for row in (await session.execute(query)).all()]


async def posted_meeting_ids(session: AsyncSession, subscription_id: int) -> set[int]:
    """Meetings already posted to this subscription's channel."""
    query = sa.select(posts.c.meeting_id).where(posts.c.subscription_id == subscription_id, posts.c.status.in_(DONE))
    return {int(m) for m in (await session.execute(query)).scalars()}


async def subscription_cursor(session: AsyncSession, subscription_id: int) -> datetime:
    """The ingestion time up to which this subscription has dealt with every meeting."""
    query = sa.select(subscriptions.c.cursor_ingested_at, subscriptions.c.created_at).where(
        subscriptions.c.id == subscription_id
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound(f"No digest subscription #{subscription_id}.")
    cursor = utc(row.cursor_ingested_at) or utc(row.created_at)
    assert cursor is not None
    return cursor


async def due_meeting_rows(session: AsyncSession, subscription_id: int) -> list[DueMeeting]:
    """Meetings ingested after the cursor and not yet posted, oldest ingestion first (no filters)."""
    cursor = await subscription_cursor(session, subscription_id)
    done = await posted_meeting_ids(session, subscription_id)
    rows = await meetings_ingested_since(session, cursor)
    due = [DueMeeting(int(mid), moment) for mid, _day, ingested in rows if (moment := utc(ingested)) is not None]
    return sorted((d for d in due if d.meeting_id not in done), key=lambda d: d.ingested_at)


async def meetings_ingested_since(session: AsyncSession, after: datetime) -> list[tuple[int, date, datetime]]:
    """(meeting id, meeting date, latest report ingestion) for meetings with a report ingested after `after`."""
    latest = sa.func.max(m.Report.ingested_at)
    query = (
        sa.select(m.Meeting.id, m.Meeting.meeting_date, latest)
        .join(m.Report, m.Report.meeting_id == m.Meeting.id)
        .group_by(m.Meeting.id, m.Meeting.meeting_date)
        .having(latest > after)
        .order_by(latest)
    )
    return [(int(mid), day, moment) for mid, day, moment in (await session.execute(query)).all()]


async def load_meeting(session: AsyncSession, meeting_id: int) -> MeetingView:
    from storage.queries import meeting_by_id  # storage's query module (imported late: it imports us)

    view: MeetingView = await meeting_by_id(session, meeting_id)
    return view


async def due_meetings(
    session: AsyncSession,
    subscription: SubscriptionView | int,
    *,
    load_meeting: Callable[[AsyncSession, int], Awaitable[MeetingView]] = load_meeting,
) -> list[int]:
    """Meeting ids ingested after the subscription's cursor, not yet posted, with its filters applied."""
    view = subscription if isinstance(subscription, SubscriptionView) else await get_subscription(session, subscription)
    due = await due_meeting_rows(session, view.id)
    if not (view.topic or view.person or view.keyword):
        return [d.meeting_id for d in due]
    ids = [d.meeting_id for d in due]
    meetings = [await load_meeting(session, mid) for mid in ids]
    digest = build_digest(
        meetings, heading="", topic=view.topic, person=view.person, keyword=view.keyword, meeting_ids=ids
    )
    return [m.meeting_id for m in digest.meetings]


async def advance_cursor(session: AsyncSession, subscription_id: int, to: datetime) -> None:
    """Move the cursor forward (never back): meetings ingested up to `to` have been dealt with."""
    await session.execute(
        sa.update(subscriptions)
        .where(
            subscriptions.c.id == subscription_id,
            sa.or_(subscriptions.c.cursor_ingested_at.is_(None), subscriptions.c.cursor_ingested_at < to),
        )
        .values(cursor_ingested_at=to)
    )


async def advance_cursors(session: AsyncSession, subscription_ids: Sequence[int], to: datetime) -> None:
    """`advance_cursor` for many subscriptions, one UPDATE per BATCH_ROWS."""
    for chunk in _chunks(subscription_ids):
        await session.execute(
            sa.update(subscriptions)
            .where(
                subscriptions.c.id.in_(list(chunk)),
                sa.or_(subscriptions.c.cursor_ingested_at.is_(None), subscriptions.c.cursor_ingested_at < to),
            )
            .values(cursor_ingested_at=to)
        )


async def mark_seen(session: AsyncSession, meeting_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Mark meetings as already dealt with by every subscription (history from a new source's first fetch).

    Returns the number of (subscription, meeting) pairs marked; pairs already claimed are left alone.
    """
    if not meeting_ids:
        return 0
    moment = now or _now()
    ids = [int(i) for i in (await session.execute(sa.select(subscriptions.c.id))).scalars()]
    rows = [
        {"subscription_id": sid, "meeting_id": mid, "status": SEEN, "nonce": "seen", "claimed_at": moment}
        for sid in ids
        for mid in meeting_ids
    ]
    if rows:
        dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
        await session.execute(dialect.insert(posts).on_conflict_do_nothing(), rows)
    return len(rows)
