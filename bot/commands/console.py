"""`necdigest console`: an interactive prompt that answers slash commands as the bot would."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.commands.db import run_with_sessions
from bot.console import answer_line, run_console

HISTORY_FILE = Path.home() / ".necdigest_history"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "console", help="type slash commands (/who Ann Black, /decisions 2013) and read the bot's answers"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    async def interactive(sessions: Any) -> None:
        await run_console(sessions, HISTORY_FILE)

    async def piped(sessions: Any) -> None:
        # Without a terminal (a script, a pipe) answer each line in turn: no prompt, no history.
        for line in sys.stdin:
            if line.strip() and not line.startswith("#"):
                print(await answer_line(sessions, line))

    run_with_sessions(interactive if sys.stdin.isatty() else piped)
    return 0
