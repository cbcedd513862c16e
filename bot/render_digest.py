"""Render a DigestView as Discord embeds (split to fit Discord's limits) or as terminal text.

Nothing is cut: a digest too long for one embed continues in the next, and embeds are grouped
into messages that respect the per-message limits (10 embeds, 6,000 characters in all).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import discord

from digests.views import DigestView, MeetingDigest, MergedDecision, ReportRef

# Discord's documented embed limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBEDS_PER_MESSAGE = 10
MESSAGE_CHARS_LIMIT = 6000
EMBED_COLOUR = 0xE4003B  # Labour red
CONTINUED = " (continued)"
# Room kept in every message for the reference marker the digest service adds to its last footer
# (`· ref <nonce>`), which lets a restarted bot find a message it posted before it crashed.
MARKER_RESERVE = 40


@dataclass(frozen=True, slots=True)
class _Block:
    """One meeting's content as titled lines, shared by the embed and text renderers."""

    title: str
    url: str | None
    lines: tuple[str, ...]


def _date_label(meeting: MeetingDigest) -> str:
    return f"{meeting.meeting_date.day} {meeting.meeting_date:%B %Y}"


def _link(text: str, url: str | None, *, markdown: bool) -> str:
    if not url:
        return text
    if markdown:
        safe = text.replace("[", "(").replace("]", ")")
        return f"[{safe}]({url})"
    return f"{text} <{url}>"


def _reporters(reports: tuple[ReportRef, ...], *, markdown: bool) -> str:
    """Each reporter linked to their report; a report without authors is shown by its title."""
    links: list[str] = []
    for report in reports:
        names = report.authors or (report.title,)
        links.extend(_link(name, report.url, markdown=markdown) for name in names)
    return "Reported by " + ", ".join(links) if links else ""


def _tally_note(decision: MergedDecision) -> str:
    if not decision.tallies:
        return ""
    if decision.tallies_disagree:
        return " — tallies differ: " + "; ".join(f"{who}: {tally}" for who, tally in decision.tallies)
    tally = decision.tallies[0][1]
    numbers = [w for w in tally.split() if w.isdigit()]
    if len(numbers) >= 2 and f"{numbers[0]} votes to {numbers[1]}" in decision.text:
        return ""  # the sentence already gives the vote
    return f" — {tally}"


def _decision_line(decision: MergedDecision, *, markdown: bool) -> str:
    text = decision.text.strip()
    subject = decision.subject.strip()
    lead = ""
    subject_words = set(subject.casefold().split())
    shared = subject_words & set(text.casefold().split())
    # A subject that mostly repeats the sentence adds nothing; one that names the matter does.
    if subject and len(shared) < 0.6 * len(subject_words):
        lead = f"**{subject}**: " if markdown else f"{subject}: "
    by = f" (reported by {', '.join(decision.reported_by)})" if len(decision.reported_by) > 1 else ""
    return f"• {lead}{text}{_tally_note(decision)}{by}"


def _meeting_block(meeting: MeetingDigest, *, markdown: bool) -> _Block:
    bold = (lambda s: f"**{s}**") if markdown else (lambda s: s.upper())
    lines: list[str] = []
    reporters = _reporters(meeting.reports, markdown=markdown)
    if reporters:
        lines.append(reporters)
    if meeting.decisions:
        lines += ["", bold("Decisions")]
        lines += [_decision_line(d, markdown=markdown) for d in meeting.decisions]
    if meeting.key_points:
        lines += ["", bold("Key points")]
        for section in meeting.key_points:
            lines.append(f"__{section.heading}__" if markdown else f"{section.heading}:")
            lines += [f"• {point}" for point in section.points]
    if meeting.people:
        lines += ["", f"{bold('People')}: {', '.join(meeting.people)}"]
    if meeting.topics:
        lines.append(f"{bold('Topics')}: {', '.join(meeting.topics)}")
    url = next((r.url for r in meeting.reports if r.url), None)
    return _Block(title=f"{meeting.kind} — {_date_label(meeting)}", url=url, lines=tuple(lines))


def _split_long_line(line: str, limit: int) -> Iterator[str]:
    """Split a line longer than `limit` at spaces (or hard, for a single huge word)."""
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        yield line[:cut]
        line = line[cut:].lstrip()
    if line:
        yield line


def _descriptions(lines: tuple[str, ...], limit: int) -> list[str]:
    """Pack lines into descriptions of at most `limit` characters, never dropping one."""
    chunks: list[str] = []
    current = ""
    for raw in lines:
        for line in _split_long_line(raw, limit):
            candidate = f"{current}\n{line}" if current else line
            if len(candidate) > limit:
                chunks.append(current.strip("\n"))
                current = line
            else:
                current = candidate
    if current.strip():
        chunks.append(current.strip("\n"))
    return [c for c in chunks if c] or [""]


def _embed_size(embed: discord.Embed) -> int:
    return len(embed)


def digest_embeds(view: DigestView) -> list[list[discord.Embed]]:
    """The digest as messages of embeds, each message within Discord's limits."""
    footer = "NEC Digest" + (f" · {' · '.join(view.filters)}" if view.filters else "")
    footer = footer[:FOOTER_LIMIT]
    embeds: list[discord.Embed] = []
    if not view.meetings:
        embeds.append(
            discord.Embed(title=view.heading[:TITLE_LIMIT], description="No meetings match.", colour=EMBED_COLOUR)
        )
    for meeting in view.meetings:
        block = _meeting_block(meeting, markdown=True)
        title = block.title[:TITLE_LIMIT]
        # Leave room for the title, footer and author so one embed never exceeds 6,000 characters.
        limit = min(DESCRIPTION_LIMIT, MESSAGE_CHARS_LIMIT - TITLE_LIMIT - len(footer) - AUTHOR_LIMIT - MARKER_RESERVE)
        for index, description in enumerate(_descriptions(block.lines, limit)):
            head = title if index == 0 else (title[: TITLE_LIMIT - len(CONTINUED)] + CONTINUED)
            embed = discord.Embed(title=head, description=description, colour=EMBED_COLOUR, url=block.url)
            embed.set_footer(text=footer)
            embeds.append(embed)
    embeds[0].set_author(name=view.heading[:AUTHOR_LIMIT])
    messages: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        budget = MESSAGE_CHARS_LIMIT - MARKER_RESERVE
        if messages and len(messages[-1]) < EMBEDS_PER_MESSAGE and size + _embed_size(embed) <= budget:
            messages[-1].append(embed)
            size += _embed_size(embed)
        else:
            messages.append([embed])
            size = _embed_size(embed)
    return messages


def mark_message(embeds: list[discord.Embed], ref: str) -> list[discord.Embed]:
    """Copies of `embeds` whose last footer ends with `· ref <ref>` (ref is at most 25 characters)."""
    marked = [e.copy() for e in embeds]
    last = marked[-1]
    text = last.footer.text or "NEC Digest"
    last.set_footer(text=f"{text} · ref {ref[: MARKER_RESERVE - 8]}")
    return marked


def digest_text(view: DigestView) -> str:
    """The digest as plain text for the terminal (`necdigest digest`)."""
    out = [view.heading]
    if view.filters:
        out.append("Filters: " + ", ".join(view.filters))
    if not view.meetings:
        out += ["", "No meetings match."]
    for meeting in view.meetings:
        block = _meeting_block(meeting, markdown=False)
        out += ["", block.title, "=" * len(block.title), *block.lines]
    return "\n".join(out) + "\n"
