"""Engines, session factories and migrations: the one place a database is opened."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy import create_engine as _create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # WAL lets readers (slash commands) run while the poller writes; the busy timeout makes a
    # second writer wait instead of failing at once; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoint every ~16 MB of WAL instead of 4 MB: a page rewritten by many ingests in a row (index
    # and full-text pages are) is copied back to the database once, and commits stall less often.
    cursor.execute("PRAGMA wal_autocheckpoint=4000")
    cursor.execute("PRAGMA journal_size_limit=33554432")
    cursor.close()


def is_sqlite(url_or_engine: str | AsyncEngine) -> bool:
    """True when the URL or engine talks to SQLite."""
    if isinstance(url_or_engine, AsyncEngine):
        return url_or_engine.dialect.name == "sqlite"
    return make_url(url_or_engine).drivername.startswith("sqlite")


def create_engine(url: str, *, schema: str | None = None, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`: SQLite (aiosqlite, WAL, foreign keys) or PostgreSQL (asyncpg).

    `schema` (PostgreSQL only) sets the search path, so tests can each work in a schema of their own.
    """
    db_file = _sqlite_file(url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
    if not is_sqlite(url):
        server_settings = kwargs.setdefault("connect_args", {}).setdefault("server_settings", {})
        # asyncpg prepares every statement; after five runs PostgreSQL may switch a statement to a
        # generic plan that ignores the values, e.g. walking every decision newest first to find one
        # rare person's twenty. Planning each run costs well under a millisecond and never does that.
        server_settings.setdefault("plan_cache_mode", "force_custom_plan")
        if schema is not None:
            server_settings["search_path"] = schema
    engine = _create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
    return engine


# Key in a sessionmaker's (and so each session's) `info` for the synchronous twin of a file-backed
# SQLite engine.
SQLITE_TWIN = "sqlite_twin"


def _sqlite_twin(engine: AsyncEngine) -> Engine | None:
    """A synchronous engine on the same SQLite file, for work that runs whole in one worker thread.

    aiosqlite hands every cursor call to its thread and back (three or four hops a statement, each
    a wake-up of the event loop); a report's store or a profile look-up runs about ten statements,
    so doing all of it in one `asyncio.to_thread` call saves a quarter of its cost or more. The
    event loop is never blocked: the twin is only used from worker threads.
    """
    if engine.dialect.name != "sqlite" or _sqlite_file(engine.url.render_as_string()) is None:
        return None
    twin = _create_sync_engine(
        engine.url.set(drivername="sqlite"), connect_args={"check_same_thread": False}, pool_pre_ping=False
    )
    event.listen(twin, "connect", _on_sqlite_connect)
    event.listen(engine.sync_engine, "engine_disposed", lambda _engine: twin.dispose())
    return twin


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory; objects stay readable after commit (no implicit reloads).

    Its `info` carries the synchronous SQLite twin (see `_sqlite_twin`) when there is one.
    """
    twin = _sqlite_twin(engine)
    info = {SQLITE_TWIN: twin} if twin is not None else {}
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


async def run_read(
    session: AsyncSession, read: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """`read(sync_session, *args, **kwargs)`: a read-only query function written as plain synchronous code.

    A session that has not begun a transaction (`async with sessions() as session`, as the
    read-only commands open theirs) on a SQLite file has nothing of its own to see, so `read` runs
    whole in one worker thread on the synchronous twin, in a snapshot of what is committed. A session
    inside a transaction reads through it (`AsyncSession.run_sync`), its pending writes included.
    """
    twin = session.info.get(SQLITE_TWIN)
    if not isinstance(twin, Engine) or session.in_transaction():
        return await session.run_sync(read, *args, **kwargs)

    def in_thread() -> T:
        with Session(twin) as sync_session:
            return read(sync_session, *args, **kwargs)

    return await asyncio.to_thread(in_thread)


def alembic_config(url: str, *, schema: str | None = None) -> Config:
    """An Alembic config built in code, pointing at the migrations shipped inside this package."""
    config = Config()
    script_location = resources.files("storage") / "migrations"
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["database_url"] = url
    config.attributes["schema"] = schema
    return config


def _upgrade_sync(url: str, schema: str | None) -> None:
    command.upgrade(alembic_config(url, schema=schema), "head")


async def upgrade(url: str, *, schema: str | None = None) -> None:
    """Run every pending migration against `url` (idempotent; safe at every start-up)."""
    db_file = _sqlite_file(url)
    if db_file is not None:
        db_file.parent.mkdir(parents=True, exist_ok=True)
    # env.py runs its own event loop with an AsyncEngine, so it needs a thread of its own.
    await asyncio.to_thread(_upgrade_sync, url, schema)
    log.info("database schema is at the latest migration")
