"""A list of values bound as one parameter, so that a statement's SQL is the same for any list.

An expanding `IN` (SQLAlchemy's default for a list) writes one placeholder per value, so every list
length is new SQL: rendered again by SQLAlchemy and prepared again by the database. Bound as one
value instead (a JSON array on SQLite, an array on PostgreSQL), the statement is prepared once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement


def among(dialect: str, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column IN :name`, where the parameter `name` is bound to a list of strings at execution."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(String())))
    values = func.json_each(bindparam(name, type_=JSON())).table_valued("value")
    return column.in_(select(values.c.value))
