"""The scorer behind `necdigest eval`: it passes the parser on the seeds and can fail a bad parser."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from digests.evaluate import content_words, evaluate, overlap
from digests.model import Decision, ParsedReport, PersonMention, Tally
from tests.conftest import GOLD, SEEDS, needs_shared

INVENTED_GOLD = {
    "reports": [
        {
            "file": "northshire.txt",
            "body": "Labour NEC",
            "meeting_date": "2031-02-03",
            "published": None,
            "authors": ["Perpetua Quill"],
            "title_contains": "Northshire",
            "sections_include": ["Other business"],
            "decisions": [
                {"text": "Ferndale Forum proscribed", "for": 12, "against": 3, "abstain": None},
                {"text": "Selections in Upper Wexley to be open", "for": None, "against": None, "abstain": None},
            ],
            "must_not_be_decisions": ["Labour won a council seat in Wexley by 40 votes"],
            "people": ["Perpetua Quill", "Bartholomew Snell"],
            "people_resolved": {"the Treasurer": "Oswin Harrow"},
            "not_people": ["Grumbly Commenter"],
            "private_details_not_to_repost": ["01234 567890"],
        }
    ]
}


def _good_parse(data: bytes, name: str) -> ParsedReport:
    return ParsedReport(
        title="Northshire Executive report",
        meeting_date=date(2031, 2, 3),
        published=None,
        authors=["Perpetua Quill"],
        body="Labour NEC",
        decisions=[
            Decision(
                "We voted to proscribe Ferndale Forum by 12 votes to 3.",
                "Ferndale Forum proscribed",
                None,
                Tally(12, 3),
            ),
            Decision("We agreed that selections in Upper Wexley should be open.", "selections in Upper Wexley open"),
        ],
        people=[
            PersonMention("Perpetua Quill"),
            PersonMention("Bartholomew Snell", aliases=["Barty"]),
            PersonMention("Oswin Harrow", roles=["Treasurer"]),
        ],
    )


def _write_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(INVENTED_GOLD), encoding="utf-8")
    (tmp_path / "northshire.txt").write_text("irrelevant: the parse is injected", encoding="utf-8")
    return gold


def test_a_correct_parse_meets_every_target(tmp_path: Path) -> None:
    result = evaluate(_write_gold(tmp_path), tmp_path, parse=_good_parse)
    assert result.passed, result.failures
    assert result.figures["decisions_recall"] == 1.0
    assert result.figures["people_f1"] == 1.0


def test_a_wrong_tally_a_false_decision_and_a_commenter_all_fail(tmp_path: Path) -> None:
    def bad_parse(data: bytes, name: str) -> ParsedReport:
        report = _good_parse(data, name)
        report.decisions[0].tally = Tally(12, 4)
        report.decisions.append(Decision("Labour won a council seat in Wexley by 40 votes.", "council seat won"))
        report.people.append(PersonMention("Grumbly Commenter"))
        return report

    result = evaluate(_write_gold(tmp_path), tmp_path, parse=bad_parse)
    assert not result.passed
    assert "every tally exact" in result.failures
    assert "no not_people attributed" in result.failures
    assert result.figures["decisions_precision"] == pytest.approx(2 / 3)
    misses = result.files[0].misses
    assert any("not a decision" in m for m in misses)


def test_missing_decisions_people_and_a_wrong_date_fail(tmp_path: Path) -> None:
    def poor_parse(data: bytes, name: str) -> ParsedReport:
        report = _good_parse(data, name)
        report.meeting_date = date(2031, 2, 4)
        report.decisions = report.decisions[:1]
        report.people = [PersonMention("Perpetua Quill"), PersonMention("Upper Wexley")]
        return report

    result = evaluate(_write_gold(tmp_path), tmp_path, parse=poor_parse)
    assert set(result.failures) >= {
        "meeting date exact on every report",
        "decisions recall >= 0.9",
        "people F1 >= 0.9",
        "people resolved >= 0.8",
    }


def test_a_private_detail_in_the_output_fails(tmp_path: Path) -> None:
    def leaky_parse(data: bytes, name: str) -> ParsedReport:
        report = _good_parse(data, name)
        report.decisions[1].text += " Call 01234 567890."
        return report

    result = evaluate(_write_gold(tmp_path), tmp_path, parse=leaky_parse)
    assert "no private detail in the output" in result.failures


def test_paraphrased_decisions_match_on_stemmed_content_words() -> None:
    words = content_words("We agreed to defer decisions on the rule amendments until September, charged £3.")
    assert overlap("Decisions on rule amendments deferred to September", words) == 1.0
    assert overlap("3 pound levy charged", words) >= 0.5
    assert overlap("Treasurer re-elected unopposed", words) == 0.0


def test_eval_command_reports_a_missing_gold_file_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "/nonexistent/gold.json", "--reports", "."]) == 2
    assert "no such gold file" in capsys.readouterr().err


@needs_shared
def test_the_parser_meets_every_design_target_on_the_seeds() -> None:
    result = evaluate(GOLD, SEEDS)
    assert result.passed, result.failures
    assert result.figures["sections_include"] >= 0.8


@needs_shared
def test_eval_command_prints_figures_and_exits_zero_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(GOLD), "--reports", str(SEEDS), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] is True
    assert out["figures"]["tallies_exact"] == 1.0
