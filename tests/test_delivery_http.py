"""Delivery through discord.py's real HTTP client against a local fake of Discord's REST API.

Shows what a channel sees: a 429 with retry_after is waited out (the retry comes after it, and
the message is posted once); a 403 channel is paused and its admins told once, while the other
channels still get their digest; a repeated nonce with enforce_nonce is not a second message.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import discord.http
import pytest

from bot.digest_service import DigestService, DiscordPoster
from bot.pacing import GlobalPacer
from storage import subscriptions as subs
from tests.delivery_support import add_meeting, settings, simple_meeting_view
from tests.ratelimited_rest import RateLimitedRest, RestOnlyBot
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)
GUILD = 77


class AdminInbox(DiscordPoster):
    """The real poster, with admin notices collected (the fake REST has no guilds to DM)."""

    def __init__(self, bot: Any) -> None:
        super().__init__(bot)
        self.notices: list[str] = []

    async def notify_admins(self, guild_id: int, text: str, *, avoid_channel_id: int | None = None) -> bool:
        self.notices.append(text)
        return True


@pytest.fixture
async def rest(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[RateLimitedRest, discord.http.HTTPClient]]:
    fake = RateLimitedRest()
    monkeypatch.setattr(discord.http.Route, "BASE", await fake.start())
    http = discord.http.HTTPClient(asyncio.get_running_loop(), http_trace=GlobalPacer().trace_config())
    await http.static_login("test-token")
    yield fake, http
    await http.close()
    await fake.stop()


async def setup(db: Database, channels: list[int]) -> list[int]:
    ids = []
    async with db.sessions.begin() as session:
        for channel in channels:
            view = await subs.add_subscription(
                session, guild_id=GUILD, channel_id=channel, schedule="on-new", created_by=1
            )
            ids.append(view.id)
    return ids


async def test_a_429_is_waited_out_and_the_message_posted_once(
    db: Database, rest: tuple[RateLimitedRest, discord.http.HTTPClient]
) -> None:
    fake, http = rest
    await setup(db, [501, 502])
    async with db.sessions.begin() as session:
        await add_meeting(session, __import__("datetime").date(2031, 2, 3))
    fake.once_429[501] = 0.4
    poster = AdminInbox(RestOnlyBot(http))
    service = DigestService(RestOnlyBot(http), db.sessions, settings(), poster=poster, load_meeting=simple_meeting_view)  # type: ignore[arg-type]
    assert await service.on_new_reports([1]) == 2
    assert fake.count(501) == 1 and fake.count(502) == 1
    first, retry = fake.attempts[501]
    assert retry - first >= 0.4, "the retry came after retry_after"
    assert fake.scripted_429s == 1 and fake.global_429s == 0 and fake.bucket_429s == 0


async def test_a_403_channel_is_paused_and_admins_told_once_while_others_get_the_digest(
    db: Database, rest: tuple[RateLimitedRest, discord.http.HTTPClient]
) -> None:
    from datetime import date

    fake, http = rest
    channels = [601, 602, 603, 604]
    ids = await setup(db, channels)
    fake.forbidden.add(602)
    async with db.sessions.begin() as session:
        await add_meeting(session, date(2031, 2, 3))
    poster = AdminInbox(RestOnlyBot(http))
    service = DigestService(RestOnlyBot(http), db.sessions, settings(), poster=poster, load_meeting=simple_meeting_view)  # type: ignore[arg-type]
    assert await service.on_new_reports([1]) == 3
    assert [fake.count(c) for c in channels] == [1, 0, 1, 1]
    async with db.sessions.begin() as session:
        paused = await subs.get_subscription(session, ids[1])
    assert paused.state == "paused" and "403" in (paused.paused_reason or "")
    assert len(poster.notices) == 1 and f"/digest resume {ids[1]}" in poster.notices[0]
    async with db.sessions.begin() as session:
        await add_meeting(session, date(2031, 3, 3))
    assert await service.on_new_reports([2]) == 3
    assert len(poster.notices) == 1, "told once"
    assert [fake.count(c) for c in channels] == [2, 0, 2, 2]


async def test_reposting_with_the_same_nonce_is_not_a_second_message(
    rest: tuple[RateLimitedRest, discord.http.HTTPClient],
) -> None:
    fake, http = rest
    poster = DiscordPoster(RestOnlyBot(http))
    embed = discord.Embed(title="NEC meeting — 3 February 2031", description="x")
    first = await poster.send(700, [embed], "ndabc123p0")
    again = await poster.send(700, [embed], "ndabc123p0")
    assert first == again and fake.count(700) == 1
    assert await poster.find_by_nonce(700, ["ndabc123p0", "ndother"]) == {"ndabc123p0": first}
