"""Phone numbers, e-mail addresses and street addresses: find them, and redact them from shown text.

Reports sometimes end with the author's home address and phone number; the bot must never repost them.
Every pattern starts with a look-behind that fails inside a run of the same characters, so a scan is
linear even on adversarial input (a 5 MB line of letters or digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from digests.model import PrivateDetail

REDACTED = "[redacted]"

# Patterns start with a plain character class (no look-behind) so the regex engine can skip quickly to
# candidate positions; what may precede a match is checked in Python (`_starts_cleanly`).
_EMAIL_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-][\w!#$%&'*+/=?^`{|}~.-]{0,63}\Z")
_EMAIL_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z][A-Za-z0-9-]{0,62}(?![\w-])"
)
# `[+(]?\d...` written to open with one plain class; the look-behinds then ask for a digit after "+" or "(".
_DIGIT_RUN = re.compile(r"[+(\d](?:(?<=[+(])\d|(?<=\d))[\d\s().-]*\d\)?")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\(?\d\)?){7,13}(?!\d)")
_PHONE_UK = re.compile(r"(?<![\w+])\(?0\d{2,4}\)?(?:[\s.-]?\d){6,8}(?!\d)")
_PHONE_US = re.compile(r"(?<![\w+])\(?[2-9]\d{2}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)")
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Way|Place|Pl|Terrace|Gardens|Grove|Court"
    "|Ct|Square|Sq|Hill|Row|Walk|Mews|Parade|Park|Boulevard|Blvd|Rise|View|Green"
)
_ADDRESS = re.compile(r"\d\d{0,3}[A-Za-z]?,?\s+(?:[A-Z][\w'’-]{0,30}\s+){1,3}(?:" + _STREET_TYPES + r")\b\.?")
# `(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)...` written to open with one plain class (the look-behind keeps "GIR").
_POSTCODE = re.compile(r"[A-Z](?:[A-Z]?\d[A-Z\d]?|(?<=G)IR)\s?\d[A-Z]{2}(?![\w-])")
_NOT_BEFORE_ADDRESS = re.compile(r"[\w£$€.,]")
_NOT_BEFORE_POSTCODE = re.compile(r"[\w-]")
_NOT_BEFORE_DIGITS = re.compile(r"[\w+]")
# Famous public addresses are news, not private details.
_PUBLIC_ADDRESSES = re.compile(r"\b(?:10|11) Downing Street\b|\b1600 Pennsylvania Avenue\b")


def find_private_details(text: str) -> list[PrivateDetail]:
    """Phone numbers, e-mail addresses, street addresses and postcodes in `text`, in order, once each."""
    return _unique_details(sorted(_matches(text)))


def _unique_details(matches: list[tuple[int, int, str, str]]) -> list[PrivateDetail]:
    seen: set[tuple[str, str]] = set()
    details: list[PrivateDetail] = []
    for _start, _end, kind, found in matches:
        if (kind, found) not in seen:
            seen.add((kind, found))
            details.append(PrivateDetail(kind=kind, text=found))
    return details


def redact(text: str) -> str:
    """`text` with every private detail replaced by "[redacted]"."""
    return scan(text)[0]


def scan(text: str) -> tuple[str, list[PrivateDetail]]:
    """One pass over `text`: the redacted text and the private details found in it."""
    matches = sorted(_matches(text))
    details = _unique_details(matches)
    spans = [(start, end) for start, end, _kind, _found in matches]
    if not spans:
        return text, details
    out: list[str] = []
    position = 0
    for start, end in _merge(spans):
        out.append(text[position:start])
        out.append(REDACTED)
        position = end
    out.append(text[position:])
    return "".join(out), details


def _ascii_digits(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with each `\\d` written as `0-9`: the same matches in a text with no non-ASCII decimal digit.

    A plain range is a bitmap to the regex engine, where `\\d` asks the Unicode database about every
    character: the scans that open with a digit look at each character of a report, and run far faster."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern.pattern:
        if escaped:
            out.append(("0-9" if in_class else "[0-9]") if char == "d" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
            if char == "[":
                in_class = True
            elif char == "]":
                in_class = False
    return re.compile("".join(out), pattern.flags)


_DIGIT_RUN_ASCII, _ADDRESS_ASCII, _POSTCODE_ASCII = (_ascii_digits(p) for p in (_DIGIT_RUN, _ADDRESS, _POSTCODE))
_ASCII_BYTES = bytes(range(128))


def _has_non_ascii_digit(text: str) -> bool:
    """Whether `text` holds a decimal digit other than 0-9 (what `\\d` matches besides them)."""
    if text.isascii():
        return False
    # The text's non-ASCII characters alone: its UTF-8 bytes without the ASCII ones, at C speed.
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return any(char.isdecimal() for char in rest)


def _matches(text: str) -> list[tuple[int, int, str, str]]:
    found = _emails(text)
    if _has_non_ascii_digit(text):
        digit_runs: Iterable[re.Match[str]] = _DIGIT_RUN.finditer(text)
        addresses: Iterable[re.Match[str]] = _ADDRESS.finditer(text)
        postcodes: Iterable[re.Match[str]] = _POSTCODE.finditer(text)
    else:
        # Speed: the places where a digit-led pattern can start, found at C speed in a one-byte-a-character
        # copy of the text (digits as "0", "+" and "(" as "+", capitals as "A"), and each pattern tried
        # only there; the postcode pattern only when a digit before two capitals shows it can match at all.
        skeleton = text.encode("ascii", "replace").translate(_SKELETON)
        digits = _places(skeleton, b"0")
        digit_runs = _matches_at(_DIGIT_RUN_ASCII, text, sorted(digits + _places(skeleton, b"+")))
        addresses = _matches_at(_ADDRESS_ASCII, text, digits)
        postcodes = _POSTCODE_ASCII.finditer(text) if b"0AA" in skeleton else ()
    for run in digit_runs:
        # A phone number has at least 8 digits: shorter runs (vote counts, years) cannot hold one.
        if len(run.group()) >= 8 and _starts_cleanly(text, run.start(), _NOT_BEFORE_DIGITS):
            found.extend(_phones_in(run.group(), run.start()))
    for match in addresses:
        if _starts_cleanly(text, match.start(), _NOT_BEFORE_ADDRESS) and not _PUBLIC_ADDRESSES.search(match.group()):
            found.append((match.start(), match.end(), "address", match.group()))
    for match in postcodes:
        if _starts_cleanly(text, match.start(), _NOT_BEFORE_POSTCODE):
            found.append((match.start(), match.end(), "postcode", match.group()))
    return found


# ASCII digits to "0", "+" and "(" to "+", capitals to "A" (other bytes stay as they are; non-ASCII characters
# are already "?"): a digit-led match can start only at a "0" or "+", a postcode ends with "0AA".
_SKELETON = bytes.maketrans(b"0123456789+(ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0000000000++" + b"A" * 26)


def _places(skeleton: bytes, byte: bytes) -> list[int]:
    """Every index of `byte` in `skeleton`, in order."""
    places: list[int] = []
    at = skeleton.find(byte)
    while at != -1:
        places.append(at)
        at = skeleton.find(byte, at + 1)
    return places


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose (non-empty) matches can start only at `starts`."""
    position = 0
    for start in starts:
        if start >= position and (match := pattern.match(text, start)) is not None:
            yield match
            position = match.end()


def _starts_cleanly(text: str, start: int, not_before: re.Pattern[str]) -> bool:
    return start == 0 or not not_before.match(text, start - 1)


def _emails(text: str) -> list[tuple[int, int, str, str]]:
    """Find each "@" (a fast literal search) and grow the address around it."""
    found: list[tuple[int, int, str, str]] = []
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            found.append((local.start(), domain.end(), "email", text[local.start() : domain.end()]))
        at = text.find("@", at + 1)
    return found


def _phones_in(run: str, offset: int) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    for pattern in (_PHONE_INTL, _PHONE_UK, _PHONE_US):
        for match in pattern.finditer(run):
            if _plausible_phone(match.group()):
                found.append((offset + match.start(), offset + match.end(), "phone", match.group().strip()))
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
