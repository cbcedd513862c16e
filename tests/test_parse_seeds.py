"""The parser against the hand-checked labels of the five real reports in ../shared (DESIGN.md §7)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from digests.model import ParsedReport
from digests.parser import parse_report
from tests.conftest import GOLD, SEEDS, needs_shared

pytestmark = needs_shared


@cache
def _gold() -> dict[str, dict[str, Any]]:
    return {entry["file"]: entry for entry in json.loads(GOLD.read_text(encoding="utf-8"))["reports"]}


@cache
def _parsed(file: str) -> ParsedReport:
    return parse_report((SEEDS / file).read_bytes(), name=file)


def _files() -> list[str]:
    if not GOLD.is_file():
        return []
    return sorted(_gold())


@pytest.mark.parametrize("file", _files())
def test_meeting_date_published_authors_and_body_are_exact(file: str) -> None:
    gold, report = _gold()[file], _parsed(file)
    json_view = report.to_json_dict()
    assert json_view["meeting_date"] == gold["meeting_date"]
    assert json_view["published"] == gold["published"]
    assert report.authors == gold["authors"]
    assert report.body == gold["body"]


@pytest.mark.parametrize("file", _files())
def test_title_and_section_headings(file: str) -> None:
    gold, report = _gold()[file], _parsed(file)
    assert gold["title_contains"] in (report.title or "")
    headings = {section.heading for section in report.sections}
    assert [h for h in gold["sections_include"] if h not in headings] == []


@pytest.mark.parametrize("file", _files())
def test_no_commenter_or_teaser_names_in_section_text(file: str) -> None:
    gold, report = _gold()[file], _parsed(file)
    text = "\n".join(f"{s.heading or ''}\n{s.text}" for s in report.sections) + report.clean_text
    assert [name for name in gold["not_people"] if name in text] == []


@pytest.mark.parametrize("file", _files())
def test_private_details_never_reach_the_json(file: str) -> None:
    gold, report = _gold()[file], _parsed(file)
    shown = json.dumps(report.to_json_dict(), ensure_ascii=False)
    assert [p for p in gold.get("private_details_not_to_repost", []) if p in shown] == []


def test_sign_off_address_and_phone_are_found_as_private_details() -> None:
    found = {(detail.kind, detail.text) for report in map(_parsed, _files()) for detail in report.private_details}
    expected = {p for entry in _gold().values() for p in entry.get("private_details_not_to_repost", [])}
    assert expected <= {text for _kind, text in found}


def test_nothing_after_the_personal_account_disclaimer_is_a_heading() -> None:
    for file in _files():
        headings = [s.heading or "" for s in _parsed(file).sections]
        assert not any("keeping in touch" in h.lower() for h in headings), file
