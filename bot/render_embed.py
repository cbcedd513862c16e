"""View models -> pages of Discord embeds, every page within Discord's documented limits.

Nothing is cut silently: a value too long for one field continues in the next field, and entries
that do not fit a page start the next page. Every item links to the report it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import discord

from digests.views import (
    DecisionList,
    DecisionView,
    IngestOutcome,
    MeetingList,
    MeetingView,
    MergedDecision,
    PersonProfile,
    ReportList,
    ReportRef,
    SearchResults,
    SourceView,
    Stats,
    SubscriptionView,
)

# Discord's limits (DESIGN.md §5); pages stay below them with room for the footer.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
# Readability, not a Discord limit: ten items a page reads well on a phone.
ITEMS_PER_PAGE = 10
PAGE_BUDGET = 5500

COLOUR = discord.Colour(0xE4003B)  # Labour red
CONTINUED = " (continued)"


@dataclass(frozen=True, slots=True)
class Entry:
    """One field-to-be: a heading and its text (any length; split when needed)."""

    name: str
    value: str


def clip(text: str, limit: int) -> str:
    """Shorten a heading visibly (with an ellipsis); only used where the full text is shown elsewhere."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters, preferring line and word breaks."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks or ["—"]


def iso(day: date | datetime | None) -> str:
    return day.isoformat()[:10] if day is not None else "date unknown"


def link(ref: ReportRef) -> str:
    """A markdown link to the report; the title is escaped so brackets cannot break the link."""
    title = clip(discord.utils.escape_markdown(ref.title or "report").replace("[", "(").replace("]", ")"), 200)
    by = f" by {', '.join(ref.authors)}" if ref.authors else ""
    if ref.url:
        return f"[{title}]({ref.url}){by}"
    return f"{title}{by} (no link)"


def tally_text(votes_for: int | None, against: int | None, abstain: int | None, fallback: str | None) -> str | None:
    """'14 to 10' (with abstentions when known), the form the reports use."""
    if votes_for is not None and against is not None:
        text = f"{votes_for} to {against}"
        if abstain:
            text += f", {abstain} abstaining"
        return text
    return fallback


def _fields(entries: Iterable[Entry]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for entry in entries:
        name = clip(entry.name.strip() or "—", FIELD_NAME_LIMIT)
        for index, chunk in enumerate(split_text(entry.value, FIELD_VALUE_LIMIT)):
            label = name if index == 0 else clip(entry.name.strip(), FIELD_NAME_LIMIT - len(CONTINUED)) + CONTINUED
            fields.append((label, chunk))
    return fields


def paginate(
    title: str,
    entries: Sequence[Entry],
    *,
    description: str | None = None,
    empty: str = "Nothing matches.",
    per_page: int = ITEMS_PER_PAGE,
    url: str | None = None,
) -> list[discord.Embed]:
    """Lay entries out as fields over as many pages as they need; footers say "Page i of n"."""
    title = clip(title, TITLE_LIMIT)
    fields = _fields(entries)
    text = (description or "").strip()
    if not fields:
        text = f"{text}\n\n{empty}".strip()
    descriptions = split_text(text, DESCRIPTION_LIMIT - 100) if text else []
    pages: list[discord.Embed] = []

    def new_page() -> discord.Embed:
        embed = discord.Embed(title=title, colour=COLOUR, url=url)
        if len(pages) < len(descriptions):
            embed.description = descriptions[len(pages)]
        pages.append(embed)
        return embed

    page = new_page()
    used = len(title) + len(page.description or "")
    for name, value in fields:
        size = len(name) + len(value)
        if len(page.fields) >= min(per_page, FIELDS_LIMIT) or used + size > PAGE_BUDGET:
            page = new_page()
            used = len(title) + len(page.description or "")
        page.add_field(name=name, value=value, inline=False)
        used += size
    while len(pages) < len(descriptions):
        new_page()
    if len(pages) > 1:
        for number, embed in enumerate(pages, start=1):
            embed.set_footer(text=f"Page {number} of {len(pages)} · NEC Digest")
    else:
        pages[0].set_footer(text="NEC Digest")
    return pages


# -- one function per view model ------------------------------------------------------------


def _decision_entry(decision: DecisionView) -> Entry:
    parts = [discord.utils.escape_markdown(decision.text)]
    tally = tally_text(decision.votes_for, decision.votes_against, decision.abstain, decision.tally)
    if tally:
        parts.append(f"**Vote:** {tally}")
    if decision.topics:
        parts.append(f"**Topics:** {', '.join(decision.topics)}")
    parts.append(f"Source: {link(decision.report)}")
    return Entry(f"{iso(decision.meeting_date)} · {decision.subject}", "\n".join(parts))


def decisions(view: DecisionList) -> list[discord.Embed]:
    """`/decisions`: one field per decision with its vote and source."""
    description = f"{len(view.items)} decision{'s' if len(view.items) != 1 else ''}"
    if view.filters:
        description += f" · {' · '.join(view.filters)}"
    return paginate(
        view.heading,
        [_decision_entry(d) for d in view.items],
        description=description,
        empty="No decisions match.",
    )


def person(view: PersonProfile) -> list[discord.Embed]:
    """`/who`: roles, reports written, how often mentioned, quotes and decisions naming them."""
    lines: list[str] = []
    if view.aliases:
        lines.append(f"**Also called:** {', '.join(view.aliases)}")
    for role in view.roles:
        span = f" ({iso(role.start) if role.start else '?'} – {iso(role.end) if role.end else 'now'})"
        lines.append(f"**{role.role}**{span if role.start or role.end else ''}")
    lines.append(
        f"Mentioned {view.mention_count} time{'s' if view.mention_count != 1 else ''} "
        f"across {view.meetings_mentioned} meeting{'s' if view.meetings_mentioned != 1 else ''}"
        + (f"; latest {iso(view.latest_meeting)}." if view.latest_meeting else ".")
    )
    entries: list[Entry] = []
    if view.reports_written:
        written = "\n".join(f"{iso(r.meeting_date or r.published)} · {link(r)}" for r in view.reports_written)
        entries.append(Entry(f"Reports written ({len(view.reports_written)})", written))
    for quote in view.quotes:
        entries.append(
            Entry(
                f"{iso(quote.meeting_date)} · quoted",
                f"> {discord.utils.escape_markdown(quote.sentence)}\nSource: {link(quote.report)}",
            )
        )
    entries.extend(_decision_entry(d) for d in view.decisions)
    return paginate(view.name, entries, description="\n".join(lines))


def _merged_entry(decision: MergedDecision) -> Entry:
    parts = [discord.utils.escape_markdown(decision.text)]
    if decision.tallies:
        votes = "; ".join(f"{tally} ({who})" for who, tally in decision.tallies)
        warning = " ⚠ reports disagree" if decision.tallies_disagree else ""
        parts.append(f"**Vote:** {votes}{warning}")
    if decision.reported_by:
        parts.append(f"Reported by {', '.join(decision.reported_by)}")
    parts.append(f"Source: {link(decision.report)}")
    return Entry(decision.subject, "\n".join(parts))


def meeting(view: MeetingView) -> list[discord.Embed]:
    """`/meeting`: the reports of one meeting merged, decisions first, then key points."""
    lines = ["**Reports:** " + "; ".join(link(r) for r in view.reports)] if view.reports else []
    if view.people:
        lines.append(f"**People:** {', '.join(view.people)}")
    if view.topics:
        lines.append(f"**Topics:** {', '.join(view.topics)}")
    entries = [_merged_entry(d) for d in view.decisions]
    for section in view.key_points:
        points = "\n".join(f"• {discord.utils.escape_markdown(p)}" for p in section.points)
        if points:
            entries.append(Entry(section.heading, points))
    title = f"{view.body} · {iso(view.meeting_date)}"
    return paginate(title, entries, description="\n".join(lines), empty="No decisions recorded.")


def meetings(view: MeetingList) -> list[discord.Embed]:
    """`/latest`: newest meetings, each with its reports."""
    entries = []
    for item in view.items:
        count = f"{item.decision_count} decision{'s' if item.decision_count != 1 else ''}"
        reports = "\n".join(link(r) for r in item.reports) or "no linked reports"
        entries.append(Entry(f"{iso(item.meeting_date)} · {item.body}", f"{count}\n{reports}"))
    return paginate(view.heading, entries, empty="No meetings stored yet.")


def reports(view: ReportList) -> list[discord.Embed]:
    """`/reports`: one line per report with its link."""
    entries = [
        Entry(f"{iso(r.meeting_date or r.published)} · {clip(r.title or 'report', 200)}", link(r)) for r in view.items
    ]
    return paginate(view.heading, entries, empty="No reports match.")


def search(view: SearchResults) -> list[discord.Embed]:
    """`/search`: ranked hits with the matched words in bold."""
    entries = [
        Entry(f"{iso(hit.meeting_date)} · {hit.title}", f"{hit.snippet}\nSource: {link(hit.report)}")
        for hit in view.hits
    ]
    title = f"Search: {view.query}"
    return paginate(title, entries, empty="No results. Try fewer or different words.")


def about(stats: Stats, sources: Sequence[SourceView], version: str) -> list[discord.Embed]:
    """`/about`: what the bot is, what it holds, where its reports come from."""
    description = (
        "NEC Digest collects NEC members' reports of Labour National Executive Committee meetings, "
        "and answers with the decisions, votes and people in them, always linking to the source."
    )
    counts = (
        f"{stats.reports} reports of {stats.meetings} meetings\n{stats.decisions} decisions, "
        f"{stats.people} people\n{stats.sources} sources followed, {stats.subscriptions} digest subscriptions"
    )
    if stats.latest_meeting:
        counts += f"\nLatest meeting: {iso(stats.latest_meeting)}"
    entries = [Entry("What it holds", counts)]
    if sources:
        entries.append(Entry("Sources", "\n".join(s.url for s in sources)))
    entries.append(Entry("Version", version))
    return paginate("About NEC Digest", entries, description=description, per_page=FIELDS_LIMIT)


def source_list(items: Sequence[SourceView]) -> list[discord.Embed]:
    """`/source list`: each source's fetch state."""
    entries = []
    for source in items:
        state = "paused" if source.paused else "active"
        lines = [source.url, f"{source.kind} · {state}"]
        lines.append(f"Last success: {iso(source.last_success) if source.last_success else 'never'}")
        if source.last_error:
            lines.append(f"Last error: {source.last_error}")
        entries.append(Entry(f"#{source.id}", "\n".join(lines)))
    return paginate("Sources", entries, empty="No sources yet. Add one with /source add.")


def subscription_list(items: Sequence[SubscriptionView]) -> list[discord.Embed]:
    """`/digest list`: this server's digest subscriptions."""
    entries = []
    for sub in items:
        filters = [
            f"{k}: {v}" for k, v in (("topic", sub.topic), ("person", sub.person), ("keyword", sub.keyword)) if v
        ]
        lines = [f"<#{sub.channel_id}> · {sub.schedule} ({sub.timezone})", f"State: {sub.state}"]
        if sub.paused_reason:
            lines.append(f"Paused because: {sub.paused_reason}")
        if filters:
            lines.append("Filters: " + ", ".join(filters))
        if sub.next_run:
            lines.append(f"Next: {discord.utils.format_dt(sub.next_run, 'f')}")
        entries.append(Entry(f"#{sub.id}", "\n".join(lines)))
    return paginate("Digest subscriptions", entries, empty="No subscriptions. Add one with /digest subscribe.")


def ingest_outcome(outcome: IngestOutcome) -> list[discord.Embed]:
    """`/ingest`: what happened to the uploaded report."""
    lines = [f"**{outcome.status.capitalize()}**: {outcome.target}"]
    if outcome.title:
        lines.append(f"Title: {outcome.title}")
    if outcome.meeting_date:
        lines.append(f"Meeting: {iso(outcome.meeting_date)}")
    if outcome.reason:
        lines.append(f"Note: {outcome.reason}")
    return paginate("Ingest", [], description="\n".join(lines))
