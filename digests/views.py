"""View models: what every answer shows, independent of where it is shown.

Storage query functions return these; `bot/` renders them as Discord embeds or as terminal text.
They hold plain values only (no ORM objects, no Discord types) and never any private detail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ReportRef:
    """One report, with the link every answer gives back to its source."""

    title: str
    url: str | None
    authors: tuple[str, ...] = ()
    published: date | None = None
    meeting_date: date | None = None


@dataclass(frozen=True, slots=True)
class DecisionView:
    """One decision as one report describes it."""

    subject: str
    text: str
    meeting_date: date | None
    body: str | None
    tally: str | None
    votes_for: int | None
    votes_against: int | None
    abstain: int | None
    section: str | None
    topics: tuple[str, ...]
    report: ReportRef
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionList:
    """The answer to `/decisions`: newest first."""

    heading: str
    items: tuple[DecisionView, ...]
    filters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleView:
    role: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A sentence of a report that mentions a person."""

    sentence: str
    meeting_date: date | None
    report: ReportRef


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """The answer to `/who`."""

    name: str
    aliases: tuple[str, ...]
    roles: tuple[RoleView, ...]
    reports_written: tuple[ReportRef, ...]
    mention_count: int
    meetings_mentioned: int
    latest_meeting: date | None
    quotes: tuple[QuoteView, ...]
    decisions: tuple[DecisionView, ...]


@dataclass(frozen=True, slots=True)
class MergedDecision:
    """One decision of a meeting, merged across the reports that describe it.

    `tallies` pairs each reporter with the tally they gave; `tallies_disagree` flags a conflict.
    """

    subject: str
    text: str
    section: str | None
    topics: tuple[str, ...]
    reported_by: tuple[str, ...]
    tallies: tuple[tuple[str, str], ...]
    tallies_disagree: bool
    report: ReportRef


@dataclass(frozen=True, slots=True)
class SectionPoints:
    """A section heading with a few key sentences taken from it word for word."""

    heading: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingView:
    """The answer to `/meeting`: every report of one meeting merged."""

    meeting_date: date
    body: str
    reports: tuple[ReportRef, ...]
    decisions: tuple[MergedDecision, ...]
    key_points: tuple[SectionPoints, ...] = ()
    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    """One line of `/latest`."""

    meeting_date: date
    body: str
    reports: tuple[ReportRef, ...]
    decision_count: int


@dataclass(frozen=True, slots=True)
class MeetingList:
    heading: str
    items: tuple[MeetingSummary, ...]


@dataclass(frozen=True, slots=True)
class ReportList:
    """The answer to `/reports`."""

    heading: str
    items: tuple[ReportRef, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result; `snippet` marks matched words with **bold**."""

    kind: str
    title: str
    snippet: str
    meeting_date: date | None
    report: ReportRef


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """An autocomplete choice: what the user sees and the value the command receives."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class SourceView:
    """A followed source and its fetch state (`/source list`)."""

    id: int
    url: str
    kind: str
    last_success: datetime | None
    last_error: str | None
    paused: bool


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts for `/about` and `necdigest stats`."""

    reports: int
    meetings: int
    decisions: int
    people: int
    sources: int
    subscriptions: int
    latest_meeting: date | None = None


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one input of an ingest batch."""

    target: str
    status: str  # "added" | "updated" | "skipped" | "failed"
    reason: str | None = None
    title: str | None = None
    meeting_date: date | None = None
    meeting_id: int | None = None  # the meeting an added or updated report was stored under


@dataclass(slots=True)
class IngestSummary:
    outcomes: list[IngestOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    """A channel's digest subscription (`/digest list`)."""

    id: int
    guild_id: int
    channel_id: int
    schedule: str
    timezone: str
    topic: str | None
    person: str | None
    keyword: str | None
    state: str  # "active" | "paused"
    paused_reason: str | None = None
    next_run: datetime | None = None


@dataclass(frozen=True, slots=True)
class MeetingDigest:
    """One meeting in a digest: decisions first, then key points, people and topics."""

    meeting_id: int
    meeting_date: date
    body: str
    kind: str
    reports: tuple[ReportRef, ...]
    decisions: tuple[MergedDecision, ...]
    key_points: tuple[SectionPoints, ...] = ()
    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestView:
    """A digest of one meeting or of a period; filters (topic, person, keyword) already applied."""

    heading: str
    meetings: tuple[MeetingDigest, ...]
    filters: tuple[str, ...] = ()
