"""`necdigest ingest PATH|URL|FEED_URL ...`: one line per input, then a summary."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import UserError
from bot.commands.db import run_with_sessions
from bot.ingest import ingest_targets
from bot.render_text import render_ingest_summary, render_outcome
from bot.settings import get_settings
from digests.views import IngestSummary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ingest", help="store reports from files, folders, web pages or feeds")
    parser.add_argument("targets", nargs="*", metavar="PATH|URL", help="files, folders, page or feed URLs")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.targets:
        raise UserError("give at least one file, folder or URL to ingest")
    settings = get_settings()

    async def work(sessions: async_sessionmaker[AsyncSession]) -> IngestSummary:
        progress = not args.no_progress and sys.stderr.isatty()
        return await ingest_targets(sessions, list(args.targets), settings=settings, progress=progress)

    summary = run_with_sessions(work)
    for outcome in summary.outcomes:
        print(render_outcome(outcome))
    print(render_ingest_summary(summary))
    all_failed = bool(summary.outcomes) and summary.count("failed") == len(summary.outcomes)
    return 1 if all_failed or not summary.outcomes else 0
