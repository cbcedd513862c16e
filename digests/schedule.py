"""Digest schedules: parse what an admin types, say when it fires next, DST-correct.

Accepted forms (one line, also shown to the user when a form is wrong):
`weekly mon 09:00`, `daily 18:30`, `monthly 1 09:00`, a 5-field cron expression (`0 9 * * mon`),
or `on-new` (post as soon as a new meeting report is ingested).

Times are wall-clock times in the schedule's IANA timezone (default Europe/London). APScheduler's
CronTrigger does the calendar arithmetic; `OncePerWallTimeCronTrigger` adds one rule it lacks: when
clocks go back, a wall time that occurs twice (01:30 on the last Sunday of October in London) fires
once, not twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from digests.errors import UserFacingError

DEFAULT_TIMEZONE = "Europe/London"
ON_NEW = "on-new"
ACCEPTED_FORMS = (
    "Schedules look like `weekly mon 09:00`, `daily 18:30`, `monthly 1 09:00`, "
    "a cron expression such as `0 9 * * mon`, or `on-new`."
)

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_DAY_ALIASES = {name.lower(): short for short, name in _DAY_NAMES.items()} | {
    "tues": "tue",
    "weds": "wed",
    "thur": "thu",
    "thurs": "thu",
}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
# Searching backwards for the previous fire time: widen the window until one is found. The last
# step covers yearly crons such as `0 9 29 2 *` (every 29 February).
_LOOKBACK_WINDOWS = (
    timedelta(hours=2),
    timedelta(days=2),
    timedelta(days=40),
    timedelta(days=400),
    timedelta(days=4 * 366 + 1),
)


class OncePerWallTimeCronTrigger(CronTrigger):  # type: ignore[misc]
    """A CronTrigger that fires once per wall-clock time when clocks go back.

    CronTrigger yields both 01:30 BST and 01:30 GMT on the night clocks go back; the second is a
    repeat of a local time that has already fired, so it is skipped.
    """

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        candidate: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        while candidate is not None and _is_repeated_wall_time(candidate):
            # Arithmetic in UTC: wall-clock arithmetic drops `fold` and would step backwards.
            probe = (candidate.astimezone(UTC) + timedelta(seconds=1)).astimezone(candidate.tzinfo)
            candidate = super().get_next_fire_time(candidate, probe)
        return candidate


def _is_repeated_wall_time(moment: datetime) -> bool:
    """True for the second occurrence of an ambiguous local time (the hour after clocks go back)."""
    if moment.fold != 1:
        return False
    return moment.replace(fold=0).utcoffset() != moment.utcoffset()


@dataclass(frozen=True, slots=True)
class Schedule:
    """A parsed schedule: `on_new`, or cron fields evaluated in `timezone`.

    `text` is the canonical form stored in the database (`weekly mon 09:00`, `0 9 * * mon`...).
    """

    text: str
    timezone: str
    on_new: bool = False
    minute: str = "*"
    hour: str = "*"
    day: str = "*"
    month: str = "*"
    day_of_week: str = "*"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def cron_fields(self) -> dict[str, str]:
        """The fields CronTrigger takes (minute, hour, day, month, day_of_week)."""
        return {
            "minute": self.minute,
            "hour": self.hour,
            "day": self.day,
            "month": self.month,
            "day_of_week": self.day_of_week,
        }

    def trigger(self) -> OncePerWallTimeCronTrigger | None:
        """The APScheduler trigger for this schedule in its timezone; None for `on-new`."""
        if self.on_new:
            return None
        return OncePerWallTimeCronTrigger(timezone=self.tz, **self.cron_fields())

    def next_fire(self, after: datetime) -> datetime | None:
        """The first fire time strictly after `after`, in the schedule's timezone; None for `on-new`."""
        trigger = self.trigger()
        if trigger is None:
            return None
        _require_aware(after)
        # CronTrigger works in whole seconds and includes `now` itself: start one second on.
        probe = after.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
        result: datetime | None = trigger.get_next_fire_time(None, probe.astimezone(self.tz))
        return result

    def previous_fire(self, at_or_before: datetime) -> datetime | None:
        """The latest fire time at or before `at_or_before`; None for `on-new` or if it never fired."""
        if self.on_new:
            return None
        _require_aware(at_or_before)
        for window in _LOOKBACK_WINDOWS:
            latest: datetime | None = None
            fire = self.next_fire(at_or_before - window)
            while fire is not None and fire <= at_or_before:
                latest = fire
                fire = self.next_fire(fire)
            if latest is not None:
                return latest
        return None

    def describe(self) -> str:
        """A short human description: `every Monday at 09:00 (Europe/London)`."""
        if self.on_new:
            return "as soon as a new report arrives"
        parts = self.text.split()
        where = f"({self.timezone})"
        if parts[0] == "daily":
            return f"every day at {parts[1]} {where}"
        if parts[0] == "weekly":
            return f"every {_DAY_NAMES[parts[1]]} at {parts[2]} {where}"
        if parts[0] == "monthly":
            return f"on day {parts[1]} of every month at {parts[2]} {where}"
        return f"cron `{self.text}` {where}"


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("schedule arithmetic needs a timezone-aware datetime")


def _bad(reason: str) -> UserFacingError:
    return UserFacingError(f"{reason} {ACCEPTED_FORMS}")


def check_timezone(timezone: str) -> str:
    """Return `timezone` if it is a known IANA name, else raise a one-line UserFacingError."""
    name = (timezone or "").strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserFacingError(
            f"Unknown timezone {name!r}: use an IANA name such as Europe/London or America/New_York."
        ) from None
    return name


def _parse_time(text: str) -> tuple[int, int]:
    match = _TIME.match(text)
    if not match:
        raise _bad(f"{text!r} is not a time of day (use HH:MM, 24-hour).")
    return int(match.group(1)), int(match.group(2))


def _parse_day(text: str) -> str:
    short = _DAY_ALIASES.get(text, text[:3] if text[:3] in _DAYS and len(text) <= 3 else "")
    if short not in _DAYS:
        raise _bad(f"{text!r} is not a day of the week (mon..sun).")
    return short


def parse_schedule(text: str, timezone: str = DEFAULT_TIMEZONE) -> Schedule:
    """Parse a schedule as an admin types it; raise UserFacingError naming the accepted forms."""
    tz_name = check_timezone(timezone)
    words = (text or "").strip().lower().split()
    if not words:
        raise _bad("The schedule is empty.")
    kind = words[0]
    if kind in (ON_NEW, "on_new", "onnew", "new") and len(words) == 1:
        return Schedule(text=ON_NEW, timezone=tz_name, on_new=True)
    if kind == "daily" and len(words) == 2:
        hour, minute = _parse_time(words[1])
        return Schedule(f"daily {hour:02d}:{minute:02d}", tz_name, minute=str(minute), hour=str(hour))
    if kind == "weekly" and len(words) == 3:
        day = _parse_day(words[1])
        hour, minute = _parse_time(words[2])
        return Schedule(
            f"weekly {day} {hour:02d}:{minute:02d}", tz_name, minute=str(minute), hour=str(hour), day_of_week=day
        )
    if kind == "monthly" and len(words) == 3:
        if not words[1].isdigit() or not 1 <= int(words[1]) <= 28:
            raise _bad(f"{words[1]!r} is not a day of the month from 1 to 28 (every month has those).")
        hour, minute = _parse_time(words[2])
        day_of_month = int(words[1])
        return Schedule(
            f"monthly {day_of_month} {hour:02d}:{minute:02d}", tz_name, minute=str(minute), hour=str(hour),
            day=str(day_of_month),
        )  # fmt: skip
    if len(words) == 5:
        return _parse_cron(words, tz_name)
    raise _bad(f"{text.strip()!r} is not a schedule I understand.")


def _parse_cron(words: list[str], tz_name: str) -> Schedule:
    minute, hour, day, month, day_of_week = words
    try:
        # APScheduler 3 counts Monday as 0 where cron counts Sunday as 0: pass it day names.
        dow = _cron_day_names(day_of_week)
        probe: Any = CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=ZoneInfo(tz_name)
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise _bad(f"{' '.join(words)!r} is not a valid cron expression.") from exc
    fields = {f.name: str(f) for f in probe.fields}
    schedule = Schedule(
        " ".join(words),
        tz_name,
        minute=fields["minute"],
        hour=fields["hour"],
        day=fields["day"],
        month=fields["month"],
        day_of_week=fields["day_of_week"],
    )
    if schedule.next_fire(datetime(2000, 1, 1, tzinfo=UTC)) is None:
        raise _bad(f"{' '.join(words)!r} never fires.")
    return schedule


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_day_number(token: str) -> int:
    if token in _CRON_DAYS:
        return _CRON_DAYS.index(token)
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    raise ValueError(f"bad day of week {token!r}")


def _cron_day_names(field: str) -> str:
    """Translate a standard cron day-of-week field (0 or 7 = Sunday) to APScheduler day names."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError("bad step")
        if base == "*":
            first, last = 0, 6
        elif "-" in base:
            start, _, end = base.partition("-")
            first = _cron_day_number(start)
            last = 7 if end == "7" else _cron_day_number(end)
            if last < first:
                raise ValueError("bad range")
        else:
            first = last = _cron_day_number(base)
        days.update(n % 7 for n in range(first, last + 1, step))
    return ",".join(_DAYS[(n - 1) % 7] for n in sorted(days, key=lambda n: (n - 1) % 7))
