"""Multi-row INSERTs with as little per-row work as the driver allows.

A report's store writes about a hundred child rows in ten statements. SQLAlchemy's Core `insert()`
runs every row through its compiled statement's parameter machinery, and every statement through
its execution context, which together cost more than the database's own work on those rows. So
rows are built as tuples in a column order the caller names, and each batch is one statement:

- on SQLite, a multi-row VALUES list sent straight to the DB-API cursor of the connection's
  transaction (dates aside, the values are already what the driver takes). Not `executemany`:
  every statement that writes a full-text index through a trigger first flushes that index's
  pending terms to disk as a new segment (SQLite 3.40's FTS5 does so at each statement
  savepoint), so a statement per row cost a segment per row, and the merging of them;
- on PostgreSQL, `INSERT ... SELECT * FROM unnest(<one array per column>)`: the same SQL for any
  number of rows, so asyncpg prepares it once, and one execution on the server instead of one per
  row (each with its own foreign-key checks), which `executemany` costs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Table, bindparam
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.sql.elements import TextClause

# SQLite binds a few hundred parameters per statement safely on any build (the old default limit
# is 999); a multi-row VALUES list is cut into chunks below that.
_SQLITE_PARAMETERS_PER_STATEMENT = 900

Row = tuple[Any, ...]
_Convert = Callable[[Any], Any]
_SQLITE = SQLiteDialect()
_POSTGRES = postgresql.dialect()  # type: ignore[no-untyped-call]

# What a row that breaks a unique constraint does: fails the statement, is skipped, or (for
# `upsert_ids`) is left as it is but still returned.
FAIL, SKIP, KEEP = "fail", "skip", "keep"


def _iso_date(value: date | None) -> str | None:
    # The format SQLAlchemy's SQLite DATE type writes, so that both paths store the same text.
    return None if value is None else value.isoformat()


@lru_cache(maxsize=64)
def _converters(table: Table, columns: tuple[str, ...]) -> tuple[_Convert | None, ...] | None:
    converters = tuple(_iso_date if isinstance(table.c[name].type, Date) else None for name in columns)
    return converters if any(converters) else None


def _sqlite_rows(table: Table, columns: tuple[str, ...], rows: Sequence[Row]) -> Sequence[Row]:
    converters = _converters(table, columns)
    if converters is None:
        return rows
    return [
        tuple([value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)])
        for row in rows
    ]


def _tail(quote: Callable[[str], str], table: Table, returning: tuple[str, ...], conflict: str) -> str:
    """The ON CONFLICT and RETURNING clauses, the same in both dialects."""
    sql = ""
    if conflict == SKIP:
        sql += " ON CONFLICT DO NOTHING"
    elif conflict == KEEP and returning:
        # A no-op update, so that a row already there is returned too.
        key = ", ".join(quote(table.c[name].name) for name in returning)
        first = quote(table.c[returning[0]].name)
        sql += f" ON CONFLICT ({key}) DO UPDATE SET {first} = excluded.{first}"
    if not returning:
        return sql
    return sql + " RETURNING " + ", ".join(quote(table.c[name].name) for name in returning) + ", id"


@lru_cache(maxsize=64)
def _sqlite_insert(table: Table, columns: tuple[str, ...], rows: int, returning: tuple[str, ...], conflict: str) -> str:
    # Every identifier comes from the table's metadata and is quoted by the dialect; values are bound.
    quote = _SQLITE.identifier_preparer.quote
    placeholders = "(" + ", ".join("?" * len(columns)) + ")"
    names = ", ".join(quote(table.c[name].name) for name in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES " + ", ".join([placeholders] * rows)  # noqa: S608
    return sql + _tail(quote, table, returning, conflict)


@lru_cache(maxsize=64)
def _postgres_insert(table: Table, columns: tuple[str, ...], returning: tuple[str, ...], conflict: str) -> TextClause:
    # Identifiers and types come from the table's metadata (quoted and rendered by the dialect); each
    # column's values are bound as one array, cast so that the server knows its type.
    quote = _POSTGRES.identifier_preparer.quote
    names = ", ".join(quote(table.c[name].name) for name in columns)
    arrays = ", ".join(
        f"CAST(:c{i} AS {table.c[name].type.compile(dialect=_POSTGRES)}[])" for i, name in enumerate(columns)
    )
    sql = f"INSERT INTO {quote(table.name)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    binds = [bindparam(f"c{i}", type_=postgresql.ARRAY(table.c[name].type)) for i, name in enumerate(columns)]
    return sql_text(sql + _tail(quote, table, returning, conflict)).bindparams(*binds)


def _cursor(conn: Connection) -> Any:
    # The cursor of the connection's own DB-API connection: the same transaction as every statement
    # SQLAlchemy runs on `conn` (the aiosqlite adapter offers the same synchronous cursor).
    dbapi_connection = conn.connection.dbapi_connection
    assert dbapi_connection is not None, "the connection is closed"
    return dbapi_connection.cursor()


def _write(
    conn: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[Row],
    returning: tuple[str, ...],
    conflict: str,
) -> list[Row]:
    """INSERT `rows`; for each row, the values of the `returning` columns and then its id."""
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        values = {f"c{i}": list(column) for i, column in enumerate(zip(*rows, strict=True))}
        result = conn.execute(_postgres_insert(table, columns, returning, conflict), values)
        return [tuple(row) for row in result] if returning else []
    values_sqlite = _sqlite_rows(table, columns, rows)
    per_statement = max(1, _SQLITE_PARAMETERS_PER_STATEMENT // len(columns))
    returned: list[Row] = []
    cursor = _cursor(conn)
    try:
        for start in range(0, len(values_sqlite), per_statement):
            chunk = values_sqlite[start : start + per_statement]
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
    """
    _write(conn, table, columns, rows, (), SKIP if skip_existing else FAIL)


def insert_returning_ids(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Row], *, key: tuple[str, ...]
) -> list[int]:
    """INSERT `rows`, each with distinct values in the columns `key`; their new ids, in the order given.

    The order of RETURNING rows is not guaranteed, so each id is matched to its row by `key`.
    """
    ids: dict[Row, int] = {
        tuple(returned[:-1]): returned[-1] for returned in _write(conn, table, columns, rows, key, FAIL)
    }
    at = [columns.index(name) for name in key]
    return [ids[tuple([row[i] for i in at])] for row in rows]


def upsert_ids(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Row], *, key: str
) -> dict[Any, int]:
    """Insert the rows that are new by the unique column `key`; {key value: id} for every row.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) instead of an insert and a select;
    the no-op update makes conflicting rows return their id too.
    """
    return dict(_write(conn, table, columns, rows, (key,), KEEP))
