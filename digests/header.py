"""The top of a report: its title, byline and dateline lines, split from the body that follows.

The header zone is the run of short lines before the first real paragraph. The title is the zone line
that reads like a meeting report's title (report/meeting/NEC words plus a date), else one with those
words, else the first title-like line. Lines before the title (blog names, taglines) and the byline or
dateline lines around it are metadata, not body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from digests.authors import byline_names, title_names
from digests.dates import dateline_date, find_dates, month_of

_REPORTISH = re.compile(
    r"\b(?:reports?|meetings?|minutes|NEC|committee|executive|update|notes|briefing|held)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_ZONE_LINES = 12


@dataclass(slots=True)
class Header:
    """What the top of the text says about the report, and the body lines below it."""

    title: str | None
    published: date | None
    zone: list[str] = field(default_factory=list)
    body: str = ""


def split_header(text: str, *, html_title: str | None = None) -> Header:
    """Find the title and metadata lines at the top of `text`; the rest is the body."""
    lines = text.split("\n")
    zone = _zone(lines)
    zone_text = {index: _plain(lines[index]) for index in zone}
    published = next((d for d in (dateline_date(zone_text[i]) for i in zone) if d is not None), None)
    title_index = _title_index(zone, zone_text, html_title)
    title = html_title or (zone_text[title_index] if title_index is not None else None)
    drop = _metadata_lines(zone, zone_text, title_index)
    body = "\n".join(line for index, line in enumerate(lines) if index not in drop)
    return Header(title=title, published=published, zone=[zone_text[i] for i in zone], body=body)


def _plain(line: str) -> str:
    return line.strip().lstrip("#").strip().strip("*_").strip()


def _zone(lines: list[str]) -> list[int]:
    """Indexes of the non-blank lines before the first paragraph (at most a dozen)."""
    zone: list[int] = []
    for index, line in enumerate(lines):
        text = _plain(line)
        if not text:
            continue
        words = len(text.split())
        if words >= 20 or (words >= 8 and _SENTENCE_END.search(text)) or len(zone) >= _ZONE_LINES:
            break
        zone.append(index)
    return zone


def _title_index(zone: list[int], text: dict[int, str], html_title: str | None) -> int | None:
    candidates = [i for i in zone if dateline_date(text[i]) is None and not byline_names(text[i])]
    if html_title:
        wanted = _key(html_title)
        return next((i for i in candidates if _same_title(_key(text[i]), wanted)), None)
    for test in (is_dated_report_title, _is_report_title, _is_any_title):
        found = next((i for i in candidates if test(text[i])), None)
        if found is not None:
            return found
    return None


def _same_title(line: str, wanted: str) -> bool:
    """Equal, or one is the other plus a site name ("NEC report | My Blog")."""
    if line == wanted:
        return True
    shorter = min(len(line), len(wanted))
    return shorter >= 12 and (wanted.startswith(line) or line.startswith(wanted))


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def is_dated_report_title(text: str) -> bool:
    """Report/meeting/NEC words and a date, not a sentence, not a writer's own title."""
    dated = bool(find_dates(text)) or month_of(text) is not None
    return bool(_REPORTISH.search(text)) and dated and not title_names(text) and not _SENTENCE_END.search(text)


def _is_report_title(text: str) -> bool:
    return bool(_REPORTISH.search(text)) and not title_names(text) and len(text.split()) <= 25


def _is_any_title(text: str) -> bool:
    return len(text.split()) <= 20 and not _SENTENCE_END.search(text)


def _metadata_lines(zone: list[int], text: dict[int, str], title_index: int | None) -> set[int]:
    """The title, lines above it, and bylines/datelines in the zone: metadata, not body text."""
    drop: set[int] = set()
    for index in zone:
        if (
            (title_index is not None and index <= title_index)
            or dateline_date(text[index]) is not None
            or byline_names(text[index])
            or title_names(text[index])
        ):
            drop.add(index)
    return drop
