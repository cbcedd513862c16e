"""`necdigest db upgrade|backup`, and the helper every database command uses to open the store."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import UserError
from bot.settings import get_settings
from digests.errors import UserFacingError
from storage.db import create_engine, make_sessionmaker, upgrade

T = TypeVar("T")


def _where(url: str) -> str:
    """The database's location without any password."""
    parsed = make_url(url)
    return parsed.render_as_string(hide_password=True)


def run_with_sessions(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Open DATABASE_URL, migrate it to the latest schema, run `work`, close; errors become one line."""
    url = get_settings().database_url

    async def main() -> T:
        await upgrade(url)
        engine = create_engine(url)
        try:
            return await work(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except UserFacingError as exc:
        raise UserError(str(exc)) from None
    except (SQLAlchemyError, OSError) as exc:
        raise UserError(f"cannot use the database at {_where(url)} ({type(exc).__name__})") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="database maintenance: upgrade the schema, back up")
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = sub.add_parser("upgrade", help="run every pending migration (also done at start-up)")
    up.set_defaults(func=run_upgrade)
    backup = sub.add_parser("backup", help="copy the SQLite database to PATH while it is in use")
    backup.add_argument("path", type=Path)
    backup.set_defaults(func=run_backup)


def run_upgrade(args: argparse.Namespace) -> int:
    async def work(sessions: async_sessionmaker[AsyncSession]) -> None:
        return None

    run_with_sessions(work)
    print(f"database at {_where(get_settings().database_url)} is at the latest schema")
    return 0


def _sqlite_backup(source: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def run_backup(args: argparse.Namespace) -> int:
    url = get_settings().database_url
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        raise UserError("backup copies a SQLite database file; for PostgreSQL use pg_dump")
    target: Path = args.path
    if target.exists():
        raise UserError(f"{target} already exists; choose a new file")

    async def work(sessions: async_sessionmaker[AsyncSession]) -> None:
        # sqlite3's online backup API copies a consistent snapshot even while the bot writes.
        await asyncio.to_thread(_sqlite_backup, str(parsed.database), target)

    run_with_sessions(work)
    print(f"backed up to {target}")
    return 0
