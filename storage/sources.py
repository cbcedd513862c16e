"""Followed feeds and pages: add, list, remove, and the poller's fetch bookkeeping with back-off."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.errors import NotFound, UserFacingError
from digests.views import SourceView
from storage import models as m

MAX_BACKOFF = timedelta(hours=24)
BASE_BACKOFF = timedelta(minutes=5)
PAUSE_AFTER_ERRORS = 20


def _view(source: m.Source) -> SourceView:
    return SourceView(source.id, source.url, source.kind, source.last_success, source.last_error, source.paused)


SOURCE_KINDS = frozenset({"feed", "page", "auto"})


async def add_source(
    session: AsyncSession, url: str, *, kind: str, backfill: bool, added_by: str | None, guild_id: int | None
) -> SourceView:
    """Follow a feed or page ("auto": told apart on each fetch); the same URL twice is refused."""
    if kind not in SOURCE_KINDS:
        raise UserFacingError("A source is a feed, a page, or auto (detected when fetched).")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UserFacingError("A source is a web address starting with https:// (or http://).")
    if await session.scalar(select(m.Source.id).where(m.Source.url == url)) is not None:
        raise UserFacingError(f"{url[:200]} is already followed.")
    source = m.Source(url=url, kind=kind, backfill=backfill, added_by=added_by, guild_id=guild_id, error_count=0)
    session.add(source)
    await session.flush()
    return _view(source)


async def list_sources(session: AsyncSession) -> list[SourceView]:
    """Every followed source, oldest first."""
    return [_view(s) for s in (await session.scalars(select(m.Source).order_by(m.Source.id))).all()]


async def remove_source(session: AsyncSession, source_id: int) -> None:
    """Stop following a source (its reports stay); NotFound when there is no such id."""
    source = await session.get(m.Source, source_id)
    if source is None:
        raise NotFound(f"No source with id {source_id}.")
    await session.delete(source)


async def due_sources(session: AsyncSession, now: datetime) -> list[m.Source]:
    """Sources not paused whose next check is due (or never checked)."""
    stmt = (
        select(m.Source)
        .where(m.Source.paused.is_(False), or_(m.Source.next_check_at.is_(None), m.Source.next_check_at <= now))
        .order_by(m.Source.next_check_at, m.Source.id)
    )
    return list((await session.scalars(stmt)).all())


async def record_fetch_success(
    session: AsyncSession,
    source_id: int,
    *,
    now: datetime,
    interval: timedelta,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """A fetch worked (200 or 304): keep the validators, clear the error count, check again in `interval`."""
    source = await session.get(m.Source, source_id)
    if source is None:
        return
    source.etag = etag or source.etag
    source.last_modified = last_modified or source.last_modified
    source.last_checked = source.last_success = now
    source.last_error = None
    source.error_count = 0
    source.next_check_at = now + interval


async def record_fetch_error(session: AsyncSession, source_id: int, *, now: datetime, reason: str) -> SourceView | None:
    """A fetch failed: back off exponentially (5 min doubling, at most a day); pause after many failures."""
    source = await session.get(m.Source, source_id)
    if source is None:
        return None
    source.error_count = (source.error_count or 0) + 1
    source.last_checked = now
    source.last_error = reason[:500]
    delay = min(BASE_BACKOFF * (2 ** min(source.error_count - 1, 16)), MAX_BACKOFF)
    source.next_check_at = now + delay
    if source.error_count >= PAUSE_AFTER_ERRORS:
        source.paused = True
    return _view(source)
