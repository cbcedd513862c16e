"""Feed watching on a local HTTP server: conditional GET, first fetch seen not posted, on-new within one interval."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.digest_service import DigestService
from bot.poller import SourcePoller
from bot.settings import Settings
from storage import models as m
from storage import sources
from storage import subscriptions as subs
from tests.delivery_support import FakeGuilds, RecordingPoster, simple_meeting_view
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)
SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"
GUILD = 9


@dataclass
class FeedServer:
    """An RSS feed with an ETag, and a page per item; counts what it is asked."""

    items: list[str] = field(default_factory=list)
    feed_requests: int = 0
    not_modified: int = 0
    base: str = ""

    @property
    def etag(self) -> str:
        return f'"v{len(self.items)}"'

    async def feed(self, request: web.Request) -> web.Response:
        self.feed_requests += 1
        if request.headers.get("If-None-Match") == self.etag:
            self.not_modified += 1
            return web.Response(status=304, headers={"ETag": self.etag})
        entries = "".join(
            f"<item><title>Report {i}</title><link>{self.base}/post/{i}</link><guid>{self.base}/post/{i}</guid>"
            f"<description>Short teaser {i}</description></item>"
            for i in range(len(self.items))
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Invented blog</title>{entries}</channel></rss>'
        return web.Response(text=body, content_type="application/rss+xml", headers={"ETag": self.etag})

    async def post(self, request: web.Request) -> web.Response:
        text = self.items[int(request.match_info["n"])]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        return web.Response(text=f"<html><body><article>{paragraphs}</article></body></html>", content_type="text/html")


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer(items=[(SAMPLES / "01_northshire_exec_2025_01.txt").read_text()])
    app = web.Application()
    app.router.add_get("/feed.xml", server.feed)
    app.router.add_get("/post/{n}", server.post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield server
    await runner.cleanup()


class Clock:
    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


async def test_a_new_feed_item_reaches_on_new_channels_within_one_poll_interval(
    db: Database, feed_server: FeedServer
) -> None:
    settings = Settings(discord_token=None, allow_private_urls=True, poll_interval_seconds=300)
    clock = Clock()
    poster = RecordingPoster()
    bot: Any = FakeGuilds({GUILD})
    service = DigestService(bot, db.sessions, settings, poster=poster, load_meeting=simple_meeting_view)
    poller = SourcePoller(None, db.sessions, settings, service, now=clock)
    async with db.sessions.begin() as session:
        await subs.add_subscription(session, guild_id=GUILD, channel_id=300, schedule="on-new", created_by=1)
        source = await sources.add_source(
            session, f"{feed_server.base}/feed.xml", kind="feed", backfill=False, added_by="test", guild_id=GUILD
        )

    # First fetch: the item already in the feed is stored but not posted.
    assert await poller.poll_due() == 1
    assert poster.count(300) == 0

    # Next poll, nothing changed: one request, answered 304.
    clock.moment += timedelta(seconds=300)
    assert await poller.poll_due() == 0
    assert (feed_server.feed_requests, feed_server.not_modified) == (2, 1)

    # A new item appears; the next poll comes within one interval and posts it once.
    feed_server.items.append((SAMPLES / "04_northshire_exec_2025_09.txt").read_text())
    appeared = clock.moment
    async with db.sessions.begin() as session:
        stored = await session.get(m.Source, source.id)
        assert stored is not None and stored.next_check_at is not None
        next_check = stored.next_check_at
    assert next_check - appeared <= timedelta(seconds=300)
    clock.moment = next_check
    assert await poller.poll_due() == 1
    assert poster.count(300) == 1
    assert "16 September 2025" in str(poster.messages[300][0]["embeds"][0]["title"])

    # Polling again changes nothing: no second post.
    clock.moment += timedelta(seconds=300)
    await poller.poll_due()
    assert poster.count(300) == 1


async def test_a_failing_source_backs_off_and_records_the_error(db: Database) -> None:
    settings = Settings(discord_token=None, allow_private_urls=True, poll_interval_seconds=300)
    clock = Clock()
    poller = SourcePoller(None, db.sessions, settings, None, now=clock)
    async with db.sessions.begin() as session:
        source = await sources.add_source(
            session, "http://127.0.0.1:9/nothing.xml", kind="feed", backfill=False, added_by="t", guild_id=GUILD
        )
    summary = await poller.check_now(source.id)
    assert summary.startswith("fetch failed")
    async with db.sessions.begin() as session:
        [view] = await sources.list_sources(session)
    assert view.last_error and view.last_success is None


async def test_private_addresses_are_refused_unless_allowed(db: Database) -> None:
    settings = Settings(discord_token=None, allow_private_urls=False)
    poller = SourcePoller(None, db.sessions, settings, None)
    async with db.sessions.begin() as session:
        source = await sources.add_source(
            session, "http://127.0.0.1:9/feed.xml", kind="feed", backfill=False, added_by="t", guild_id=GUILD
        )
    summary = await poller.check_now(source.id)
    assert "fetch failed" in summary and ("private" in summary.lower() or "public" in summary.lower())
