"""Typed slash-command options: the same pure parsers the CLI uses, raising one-line errors.

A transformer that raises UserFacingError reaches the tree's error handler as a TransformerError
whose cause is that error, so the member sees the reason and the accepted forms.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import discord
from discord import app_commands

from digests.querydates import DateRange, parse_date_range, parse_day
from digests.schedule import Schedule, check_timezone, parse_schedule

SCHEDULE_EXAMPLES = ("on-new", "weekly mon 09:00", "daily 18:30", "monthly 1 09:00", "0 9 * * 1")
COMMON_TIMEZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
    "UTC",
)


def single_year(period: DateRange) -> int | None:
    """The year, when the period is exactly one calendar year ("2013")."""
    start: date | None = period.start
    end: date | None = period.end
    if start and end and start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return start.year
    return None


class PeriodTransformer(app_commands.Transformer[Any]):
    """A year (2013), a range (2012..2014), a month (march 2022), a day or a range of days."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> DateRange:
        return parse_date_range(str(value))


class DayTransformer(app_commands.Transformer[Any]):
    """One day: 2022-03-29, 29 March 2022, 29/03/2022."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> date:
        day: date = parse_day(str(value))
        return day


class ScheduleTransformer(app_commands.Transformer[Any]):
    """A digest schedule; validated here, stored as its normalised text."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> Schedule:
        return parse_schedule(str(value))

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str, /
    ) -> list[app_commands.Choice[str]]:
        typed = value.lower().strip()
        options = [s for s in SCHEDULE_EXAMPLES if typed in s] or list(SCHEDULE_EXAMPLES)
        if typed and typed not in options:
            options.insert(0, value.strip()[:100])
        return [app_commands.Choice(name=s, value=s) for s in options[:25]]


class TimezoneTransformer(app_commands.Transformer[Any]):
    """An IANA timezone name."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> str:
        return check_timezone(str(value))

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str, /
    ) -> list[app_commands.Choice[str]]:
        typed = value.lower().strip()
        matches = [tz for tz in COMMON_TIMEZONES if typed in tz.lower()] or list(COMMON_TIMEZONES)
        return [app_commands.Choice(name=tz, value=tz) for tz in matches[:25]]


YearOrRange = app_commands.Transform[DateRange, PeriodTransformer]
MeetingDate = app_commands.Transform[date, DayTransformer]
ScheduleOption = app_commands.Transform[Schedule, ScheduleTransformer]
TimezoneOption = app_commands.Transform[str, TimezoneTransformer]
