"""/source: server admins choose the feeds and pages the bot follows (replies ephemeral)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render_embed
from bot.cogs.gating import AdminGroup
from bot.respond import defer, send_pages, send_text
from digests.errors import NotFound, UserFacingError
from digests.views import SourceView
from storage.sources import add_source, list_sources, remove_source

if TYPE_CHECKING:
    from bot.client import NecDigestBot

log = logging.getLogger(__name__)


class Sources(commands.Cog):
    """Followed sources: RSS/Atom feeds and web pages of NEC members' reports."""

    source = AdminGroup(name="source", description="Feeds and pages of NEC reports the bot follows")

    def __init__(self, bot: NecDigestBot) -> None:
        self.bot = bot

    async def _find(self, source_id: int) -> SourceView:
        async with self.bot.sessions.begin() as session:
            known: list[SourceView] = await list_sources(session)
        for item in known:
            if item.id == source_id:
                return item
        raise NotFound(f"No source #{source_id}.", [f"#{s.id} {s.url}" for s in known[:5]])

    @source.command(name="add", description="Follow a feed or page of NEC reports")
    @app_commands.describe(
        url="The feed (RSS/Atom) or page address, starting with https://",
        backfill="Also ingest what it holds now (default: only what is new from now on)",
    )
    async def add(
        self,
        interaction: discord.Interaction[Any],
        url: app_commands.Range[str, 8, 2000],
        backfill: bool = False,
    ) -> None:
        await defer(interaction, ephemeral=True)
        async with self.bot.sessions.begin() as session:
            added = await add_source(
                session,
                url.strip(),
                kind="auto",
                backfill=backfill,
                added_by=str(interaction.user.id),
                guild_id=interaction.guild_id,
            )
        note = (
            " Existing reports will be ingested too."
            if backfill
            else " Only reports published from now on will be posted."
        )
        await send_text(interaction, f"Following source #{added.id}: {added.url} ({added.kind}).{note}")

    @source.command(name="list", description="Followed sources and when they were last fetched")
    async def list_(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        async with self.bot.sessions.begin() as session:
            items = await list_sources(session)
        await send_pages(interaction, render_embed.source_list(items), ephemeral=True)

    @source.command(name="remove", description="Stop following a source")
    @app_commands.describe(source="The source's number (see /source list)")
    async def remove(self, interaction: discord.Interaction[Any], source: int) -> None:
        await defer(interaction, ephemeral=True)
        found = await self._find(source)
        async with self.bot.sessions.begin() as session:
            await remove_source(session, found.id)
        await send_text(interaction, f"No longer following #{found.id}: {found.url}.")

    @source.command(name="check", description="Fetch a source now instead of waiting for the next poll")
    @app_commands.describe(source="The source's number (see /source list)")
    async def check(self, interaction: discord.Interaction[Any], source: int) -> None:
        await defer(interaction, ephemeral=True)
        found = await self._find(source)
        if self.bot.poller is None:
            raise UserFacingError("Feed polling is not available on this deployment.")
        result = await self.bot.poller.check_now(found.id)
        await send_text(
            interaction, f"Checked #{found.id}: {result}" if result is not None else f"Checked #{found.id}."
        )

    @remove.autocomplete("source")
    @check.autocomplete("source")
    async def source_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[int]]:
        try:
            async with self.bot.sessions() as session:
                items = await list_sources(session)
        except Exception:
            log.exception("source autocomplete failed")
            return []
        typed = current.strip().lstrip("#").lower()
        return [
            app_commands.Choice(name=f"#{s.id} {s.url}"[:100], value=s.id)
            for s in items
            if typed in str(s.id) or typed in s.url.lower()
        ][:25]


async def setup(bot: NecDigestBot) -> None:
    await bot.add_cog(Sources(bot))
