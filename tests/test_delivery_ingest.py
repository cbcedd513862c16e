"""Reports that arrive while the bot runs reach `on-new` channels once, whichever way they come in:
an admin's `/ingest` upload, or `necdigest ingest` run by an operator against the same database.

The real bot runs against the fake Discord; the CLI runs as a separate process.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa

from bot.client import NecDigestBot
from storage import models as m
from storage import subscriptions as subs
from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import running_bot, settings_for

pytestmark = pytest.mark.asyncio(loop_scope="module")
SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"


@dataclass
class Env:
    fake: FakeDiscord
    bot: NecDigestBot
    tmp: Path
    database_url: str


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    tmp: Path = tmp_path_factory.mktemp("ingest-delivery")
    async with FakeDiscord() as fake:
        settings = settings_for(fake, tmp, auto_subscribe_channels="", poll_interval_seconds=5)
        async with running_bot(settings) as bot:
            yield Env(fake, bot, tmp, settings.database_url)


async def subscribe(env: Env, channel_name: str) -> int:
    channel = env.fake.guild.channel(channel_name)
    async with env.bot.sessions.begin() as session:
        view = await subs.add_subscription(
            session, guild_id=int(env.fake.guild.id), channel_id=int(channel.id), schedule="on-new", created_by=1
        )
    return view.id


def digests_in(env: Env, channel_name: str) -> list[dict[str, Any]]:
    channel = env.fake.guild.channel(channel_name)
    return [msg for msg in env.fake.channel_posts(channel.id) if str(msg.get("nonce", "")).startswith("nd")]


async def posted_rows(env: Env, subscription_id: int) -> int:
    async with env.bot.sessions.begin() as session:
        query = sa.select(sa.func.count()).where(
            m.Post.subscription_id == subscription_id, m.Post.status == subs.POSTED
        )
        return int((await session.execute(query)).scalar_one())


async def recorded(env: Env, subscription_id: int, count: int, seconds: float = 20) -> None:
    """Wait until the bot has recorded `count` posts for the subscription (a second post would come before)."""
    for _ in range(int(seconds * 10)):
        if await posted_rows(env, subscription_id) >= count:
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"subscription {subscription_id} did not record {count} post(s)")


async def test_an_uploaded_report_is_posted_once_to_an_on_new_channel(env: Env) -> None:
    fake = env.fake
    sub_id = await subscribe(env, "nec-reports")
    report = (SAMPLES / "02_northshire_exec_2025_03.md").read_bytes()
    attachment = fake.add_attachment("northshire-2025-03.md", report)
    ix = await fake.invoke("ingest", {"file": attachment}, user=fake.admin)
    await ix.answer(seconds=30)

    await fake.wait_until(lambda: digests_in(env, "nec-reports"), 30)
    await recorded(env, sub_id, 1)
    [message] = digests_in(env, "nec-reports")
    assert "March 2025" in message["embeds"][0]["title"]

    # The same file again is "skipped": nothing new to post.
    again = await fake.invoke("ingest", {"file": fake.add_attachment("again.md", report)}, user=fake.admin)
    await again.answer(seconds=30)
    await asyncio.sleep(1.5)  # more than one poller tick: a repeat post would have come by now
    assert len(digests_in(env, "nec-reports")) == 1
    assert digests_in(env, "general") == [] and digests_in(env, "clp-northshire") == []


async def test_a_report_ingested_by_the_cli_reaches_on_new_channels_while_the_bot_runs(env: Env) -> None:
    sub_id = await subscribe(env, "clp-northshire")
    before = await posted_rows(env, sub_id)
    cli_env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    cli_env["DATABASE_URL"] = env.database_url
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "ingest", str(SAMPLES / "04_northshire_exec_2025_09.txt"),
        env=cli_env, cwd=env.tmp, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    assert "added" in out.decode().lower()

    await env.fake.wait_until(lambda: digests_in(env, "clp-northshire"), 30)
    await recorded(env, sub_id, before + 1)
    [message] = digests_in(env, "clp-northshire")
    assert "September 2025" in message["embeds"][0]["title"]
    await asyncio.sleep(1.5)  # another poller tick: the CLI's report is not announced twice
    assert len(digests_in(env, "clp-northshire")) == 1
