"""The offline demo and the console: a newcomer's first run, without Discord or network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _necdigest(*args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL"}}
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    cwd = tmp_path_factory.mktemp("demo")
    return cwd, _necdigest("demo", cwd=cwd)


def test_demo_ingests_samples_and_prints_a_digest_with_tallies(demo_run: tuple[Path, str]) -> None:
    cwd, out = demo_run
    assert out.count("added ") == 4
    digest = out.split("== Digest of the latest meeting", 1)[1].split("== /latest ==", 1)[0]
    assert "16 September 2025" in digest
    assert "by 13 votes to 1" in digest
    assert "https://example.org/samples/" in digest
    assert (cwd / "data" / "demo.sqlite3").is_file()


def test_demo_answers_example_queries_and_suggests_names(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    who = out.split("== /who Maya Okafor ==", 1)[1].split("==", 1)[0]
    assert "Reports written" in who
    typo = out.split("== /who okafur ==", 1)[1].split("==", 1)[0]
    assert "Did you mean: Maya Okafor?" in typo
    unknown = out.split("== /who Jordan Fielding ==", 1)[1].split("==", 1)[0]
    assert unknown.strip().startswith("error: No one called Jordan Fielding")
    bad_year = out.split("== /decisions 20x3 ==", 1)[1]
    assert "error:" in bad_year


def test_demo_twice_starts_from_the_same_state(demo_run: tuple[Path, str]) -> None:
    cwd, _ = demo_run
    again = _necdigest("demo", cwd=cwd)
    assert again.count("added ") == 4


def test_console_answers_slash_commands_from_stdin(demo_run: tuple[Path, str]) -> None:
    cwd, _ = demo_run
    url = f"sqlite+aiosqlite:///{cwd / 'data' / 'demo.sqlite3'}"
    lines = [
        "/who Priya Raman",
        "/decisions year:2025 topic:finance",
        "/meeting 2025-03-11",
        '/search "AND(',
        "/latest",
        "/frobnicate",
    ]
    out = _necdigest("console", cwd=cwd, stdin="\n".join(lines) + "\n", env={"DATABASE_URL": url})
    assert "Priya Raman" in out
    assert "11 to 3 with 1 abstention" in out
    assert "12 to 2" in out
    assert "Latest meetings" in out
    assert "error: Unknown command /frobnicate" in out
    assert "Traceback" not in out
