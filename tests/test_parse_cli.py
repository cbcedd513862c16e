"""`necdigest parse FILE [--json] [--debug]` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

KEYS = {"title", "meeting_date", "published", "authors", "body", "sections", "decisions", "people", "topics"}


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "parse", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120
    )


def test_json_output_is_exactly_one_object_with_the_contract_keys() -> None:
    result = _run(str(FIXTURES / "parse" / "us_dates.txt"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert KEYS | {"warnings"} <= set(data)
    assert data["meeting_date"] == "2015-03-03" and data["published"] == "2015-03-05"
    assert data["authors"] == ["Dana Whitfield"] and data["body"] == "Labour NEC"
    assert all(set(section) >= {"heading", "text"} for section in data["sections"])
    assert "removed" not in data and "private_details" not in data


def test_debug_json_shows_what_was_cut_and_the_private_details() -> None:
    result = _run(str(FIXTURES / "parse" / "not_a_report_recipe.txt"), "--json", "--debug")
    data = json.loads(result.stdout)
    assert any("Beryl Ashdown" in block for block in data["removed"])
    assert data["private_details"] == []
    assert data["body"] is None and "not an NEC meeting report" in data["warnings"]


def test_stdin_and_text_summary() -> None:
    text = (FIXTURES / "parse" / "two_meetings.txt").read_bytes()
    result = _run("-", stdin=text)
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "Meeting date: 2015-03-03" in out and "Also covers:  2015-03-24" in out
    assert "Jasmine Ellwood" in out


def test_html_file_is_parsed_as_html() -> None:
    result = _run(str(FIXTURES / "parse" / "html_page.html"), "--json")
    data = json.loads(result.stdout)
    assert data["title"] == "NEC report – 12 October 2017"
    assert "<p>" not in json.dumps(data)


def test_bad_inputs_give_one_line_and_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args, expected in (
        ([str(tmp_path / "missing.txt")], "no such file"),
        ([str(binary)], "PDF"),
        ([str(empty)], "empty"),
        ([str(tmp_path)], "directory"),
    ):
        result = _run(*args)
        assert result.returncode == 2
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and expected in lines[0]
        assert result.stdout == b""
