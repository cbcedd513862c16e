"""Migrations run forward from empty and agree with the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.db import upgrade
from storage.models import Base
from storage.schema_extras import include_name
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)


async def test_models_and_migrations_agree(db: Database) -> None:
    async with db.engine.connect() as conn:

        def diff(sync_conn):  # type: ignore[no-untyped-def]
            context = MigrationContext.configure(sync_conn, opts={"include_name": include_name, "compare_type": True})
            return compare_metadata(context, Base.metadata)

        assert await conn.run_sync(diff) == []


async def test_upgrade_twice_is_harmless_and_creates_full_text_index(db: Database) -> None:
    await upgrade(db.url, schema=db.schema)
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"reports", "meetings", "decisions", "subscriptions", "posts", "alembic_version"} <= tables
        if db.dialect == "sqlite":
            assert await conn.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'search_fts'")) == 1
            assert await conn.scalar(text("PRAGMA foreign_keys")) == 1
            assert (await conn.scalar(text("PRAGMA journal_mode"))).lower() == "wal"
        else:
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("search_docs")})
            assert "tsv" in columns


async def test_sqlite_file_url_creates_its_directory(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'data' / 'db.sqlite3'}"
    await upgrade(url)
    assert (tmp_path / "nested" / "data" / "db.sqlite3").is_file()
