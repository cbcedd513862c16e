"""The parser's parts one at a time: input refusal, dates, privacy, sections, authors, cleaning, body."""

from __future__ import annotations

from datetime import date

import pytest

from digests.authors import byline_names, looks_like_person, signoff_names, strapline_names, title_names
from digests.body import detect_body
from digests.clean import clean_text
from digests.dates import dateline_date, find_dates, meeting_dates_in_text
from digests.errors import InputRejected
from digests.extract import MAX_INPUT_BYTES, extract_text
from digests.parser import parse_report
from digests.privacy import find_private_details, redact
from digests.sections import split_sections

# --- input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        ("  \n ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"NEC report\x00\x00\x01\x02binary", "binary"),
        ("".join(chr(i % 31 + 1) for i in range(2000)), "control characters"),
    ],
)
def test_binary_and_empty_input_is_refused_with_a_reason(data: bytes | str, reason: str) -> None:
    with pytest.raises(InputRejected, match=reason):
        parse_report(data, name="upload")


def test_oversized_input_is_refused() -> None:
    with pytest.raises(InputRejected, match="too large"):
        extract_text(b"a" * (MAX_INPUT_BYTES + 1))


def test_utf16_with_bom_and_cp1252_text_are_decoded() -> None:
    text = "NEC report – 3 March 2015\n\nThe NEC agreed the budget of £5,000 for the campaign."
    assert "£5,000" in extract_text(text.encode("utf-16")).text
    cp1252 = extract_text(text.encode("cp1252"))
    assert "£5,000" in cp1252.text and "–" in cp1252.text


def test_html_is_detected_by_content_without_a_name() -> None:
    html = "<html><body><article><h1>NEC report</h1><p>" + "The NEC met and agreed things. " * 20
    html += "</p><p>More text here for the article body.</p></article></body></html>"
    extracted = extract_text(html)
    assert extracted.kind == "html"
    assert "<p>" not in extracted.text and "The NEC met" in extracted.text


def test_html_without_an_article_falls_back_with_a_warning() -> None:
    report = parse_report("<html><head><title>Hi</title></head><body></body></html>", name="page.html")
    assert "no article found in HTML" in report.warnings
    assert report.title == "Hi"


# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NEC Report – 21st May 2013", [date(2013, 5, 21)]),
        ("meeting held on 4th November 2014", [date(2014, 11, 4)]),
        ("Tuesday 3rd March 2015", [date(2015, 3, 3)]),
        ("March 3, 2015", [date(2015, 3, 3)]),
        ("Sunday, April 03, 2022", [date(2022, 4, 3)]),
        ("2015-03-03", [date(2015, 3, 3)]),
        ("on 3/29/2022", [date(2022, 3, 29)]),
        ("on 29/03/2022", [date(2022, 3, 29)]),
        ("on 3/4/2022", [date(2022, 4, 3)]),  # either order would do: day first, as written in Britain
        ("NEC away-day, 7-8 March 2015", [date(2015, 3, 7), date(2015, 3, 8)]),
        ("Report from the NEC, 24th/25th September 2016", [date(2016, 9, 24), date(2016, 9, 25)]),
        ("meetings of 3rd and 24th March 2015", [date(2015, 3, 3), date(2015, 3, 24)]),
        ("3 Mar and 24 Sept 2015", [date(2015, 3, 3), date(2015, 9, 24)]),
        ("we may 10 times march", []),
        ("30th February 2015", []),
    ],
)
def test_dates_are_read_in_their_many_forms(text: str, expected: list[date]) -> None:
    assert [m.resolve(None) for m in find_dates(text)] == expected


def test_day_and_month_without_year_take_the_published_year() -> None:
    assert meeting_dates_in_text("The NEC met on Tuesday 3rd March.", published=date(2015, 3, 5)) == [date(2015, 3, 3)]
    # Published in January about a December meeting: the year before.
    assert meeting_dates_in_text("The meeting on 16 December", published=date(2016, 1, 4)) == [date(2015, 12, 16)]


def test_a_month_and_year_in_the_title_dates_a_day_and_month_in_the_text() -> None:
    report = parse_report("NEC Report (January 2021)\n\nJane Doe\n\nThe NEC met on 26 January.", name="r.txt")
    assert report.meeting_date == date(2021, 1, 26)
    assert report.published is None  # the month in the title only dates the text; it is not a dateline
    undated = parse_report("NEC Report (January 2021)\n\nJane Doe\n\nThe NEC met last week.", name="r.txt")
    assert undated.meeting_date is None and "meeting date not found" in undated.warnings


@pytest.mark.parametrize(
    ("title", "authors"),
    [
        ("Jane Doe: report of the NEC meeting on 14 Dec 2010", ["Jane Doe"]),
        ("Priya Okafor's NEC report, 27 September 2008", ["Priya Okafor"]),
        ("Labour Party's NEC report, 3 May 2011", []),
        ("Organisation Committee: report of the NEC meeting, 3 May 2011", []),
    ],
)
def test_a_title_can_name_its_writer(title: str, authors: list[str]) -> None:
    assert parse_report(f"{title}\n\nWe agreed the timetable.", name="r.txt").authors == authors


def test_other_meetings_mentioned_in_passing_are_not_this_meeting() -> None:
    text = "Since the previous NEC meeting on 25th January 2022 I attended two panels."
    assert meeting_dates_in_text(text, published=None) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("May 30, 2012 1:49 pm", date(2012, 5, 30)),
        ("Sunday, April 03, 2022", date(2022, 4, 3)),
        ("Posted on 12 June 2019 by Jane Doe", date(2019, 6, 12)),
        ("NEC report – 12 June 2019", None),
        ("12 June", None),
    ],
)
def test_datelines(line: str, expected: date | None) -> None:
    assert dateline_date(line) == expected


def test_meeting_date_is_never_the_published_date() -> None:
    report = parse_report("NEC update\n\nMay 30, 2012 1:49 pm\n\nThe NEC met and discussed the elections at length.")
    assert report.published == date(2012, 5, 30)
    assert report.meeting_date is None
    assert "meeting date not found" in report.warnings


# --- privacy -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call 07956-637958 today", "phone"),
        ("call 07700 900123 today", "phone"),
        ("call 020 7946 0123 today", "phone"),
        ("call +44 7700 900123 today", "phone"),
        ("call (01865) 123456 today", "phone"),
        ("call 212-555-0143 today", "phone"),
        ("call (020) 7946 0958 today", "phone"),
        ("call +44 (0)20 7946 0958 today", "phone"),
        ("mail jane.doe+nec@example.co.uk now", "email"),
        ("write to 88 Acacia Avenue, Anytown", "address"),
        ("write to Anytown AN4 3BE please", "postcode"),
        ("write to Anytown GIR 0AA please", "postcode"),
        ("write to 1234B Acacia Avenue now", "address"),
    ],
)
def test_private_details_are_found_and_redacted(text: str, kind: str) -> None:
    details = find_private_details(text)
    assert [d.kind for d in details] == [kind]
    assert details[0].text not in redact(text)
    assert "[redacted]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "passed by 19 votes to 11",
        "in 2000, 2004, 2008 and 2012",
        "£180,000 of tear gas",
        "offices in Brewer Street",
        "a speech at 10 Downing Street",
        "the 22/23rd June meeting",
        "the XIR 0AA code",
    ],
)
def test_ordinary_report_text_is_not_private(text: str) -> None:
    assert find_private_details(text) == []
    assert redact(text) == text


# --- sections ----------------------------------------------------------------------------------------


def test_heading_shapes_and_items() -> None:
    text = "\n".join(
        [
            "Opening words of the report, which come before any heading at all.",
            "",
            "Campaign Co-ordinator's report;",
            "",
            "Tom reported on the elections. Key points were;",
            "",
            "  • Our share of the vote went up in every region.",
            "  • Turnout was down.",
            "",
            "**Other business**",
            "",
            "- The **General Secretary** spoke about staffing in the regions and the new offices.",
            "",
            "# Finance",
            "",
            "The budget was agreed.",
        ]
    )
    sections = split_sections(text)
    assert [s.heading for s in sections] == [None, "Campaign Co-ordinator's report", "Other business", "Finance"]
    assert sections[1].items == ["Our share of the vote went up in every region.", "Turnout was down."]
    assert "Key points were;" in sections[1].text and "Turnout was down." in sections[1].text
    assert sections[2].items == ["The General Secretary spoke about staffing in the regions and the new offices."]


def test_sentences_with_colons_and_lists_of_names_are_not_headings() -> None:
    text = "\n".join(
        [
            "He asked the NEC to publicise five questions:",
            "",
            "1. How can we share data?",
            "2. What do people want to give to?",
            "",
            "At the end we were shown the terms of reference:",
            "",
            "Equalities Committee",
            "",
            "Organisation Committee",
            "",
            "Four disputes panels in the regions",
        ]
    )
    sections = split_sections(text)
    assert [s.heading for s in sections] == [None]
    assert sections[0].items == ["How can we share data?", "What do people want to give to?"]


# --- authors -----------------------------------------------------------------------------------------


def test_author_shapes() -> None:
    assert strapline_names("A blog by Jane Doe about politics, elections and the Labour Party.") == ["Jane Doe"]
    assert title_names("Jane Doe reports back from Labour's July executive") == ["Jane Doe"]
    assert title_names("NEC report by Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert byline_names("By Jane Doe, John Roe & Sunita Mehra") == ["Jane Doe", "John Roe", "Sunita Mehra"]
    assert byline_names("Posted on 3 May 2015 by Jane Doe") == ["Jane Doe"]
    assert byline_names("Jane Doe") == ["Jane Doe"]
    assert byline_names("Defining Moments") == []
    assert signoff_names("Jane Doe, [redacted], Anytown [redacted],") == ["Jane Doe"]
    assert signoff_names("— Jane Doe, NEC member") == ["Jane Doe"]


@pytest.mark.parametrize(
    "name", ["National Executive Committee", "Labour Party", "Left Futures", "Free Hit Counters", "Other issues"]
)
def test_organisations_and_chrome_are_not_people(name: str) -> None:
    assert not looks_like_person(name)


# --- cleaning and body -------------------------------------------------------------------------------


def test_comment_threads_teasers_and_chrome_are_cut_and_listed() -> None:
    body = "The NEC met and agreed the budget for the year. " * 40
    text = "\n\n".join(
        [
            "Share this Article",
            body,
            "1. Jim Commenter says:",
            "    Great report, thanks.",
            "Reply",
            "Related posts",
            "Teaser title about something else",
            "An excerpt of another article that goes on [...]",
            "Read more →",
            "© 2024 Example Blog | Powered by WordPress",
        ]
    )
    cleaned = clean_text(text)
    assert "Jim Commenter" not in cleaned.text and "Teaser title" not in cleaned.text
    assert "Share this" not in cleaned.text and "Powered by" not in cleaned.text
    assert cleaned.text.strip().endswith("for the year.")
    assert any("Jim Commenter" in block for block in cleaned.removed)


def test_body_detection() -> None:
    assert detect_body("NEC report – 3 March 2015", "", "") == "Labour NEC"
    assert detect_body("Report of the Scottish Executive Committee meeting", "", "") == "Scottish Executive Committee"
    assert detect_body("Notes", "The Northshire County Executive met on Monday.", "") == "Northshire County Executive"
    assert detect_body("Lemon cake", "Butter and sugar.", "Bake it.") is None


def test_body_detection_reads_titles_in_capitals() -> None:
    title = "WESTMERE DISTRICT EXECUTIVE – MINUTES OF THE MEETING OF 4 MAY 2021"
    assert detect_body(title, "", "") == "Westmere District Executive"
