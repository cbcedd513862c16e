"""Schedules as admins type them: parsing, errors, and DST-correct fire times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digests.errors import UserFacingError
from digests.schedule import parse_schedule

LONDON = ZoneInfo("Europe/London")


def fires(text: str, start: datetime, count: int, timezone: str = "Europe/London") -> list[datetime]:
    schedule = parse_schedule(text, timezone)
    out: list[datetime] = []
    moment = start
    for _ in range(count):
        fire = schedule.next_fire(moment)
        assert fire is not None
        out.append(fire)
        moment = fire
    return out


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("weekly mon 09:00", "weekly mon 09:00"),
        ("Weekly Monday 9:00", "weekly mon 09:00"),
        ("daily 18:30", "daily 18:30"),
        ("monthly 1 09:00", "monthly 1 09:00"),
        ("0 9 * * mon", "0 9 * * mon"),
        ("on-new", "on-new"),
    ],
)
def test_accepted_forms_have_a_canonical_text(text: str, canonical: str) -> None:
    assert parse_schedule(text).text == canonical


@pytest.mark.parametrize("text", ["", "hourly", "weekly funday 09:00", "daily 25:00", "monthly 31 09:00", "0 9 * *"])
def test_bad_forms_are_one_line_errors_listing_the_accepted_forms(text: str) -> None:
    with pytest.raises(UserFacingError) as caught:
        parse_schedule(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "weekly mon 09:00" in message and "on-new" in message


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(UserFacingError, match="timezone"):
        parse_schedule("daily 09:00", "Mars/Olympus_Mons")


def test_weekly_fires_at_nine_local_time_across_the_spring_change() -> None:
    """Clocks go forward on 30 March 2025: 09:00 stays 09:00 in London (08:00 UTC after)."""
    got = fires("weekly mon 09:00", datetime(2025, 3, 20, tzinfo=UTC), 3)
    assert [f.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") for f in got] == [
        "2025-03-24 09:00",
        "2025-03-31 09:00",
        "2025-04-07 09:00",
    ]
    assert [f.astimezone(UTC).hour for f in got] == [9, 8, 8]


def test_daily_fires_at_local_time_across_the_autumn_change() -> None:
    """Clocks go back on 26 October 2025: 18:30 local is 17:30 UTC before and 18:30 UTC after."""
    got = fires("daily 18:30", datetime(2025, 10, 25, 12, tzinfo=UTC), 3)
    assert [f.astimezone(LONDON).strftime("%d %H:%M") for f in got] == ["25 18:30", "26 18:30", "27 18:30"]
    assert [f.astimezone(UTC).hour for f in got] == [17, 18, 18]


def test_a_repeated_wall_time_fires_once_when_clocks_go_back() -> None:
    got = fires("daily 01:30", datetime(2025, 10, 25, 12, tzinfo=UTC), 2)
    assert [f.astimezone(LONDON).strftime("%d %H:%M") for f in got] == ["26 01:30", "27 01:30"]


def test_a_skipped_wall_time_fires_once_when_clocks_go_forward() -> None:
    got = fires("daily 01:30", datetime(2025, 3, 29, 12, tzinfo=UTC), 2)
    assert len({f.astimezone(LONDON).date() for f in got}) == 2
    assert got[1] - got[0] >= timedelta(hours=22)


def test_cron_counts_sunday_as_zero_like_cron_does() -> None:
    got = fires("0 9 * * 0", datetime(2025, 6, 2, tzinfo=UTC), 1)
    assert got[0].astimezone(LONDON).strftime("%A %H:%M") == "Sunday 09:00"
    weekdays = fires("0 9 * * 1-5", datetime(2025, 6, 6, 12, tzinfo=UTC), 2)
    assert [f.strftime("%A") for f in weekdays] == ["Monday", "Tuesday"]


def test_other_timezones_use_their_own_rules() -> None:
    """New York changes clocks on a different weekend from London."""
    got = fires("daily 09:00", datetime(2025, 3, 8, 12, tzinfo=UTC), 2, "America/New_York")
    assert [f.astimezone(UTC).hour for f in got] == [14, 13]


def test_previous_fire_finds_the_last_due_time() -> None:
    schedule = parse_schedule("weekly mon 09:00")
    now = datetime(2025, 4, 2, 12, tzinfo=UTC)
    assert schedule.previous_fire(now) == datetime(2025, 3, 31, 8, tzinfo=UTC)
    assert parse_schedule("on-new").previous_fire(now) is None


def test_on_new_has_no_fire_time_and_says_so() -> None:
    schedule = parse_schedule("on-new")
    assert schedule.on_new and schedule.next_fire(datetime(2025, 1, 1, tzinfo=UTC)) is None
    assert "new report" in schedule.describe()


def test_describe_reads_like_english() -> None:
    assert parse_schedule("weekly mon 09:00").describe() == "every Monday at 09:00 (Europe/London)"
