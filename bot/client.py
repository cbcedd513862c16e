"""The Discord client: cogs, command sync, background services and the heartbeat file."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, Protocol

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import health
from bot.pacing import GlobalPacer
from bot.paginator import DEFAULT_TIMEOUT
from bot.settings import Settings
from bot.tree import NecDigestTree, command_name, elapsed_ms

log = logging.getLogger(__name__)

# Loaded in this order; a cog that fails to load is logged by name and the others still load.
COGS: tuple[str, ...] = (
    "bot.cogs.lookups",
    "bot.cogs.digest_admin",
    "bot.cogs.sources",
    "bot.cogs.ingest",
    "bot.cogs.autosubscribe",
)
HEALTH_INTERVAL_SECONDS = 20.0
COMMAND_HASH_FILE = "command-tree.sha256"


class BackgroundService(Protocol):
    """Something that runs beside the gateway (scheduler, feed poller) and stops before the client."""

    async def start(self) -> None: ...

    async def shutdown(self) -> None: ...


def tree_hash(payload: list[dict[str, Any]]) -> str:
    """A stable hash of the serialised command tree: unchanged commands are not synced again."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class NecDigestBot(commands.Bot):
    """NEC Digest's bot. Resources (settings, database sessions, HTTP session) come from the composition root."""

    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        http_session: aiohttp.ClientSession,
        *,
        cogs: Sequence[str] = COGS,
        view_timeout: float = DEFAULT_TIMEOUT,
        pacer: GlobalPacer | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = False
        # Every REST request of this client takes a slot of the global limit (bot/pacing.py).
        self.pacer = pacer or GlobalPacer(settings.global_requests_per_second)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=NecDigestTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            http_trace=self.pacer.trace_config(),
            **options,
        )
        self.settings = settings
        self.sessions = sessions
        self.http_session = http_session
        self.cog_modules = tuple(cogs)
        self.view_timeout = view_timeout
        self.services: list[BackgroundService] = []
        self.digest_service: Any = None  # the DigestService, when the scheduling package is installed
        self.scheduler: Any = None  # the DigestScheduler, likewise
        self.poller: Any = None  # the SourcePoller, likewise
        self.failed_cogs: list[str] = []
        self.synced: str | None = None  # "guild", "global" or "unchanged"
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False

    # -- tasks ----------------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Start a background task that is kept referenced, logged if it fails, and cancelled on close."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    # -- start-up -------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        for module in self.cog_modules:
            try:
                await self.load_extension(module)
            except commands.ExtensionError:
                self.failed_cogs.append(module)
                log.exception("cog %s failed to load; its commands are unavailable", module)
        for service in self.services:
            await service.start()
        await self.sync_commands()
        self.spawn(self._heartbeat_file(), name="health-file")

    async def sync_commands(self) -> None:
        """To DEV_GUILD_ID at once while developing; globally only when the command tree changed."""
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            self.synced = "guild"
            log.info("synced %d commands to guild %s", len(synced), self.settings.dev_guild_id)
            return
        payload = [command.to_dict(self.tree) for command in self.tree.get_commands()]
        digest = tree_hash(payload)
        hash_file = self.data_dir / COMMAND_HASH_FILE
        previous = await asyncio.to_thread(_read_text, hash_file)
        if previous == digest:
            self.synced = "unchanged"
            log.info("command tree unchanged since the last sync; not syncing")
            return
        synced = await self.tree.sync()
        await asyncio.to_thread(_write_text, hash_file, digest)
        self.synced = "global"
        log.info("synced %d commands globally", len(synced))

    @property
    def data_dir(self) -> Path:
        """Where small state files live: beside the heartbeat file (./data by default)."""
        return self.settings.health_file.parent

    async def on_ready(self) -> None:
        # Fires again after reconnects: log only, never set-up work (that is setup_hook's job).
        log.info("connected as %s to %d guilds", self.user, len(self.guilds))

    async def on_app_command_completion(
        self, interaction: discord.Interaction[Any], command: app_commands.Command[Any, ..., Any]
    ) -> None:
        log.info(
            "command /%s guild=%s duration_ms=%.1f",
            command_name(interaction),
            interaction.guild_id,
            elapsed_ms(interaction),
        )

    async def _heartbeat_file(self) -> None:
        """Touch the health file while the gateway answers heartbeats (`necdigest health` reads its age)."""
        await self.wait_until_ready()
        path = self.settings.health_file
        while not self.is_closed():
            if math.isfinite(self.latency):
                await asyncio.to_thread(health.touch, path)
            await asyncio.sleep(HEALTH_INTERVAL_SECONDS)

    # -- shutdown -------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop background services first, then the cogs, then the gateway and HTTP client."""
        if self._closing:
            return await super().close()
        self._closing = True
        for service in reversed(self.services):
            try:
                await service.shutdown()
            except Exception:
                log.exception("background service %r failed to stop cleanly", service)
        for module in list(self.extensions):
            try:
                await self.unload_extension(module)
            except commands.ExtensionError:
                log.exception("cog %s failed to unload", module)
        others = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        if others:
            await asyncio.gather(*others, return_exceptions=True)
        await super().close()


class ShardedNecDigestBot(NecDigestBot, commands.AutoShardedBot):
    """The same bot over several shards (SHARD_COUNT / SHARD_IDS)."""


def create_bot(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    http_session: aiohttp.ClientSession,
    **options: Any,
) -> NecDigestBot:
    """NecDigestBot, or its sharded twin when SHARD_COUNT is set."""
    if settings.shard_count:
        shard_ids = [int(x) for x in settings.shard_ids.split(",") if x.strip()] if settings.shard_ids else None
        return ShardedNecDigestBot(
            settings, sessions, http_session, shard_count=settings.shard_count, shard_ids=shard_ids, **options
        )
    return NecDigestBot(settings, sessions, http_session, **options)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
