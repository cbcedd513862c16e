"""Who wrote a report: bylines, sign-offs, blog strap-lines, "X reports from ..." titles, several authors.

Names must look like a person's name (2-4 capitalised words, none an organisation word); a lone name
line also needs a known first name, because a short heading ("Defining Moments") has the same shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from digests.given_names import common_given_names
from digests.memo import remembered_in_parse

_TOKEN = re.compile(r"^(?:[A-Z][a-z]{0,2}['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_PARTICLES = frozenset({"de", "van", "von", "da", "del", "der", "den", "bin", "al", "le", "la", "di", "du"})
_HONORIFICS = re.compile(
    r"^(?:(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame|Baroness|Lord|Lady|Rt Hon|The Rt Hon)\.?\s+)+"
)
_SUFFIXES = re.compile(r"(?:,?\s+(?:MP|MEP|MSP|MS|AM|QC|KC|OBE|MBE|CBE|Cllr|JP))+\.?$")
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")

_BY = re.compile(
    r"^(?:(?:written|posted|published|reported|report|words)\s+)?by\s+(?P<names>[^|\n]{3,160}?)\s*"
    r"(?:\||[-–—]|\bon\b|\bin\b|\bat\s+\d{1,2}[:.]\d\d|$)",
    re.IGNORECASE,
)
_POSTED_ON_BY = re.compile(r"\bby\s+(?P<names>[A-Z][^|\n]{2,120}?)\s*(?:\||\bat\s+\d{1,2}[:.]\d\d|\bon\b|$)")
_REPORTS_FROM = re.compile(
    r"^(?P<names>[A-Z][^:\n]{2,120}?)\s+(?:reports?|reporting|writes|write|reflects?)\s+(?:back\s+)?(?:from|on)\b"
)
_OWNER_OF_REPORT = re.compile(
    r"^(?P<names>[A-Z][^:\n]{2,80}?)(?:['’]s?\s+(?:[\w-]+\s+){0,3}(?:report|update|notes)\b|\s*:\s*(?:[\w-]+\s+){0,3}"
    r"(?:report|update|notes)\b)",
    re.IGNORECASE,
)
_REPORT_BY = re.compile(r"\breport\s+(?:by|from)\s+(?P<names>[A-Z][^:\n]{2,120}?)\s*(?:[:,(–—-]|$)", re.IGNORECASE)
_STRAP_BY = re.compile(
    r"\b(?:blog|website|site|newsletter|journal)\s+(?:by|of|from)\s+(?P<names>[A-Z][^\n]{2,120}?)"
    r"(?:\s+(?:about|on|covering|for)\b|[,.;:|(–—-]|$)"
)
_DASH_SIGNOFF = re.compile(r"^(?:—|–|--)\s*(?P<names>[^\n]{3,120})$")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    given_names: frozenset[str]
    not_name_words: frozenset[str]
    signatures: tuple[tuple[str, tuple[str, ...]], ...]


@cache
def _vocabulary() -> _Vocabulary:
    raw = json.loads(resources.files("digests").joinpath("data/authors.json").read_text(encoding="utf-8"))
    return _Vocabulary(
        given_names=common_given_names(),
        not_name_words=frozenset(word.lower() for word in raw["not_name_words"]),
        signatures=tuple((name, tuple(phrases)) for name, phrases in raw["signatures"].items()),
    )


def clean_name(raw: str) -> str:
    """A name without honorifics, post-nominals, emphasis or surrounding punctuation."""
    name = raw.strip().strip("*_#\"'“”‘’()[]").strip()
    name = _HONORIFICS.sub("", name)
    name = _SUFFIXES.sub("", name)
    return " ".join(name.split()).strip(" ,.;:")


def looks_like_person(name: str) -> bool:
    """2-4 capitalised words (initials and particles allowed inside), none an organisation or common word."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    vocabulary = _vocabulary()
    for position, token in enumerate(tokens):
        inner = 0 < position < len(tokens) - 1
        if inner and (token in _PARTICLES or _INITIAL.match(token)):
            continue
        if not _TOKEN.match(token) or token.lower() in vocabulary.not_name_words:
            return False
    return True


def has_known_first_name(name: str) -> bool:
    """The first word is a first name from the vocabulary (for lone name lines)."""
    first = name.split()[0] if name.split() else ""
    return first in _vocabulary().given_names


def names_in(raw: str) -> list[str]:
    """Person names in a list like "Jane Doe, John Roe and Ann Poe"; empty if any part is not a name."""
    parts = [clean_name(part) for part in _NAME_SPLIT.split(raw) if part.strip()]
    if not parts or not all(looks_like_person(part) for part in parts):
        return []
    return parts


def leading_names(raw: str) -> list[str]:
    """The names a byline's text starts with, before any description: "Jane Doe, CLP Secretary" gives
    Jane Doe; "the CLP members of the NEC: Jane Doe and John Roe" gives both (names after the colon)."""
    if ":" in raw:
        raw = raw.rsplit(":", 1)[1]
    names: list[str] = []
    for part in _NAME_SPLIT.split(raw):
        if not part.strip():
            continue
        name = clean_name(part)
        if not looks_like_person(name):
            break
        names.append(name)
    return names


@remembered_in_parse
def byline_names(line: str) -> list[str]:
    """Names in a byline: "By Jane Doe and John Roe", "By Jane Doe, CLP Secretary", "Posted on 3 May 2015
    by Jane Doe", "Posted by Jane Doe at 9:04 PM", or a lone name."""
    core = line.strip().strip("*_#").strip()
    match = _BY.match(core)
    if match:
        return leading_names(match["names"])
    match = _POSTED_ON_BY.search(core)
    if match and re.match(r"^(?:posted|published|written|updated)\b", core, re.IGNORECASE):
        return leading_names(match["names"])
    name = clean_name(core)
    if looks_like_person(name) and has_known_first_name(name):
        return [name]
    return []


@remembered_in_parse
def title_names(line: str) -> list[str]:
    """Names in a title like "Jane Doe reports back from the NEC", "NEC report by Jane Doe" or "Jane Doe's
    NEC report"."""
    core = line.strip().strip("*_#").strip()
    for pattern in (_REPORTS_FROM, _REPORT_BY):
        match = pattern.search(core)
        if match:
            names = names_in(match["names"])
            if names:
                return names
    # "Jane Doe's NEC report", "Jane Doe: report of the NEC": a weaker shape, so first names must be known
    match = _OWNER_OF_REPORT.search(core)
    names = names_in(match["names"]) if match else []
    return names if all(has_known_first_name(name) for name in names) else []


def strapline_names(line: str) -> list[str]:
    """Names in a blog strap-line: "A blog by Jane Doe about politics ..."."""
    match = _STRAP_BY.search(line)
    return names_in(match["names"]) if match else []


def signoff_names(line: str) -> list[str]:
    """Names in a sign-off line: "— Jane Doe", "Jane Doe, Anytown, [redacted]" or a lone name."""
    core = line.strip().strip("*_").strip()
    match = _DASH_SIGNOFF.match(core)
    if match:
        return names_in(match["names"].split(",", 1)[0])
    if re.match(r"^(?:(?:posted|written|published)\s+)?by\s", core, re.IGNORECASE):
        return byline_names(core)
    if "," in core:
        first = clean_name(core.split(",", 1)[0])
        return [first] if looks_like_person(first) else []
    name = clean_name(core)
    return [name] if looks_like_person(name) and has_known_first_name(name) else []


def first_name_signoff(line: str, full_names: list[str]) -> list[str]:
    """Writers who sign with first names only ("Jane, John and Ann"), each matched to the one full name
    in the report that starts with it; empty unless every first name is matched."""
    words = [w.strip(" .!") for w in _NAME_SPLIT.split(line) if w.strip(" .!")]
    found: list[str] = []
    for word in words:
        matches = [name for name in full_names if name.split()[0] == word]
        if " " in word or len(matches) != 1:
            return []
        found.append(matches[0])
    return found


def signature_authors(text: str) -> list[str]:
    """Authors known by their habitual sign-off formula, when the report names nobody else."""
    normal = _normalise(text)
    return [name for name, phrases in _vocabulary().signatures if any(phrase in normal for phrase in phrases)]


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("&", "and")
    return " ".join(text.split())


def dedupe(names: list[str]) -> list[str]:
    """Names once each (case-insensitive), first spelling kept, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
