"""Helpers for delivery tests: invented meetings in a real database, and a recording poster.

The poster behaves like Discord's message endpoint where it matters here: a repeated nonce with
enforce_nonce returns the first message instead of posting again, and a channel can answer 403/404.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import discord
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from digests.digest import key_points
from digests.views import MeetingView, ReportRef
from storage import models as m
from storage.ingest import store_report
from tests.storage_support import invented_report

_unique = itertools.count(1)


async def add_meeting(session: AsyncSession, day: date, *, ingested_at: datetime | None = None) -> int:
    """Store one invented report of a meeting on `day`; returns the meeting id."""
    n = next(_unique)
    parsed = invented_report(title=f"Northshire Executive report {n}", meeting_date=day, extra=f"Item {n} noted.")
    outcome = await store_report(session, parsed, url=f"https://example.org/northshire/{n}")
    assert outcome.status == "added", outcome
    report_id = await session.scalar(sa.select(sa.func.max(m.Report.id)))
    if ingested_at is not None:
        await session.execute(sa.update(m.Report).where(m.Report.id == report_id).values(ingested_at=ingested_at))
    meeting_id = await session.scalar(sa.select(m.Report.meeting_id).where(m.Report.id == report_id))
    assert meeting_id is not None
    return int(meeting_id)


async def simple_meeting_view(session: AsyncSession, meeting_id: int) -> MeetingView:
    """A plain MeetingView straight from the tables (the digest content itself is tested elsewhere)."""
    meeting = await session.get(m.Meeting, meeting_id)
    assert meeting is not None
    reports = (await session.scalars(sa.select(m.Report).where(m.Report.meeting_id == meeting_id))).all()
    refs = tuple(ReportRef(r.title, r.url, tuple(r.authors), r.published, meeting.meeting_date) for r in reports)
    sections = (
        await session.scalars(
            sa.select(m.Section).where(m.Section.report_id.in_([r.id for r in reports])).order_by(m.Section.id)
        )
    ).all()
    points = tuple(key_points(s.heading or "Report", s.text) for s in sections)
    return MeetingView(
        meeting_date=meeting.meeting_date, body=meeting.body, reports=refs, decisions=(), key_points=points
    )


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way up handles it."""


def http_error(kind: type[discord.HTTPException], status: int) -> discord.HTTPException:
    response: Any = SimpleNamespace(status=status, reason="refused")
    return kind(response, {"code": 50001 if status == 403 else 10003, "message": "refused"})


@dataclass
class RecordingPoster:
    """Messages per channel, nonce dedupe like Discord's enforce_nonce, and scripted failures."""

    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    refuse: dict[int, int] = field(default_factory=dict)  # channel -> 403 or 404
    hold: dict[int, asyncio.Event] = field(default_factory=dict)  # channel -> released when set
    kill_after_send: set[int] = field(default_factory=set)
    notices: list[tuple[int, str]] = field(default_factory=list)
    sends: int = 0
    on_send: Callable[[], object] | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1000))

    async def send(self, channel_id: int, embeds: Sequence[discord.Embed], nonce: str) -> int:
        if channel_id in self.hold:
            await self.hold[channel_id].wait()
        if channel_id in self.refuse:
            status = self.refuse[channel_id]
            raise http_error(discord.Forbidden if status == 403 else discord.NotFound, status)
        channel = self.messages.setdefault(channel_id, [])
        for message in channel:
            if message["nonce"] == nonce:
                return int(message["id"])
        self.sends += 1
        message = {"id": next(self._ids), "nonce": nonce, "embeds": [e.to_dict() for e in embeds]}
        channel.append(message)
        if self.on_send is not None:
            self.on_send()
        if channel_id in self.kill_after_send:
            self.kill_after_send.discard(channel_id)
            raise Killed
        return int(message["id"])

    async def find_by_nonce(self, channel_id: int, nonces: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for message in self.messages.get(channel_id, []):
            footer = " ".join(e.get("footer", {}).get("text", "") for e in message["embeds"])
            for nonce in nonces:
                if f"ref {nonce}" in footer:
                    found[nonce] = int(message["id"])
        return found

    async def notify_admins(self, guild_id: int, text: str, *, avoid_channel_id: int | None = None) -> bool:
        self.notices.append((guild_id, text))
        return True

    def count(self, channel_id: int) -> int:
        return len(self.messages.get(channel_id, []))


class FakeGuilds:
    """The part of the bot the service asks: which guilds are on this process's shards."""

    def __init__(self, guild_ids: set[int]) -> None:
        self.guild_ids = guild_ids

    def get_guild(self, guild_id: int) -> object | None:
        return object() if guild_id in self.guild_ids else None


def settings() -> Settings:
    return Settings(discord_token=None, allow_private_urls=True)


def utcnow() -> datetime:
    return datetime.now(UTC)
