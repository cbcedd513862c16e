"""Dates as members type them: years, ranges, months and days, parsed into plain date ranges.

Shared by the CLI and the bot's option transformers; every error says which forms are accepted.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import process

from digests.errors import UserFacingError

RANGE_FORMS = (
    "a year (2013), a range of years (2012..2014), a month (march 2022 or 2022-03), "
    "a date (2022-03-29) or a range of dates (2013-05-01..2013-12-31)"
)
DATE_FORMS = "2022-03-29, 29 March 2022, March 29 2022 or 29/03/2022"

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_YEAR = re.compile(r"^(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_UK_DAY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"[a-z]+|\d+")
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range; either end may be open (None)."""

    start: date | None
    end: date | None
    label: str

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _year(value: str) -> int:
    year = int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(year)
    return year


def month_number(word: str, *, fuzzy: bool = True) -> int | None:
    """1-12 for a month name or abbreviation ("march", "Mar", and with `fuzzy` typos like "mrach")."""
    word = word.lower().strip(".")
    if word in MONTHS:
        return MONTHS[word]
    if fuzzy and len(word) >= 3:
        best = process.extractOne(word, list(MONTHS), score_cutoff=75)
        if best is not None:
            return MONTHS[best[0]]
    return None


def _day_from_words(text: str) -> date | None:
    tokens = _WORDS.findall(text.lower())
    numbers = [t for t in tokens if t.isdigit()]
    names = [t for t in tokens if not t.isdigit() and t not in {"st", "nd", "rd", "th", "of"}]
    if len(numbers) != 2 or len(names) != 1:
        return None
    month = month_number(names[0])
    if month is None:
        return None
    day_text, year_text = (numbers[0], numbers[1]) if len(numbers[1]) == 4 else (numbers[1], numbers[0])
    return date(_year(year_text), month, int(day_text))


def parse_day(text: str) -> date:
    """One date: 2022-03-29, 29 March 2022, March 29th 2022, 29/03/2022 (day first)."""
    value = text.strip()
    try:
        if m := _ISO_DAY.match(value):
            return date(_year(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DAY.match(value):
            return date(_year(m[3]), int(m[2]), int(m[1]))
        found = _day_from_words(value)
        if found is not None:
            return found
    except ValueError:
        pass
    raise UserFacingError(f"Cannot read {value!r} as a date. Use {DATE_FORMS}.")


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) for "march 2022", "Mar 2022", "2022 march" or "2022-03"; None otherwise."""
    value = text.strip().lower()
    if m := _ISO_MONTH.match(value):
        month = int(m[2])
        return (int(m[1]), month) if 1 <= month <= 12 else None
    tokens = _WORDS.findall(value)
    if len(tokens) != 2:
        return None
    years = [t for t in tokens if len(t) == 4 and t.isdigit()]
    names = [t for t in tokens if not t.isdigit()]
    if len(years) != 1 or len(names) != 1:
        return None
    named = month_number(names[0])
    return (int(years[0]), named) if named else None


def _one_end(text: str, *, is_start: bool) -> tuple[date, str]:
    value = text.strip()
    if m := _YEAR.match(value):
        year = _year(m[1])
        return (date(year, 1, 1) if is_start else date(year, 12, 31)), m[1]
    parsed_month = parse_month(value)
    if parsed_month is not None:
        year, number = parsed_month
        last = calendar.monthrange(year, number)[1]
        day = date(year, number, 1) if is_start else date(year, number, last)
        return day, f"{calendar.month_name[number]} {year}"
    day = parse_day(value)
    return day, day.isoformat()


def parse_date_range(text: str) -> DateRange:
    """A year, year range, month, date or date range as typed ("2013", "2012..2014", "march 2022")."""
    value = " ".join(text.split())
    if not value:
        raise UserFacingError(f"Give a period: {RANGE_FORMS}.")
    try:
        if ".." in value:
            left, _, right = value.partition("..")
            if not left.strip() and not right.strip():
                raise UserFacingError(f"Cannot read {value!r} as a period. Use {RANGE_FORMS}.")
            start, start_label = _one_end(left, is_start=True) if left.strip() else (None, "")
            end, end_label = _one_end(right, is_start=False) if right.strip() else (None, "")
            if start and end and start > end:
                raise UserFacingError(f"The period {value!r} ends before it starts.")
            label = f"{start_label or '…'} to {end_label or 'now'}"
            return DateRange(start, end, label)
        start, label = _one_end(value, is_start=True)
        end, _ = _one_end(value, is_start=False)
        return DateRange(start, end, label)
    except UserFacingError as exc:
        if "period" in str(exc):
            raise
        raise UserFacingError(f"Cannot read {value!r} as a period. Use {RANGE_FORMS}.") from None
