"""The real bot logs in to the fake Discord, syncs its commands, keeps a heartbeat, and shuts down."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import assert_within_limits, running_bot, settings_for


@pytest.fixture
async def fake() -> FakeDiscord:
    server = FakeDiscord(heartbeat_interval_ms=500)
    await server.start()
    yield server
    await server.close()


async def test_bot_identifies_over_zlib_stream_and_receives_its_guild(fake: FakeDiscord, tmp_path: Path) -> None:
    async with running_bot(settings_for(fake, tmp_path)) as bot:
        assert fake.identify_count == 1
        identify = next(p for p in fake.gateway_received if p["op"] == 2)
        assert identify["d"]["token"] == fake.token
        assert [g.id for g in bot.guilds] == [int(fake.guild.id)]
        assert bot.user is not None and bot.user.id == int(fake.app_id)
        await fake.wait_until(lambda: fake.heartbeats >= 1)
    assert fake.unknown_routes() == []
    assert_within_limits(fake)


async def test_commands_sync_globally_once_then_only_when_changed(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path)
    async with running_bot(settings) as bot:
        assert bot.synced == "global"
    puts = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1
    async with running_bot(settings) as bot:
        assert bot.synced == "unchanged"
    assert len([r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]) == 1


async def test_dev_guild_gets_the_commands_instantly(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, dev_guild_id=int(fake.guild.id))
    async with running_bot(settings) as bot:
        assert bot.synced == "guild"
    guild_puts = [r for r in fake.requests if r.method == "PUT" and f"/guilds/{fake.guild.id}/commands" in r.path]
    assert len(guild_puts) == 1
    assert not [r for r in fake.requests if r.method == "PUT" and r.path == f"/applications/{fake.app_id}/commands"]
    names = {c["name"] for c in guild_puts[0].json}
    assert {"decisions", "who", "meeting", "digest"} <= names
