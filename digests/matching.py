"""Exact shortcuts for matching words quickly: the same results as the plain regular expressions, less work.

Python's regex engine tries every alternative of an alternation at every place it might start, and skips
an alternative at once only when it opens with a case-sensitive literal. These helpers let patterns keep
that property, so the parse stays fast on long reports without changing what it finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Under re.IGNORECASE an ASCII letter matches its other case and these four non-ASCII letters, no others
# (a test checks): İ ı ſ and the Kelvin sign K.
_NON_ASCII_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")


def ascii_lower(text: str) -> str | None:
    """`text` with its ASCII letters in lower case (nothing else changed, same length), or None when it holds
    one of the four non-ASCII letters that IGNORECASE matches to ASCII ones.

    A lower-case ASCII word is then in the result exactly when a case-insensitive search would find it in
    `text`: a quick `in` test can stand in for a regex search, or run a case-sensitive pattern instead.
    """
    if text.isascii():
        return text.lower()  # the common case; for ASCII text str.lower changes exactly the ASCII letters
    # Four substring tests: on a long text, many times faster than one search for a class of four characters.
    if any(letter in text for letter in _NON_ASCII_FOLDS):
        return None
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of the words is in `text`. Substring tests run in C at a few instructions a character;
    a regex alternation of the words stops at every letter that opens one of them, and costs more."""
    for word in words:  # noqa: SIM110 (a plain loop: `any` over a generator costs more per word)
        if word in text:
            return True
    return False


def alternation_by_first_character(phrases: Sequence[str]) -> str:
    """`a|b|c` for literal phrases, grouped by first character: the same matches with the same preference
    (phrases that can match at one place share their first character and keep their order), but at each
    place the regex engine tries the group for one character instead of every phrase."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        if phrase:
            groups.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    empty = "|" if "" in phrases else ""
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items()) + empty


def word_alternation(phrases: list[str]) -> str:
    """`\\b(?:a|b|c)` for literal phrases that start with a word character, in a form the engine can skip to.

    A pattern that opens with `\\b` is tried at every place in the text; one that opens with a choice of
    literal characters lets the engine jump to the places holding one of them. So the boundary moves after
    each phrase's first character: `(?<!\\w\\w)` there says the character before that one is no word
    character (or there is none), which is what `\\b` before a word character says. Same matches, same
    preference as `alternation_by_first_character`.
    """
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        if not re.match(r"\w", phrase):
            raise ValueError(f"{phrase!r} does not start with a word character")
        groups.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    return "|".join(rf"{re.escape(first)}(?<!\w\w)(?:{'|'.join(rests)})" for first, rests in groups.items())


# What `lower_twin` refuses outside escapes (`\S`, `\B` and the like keep their meaning in any case): a
# capital, a non-ASCII character (IGNORECASE folds it, `ascii_lower` does not) or an inline flag.
_NOT_TWINNABLE = re.compile(r"\\.|([A-Z]|[^\x00-\x7f]|\(\?[aiLmsux-]+[:)])", re.DOTALL)


def lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of a case-insensitive pattern written in lower case: run on `ascii_lower(text)`
    it matches at the same places as `pattern` on `text` (when that is not None), with the groups in lower
    case. Case-insensitive matching compares every letter in both cases; the twin is several times faster.
    """
    if not pattern.flags & re.IGNORECASE:
        raise ValueError(f"{pattern.pattern!r} is not case-insensitive")
    if any(m.group(1) for m in _NOT_TWINNABLE.finditer(pattern.pattern)):
        raise ValueError(f"{pattern.pattern!r} has a capital, a non-ASCII character or an inline flag")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
