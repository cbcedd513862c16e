"""Decision and vote-tally extraction (placeholder: returns nothing until implemented)."""

from __future__ import annotations

from datetime import date

from digests.model import Decision, Section


def extract_decisions(sections: list[Section], *, meeting_date: date | None) -> list[Decision]:
    """Decisions the NEC or its committees took, in report order."""
    return []
