"""INSERT ... ON CONFLICT DO NOTHING for whichever dialect the session talks to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import FromClause, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """ "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name


async def insert_ignore(session: AsyncSession, table: Table | FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, skipping any that would break a unique constraint (concurrent ingests race here)."""
    if not rows:
        return
    assert isinstance(table, Table)
    if dialect_name(session) == "postgresql":
        await session.execute(postgresql.insert(table).on_conflict_do_nothing(), list(rows))
    else:
        await session.execute(sqlite.insert(table).on_conflict_do_nothing(), list(rows))
