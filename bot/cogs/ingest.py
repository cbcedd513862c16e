"""/ingest: a server admin uploads one report file (text, Markdown or HTML)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render_embed
from bot.cogs.gating import require_manage_guild
from bot.ingest import ingest_bytes
from bot.respond import defer, send_pages
from digests.errors import InputRejected

if TYPE_CHECKING:
    from bot.client import NecDigestBot

log = logging.getLogger(__name__)

# Reports are a few tens of kilobytes; 2 MB leaves room for HTML pages with their markup.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ACCEPTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


class Ingest(commands.Cog):
    def __init__(self, bot: NecDigestBot) -> None:
        self.bot = bot

    @app_commands.command(name="ingest", description="Add an NEC meeting report from a file (.txt, .md, .html)")
    @app_commands.describe(file="The report file, up to 2 MB")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.check(require_manage_guild)
    async def ingest(self, interaction: discord.Interaction[Any], file: discord.Attachment) -> None:
        name = file.filename
        if not name.lower().endswith(ACCEPTED_SUFFIXES):
            raise InputRejected(f"{name} is not a report file: send .txt, .md or .html.")
        if file.size > MAX_UPLOAD_BYTES:
            raise InputRejected(
                f"{name} is {file.size // 1024} KB; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        await defer(interaction, ephemeral=True)
        data = await file.read()
        # ingest_bytes parses in a worker thread: the event loop keeps serving other members.
        outcome = await ingest_bytes(self.bot.sessions, data, name=name, url=None)
        await send_pages(interaction, render_embed.ingest_outcome(outcome), ephemeral=True)
        service = self.bot.digest_service
        if service is not None and outcome.status in ("added", "updated") and outcome.meeting_id is not None:
            # A fan-out to many channels takes a while: it runs beside the reply, not before it.
            self.bot.spawn(service.on_new_reports([outcome.meeting_id]), name=f"on-new after upload {name}")


async def setup(bot: NecDigestBot) -> None:
    await bot.add_cog(Ingest(bot))
