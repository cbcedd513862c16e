"""Migrations run forward from empty and agree with the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text

from storage import models as m
from storage import queries
from storage.db import alembic_config, create_engine, make_sessionmaker, upgrade
from storage.models import Base
from storage.schema_extras import include_name
from tests.storage_support import Database, Unmigrated

pytest_plugins = ("tests.storage_support",)

DAY = date(2024, 9, 3)


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


async def test_upgrade_fills_new_columns_of_a_database_holding_0001_data(unmigrated: Unmigrated) -> None:
    """0002 copies each report's meeting into report_people and decision_topics and indexes old decisions."""
    config = alembic_config(unmigrated.url, schema=unmigrated.schema)
    if unmigrated.dialect == "sqlite":
        Path(unmigrated.url.removeprefix("sqlite+aiosqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(command.upgrade, config, "0001")
    engine = create_engine(unmigrated.url, schema=unmigrated.schema)
    try:
        # Rows as revision 0001 wrote them (only its columns), for an invented meeting.
        async with engine.begin() as conn:
            await conn.execute(insert(m.Meeting.__table__).values(id=1, body="Northshire Executive", meeting_date=DAY))
            await conn.execute(
                insert(m.Report.__table__).values(
                    id=1,
                    title="Northshire Executive report",
                    title_key="northshire executive report",
                    authors=["Priya Castellano"],
                    ingested_at=datetime(2025, 1, 20, tzinfo=UTC),
                    parser_version="old",
                    body_hash="h1",
                    signature="",
                    clean_text="Tomas Varga reported.",
                    meeting_id=1,
                    warnings=[],
                )
            )
            await conn.execute(insert(m.Person.__table__).values(id=1, name="Tomas Varga", key="tomas varga"))
            await conn.execute(insert(m.ReportPerson.__table__).values(report_id=1, person_id=1, mentions=3))
            await conn.execute(insert(m.Topic.__table__).values(id=1, name="finance"))
            await conn.execute(
                insert(m.Decision.__table__).values(
                    id=1,
                    report_id=1,
                    meeting_id=1,
                    meeting_date=DAY,
                    position=0,
                    text="The Northshire budget was approved by 14 votes to 10.",
                    subject="Northshire budget approved",
                    unanimous=False,
                )
            )
            await conn.execute(insert(m.DecisionTopic.__table__).values(decision_id=1, topic_id=1))
        await upgrade(unmigrated.url, schema=unmigrated.schema)
        async with engine.connect() as conn:
            copied = (await conn.execute(select(m.ReportPerson.meeting_id, m.ReportPerson.meeting_date))).one()
            assert tuple(copied) == (1, DAY)
            assert await conn.scalar(select(m.DecisionTopic.meeting_date)) == DAY
        async with make_sessionmaker(engine).begin() as session:
            profile = await queries.person_profile(session, "Tomas Varga")
            by_topic = await queries.decisions(session, topic="finance")
            by_word = await queries.decisions(session, query="budget")
        assert (profile.mention_count, profile.meetings_mentioned, profile.latest_meeting) == (3, 1, DAY)
        assert [d.subject for d in by_topic.items] == ["Northshire budget approved"]
        assert [d.subject for d in by_word.items] == ["Northshire budget approved"]
    finally:
        await engine.dispose()
