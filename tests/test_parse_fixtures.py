"""The parser on invented reports in the layouts real reports come in (tests/fixtures/parse/)."""

from __future__ import annotations

from datetime import date

import pytest

from digests.model import ParsedReport
from digests.parser import parse_report
from tests.conftest import FIXTURES

PARSE = FIXTURES / "parse"


def _parse(name: str) -> ParsedReport:
    path = PARSE / name
    return parse_report(path.read_bytes(), name=path.name)


def _headings(report: ParsedReport) -> list[str | None]:
    return [section.heading for section in report.sections]


def _all_section_text(report: ParsedReport) -> str:
    return "\n".join(f"{s.heading or ''}\n{s.text}" for s in report.sections)


def test_numbered_minutes_become_headed_sections_with_sub_items() -> None:
    report = _parse("numbered_minutes.txt")
    assert report.title == "Minutes of the Northshire County Executive meeting held on 14th September 2021"
    assert report.meeting_date == date(2021, 9, 14)
    assert report.published is None
    assert report.body == "Northshire County Executive"
    assert report.authors == ["Priya Ramsden"]
    assert _headings(report) == [
        "Apologies",
        "Minutes of the last meeting",
        "Treasurer's report",
        "Campaigns",
        "Any other business",
    ]
    treasurer = report.sections[2]
    assert treasurer.items == [
        "The executive agreed to move the reserves to an ethical bank account.",
        "A fundraising working group was set up, convened by Fiona Westerby.",
    ]
    assert "ethical bank account" in treasurer.text and "Gareth Lindqvist presented" in treasurer.text
    assert "County Secretary" not in _all_section_text(report)


def test_markdown_headings_bold_lines_and_links() -> None:
    report = _parse("markdown_report.md")
    assert report.title == "NEC report – 8 February 2019"
    assert report.meeting_date == date(2019, 2, 8)
    assert report.authors == ["Tom Okafor"]
    assert report.body == "Labour NEC"
    assert _headings(report) == [None, "General Secretary's report", "Organisation Committee", "Other business"]
    general_secretary = report.sections[1]
    assert general_secretary.items == [
        "Membership stands at a little over 480,000.",
        "The new volunteer portal has 2,100 sign-ups.",
    ]
    text = _all_section_text(report)
    assert "https://" not in text and "**" not in text and "](" not in text
    assert "22 votes to 9" in report.sections[2].text
    assert "personal account" not in text


def test_html_page_keeps_the_article_and_drops_chrome_comments_and_related_posts() -> None:
    report = _parse("html_page.html")
    assert report.title == "NEC report – 12 October 2017"
    assert report.meeting_date == date(2017, 10, 12)
    assert report.published == date(2017, 10, 15)
    assert report.authors == ["Rosalind Achebe"]
    assert report.body == "Labour NEC"
    assert _headings(report) == [None, "General Secretary's report", "Disputes panel", "Other issues"]
    assert report.sections[1].items == [
        "Three new trainee organisers have started in the south west.",
        "The digital team is testing a new canvassing app with ten local parties.",
    ]
    shown = _all_section_text(report) + report.clean_text
    for leaked in ("Gerald Fenwick", "Marjorie Pike", "Humphrey Blackwood", "Ottoline Marsh", "Powered by", "Archive"):
        assert leaked not in shown
    assert "Gerald Fenwick" not in {person.name for person in report.people}


def test_report_by_three_authors() -> None:
    report = _parse("three_authors.txt")
    assert report.authors == ["Helen Carver", "Rob Delaney", "Sunita Mehra"]
    assert report.meeting_date == date(2020, 1, 21)
    assert report.body == "Labour NEC"
    assert _headings(report) == [None, "Leader's report", "Procedures for the leadership election", "Other issues"]
    assert not any("By Helen Carver" in section.text for section in report.sections)


def test_report_covering_two_meetings_lists_both_dates() -> None:
    report = _parse("two_meetings.txt")
    assert report.meeting_date == date(2015, 3, 3)
    assert report.other_meeting_dates == [date(2015, 3, 24)]
    assert report.to_json_dict()["other_meeting_dates"] == ["2015-03-24"]
    assert report.authors == ["Jasmine Ellwood"]
    assert _headings(report) == [None, "3rd March meeting", "24th March meeting"]


def test_us_style_dates_for_meeting_and_dateline() -> None:
    report = _parse("us_dates.txt")
    assert report.title == "NEC Meeting Report — March 3, 2015"
    assert report.meeting_date == date(2015, 3, 3)
    assert report.published == date(2015, 3, 5)
    assert report.authors == ["Dana Whitfield"]
    assert report.body == "Labour NEC"
    assert _headings(report) == [None, "Treasurer's report", "Campaign update"]


@pytest.mark.parametrize("name", ["not_a_report_recipe.txt", "not_a_report_press_release.txt"])
def test_page_that_is_not_a_meeting_report_has_no_body_and_says_so(name: str) -> None:
    report = _parse(name)
    assert report.body is None
    assert "not an NEC meeting report" in report.warnings
    assert report.meeting_date is None


def test_recipe_keeps_its_title_and_drops_its_comments() -> None:
    report = _parse("not_a_report_recipe.txt")
    assert report.title == "Grandma's Lemon Drizzle Cake"
    assert _headings(report) == [None, "Ingredients", "Method"]
    assert len(report.sections[1].items) == 5
    assert "Beryl Ashdown" not in _all_section_text(report)


def test_press_release_date_is_a_published_date_not_a_meeting_date() -> None:
    report = _parse("not_a_report_press_release.txt")
    assert report.published == date(2023, 5, 2)
    assert report.meeting_date is None


def test_no_meeting_date_gives_none_and_a_warning_but_keeps_published() -> None:
    report = _parse("no_meeting_date.txt")
    assert report.meeting_date is None
    assert "meeting date not found" in report.warnings
    assert report.published == date(2019, 6, 12)
    assert report.authors == ["Kirsty Allardyce"]
    assert report.body == "Labour NEC"


def test_contact_details_are_redacted_everywhere_shown() -> None:
    report = _parse("no_meeting_date.txt")
    shown = str(report.to_json_dict())
    for private in ("kirsty.allardyce@example.org", "07700 900123", "14 Fenwick Road", "DB4 7QX"):
        assert private not in shown
        assert private not in report.clean_text
    assert {detail.kind for detail in report.private_details} == {"email", "phone", "address", "postcode"}
    assert "[redacted]" in report.sections[-1].text


def test_signoff_block_with_contact_details_names_the_author_and_shows_none_of_them() -> None:
    report = _parse("signoff_with_contact_details.txt")
    assert report.authors == ["Margaret Thornbury"]
    assert report.meeting_date == date(2016, 3, 22)
    shown = _all_section_text(report)
    for private in ("example.org", "Linden Road", "OX9 4QZ", "07700"):
        assert private not in shown
    assert {"email", "phone"} <= {detail.kind for detail in report.private_details}
    mayors = next(d for d in report.decisions if "metro mayors" in d.subject)
    assert mayors.tally is not None and (mayors.tally.votes_for, mayors.tally.votes_against) == (18, 12)
    # a by-election majority and what other bodies did are not NEC decisions
    assert not any("Westfield" in d.text or "European Parliamentary" in d.text for d in report.decisions)
    assert not any("Conference agreed" in d.text for d in report.decisions)


def test_joint_report_signed_with_first_names_resolves_them_to_the_full_names_in_the_report() -> None:
    report = _parse("joint_report_first_name_signoff.txt")
    assert report.authors == ["Yusuf Rahim", "Delia Marsh", "Bernadette O'Hare", "Kwame Osei"]
    assert "Yusuf, Delia" not in _all_section_text(report)
    assert "In solidarity" not in _all_section_text(report)
    # the writers' own vote ("We voted against.") is not a decision; the NEC's vote and the rejection are
    subjects = [d.subject.casefold() for d in report.decisions]
    assert "against" not in subjects
    assert any("shortlist" in s for s in subjects)
    rejected = next(d for d in report.decisions if "independent review" in d.subject)
    assert rejected.tally is not None and (rejected.tally.votes_for, rejected.tally.votes_against) == (20, 11)


def test_first_name_signoff_is_not_guessed_when_a_name_has_no_full_form_in_the_report() -> None:
    text = (FIXTURES / "parse" / "joint_report_first_name_signoff.txt").read_text(encoding="utf-8")
    report = parse_report(text.replace("Yusuf Rahim, ", ""), name="joint.txt")
    assert report.authors == []


def test_numbered_capital_headings_with_inline_text_become_sections() -> None:
    report = _parse("numbered_capital_headings.txt")
    assert report.title == "REPORT OF THE NEC MEETING HELD ON 23rd JANUARY 2018"
    assert report.meeting_date == date(2018, 1, 23)
    assert report.authors == ["Harold Brinkworth"]  # "by Harold Brinkworth, CLPD Secretary"
    assert _headings(report) == [
        "GENERAL SECRETARY'S REPORT",
        "LEADER'S REPORT",
        "DEMOCRACY REVIEW",
        "NEC CHAIR",
        "ORGANISATION COMMITTEE",
        "ANY OTHER BUSINESS",
    ]
    review = report.sections[2]
    assert review.text.startswith("Katy Clark presented an interim report")
    subjects = [d.subject for d in report.decisions]
    assert "More time to consult CLPs" in subjects  # "Several members asked for ... and this was agreed"
    assert any(s.startswith("Andy Kerr elected as Chair") for s in subjects)


def test_blogger_footer_names_the_author_and_a_day_month_title_takes_the_year_from_the_dateline() -> None:
    report = _parse("blogger_posted_by_footer.txt")
    assert report.authors == ["Gareth Lindley"]
    assert report.published == date(2016, 9, 22)
    assert report.meeting_date == date(2016, 9, 20)
    assert "Posted by" not in _all_section_text(report)
    welsh = next(d for d in report.decisions if "Scottish and Welsh" in d.subject)
    assert welsh.tally is not None and (welsh.tally.votes_for, welsh.tally.votes_against) == (16, 14)


def test_blog_page_takes_the_post_title_over_the_blog_name_and_the_author_from_the_post_footer() -> None:
    report = _parse("blogger_page_title_and_footer.html")
    assert report.title == "NEC report, 14 June 2011"
    assert report.meeting_date == date(2011, 6, 14)
    assert report.published == date(2011, 6, 17)
    assert report.authors == ["Fiona Westerby"]
    names = {person.name for person in report.people}
    assert "Gareth Lindqvist" not in names  # a commenter, not someone in the report
    assert "Ed Balls" not in names
    assert "Diana Holland" in names  # "the Treasurer" in June 2011
    budget = next(d for d in report.decisions if "budget" in d.subject)
    assert budget.tally is not None and (budget.tally.votes_for, budget.tally.votes_against) == (22, 3)
