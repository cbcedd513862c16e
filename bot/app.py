"""The composition root behind `necdigest run`: builds every resource once and closes them in order.

Settings -> database engine (migrated) and session factory -> HTTP session -> bot (with the digest
scheduler and feed poller as its background services). Closing runs the other way: scheduler,
cogs, client, HTTP session, engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

from bot.client import NecDigestBot, create_bot
from bot.digest_service import DigestService
from bot.poller import SourcePoller
from bot.scheduler import DigestScheduler
from bot.settings import Settings
from storage.db import create_engine, make_sessionmaker, upgrade

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message is one line for the operator."""


def point_at_discord(settings: Settings) -> None:
    """Use DISCORD_API_BASE / DISCORD_GATEWAY_URL (a ratelimit proxy or a test server) when set.

    discord.py reads both from class attributes, so they must be set before login.
    """
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def attach_services(bot: NecDigestBot) -> None:
    """Give the bot its digest service, scheduler and feed poller (started in setup_hook, stopped first)."""
    bot.digest_service = DigestService(bot, bot.sessions, bot.settings)
    bot.scheduler = DigestScheduler(bot, bot.sessions, bot.settings, bot.digest_service)
    bot.services.append(bot.scheduler)
    bot.poller = SourcePoller(bot, bot.sessions, bot.settings)
    bot.services.append(bot.poller)


@contextlib.asynccontextmanager
async def open_bot(settings: Settings, **bot_options: Any) -> AsyncIterator[NecDigestBot]:
    """Every resource the bot needs, entered in order and closed in reverse."""
    point_at_discord(settings)
    try:
        await upgrade(settings.database_url)
    except Exception as exc:
        raise StartupError(f"cannot open the database ({type(exc).__name__}); check DATABASE_URL") from exc
    engine = create_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        async with aiohttp.ClientSession() as http_session:
            bot = create_bot(settings, sessions, http_session, **bot_options)
            attach_services(bot)
            async with bot:
                yield bot
    finally:
        await engine.dispose()


def install_signal_handlers(bot: NecDigestBot) -> None:
    """discord.py installs no SIGTERM handler: close the bot on SIGINT/SIGTERM."""
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        bot.spawn(_close(bot, sig), name="shutdown")

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, on_signal, sig)


async def _close(bot: NecDigestBot, sig: signal.Signals) -> None:
    log.info("received %s; shutting down", sig.name)
    await bot.close()


async def serve(settings: Settings, **bot_options: Any) -> None:
    """Run the bot until it is closed (by a signal or a fatal gateway error)."""
    assert settings.discord_token is not None
    token = settings.discord_token.get_secret_value().strip()
    async with open_bot(settings, **bot_options) as bot:
        install_signal_handlers(bot)
        try:
            await bot.start(token)
        except discord.LoginFailure as exc:
            raise StartupError("Discord refused the token; check DISCORD_TOKEN") from exc
        except discord.PrivilegedIntentsRequired as exc:
            raise StartupError("a privileged intent is not enabled for this application") from exc
        except (aiohttp.ClientConnectionError, discord.GatewayNotFound) as exc:
            raise StartupError(f"cannot reach Discord ({type(exc).__name__})") from exc
