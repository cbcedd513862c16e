"""Member commands: /decisions, /who, /meeting, /latest, /search, /reports, /about.

Each callback parses its options, defers, calls one storage query that returns a view model, and
renders it; errors go to the tree's one error handler.
"""

from __future__ import annotations

import logging
from importlib import metadata
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import render_embed
from bot.respond import defer, send_pages
from bot.transformers import MeetingDate, YearOrRange, single_year
from storage import queries

if TYPE_CHECKING:
    from bot.client import NecDigestBot

log = logging.getLogger(__name__)


def per_member(interaction: discord.Interaction[Any]) -> tuple[int | None, int]:
    """Cooldown bucket: one per member per server."""
    return (interaction.guild_id, interaction.user.id)


def version() -> str:
    try:
        return metadata.version("necdigest")
    except metadata.PackageNotFoundError:
        return "unknown"


class Lookups(commands.Cog):
    """Read-only answers from the stored reports; public unless the member asks otherwise."""

    def __init__(self, bot: NecDigestBot) -> None:
        self.bot = bot

    async def _choices(self, fetch: Any, prefix: str) -> list[app_commands.Choice[str]]:
        """Autocomplete: one short query in its own session; nothing at all on any error."""
        try:
            async with self.bot.sessions() as session:
                found = await fetch(session, prefix, limit=25)
        except Exception:
            log.exception("autocomplete query failed for %r", prefix)
            return []
        return [app_commands.Choice(name=c.name[:100], value=c.value[:100]) for c in found[:25]]

    @app_commands.command(name="decisions", description="What the NEC decided, with the votes")
    @app_commands.rename(date_from="from", date_to="to")
    @app_commands.describe(
        year="A year (2013), a range (2012..2014) or a month (march 2022)",
        date_from="From this day (2022-03-29)",
        date_to="Up to this day (2022-12-31)",
        topic="Only decisions on this topic",
        person="Only decisions naming this person",
        query="Only decisions containing these words",
    )
    @app_commands.checks.cooldown(4, 20.0, key=per_member)
    async def decisions(
        self,
        interaction: discord.Interaction[Any],
        year: YearOrRange | None = None,
        date_from: MeetingDate | None = None,
        date_to: MeetingDate | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
        person: app_commands.Range[str, 1, 100] | None = None,
        query: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await defer(interaction)
        one_year = single_year(year) if year is not None else None
        start = date_from or (year.start if year is not None and one_year is None else None)
        end = date_to or (year.end if year is not None and one_year is None else None)
        async with self.bot.sessions() as session:
            view = await queries.decisions(
                session, year=one_year, date_from=start, date_to=end, topic=topic, person=person, query=query
            )
        await send_pages(interaction, render_embed.decisions(view))

    @app_commands.command(name="who", description="A person's roles, reports and the decisions that name them")
    @app_commands.describe(name="Start typing a name")
    async def who(self, interaction: discord.Interaction[Any], name: app_commands.Range[str, 1, 100]) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            view = await queries.person_profile(session, name)
        await send_pages(interaction, render_embed.person(view))

    @who.autocomplete("name")
    async def who_names(self, interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        return await self._choices(queries.autocomplete_people, current)

    @app_commands.command(name="meeting", description="One NEC meeting: every report of it merged")
    @app_commands.describe(date="The meeting's date; type a month or year to see the meetings in it")
    async def meeting(self, interaction: discord.Interaction[Any], date: MeetingDate) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            view = await queries.meeting(session, date)
        await send_pages(interaction, render_embed.meeting(view))

    @meeting.autocomplete("date")
    async def meeting_dates(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(queries.autocomplete_meetings, current)

    @app_commands.command(name="latest", description="The most recent NEC meetings and their reports")
    async def latest(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            view = await queries.latest(session, limit=10)
        await send_pages(interaction, render_embed.meetings(view))

    @app_commands.command(name="search", description="Search every stored report")
    @app_commands.describe(query="Words to look for, e.g. proscription")
    @app_commands.checks.cooldown(4, 20.0, key=per_member)
    async def search(self, interaction: discord.Interaction[Any], query: app_commands.Range[str, 1, 200]) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            view = await queries.search(session, query, limit=20)
        await send_pages(interaction, render_embed.search(view))

    @app_commands.command(name="reports", description="Stored reports, by author or year")
    @app_commands.describe(author="Only reports by this NEC member", year="Only reports of meetings in this year")
    async def reports(
        self,
        interaction: discord.Interaction[Any],
        author: app_commands.Range[str, 1, 100] | None = None,
        year: app_commands.Range[int, 1900, 2100] | None = None,
    ) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            view = await queries.reports(session, author=author, year=year, limit=100)
        await send_pages(interaction, render_embed.reports(view))

    @reports.autocomplete("author")
    async def report_authors(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(queries.autocomplete_people, current)

    @app_commands.command(name="about", description="What NEC Digest is, what it holds and where it reads from")
    async def about(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction)
        async with self.bot.sessions() as session:
            stats = await queries.stats(session)
        await send_pages(interaction, render_embed.about(stats, (), version()))


async def setup(bot: NecDigestBot) -> None:
    await bot.add_cog(Lookups(bot))
