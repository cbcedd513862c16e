"""The parser's output: plain typed objects, no Discord, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PARSER_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Tally:
    """A vote count as a report gives it; `unanimous` when no figures are given but all agreed."""

    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    unanimous: bool = False

    def label(self) -> str:
        """Human form: "19 to 11", "21 to 10 with 1 abstention", "unanimously"."""
        if self.unanimous and self.votes_for is None:
            return "unanimously"
        parts = f"{self.votes_for if self.votes_for is not None else '?'} to "
        parts += f"{self.votes_against if self.votes_against is not None else '?'}"
        if self.abstain:
            parts += f" with {self.abstain} abstention{'s' if self.abstain != 1 else ''}"
        return parts


@dataclass(slots=True)
class Section:
    """One headed part of a report; `items` are its bullets or numbered points."""

    heading: str | None
    text: str
    items: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Decision:
    """Something the NEC (or one of its committees) decided, with the sentence that says so."""

    text: str
    subject: str
    section: str | None = None
    tally: Tally | None = None
    topics: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    committee: str | None = None


@dataclass(slots=True)
class PersonMention:
    """A person named in the report body, under their canonical full name."""

    name: str
    mentions: int = 1
    aliases: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PrivateDetail:
    """A phone number, e-mail address or street address found in the input; never displayed."""

    kind: str
    text: str


@dataclass(slots=True)
class ParsedReport:
    """Everything the parser learned from one report."""

    title: str | None
    meeting_date: date | None
    published: date | None
    authors: list[str]
    body: str | None
    sections: list[Section] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    private_details: list[PrivateDetail] = field(default_factory=list)
    clean_text: str = ""
    removed: list[str] = field(default_factory=list)
    other_meeting_dates: list[date] = field(default_factory=list)
    parser_version: str = PARSER_VERSION

    def to_json_dict(self, *, debug: bool = False) -> dict[str, Any]:
        """The JSON shape of DESIGN.md §3 (extra keys allowed, these keep their meaning)."""
        out: dict[str, Any] = {
            "title": self.title,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "published": self.published.isoformat() if self.published else None,
            "authors": list(self.authors),
            "body": self.body,
            "sections": [{"heading": s.heading, "text": s.text, "items": list(s.items)} for s in self.sections],
            "decisions": [
                {
                    "text": d.text,
                    "subject": d.subject,
                    "for": d.tally.votes_for if d.tally else None,
                    "against": d.tally.votes_against if d.tally else None,
                    "abstain": d.tally.abstain if d.tally else None,
                    "unanimous": bool(d.tally and d.tally.unanimous),
                    "section": d.section,
                    "topics": list(d.topics),
                    "people": list(d.people),
                    "committee": d.committee,
                }
                for d in self.decisions
            ],
            "people": [
                {"name": p.name, "mentions": p.mentions, "aliases": list(p.aliases), "roles": list(p.roles)}
                for p in self.people
            ],
            "topics": list(self.topics),
            "warnings": list(self.warnings),
            "other_meeting_dates": [d.isoformat() for d in self.other_meeting_dates],
            "parser_version": self.parser_version,
        }
        if debug:
            out["removed"] = list(self.removed)
            out["private_details"] = [{"kind": p.kind, "text": p.text} for p in self.private_details]
        return out
