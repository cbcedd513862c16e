"""`necdigest stats`: counts of what the database holds."""

from __future__ import annotations

import argparse

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.db import run_with_sessions
from bot.render_text import render_stats
from digests.views import Stats
from storage import queries


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("stats", help="counts of reports, meetings, decisions and people stored")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    async def work(sessions: async_sessionmaker[AsyncSession]) -> Stats:
        async with sessions() as session:  # read-only: see storage.db.run_read
            return await queries.stats(session)

    print(render_stats(run_with_sessions(work)))
    return 0
