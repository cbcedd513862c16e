"""Entry point of the parser: raw report in, `ParsedReport` out.

Pipeline: extract (decode, HTML/Markdown to text) -> clean (cut comments, teasers, chrome) -> redact
private details -> header (title, dateline, byline) -> dates, authors, body -> sections -> decisions,
people, topics. It never raises on any input except InputRejected for binary, empty or oversized input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from digests.authors import (
    byline_names,
    dedupe,
    first_name_signoff,
    names_in,
    signature_authors,
    signoff_names,
    strapline_names,
    title_names,
)
from digests.body import detect_body
from digests.clean import clean_text
from digests.dates import dateline_date, meeting_dates_in_text, meeting_dates_in_title, month_of
from digests.decisions import extract_decisions
from digests.errors import InputRejected
from digests.extract import ExtractedText, extract_text
from digests.header import Header, is_dated_report_title, split_header
from digests.memo import parse_memory
from digests.model import ParsedReport, Section
from digests.people import extract_people
from digests.people import names_in as people_names_in
from digests.privacy import redact, scan
from digests.sections import split_sections, strip_emphasis
from digests.topics import assign_topics

log = logging.getLogger(__name__)

_BYLINE_START = re.compile(r"^(?:(?:posted|written|published)\s+)?by\s", re.IGNORECASE)

WARN_NO_MEETING_DATE = "meeting date not found"
WARN_NOT_A_REPORT = "not an NEC meeting report"
WARN_NO_AUTHOR = "author not found"
WARN_NO_SECTIONS = "no report text found"

T = TypeVar("T")


def parse_report(data: bytes | str, *, name: str | None = None) -> ParsedReport:
    """Parse one report given as bytes or text; `name` (a file name, URL or content type) hints at the format.

    Raises InputRejected for binary, empty or oversized input; any other problem becomes a warning.
    """
    extracted = extract_text(data, name=name)
    try:
        with parse_memory():
            return _parse(extracted)
    except InputRejected:
        raise
    except Exception:  # the last fault barrier: one odd report must never stop a batch ingest.
        log.exception("parser failed on %s", name or "input")
        return ParsedReport(
            title=None,
            meeting_date=None,
            published=None,
            authors=[],
            body=None,
            warnings=["the report could not be parsed"],
        )


def _parse(extracted: ExtractedText) -> ParsedReport:
    warnings = list(extracted.warnings)
    cleaned = clean_text(extracted.text)
    body_text, private = scan(cleaned.text)
    removed: list[str] = []
    seen = set(private)
    # What was cut is scanned too: a sign-off's address must show up in --debug's list.
    for block in cleaned.removed:
        redacted_block, found = scan(block)
        removed.append(redacted_block)
        private.extend(d for d in found if d not in seen)
        seen.update(found)
    html_title = _html_title(extracted)
    header = split_header(body_text, html_title=html_title)
    title = strip_emphasis(header.title).strip() if header.title else None
    published = extracted.published or header.published
    sections = split_sections(header.body)
    meeting_dates = _meeting_dates(title, header, sections, published)
    opening = "\n".join([*header.zone, *(section.text[:1500] for section in sections[:2])])
    body = detect_body(title, opening, header.body)
    authors = _authors(extracted, header, title, [redact(s) for s in cleaned.straplines], cleaned.signoffs)

    if not meeting_dates:
        warnings.append(WARN_NO_MEETING_DATE)
    if body is None:
        warnings.append(WARN_NOT_A_REPORT)
    if not authors:
        warnings.append(WARN_NO_AUTHOR)
    if not sections:
        warnings.append(WARN_NO_SECTIONS)
    meeting_date = meeting_dates[0] if meeting_dates else None

    decisions = _guarded("decisions", warnings, lambda: extract_decisions(sections, meeting_date=meeting_date))
    people = _guarded(
        "people",
        warnings,
        lambda: extract_people(sections, title=title, authors=authors, meeting_date=meeting_date),
    )
    topics = _guarded("topics", warnings, lambda: assign_topics(_all_text(title, sections)))
    return ParsedReport(
        title=title,
        meeting_date=meeting_date,
        published=published,
        authors=authors,
        body=body,
        sections=sections,
        decisions=decisions,
        people=people,
        topics=topics,
        warnings=warnings,
        private_details=private,
        clean_text=body_text,
        removed=removed,
        other_meeting_dates=meeting_dates[1:],
    )


def _meeting_dates(title: str | None, header: Header, sections: list[Section], published: date | None) -> list[date]:
    """Dates in the title, else dates introduced as this meeting's in the header or opening paragraphs;
    plus dates in headings that name a meeting (a report covering two meetings)."""
    dates = meeting_dates_in_title(title, published=published) if title else []
    if published is None and title:
        published = month_of(title)  # "NEC report (January 2021)" dates "met on 26 January"
    if not dates:
        zone = [line for line in header.zone if dateline_date(line) is None]
        opening = "\n".join([*zone, *(section.text[:2000] for section in sections[:2])])
        dates = meeting_dates_in_text(opening, published=published)
    for section in sections:
        if section.heading and "meeting" in section.heading.lower():
            for found in meeting_dates_in_title(section.heading, published=published):
                if found not in dates:
                    dates.append(found)
    return dates


def _authors(
    extracted: ExtractedText, header: Header, title: str | None, straplines: list[str], signoffs: list[str]
) -> list[str]:
    found: list[str] = []
    if extracted.author:
        found.extend(names_in(extracted.author))
    for line in header.zone:
        found.extend(byline_names(line))
        found.extend(title_names(line))
    if title:
        found.extend(title_names(title))
    for line in straplines:
        found.extend(strapline_names(line))
    for line in signoffs:
        found.extend(signoff_names(redact(line)))
    if not found and signoffs:
        full_names = people_names_in(header.body)
        for line in signoffs:
            found.extend(first_name_signoff(redact(line), full_names))
    if not found:  # a page's post footer or strap-line, outside the article trafilatura kept
        for line in extracted.page_lines:
            if _BYLINE_START.match(line):
                found.extend(byline_names(line))
            found.extend(strapline_names(line))
    if not found:
        found.extend(signature_authors(extracted.text))
    return dedupe(found)


def _html_title(extracted: ExtractedText) -> str | None:
    """The page's title that reads as a dated meeting report's title, else its metadata title."""
    # the shortest: "NEC report, 14 June 2011" rather than "My Blog: NEC report, 14 June 2011"
    dated = [c for c in extracted.title_candidates if is_dated_report_title(c)]
    chosen = min(dated, key=len) if dated else extracted.title
    return redact(chosen) if chosen else None


def _all_text(title: str | None, sections: list[Section]) -> str:
    parts = [title or ""]
    for section in sections:
        parts.extend([section.heading or "", section.text])
    return "\n".join(part for part in parts if part)


def _guarded(what: str, warnings: list[str], step: Callable[[], list[T]]) -> list[T]:
    """Run one downstream extraction step; a failure there costs that field, not the whole report."""
    try:
        return step()
    except Exception:
        log.exception("%s extraction failed", what)
        warnings.append(f"{what} could not be extracted")
        return []
