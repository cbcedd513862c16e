"""Property tests: the parser never raises on odd input, never shows private details, and stays linear."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.clean import clean_text
from digests.errors import InputRejected
from digests.extract import extract_text
from digests.header import split_header
from digests.parser import parse_report
from digests.privacy import scan
from digests.sections import split_sections

REPORT = """NEC report – 3 March 2015

Jane Doe

General Secretary's report

The General Secretary reported on the campaign. {inserted} The NEC agreed the budget by 20 votes to 3.

Other issues

- We noted the report on the complaints process.
- {inserted2}

Jane Doe, {inserted3}
"""

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_never_raises(data: str | bytes, name: str | None = None) -> None:
    try:
        report = parse_report(data, name=name)
    except InputRejected:
        return
    json.dumps(report.to_json_dict(debug=True))


@_SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text_never_raises(text: str) -> None:
    _parse_never_raises(text)


@_SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _parse_never_raises(data, name="upload.txt")


_TAGS = st.sampled_from(["p", "div", "h1", "h2", "li", "ul", "article", "section", "aside", "span", "b", "script", "a"])
_HTMLISH = st.lists(
    st.one_of(
        _TAGS.map(lambda t: f"<{t}>"),
        _TAGS.map(lambda t: f"</{t}>"),
        st.text(max_size=80),
        st.sampled_from(["<!DOCTYPE html>", "<html>", "<body>", "<title>", "&amp;", "<br/>", "<!--", "-->", "<"]),
    ),
    max_size=60,
).map("".join)


@_SETTINGS
@given(_HTMLISH)
def test_arbitrary_html_never_raises(html: str) -> None:
    _parse_never_raises(html, name="page.html")
    _parse_never_raises(html)


_UK_PHONES = st.builds(
    lambda prefix, a, b, sep: f"{prefix}{a}{sep}{b}",
    st.sampled_from(["07", "01", "02", "+44 7", "+44 (0)20 "]),
    st.integers(100, 999).map(str),
    st.integers(100000, 999999).map(str),
    st.sampled_from([" ", "-", ""]),
)


@_SETTINGS
@given(phone=_UK_PHONES, email=st.emails(), slot=st.integers(0, 2))
def test_inserted_phone_and_email_never_reach_the_json(phone: str, email: str, slot: int) -> None:
    values = ["", "", ""]
    values[slot] = f"Call {phone} or write to {email} for details."
    report = parse_report(REPORT.format(inserted=values[0], inserted2=values[1] or "More.", inserted3=values[2]))
    shown = json.dumps(report.to_json_dict(), ensure_ascii=False)
    assert phone not in shown
    assert email not in shown


def _generated_body(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    words = [
        "the",
        "NEC",
        "agreed",
        "noted",
        "reported",
        "budget",
        "meeting",
        "campaign",
        "members",
        "votes",
        "to",
        "report",
        "Jane",
        "Doe",
        "said",
    ]
    parts = ["NEC report – 3 March 2015", ""]
    total = 0
    while total < size:
        heading = f"Section {rng.randint(1, 999)} report"
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120))) + "."
        bullet = "  • " + " ".join(rng.choice(words) for _ in range(15)) + "."
        block = f"{heading}\n\n{paragraph}\n\n{bullet}\n\n"
        parts.append(block)
        total += len(block)
    return "\n".join(parts)


def test_five_megabyte_page_parses() -> None:
    """Linear time: a 5 MB page (a long report buried in a huge comment thread) completes; speed is in bench/."""
    comments = "".join(
        f"  {n}. Commenter {n} says:\n\n    I agree with the report, call 07700 {900000 + n % 99999}.\n\n"
        for n in range(1, 60_000)
    )
    report = parse_report(_generated_body(300_000) + "\n\n" + comments)
    assert report.meeting_date is not None
    assert len(report.sections) > 50
    assert "Commenter" not in report.clean_text


def test_five_megabyte_body_goes_through_the_front_end() -> None:
    """Extraction, cleaning, redaction, header and sections on 5 MB of report body stay linear."""
    extracted = extract_text(_generated_body(5_000_000))
    cleaned = clean_text(extracted.text)
    body, _details = scan(cleaned.text)
    sections = split_sections(split_header(body).body)
    assert len(sections) > 3000


def test_pathological_single_line_input_parses() -> None:
    """One 2 MB line of letters, digits and '@': the regexes must not backtrack quadratically."""
    chunk = "a" * 1_000_000 + "@" + "1" * 500_000 + "-" + "b." * 250_000
    report = parse_report(chunk)
    assert report.sections
