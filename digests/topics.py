"""Topic tagging from a controlled vocabulary (placeholder: returns nothing until implemented)."""

from __future__ import annotations


def assign_topics(text: str) -> list[str]:
    """Topic names from the controlled vocabulary that the text is about."""
    return []
