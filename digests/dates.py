"""Dates in report text: every date mention, the meeting date(s) and the published date.

A hand-written, regex-based reader (dateparser is far too slow for whole reports): day-month-year with
or without ordinals and weekdays ("Tuesday 3rd March 2015", "21st May 2013"), month-day-year ("March 3,
2015", "Sunday, April 03, 2022"), ISO dates, numeric dates day first as in Britain
("12/05/2019" is 12 May) unless only month first makes sense ("3/29/2022"), lists and ranges of days
("3rd and 24th March 2015", "7-8 March"), and day-month without a year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from digests.memo import remembered_value_in_parse

_MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = [
    "monday",
    "mon",
    "tuesday",
    "tues",
    "tue",
    "wednesday",
    "wed",
    "thursday",
    "thurs",
    "thu",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
]


def _names(words: list[str] | tuple[str, ...]) -> str:
    # Capitalised or upper case only: "may" and "march" in lower case are usually verbs.
    forms = sorted({w.capitalize() for w in words} | {w.upper() for w in words}, key=len, reverse=True)
    return "|".join(forms)


_MONTH = r"(?:" + _names(list(_MONTHS)) + r")\.?"
_WEEKDAY = r"(?:(?:" + _names(_WEEKDAYS) + r")\.?,?\s+(?:the\s+)?)?"
_ORD = r"(?:st|nd|rd|th)?"

_DMY = re.compile(
    r"(?<!\w)(?<!\d/)" + _WEEKDAY + r"(?P<d>[0-3]?\d)" + _ORD + r"(?:\s+of)?[\s-]+(?P<m>" + _MONTH + r")"
    r"(?:,?[\s-]+(?P<y>(?:19|20)\d\d))?(?![\w/])"
)
_MDY = re.compile(
    r"(?<![\w/])" + _WEEKDAY + r"(?P<m>" + _MONTH + r")\s+(?P<d>[0-3]?\d)" + _ORD + r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
    r"(?![\w/:])"
)
_ISO = re.compile(r"(?<![\w/-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\w/-])")
_NUMERIC = re.compile(r"(?<![\w/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\w/])")
# "3rd and 24th March", "7-8 March", "24th/25th March": leading days borrow the month (and year) that follows.
_DAY_LIST = re.compile(
    r"(?<![\w/])(?P<d>[0-3]?\d)" + _ORD + r"\s*(?:,|and|&|-|–|/|to)\s*(?=[0-3]?\d" + _ORD + r"\s+" + _MONTH + ")"
)
_TIME = re.compile(r"^\s*(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?\s*|^\s*\d{1,2}\s*[ap]\.?m\.?\s*", re.IGNORECASE)

_MEETING_BEFORE = re.compile(
    r"\b(?:meeting|meetings|met|meets|session|held|minutes|report|nec|committee)\b[^.!?\n]{0,40}\Z", re.IGNORECASE
)
_NOT_THIS_MEETING = re.compile(
    r"\b(?:previous|last|next|since|upcoming|forthcoming|following|prior|future|another|deadline)\b[^.!?\n]{0,40}\Z"
    r"|\b(?:by|until|till|before|after|from)\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
_DATELINE_PREFIX = re.compile(
    r"^(?:posted|published|updated|written|date|dated|press release|news release)?\s*(?:on|:|,)?\s*", re.IGNORECASE
)
_DATELINE_REST = re.compile(r"^(?:by\s+[^\n]{0,60}|\|[^\n]{0,60}|[-–—]\s*[^\n]{0,60})?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date found in a text: `year` is None when the text gives only day and month."""

    start: int
    end: int
    day: int
    month: int
    year: int | None

    def resolve(self, fallback_year: date | None) -> date | None:
        """The calendar date, taking a missing year from `fallback_year` (a date the text was published on)."""
        year = self.year
        if year is None:
            if fallback_year is None:
                return None
            year = fallback_year.year
            candidate = _safe_date(year, self.month, self.day)
            # A meeting reported in January about "15th December" happened the year before.
            if candidate is not None and candidate > fallback_year:
                year -= 1
        return _safe_date(year, self.month, self.day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every date mentioned in `text`, in order; days without a year take the year of a following date."""
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, day: int, month: int, year: int | None) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        if _safe_date(year or 2000, month, day) is None:
            return
        taken.append((start, end))
        mentions.append(DateMention(start, end, day, month, year))

    for match in _ISO.finditer(text):
        add(match.start(), match.end(), int(match["d"]), int(match["m"]), int(match["y"]))
    for match in _NUMERIC.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        if second > 12 >= first:
            add(match.start(), match.end(), second, first, int(match["y"]))
        else:  # day first, as written in Britain, unless only month-day-year makes sense
            add(match.start(), match.end(), first, second, int(match["y"]))
    for pattern in (_MDY, _DMY):
        for match in pattern.finditer(text):
            year = int(match["y"]) if match["y"] else None
            add(match.start(), match.end(), int(match["d"]), _month_number(match["m"]), year)
    mentions.sort(key=lambda m: m.start)
    for match in _DAY_LIST.finditer(text):
        following = next((m for m in mentions if m.start >= match.end()), None)
        if following is not None:
            add(match.start(), match.end(), int(match["d"]), following.month, following.year)
    mentions.sort(key=lambda m: m.start)
    return _borrow_years(mentions, text)


def _month_number(token: str) -> int:
    return _MONTHS[token.rstrip(".").lower()]


def _borrow_years(mentions: list[DateMention], text: str) -> list[DateMention]:
    """ "3 March and 24 March 2015": a yearless date takes the year of the next date on the same line."""
    out: list[DateMention] = []
    for index, mention in enumerate(mentions):
        if mention.year is None:
            for later in mentions[index + 1 :]:
                if "\n" in text[mention.end : later.start]:
                    break
                if later.year is not None:
                    mention = DateMention(mention.start, mention.end, mention.day, mention.month, later.year)
                    break
        out.append(mention)
    return out


@remembered_value_in_parse
def dateline_date(line: str) -> date | None:
    """The date of a line that is only a date ("May 30, 2012 1:49 pm", "Sunday, April 03, 2022",
    "Posted on 12 June 2019 by Jane Doe"), or None for any other line."""
    stripped = line.strip().strip("*_").strip()
    if not stripped or len(stripped) > 120:
        return None
    stripped = _DATELINE_PREFIX.sub("", stripped, count=1)
    mentions = find_dates(stripped)
    if not mentions or mentions[0].start > 0 or mentions[0].year is None:
        return None
    rest = _TIME.sub("", stripped[mentions[0].end :], count=1).strip().lstrip(",").strip()
    if not _DATELINE_REST.match(rest):
        return None
    return mentions[0].resolve(None)


_MONTH_YEAR = re.compile(r"(?<![\w/])(?P<m>" + _MONTH + r")[\s,]+(?P<y>(?:19|20)\d\d)(?![\w/])")


def month_of(title: str) -> date | None:
    """The last day of a month named with its year ("NEC report (January 2021)"): the latest date a day
    and month without a year, elsewhere in the report, can refer to."""
    match = _MONTH_YEAR.search(title)
    if match is None:
        return None
    month, year = _month_number(match["m"]), int(match["y"])
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def meeting_dates_in_title(title: str, *, published: date | None) -> list[date]:
    """Dates in a report's title: in a meeting report's title every date is a meeting date."""
    return _unique(m.resolve(published) for m in find_dates(title))


def meeting_dates_in_text(text: str, *, published: date | None) -> list[date]:
    """Dates introduced as the date of this meeting ("the NEC met on 3 March", "meeting held on ...")."""
    found: list[date | None] = []
    for mention in find_dates(text):
        before = text[max(0, mention.start - 60) : mention.start]
        if _MEETING_BEFORE.search(before) and not _NOT_THIS_MEETING.search(before):
            found.append(mention.resolve(published))
    return _unique(found)


def _unique(dates: Iterable[date | None]) -> list[date]:
    out: list[date] = []
    for value in dates:
        if value is not None and value not in out:
            out.append(value)
    return out
