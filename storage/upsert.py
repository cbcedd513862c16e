"""INSERT ... ON CONFLICT for whichever dialect a connection talks to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, FromClause, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session


def dialect_name(session: AsyncSession | Session) -> str:
    """ "sqlite" or "postgresql"."""
    return session.get_bind().dialect.name


def insert_ignore(conn: Connection, table: Table | FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, skipping any that would break a unique constraint (concurrent ingests race here)."""
    if not rows:
        return
    assert isinstance(table, Table)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), list(rows))


def upsert_ids(
    conn: Connection, table: Table | FromClause, rows: Sequence[dict[str, Any]], *, key: str
) -> dict[Any, int]:
    """Insert rows that are new by the unique column `key` and return {key value: id} for every row.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) instead of an insert and a select;
    the no-op update makes conflicting rows return their id too.
    """
    if not rows:
        return {}
    assert isinstance(table, Table)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(list(rows))
    stmt = stmt.on_conflict_do_update(index_elements=[table.c[key]], set_={key: stmt.excluded[key]})
    result = conn.execute(stmt.returning(table.c[key], table.c.id))
    return {value: ident for value, ident in result.tuples()}
