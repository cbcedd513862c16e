"""The real CLI against a real SQLite file: what `necdigest decisions/who/meeting/search` print."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, needs_shared


def necdigest(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    db = tmp_path_factory.mktemp("cli") / "seeds.sqlite3"
    result = necdigest(db, "ingest", "--no-progress", str(SEEDS))
    assert result.returncode == 0, result.stderr
    assert "added 5, updated 0, skipped 0, failed 0" in result.stdout
    return db


@needs_shared
def test_decisions_2013_shows_the_deferral_tally(seeded: Path) -> None:
    out = necdigest(seeded, "decisions", "2013").stdout
    assert "Decisions in 2013" in out
    assert "14 to 10" in out and "defer" in out.lower()
    assert "2014-11-04" not in out


@needs_shared
def test_who_ann_black_shows_her_report_and_mentions(seeded: Path) -> None:
    out = necdigest(seeded, "who", "Ann Black").stdout
    assert out.startswith("Ann Black")
    assert "Reports written:" in out and "2013-07-16" in out
    assert "Mentions:" in out


@needs_shared
def test_who_mcnicol_resolves_to_iain_mcnicol_with_role(seeded: Path) -> None:
    out = necdigest(seeded, "who", "mcnicol").stdout
    assert out.startswith("Iain McNicol")
    assert "General Secretary" in out


@needs_shared
def test_meeting_2022_03_29_shows_three_proscriptions_with_tallies(seeded: Path) -> None:
    out = necdigest(seeded, "meeting", "2022-03-29").stdout
    proscribed = [line for line in out.splitlines() if "proscri" in line.lower() and line.startswith("- ")]
    assert len(proscribed) == 3, out
    assert sum("19 to 11" in line for line in proscribed) == 1
    assert sum("20 to 11" in line for line in proscribed) == 2


@needs_shared
def test_search_highlights_and_survives_operators(seeded: Path) -> None:
    result = necdigest(seeded, "search", 'proscription AND( "NEAR*')
    assert result.returncode == 0
    assert "**" in result.stdout


@needs_shared
def test_bad_input_exits_non_zero_with_one_line(seeded: Path) -> None:
    for args, expected in (
        (("who", "Zebedee Quornby"), "No one called"),
        (("decisions", "20x3"), "2012..2014"),
        (("meeting", "next tuesday"), "2022-03-29"),
        (("meeting", "2022-03-30"), "Did you mean: 2022-03-29"),
    ):
        result = necdigest(seeded, *args)
        assert result.returncode != 0
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0], result.stderr


def test_ingest_with_every_input_failing_exits_non_zero(tmp_path: Path) -> None:
    result = necdigest(tmp_path / "db.sqlite3", "ingest", str(tmp_path / "nothing-here.txt"))
    assert result.returncode != 0
    assert "failed 1" in result.stdout and "no such file or folder" in result.stdout


def test_db_upgrade_and_backup(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert necdigest(db, "db", "upgrade").returncode == 0
    backup = tmp_path / "copy.sqlite3"
    result = necdigest(db, "db", "backup", str(backup))
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 0
    assert "reports 0" in necdigest(backup, "stats").stdout
