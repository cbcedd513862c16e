"""Killed mid fan-out: the real `necdigest run` is SIGKILLed while posting a digest to 50 channels,
restarted, and every channel ends up with the digest exactly once.

The fake Discord runs in this process and outlives both bot processes, so the messages posted
before the kill are still there after it. It stores channel messages one at a time, slowly, so
the kill lands with some channels posted, some posts in flight (a request Discord may already
have taken) and some only claimed. The trigger is the bot's own path: a new item in a feed the
bot watches (served on 127.0.0.1), fetched by its poller, which fans out to `on-new` subscriptions.
"""

from __future__ import annotations

import asyncio
import html
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
import sqlalchemy as sa
from aiohttp import web

from storage import models as m
from storage import sources
from storage import subscriptions as subs
from storage.db import create_engine, make_sessionmaker, upgrade
from tests.fake_discord import FakeDiscord

CHANNELS = 50
# Per message, one at a time: 50 messages take about 7 s, so the kill lands mid fan-out.
MESSAGE_DELAY_SECONDS = 0.15
KILL_AFTER_CHANNELS = 8
SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "samples" / "01_northshire_exec_2025_01.txt"


@dataclass
class Feed:
    """An RSS feed (with an ETag) holding one invented report, and the report's page."""

    base: str = ""
    requests: int = 0

    async def feed(self, request: web.Request) -> web.Response:
        self.requests += 1
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        link = f"{self.base}/post/1"
        item = f"<item><title>Northshire report</title><link>{link}</link><guid>{link}</guid></item>"
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Invented blog</title>{item}</channel></rss>'
        return web.Response(text=body, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    async def post(self, request: web.Request) -> web.Response:
        text = SAMPLE.read_text(encoding="utf-8")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        return web.Response(text=f"<html><body><article>{paragraphs}</article></body></html>", content_type="text/html")


@pytest.fixture
async def feed() -> AsyncIterator[Feed]:
    served = Feed()
    app = web.Application()
    app.router.add_get("/feed.xml", served.feed)
    app.router.add_get("/post/{n}", served.post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    served.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield served
    await runner.cleanup()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(extra_channels=CHANNELS)
    await server.start()
    yield server
    await server.close()


async def prepare_database(url: str, guild_id: int, channel_ids: list[str], feed_url: str) -> None:
    """Migrate, subscribe the 50 channels `on-new`, and follow the feed with backfill (so its item is posted)."""
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            for channel_id in channel_ids:
                await subs.add_subscription(
                    session, guild_id=guild_id, channel_id=int(channel_id), schedule="on-new", created_by=1
                )
            await sources.add_source(session, feed_url, kind="feed", backfill=True, added_by="test", guild_id=guild_id)
    finally:
        await engine.dispose()


async def posts_recorded(url: str) -> int:
    """How many (subscription, meeting) posts the bot has recorded as posted."""
    engine = create_engine(url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            query = sa.select(sa.func.count()).select_from(m.Post).where(m.Post.status == subs.POSTED)
            return int((await session.execute(query)).scalar_one())
    finally:
        await engine.dispose()


def bot_env(fake: FakeDiscord, tmp: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        DATABASE_URL=database_url,
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        HEALTH_FILE=str(tmp / "heartbeat"),
        ALLOW_PRIVATE_URLS="true",
        POLL_INTERVAL_SECONDS="5",
        AUTO_SUBSCRIBE_CHANNELS="",
        LOG_LEVEL="INFO",
    )
    return env


async def start_bot(env: dict[str, str], cwd: Path, log: IO[bytes]) -> asyncio.subprocess.Process:
    # The log goes to a file: a pipe nobody reads would fill up and stall the bot.
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd, stdout=log, stderr=log
    )  # fmt: skip


def digest_posts(fake: FakeDiscord, channel_id: str) -> list[dict[str, Any]]:
    """The digest messages in a channel (every digest message carries an `nd...` nonce)."""
    return [msg for msg in fake.channel_posts(channel_id) if str(msg.get("nonce", "")).startswith("nd")]


def channels_with_digest(fake: FakeDiscord, channel_ids: list[str]) -> int:
    return sum(1 for c in channel_ids if digest_posts(fake, c))


async def test_sigkill_mid_fan_out_then_restart_posts_each_channel_exactly_once(
    fake: FakeDiscord, feed: Feed, tmp_path: Path
) -> None:
    channel_ids = [c.id for c in fake.guild.channels if c.name.startswith("branch-")]
    assert len(channel_ids) == CHANNELS
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    await prepare_database(database_url, int(fake.guild.id), channel_ids, f"{feed.base}/feed.xml")
    env = bot_env(fake, tmp_path, database_url)
    fake.message_delay = MESSAGE_DELAY_SECONDS

    with (tmp_path / "bot-1.log").open("wb") as log1:
        first = await start_bot(env, tmp_path, log1)
        try:
            await fake.wait_until(lambda: channels_with_digest(fake, channel_ids) >= KILL_AFTER_CHANNELS, 45)
        finally:
            first.kill()  # SIGKILL: no shutdown, no chance to record what is in flight
            await asyncio.wait_for(first.wait(), 10)
    at_kill = channels_with_digest(fake, channel_ids)
    assert at_kill < CHANNELS, "the kill should land in the middle of the fan-out"
    # The dead bot's gateway connection is gone before the second one logs in.
    await fake.wait_until(lambda: not fake._sessions, 10)

    with (tmp_path / "bot-2.log").open("wb") as log2:
        second = await start_bot(env, tmp_path, log2)
        try:
            await fake.wait_until(lambda: channels_with_digest(fake, channel_ids) == CHANNELS, 45)
            # Wait until the bot has recorded every post: a double post would come before that.
            for _ in range(150):  # up to 30 s
                if await posts_recorded(database_url) >= CHANNELS:
                    break
                await asyncio.sleep(0.2)
            else:
                pytest.fail("the restarted bot did not record all 50 posts")
        finally:
            second.terminate()
            await asyncio.wait_for(second.wait(), 30)
    restart_log = (tmp_path / "bot-2.log").read_text(errors="replace")
    assert "recovering" in restart_log or "catching up" in restart_log, restart_log[-3000:]

    for channel_id in channel_ids:
        posts = digest_posts(fake, channel_id)
        nonces = Counter(str(msg["nonce"]) for msg in posts)
        assert nonces, f"channel {channel_id} never got the digest"
        assert max(nonces.values()) == 1, f"channel {channel_id} got a message twice: {nonces}"
        bases = {nonce.rsplit("p", 1)[0] for nonce in nonces}
        assert len(bases) == 1, f"channel {channel_id} got more than one digest: {nonces}"
        assert any(nonce.endswith("p0") for nonce in nonces)
    # Every channel got the same digest (the one new meeting), and nothing else was posted in them.
    assert all(len(fake.channel_posts(c)) == len(digest_posts(fake, c)) for c in channel_ids)
