"""Phone numbers, e-mail addresses and street addresses: find them, and redact them from shown text.

Reports sometimes end with the author's home address and phone number; the bot must never repost them.
Every pattern starts with a look-behind that fails inside a run of the same characters, so a scan is
linear even on adversarial input (a 5 MB line of letters or digits).
"""

from __future__ import annotations

import re

from digests.model import PrivateDetail

REDACTED = "[redacted]"

_EMAIL = re.compile(
    r"(?<![\w!#$%&'*+/=?^`{|}~.-])[\w!#$%&'*+/=?^`{|}~-][\w!#$%&'*+/=?^`{|}~.-]{0,63}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z][A-Za-z0-9-]{0,62}(?![\w-])"
)
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\(?\d\)?){7,13}(?!\d)")
_PHONE_UK = re.compile(r"(?<![\w+])\(?0\d{2,4}\)?(?:[\s.-]?\d){6,8}(?!\d)")
_PHONE_US = re.compile(r"(?<![\w+])\(?[2-9]\d{2}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)")
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Way|Place|Pl|Terrace|Gardens|Grove|Court"
    "|Ct|Square|Sq|Hill|Row|Walk|Mews|Parade|Park|Boulevard|Blvd|Rise|View|Green"
)
_ADDRESS = re.compile(
    r"(?<![\w£$€.,])\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]{0,30}\s+){1,3}(?:" + _STREET_TYPES + r")\b\.?"
)
_POSTCODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}(?![\w-])")
# Famous public addresses are news, not private details.
_PUBLIC_ADDRESSES = re.compile(r"\b(?:10|11) Downing Street\b|\b1600 Pennsylvania Avenue\b")


def find_private_details(text: str) -> list[PrivateDetail]:
    """Phone numbers, e-mail addresses, street addresses and postcodes in `text`, in order, once each."""
    seen: set[tuple[str, str]] = set()
    details: list[PrivateDetail] = []
    for _start, _end, kind, found in sorted(_matches(text)):
        if (kind, found) not in seen:
            seen.add((kind, found))
            details.append(PrivateDetail(kind=kind, text=found))
    return details


def redact(text: str) -> str:
    """`text` with every private detail replaced by "[redacted]"."""
    spans = sorted((start, end) for start, end, _kind, _found in _matches(text))
    if not spans:
        return text
    out: list[str] = []
    position = 0
    for start, end in _merge(spans):
        out.append(text[position:start])
        out.append(REDACTED)
        position = end
    out.append(text[position:])
    return "".join(out)


def _matches(text: str) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    if "@" in text:
        found.extend((m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text))
    for pattern in (_PHONE_INTL, _PHONE_UK, _PHONE_US):
        for match in pattern.finditer(text):
            if _plausible_phone(match.group()):
                found.append((match.start(), match.end(), "phone", match.group().strip()))
    for match in _ADDRESS.finditer(text):
        if not _PUBLIC_ADDRESSES.search(match.group()):
            found.append((match.start(), match.end(), "address", match.group()))
    found.extend((m.start(), m.end(), "postcode", m.group()) for m in _POSTCODE.finditer(text))
    return found


def _plausible_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15
    if candidate.lstrip("(").startswith("0"):
        return 10 <= digits <= 11
    return digits == 10


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
