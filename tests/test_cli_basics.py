"""The command line's first promises: help, and a clear refusal to start without a token."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=60
    )


def test_help_lists_run_command() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "run" in result.stdout


def test_run_without_token_exits_quickly_with_one_line(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "DISCORD_TOKEN" in lines[0] and ".env.example" in lines[0]
