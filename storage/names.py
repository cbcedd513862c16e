"""Normalised keys for names and titles, so lookups ignore case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_key(text: str) -> str:
    """ "Iain McNicol" -> "iain mcnicol"; "Séan O'Neill" -> "sean o neill"."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", folded).strip()


def title_key(title: str) -> str:
    """A title's key for near-duplicate lookups (at most 500 characters)."""
    return name_key(title)[:500]
