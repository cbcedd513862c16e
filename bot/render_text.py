"""View models as terminal text: what `necdigest <command>` prints. Every item links to its source."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from digests.views import (
    DecisionList,
    DecisionView,
    IngestOutcome,
    IngestSummary,
    MeetingList,
    MeetingView,
    PersonProfile,
    ReportList,
    ReportRef,
    SearchResults,
    SourceView,
    Stats,
)

WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(" ".join(text.split()), width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def report_line(ref: ReportRef) -> str:
    """ "Title — Author (meeting date) <url>"."""
    parts = [ref.title]
    if ref.authors:
        parts.append(f"— {', '.join(ref.authors)}")
    if ref.meeting_date:
        parts.append(f"(meeting {ref.meeting_date.isoformat()})")
    parts.append(f"<{ref.url}>" if ref.url else "(no link: ingested from a file)")
    return " ".join(parts)


def _decision(d: DecisionView) -> list[str]:
    day = d.meeting_date.isoformat() if d.meeting_date else "undated"
    tally = f" [{d.tally}]" if d.tally else ""
    lines = [f"- {day} · {d.subject}{tally}", _wrap(f"“{d.text}”")]
    extras = []
    if d.topics:
        extras.append(f"topics: {', '.join(d.topics)}")
    if d.people:
        extras.append(f"people: {', '.join(d.people)}")
    if extras:
        lines.append("    " + "; ".join(extras))
    lines.append(f"    source: {report_line(d.report)}")
    return lines


def render_decisions(view: DecisionList) -> str:
    """`necdigest decisions`."""
    head = view.heading + (f" ({'; '.join(view.filters)})" if view.filters else "")
    if not view.items:
        return f"{head}\nNo decisions found."
    lines = [f"{head}: {len(view.items)}"]
    for item in view.items:
        lines.extend(_decision(item))
    return "\n".join(lines)


def render_profile(view: PersonProfile) -> str:
    """`necdigest who`."""
    lines = [view.name]
    if view.aliases:
        lines.append(f"Also called: {', '.join(view.aliases)}")
    for role in view.roles:
        span = f"{role.start.isoformat() if role.start else '?'} to {role.end.isoformat() if role.end else 'now'}"
        lines.append(f"Role: {role.role} ({span})")
    latest = f", latest {view.latest_meeting.isoformat()}" if view.latest_meeting else ""
    lines.append(f"Mentioned {view.mention_count} times in reports of {view.meetings_mentioned} meetings{latest}.")
    if view.reports_written:
        lines.append("Reports written:")
        lines.extend(f"- {report_line(ref)}" for ref in view.reports_written)
    if view.quotes:
        lines.append("Mentions:")
        for quote in view.quotes:
            day = quote.meeting_date.isoformat() if quote.meeting_date else "undated"
            lines.append(_wrap(f"- {day}: “{quote.sentence}”", indent="  "))
            lines.append(f"    source: {report_line(quote.report)}")
    if view.decisions:
        lines.append("Decisions the reports tie them to:")
        for item in view.decisions:
            lines.extend(_decision(item))
    return "\n".join(lines)


def render_meeting(view: MeetingView) -> str:
    """`necdigest meeting`."""
    lines = [f"{view.body} meeting, {view.meeting_date.isoformat()} ({len(view.reports)} report(s))", "Reports:"]
    lines.extend(f"- {report_line(ref)}" for ref in view.reports)
    if view.decisions:
        lines.append("Decisions:")
        for d in view.decisions:
            tallies = "; ".join(f"{who}: {label}" for who, label in d.tallies)
            flag = " (reports disagree)" if d.tallies_disagree else ""
            lines.append(f"- {d.subject}" + (f" [{tallies}]{flag}" if tallies else ""))
            lines.append(_wrap(f"“{d.text}”"))
            lines.append(f"    reported by {', '.join(d.reported_by)}; source: {report_line(d.report)}")
    else:
        lines.append("No decisions recorded.")
    if view.key_points:
        lines.append("Key points:")
        for section in view.key_points:
            lines.append(f"  {section.heading}")
            lines.extend(_wrap(f"- {point}", indent="    ") for point in section.points)
    if view.people:
        lines.append(f"People: {', '.join(view.people)}")
    if view.topics:
        lines.append(f"Topics: {', '.join(view.topics)}")
    return "\n".join(lines)


def render_meeting_list(view: MeetingList) -> str:
    """`necdigest latest`."""
    if not view.items:
        return f"{view.heading}\nNo meetings stored yet: try `necdigest ingest PATH|URL`."
    lines = [view.heading]
    for item in view.items:
        lines.append(f"- {item.meeting_date.isoformat()} · {item.body}: {item.decision_count} decision(s)")
        lines.extend(f"    {report_line(ref)}" for ref in item.reports)
    return "\n".join(lines)


def render_reports(view: ReportList) -> str:
    """`necdigest reports`."""
    if not view.items:
        return f"{view.heading}\nNo reports found."
    return "\n".join([f"{view.heading}: {len(view.items)}", *(f"- {report_line(ref)}" for ref in view.items)])


def render_search(view: SearchResults) -> str:
    """`necdigest search`; matched words are in **bold** markers."""
    if not view.hits:
        return f"No results for {view.query.strip()!r}."
    lines = [f"Results for {view.query.strip()!r}: {len(view.hits)}"]
    for hit in view.hits:
        day = hit.meeting_date.isoformat() if hit.meeting_date else "undated"
        lines.append(f"- [{hit.kind}] {day} · {hit.title}")
        if hit.snippet:
            lines.append(_wrap(hit.snippet))
        lines.append(f"    source: {report_line(hit.report)}")
    return "\n".join(lines)


def render_stats(view: Stats) -> str:
    """`necdigest stats`."""
    latest = view.latest_meeting.isoformat() if view.latest_meeting else "none"
    return (
        f"reports {view.reports}, meetings {view.meetings}, decisions {view.decisions}, people {view.people}, "
        f"sources {view.sources}, subscriptions {view.subscriptions}; latest meeting {latest}"
    )


def render_outcome(outcome: IngestOutcome) -> str:
    """One line per ingested input."""
    detail = f": {outcome.reason}" if outcome.reason else ""
    what = f" — {outcome.title}" if outcome.title and outcome.status != "failed" else ""
    day = f" ({outcome.meeting_date.isoformat()})" if outcome.meeting_date and outcome.status != "failed" else ""
    return f"{outcome.status:<8} {outcome.target}{what}{day}{detail}"


def render_ingest_summary(summary: IngestSummary) -> str:
    """The final line of `necdigest ingest`, then the reason for each failure."""
    counts = ", ".join(f"{status} {summary.count(status)}" for status in ("added", "updated", "skipped", "failed"))
    failures = [f"  {o.target}: {o.reason}" for o in summary.outcomes if o.status == "failed"]
    return "\n".join([counts, *(["failures:", *failures] if failures else [])])


def render_sources(sources: Iterable[SourceView]) -> str:
    """Followed sources and their fetch state."""
    lines = []
    for s in sources:
        state = "paused" if s.paused else "active"
        ok = s.last_success.isoformat(timespec="minutes") if s.last_success else "never"
        error = f"; last error: {s.last_error}" if s.last_error else ""
        lines.append(f"{s.id}. [{s.kind}, {state}] {s.url} (last success {ok}{error})")
    return "\n".join(lines) or "No sources followed."
