"""Which committee a report is about: the Labour NEC, another named body, or none (not a meeting report)."""

from __future__ import annotations

import re

LABOUR_NEC = "Labour NEC"

_NEC = re.compile(r"\bNEC\b|\bN\.E\.C\.|\bnational executive(?: committee)?\b", re.IGNORECASE)
_NEC_STRICT = re.compile(r"\bNEC\b|\b[Nn]ational [Ee]xecutive [Cc]ommittee\b")
_MEETING_WORDS = re.compile(r"\b(?:meeting|meetings|met|minutes|agenda|agreed|report|reports)\b", re.IGNORECASE)
_BODY_KINDS = r"(?:Executive Committee|Executive|Committee|Forum|Council|Board|Panel|Assembly|Commission|Cabinet)"
_OTHER_BODY = re.compile(r"((?:[A-Z][\w’'&.-]*\s+){1,5})" + _BODY_KINDS + r"\b")
_LEADING_NOISE = frozenset({"report", "minutes", "meeting", "of", "the", "from", "on", "a", "an", "notes", "update"})


def detect_body(title: str | None, opening: str, text: str) -> str | None:
    """ "Labour NEC", another committee's name, or None when the text is not a meeting report.

    `opening` is the header and first paragraphs; `text` the whole body.
    """
    title = title or ""
    if title.isupper():
        title = title.title()  # "NORTHSHIRE EXECUTIVE – MINUTES" names its body like any other title
    if _NEC.search(title):
        return LABOUR_NEC
    other = _other_body(title) if _MEETING_WORDS.search(title) else None
    if other:
        return other
    if _NEC.search(opening) and _MEETING_WORDS.search(opening):
        return LABOUR_NEC
    other = _other_body_meeting(opening)
    if other:
        return other
    if len(_NEC_STRICT.findall(text)) >= 2 and _MEETING_WORDS.search(text):
        return LABOUR_NEC
    return None


def _other_body(text: str) -> str | None:
    for match in _OTHER_BODY.finditer(text):
        tokens = match.group(0).split()
        while tokens and tokens[0].lower().strip(":–-") in _LEADING_NOISE:
            tokens.pop(0)
        if len(tokens) >= 2:
            return " ".join(tokens)
    return None


def _other_body_meeting(opening: str) -> str | None:
    """A named body in a sentence that says it met ("The Northshire County Executive met on ...")."""
    for match in _OTHER_BODY.finditer(opening[:3000]):
        before = opening[max(0, match.start() - 20) : match.start()]
        after = opening[match.end() : match.end() + 12]
        if re.search(r"\bmeeting of (?:the )?$", before) or re.match(r"\s+(?:met|meeting)\b", after):
            found = _other_body(match.group(0))
            if found:
                return found
    return None
