"""`necdigest demo`: the offline main job. A fresh local SQLite database, the sample reports that ship
with the project (an invented committee with invented people), the digest of the latest meeting, and
answers to a few example commands. Needs no token and no network."""

from __future__ import annotations

import argparse
import asyncio
from importlib import resources
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import UserError
from bot.commands.digest import digest_since
from bot.console import answer_line
from bot.ingest import ingest_bytes
from bot.render_digest import digest_text
from bot.render_text import render_outcome
from storage.db import create_engine, make_sessionmaker, upgrade

DEMO_DATABASE = Path("data/demo.sqlite3")
EXAMPLE_COMMANDS = (
    "/latest",
    "/decisions 2025",
    "/who Maya Okafor",
    "/meeting 2025-06-17",
    "/search boundaries",
    "/who okafur",
    "/who Jordan Fielding",
    "/decisions 20x3",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="offline demo: ingest the bundled sample reports and answer queries")
    parser.add_argument(
        "--database", type=Path, default=DEMO_DATABASE, help=f"SQLite file to (re)create (default {DEMO_DATABASE})"
    )
    parser.set_defaults(func=run)


def sample_reports() -> list[tuple[str, bytes]]:
    """The invented sample reports bundled in the package, in name order."""
    folder = resources.files("bot") / "samples"
    return sorted((item.name, item.read_bytes()) for item in folder.iterdir() if item.is_file())


async def _ingest_samples(sessions: async_sessionmaker[AsyncSession]) -> None:
    print("== Ingesting the sample reports ==")
    for name, data in sample_reports():
        outcome = await ingest_bytes(sessions, data, name=name, url=f"https://example.org/samples/{name}")
        print(render_outcome(outcome))


def fresh_database_file(database: Path) -> None:
    """Remove an earlier demo database so every demo starts from the same empty state."""
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


async def demo(database: Path) -> None:
    """Run the whole demo against a fresh SQLite file (prepared before the event loop starts)."""
    url = f"sqlite+aiosqlite:///{database}"
    await upgrade(url)
    engine = create_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        await _ingest_samples(sessions)
        print("\n== Digest of the latest meeting (what a subscribed channel receives) ==")
        view = await digest_since(url, None, topic=None, person=None, keyword=None)
        print(digest_text(view))
        for command in EXAMPLE_COMMANDS:
            print(f"\n== {command} ==")
            print(await answer_line(sessions, command))
    finally:
        await engine.dispose()
    print(f"\nThe demo database is {database}; explore it with: DATABASE_URL={url} necdigest console")


def run(args: argparse.Namespace) -> int:
    try:
        fresh_database_file(args.database)
        asyncio.run(demo(args.database))
    except OSError as exc:
        raise UserError(f"cannot create the demo database at {args.database} ({exc.strerror})") from None
    return 0
