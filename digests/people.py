"""People extraction and resolution (placeholder: returns nothing until implemented)."""

from __future__ import annotations

from datetime import date

from digests.model import PersonMention, Section


def extract_people(
    sections: list[Section], *, title: str | None, authors: list[str], meeting_date: date | None
) -> list[PersonMention]:
    """People named in the report body under canonical full names, most mentioned first."""
    return []
