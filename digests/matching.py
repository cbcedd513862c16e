"""Exact shortcuts for matching words quickly: the same results as the plain regular expressions, less work.

Python's regex engine tries every alternative of an alternation at every place it might start, and skips
an alternative at once only when it opens with a case-sensitive literal. These helpers let patterns keep
that property, so the parse stays fast on long reports without changing what it finds.
"""

from __future__ import annotations

import re

# Under re.IGNORECASE an ASCII letter matches its other case and these four non-ASCII letters, no others
# (a test checks): İ ı ſ and the Kelvin sign K.
_NON_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def ascii_lower(text: str) -> str | None:
    """`text` with its ASCII letters in lower case (nothing else changed, same length), or None when it holds
    one of the four non-ASCII letters that IGNORECASE matches to ASCII ones.

    A lower-case ASCII word is then in the result exactly when a case-insensitive search would find it in
    `text`: a quick `in` test can stand in for a regex search, or run a case-sensitive pattern instead.
    """
    if _NON_ASCII_FOLDS.search(text):
        return None
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def alternation_by_first_character(phrases: list[str]) -> str:
    """`a|b|c` for literal phrases, grouped by first character: the same matches with the same preference
    (phrases that can match at one place share their first character and keep their order), but at each
    place the regex engine tries the group for one character instead of every phrase."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        if phrase:
            groups.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    empty = "|" if "" in phrases else ""
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items()) + empty
