"""Multi-row INSERTs with as little per-row work as the driver allows.

A report's store writes about a hundred child rows. SQLAlchemy's Core `insert()` runs every row
through its compiled statement's parameter machinery, which cost more than SQLite's own work on
those rows. On SQLite the values the store writes are already what the driver takes (dates aside),
so there the rows go to the driver as tuples through `exec_driver_sql`, which keeps SQLAlchemy's
transaction and events. Other databases get the Core statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Table, insert
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

# SQLite binds a few hundred parameters per statement safely on any build (the old default limit
# is 999); a multi-row VALUES list is cut into chunks below that.
_SQLITE_PARAMETERS_PER_STATEMENT = 900

_Convert = Callable[[Any], Any]
_SQLITE = SQLiteDialect()


def _iso_date(value: date | None) -> str | None:
    # The format SQLAlchemy's SQLite DATE type writes, so that both paths store the same text.
    return None if value is None else value.isoformat()


@lru_cache(maxsize=64)
def _converters(table: Table, columns: tuple[str, ...]) -> tuple[_Convert | None, ...]:
    return tuple(_iso_date if isinstance(table.c[name].type, Date) else None for name in columns)


def _driver_tuples(table: Table, columns: tuple[str, ...], rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    converters = _converters(table, columns)
    if not any(converters):
        return [tuple([row[name] for name in columns]) for row in rows]
    return [
        tuple(
            [
                value if convert is None else convert(value)
                for value, convert in zip([row[name] for name in columns], converters, strict=True)
            ]
        )
        for row in rows
    ]


@lru_cache(maxsize=64)
def _sqlite_insert(table: Table, columns: tuple[str, ...], rows: int, returning: str | None) -> str:
    # Every identifier comes from the table's metadata and is quoted by the dialect; values are bound.
    quote = _SQLITE.identifier_preparer.quote
    placeholders = "(" + ", ".join("?" * len(columns)) + ")"
    names = ", ".join(quote(table.c[name].name) for name in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES " + ", ".join([placeholders] * rows)  # noqa: S608
    return sql + (f" RETURNING {quote(table.c[returning].name)}, id" if returning else "")


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    columns = tuple(rows[0])
    conn.exec_driver_sql(_sqlite_insert(table, columns, 1, None), _driver_tuples(table, columns, rows))


def insert_returning_ids(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, key: str) -> list[int]:
    """INSERT `rows`, each with a distinct value in column `key`; their new ids, in the order given.

    Multi-row INSERT ... RETURNING key, id: the order of RETURNING rows is not guaranteed, so each id
    is matched to its row by `key`.
    """
    if not rows:
        return []
    ids: dict[Any, int] = {}
    if conn.dialect.name != "sqlite":
        ids.update(conn.execute(insert(table).returning(table.c[key], table.c.id), list(rows)).tuples().all())
    else:
        columns = tuple(rows[0])
        values = _driver_tuples(table, columns, rows)
        per_statement = max(1, _SQLITE_PARAMETERS_PER_STATEMENT // len(columns))
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            sql = _sqlite_insert(table, columns, len(chunk), key)
            flat = [value for row in chunk for value in row]
            ids.update(conn.exec_driver_sql(sql, tuple(flat)).tuples().all())
    return [ids[row[key]] for row in rows]
