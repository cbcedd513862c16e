"""Run the real bot, built by the same composition root as `necdigest run`, against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http
from pydantic import SecretStr

from bot.app import open_bot
from bot.client import NecDigestBot
from bot.settings import Settings
from tests.fake_discord.limits import all_problems
from tests.fake_discord.server import FakeDiscord


def settings_for(fake: FakeDiscord, tmp: Path, **overrides: Any) -> Settings:
    """Settings pointing the bot at the fake server and a fresh SQLite file."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(fake.token),
        "database_url": f"sqlite+aiosqlite:///{tmp / 'necdigest.sqlite3'}",
        "discord_api_base": fake.api_base,
        "discord_gateway_url": fake.gateway_url,
        "health_file": tmp / "heartbeat",
        "allow_private_urls": True,
        "dev_guild_id": None,
        "shard_count": None,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@contextlib.contextmanager
def discord_endpoints_restored() -> Any:
    """The composition root points discord.py's class attributes at the fake; put them back after."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, **bot_options: Any) -> AsyncIterator[NecDigestBot]:
    """The bot logged in and ready; closed (as on SIGTERM) on exit."""
    assert settings.discord_token is not None
    with discord_endpoints_restored():
        async with open_bot(settings, **bot_options) as bot:
            runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
            try:
                async with asyncio.timeout(20):
                    waiter = asyncio.create_task(bot.wait_until_ready())
                    done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
                    if runner in done:
                        waiter.cancel()
                        runner.result()  # re-raise the start-up failure
                yield bot
            finally:
                await bot.close()
                await runner


def assert_within_limits(fake: FakeDiscord) -> None:
    """Every payload the bot sent respects Discord's documented limits."""
    problems = all_problems(fake.sent_payloads())
    assert not problems, "\n".join(problems)
