"""Multi-row INSERTs with as little per-row work as the driver allows.

A report's store writes about a hundred child rows in ten statements. SQLAlchemy's Core `insert()`
runs every row through its compiled statement's parameter machinery, and every statement through
its execution context, which together cost more than SQLite's own work on those rows. So rows are
built as tuples in a column order the caller names, and on SQLite they go straight to the DB-API
cursor of the connection's transaction (dates aside, the values are already what the driver takes).
Other databases get the Core statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

# SQLite binds a few hundred parameters per statement safely on any build (the old default limit
# is 999); a multi-row VALUES list is cut into chunks below that.
_SQLITE_PARAMETERS_PER_STATEMENT = 900

Row = tuple[Any, ...]
_Convert = Callable[[Any], Any]
_SQLITE = SQLiteDialect()


def _iso_date(value: date | None) -> str | None:
    # The format SQLAlchemy's SQLite DATE type writes, so that both paths store the same text.
    return None if value is None else value.isoformat()


@lru_cache(maxsize=64)
def _converters(table: Table, columns: tuple[str, ...]) -> tuple[_Convert | None, ...] | None:
    converters = tuple(_iso_date if isinstance(table.c[name].type, Date) else None for name in columns)
    return converters if any(converters) else None


def _driver_rows(table: Table, columns: tuple[str, ...], rows: Sequence[Row]) -> Sequence[Row]:
    converters = _converters(table, columns)
    if converters is None:
        return rows
    return [
        tuple([value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)])
        for row in rows
    ]


# What a row that breaks a unique constraint does: fails the statement, is skipped, or (for
# `upsert_returning_ids`) is left as it is but still returned.
FAIL, SKIP, KEEP = "fail", "skip", "keep"


@lru_cache(maxsize=64)
def _sqlite_insert(table: Table, columns: tuple[str, ...], rows: int, returning: str | None, conflict: str) -> str:
    # Every identifier comes from the table's metadata and is quoted by the dialect; values are bound.
    quote = _SQLITE.identifier_preparer.quote
    placeholders = "(" + ", ".join("?" * len(columns)) + ")"
    names = ", ".join(quote(table.c[name].name) for name in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES " + ", ".join([placeholders] * rows)  # noqa: S608
    if conflict == SKIP:
        sql += " ON CONFLICT DO NOTHING"
    elif conflict == KEEP and returning:
        # A no-op update, so that a row already there is returned too.
        key = quote(table.c[returning].name)
        sql += f" ON CONFLICT ({key}) DO UPDATE SET {key} = excluded.{key}"
    return sql + (f" RETURNING {quote(table.c[returning].name)}, id" if returning else "")


def _cursor(conn: Connection) -> Any:
    # The cursor of the connection's own DB-API connection: the same transaction as every statement
    # SQLAlchemy runs on `conn` (the aiosqlite adapter offers the same synchronous cursor).
    dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None, "the connection is closed"
    return dbapi_connection.cursor()


def _as_dicts(columns: tuple[str, ...], rows: Sequence[Row]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _sqlite_chunks(
    conn: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[Row],
    returning: str | None,
    conflict: str = FAIL,
) -> list[Row]:
    """Multi-row INSERTs of `rows` (a few hundred values each); the RETURNING rows, if asked for."""
    values = _driver_rows(table, columns, rows)
    per_statement = max(1, _SQLITE_PARAMETERS_PER_STATEMENT // len(columns))
    returned: list[Row] = []
    cursor = _cursor(conn)
    try:
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            sql = _sqlite_insert(table, columns, len(chunk), returning, conflict)
            cursor.execute(sql, [v for row in chunk for v in row])
            if returning:
                returned += cursor.fetchall()
    finally:
        cursor.close()
    return returned


def insert_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Row], *, skip_existing: bool = False
) -> None:
    """INSERT `rows` (tuples of values for `columns`, in that order) into `table`.

    With `skip_existing`, a row that would break a unique constraint is skipped (concurrent ingests
    race to write the same person or alias) instead of failing the statement.

    On SQLite, one statement for many rows rather than one per row (`executemany`): every
    statement that writes a full-text index through a trigger first flushes that index's pending
    terms to disk as a new segment (SQLite 3.40's FTS5 does so at each statement savepoint), so a
    statement per row cost a segment per row, and the merging of them.
    """
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        _sqlite_chunks(conn, table, columns, rows, None, SKIP if skip_existing else FAIL)
    elif skip_existing:
        conn.execute(postgresql.insert(table).on_conflict_do_nothing(), _as_dicts(columns, rows))
    else:
        conn.execute(insert(table), _as_dicts(columns, rows))


def insert_returning_ids(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Row], *, key: str
) -> list[int]:
    """INSERT `rows`, each with a distinct value in column `key`; their new ids, in the order given.

    Multi-row INSERT ... RETURNING key, id: the order of RETURNING rows is not guaranteed, so each id
    is matched to its row by `key`.
    """
    if not rows:
        return []
    ids: dict[Any, int]
    if conn.dialect.name != "sqlite":
        returning = insert(table).returning(table.c[key], table.c.id)
        ids = dict(conn.execute(returning, _as_dicts(columns, rows)).tuples().all())
    else:
        ids = dict(_sqlite_chunks(conn, table, columns, rows, key))
    at = columns.index(key)
    return [ids[row[at]] for row in rows]


def upsert_ids(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Row], *, key: str
) -> dict[Any, int]:
    """Insert the rows that are new by the unique column `key`; {key value: id} for every row.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) instead of an insert and a select;
    the no-op update makes conflicting rows return their id too.
    """
    if not rows:
        return {}
    if conn.dialect.name == "sqlite":
        return dict(_sqlite_chunks(conn, table, columns, rows, key, KEEP))
    stmt = postgresql.insert(table)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c[key]], set_={key: stmt.excluded[key]})
    result = conn.execute(stmt.returning(table.c[key], table.c.id), _as_dicts(columns, rows))
    return dict(result.tuples().all())
