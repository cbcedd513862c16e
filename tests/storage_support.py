"""Fixtures for the storage suite: one fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests run when TEST_DATABASE_URL is set; each test migrates a schema of its own, so
tests (and other suites sharing the server) never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from digests.model import Decision, ParsedReport, PersonMention, PrivateDetail, Section, Tally
from storage.db import create_engine, make_sessionmaker, upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL")


@dataclass
class Database:
    url: str
    schema: str | None
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@asynccontextmanager
async def _private_schema(url: str) -> AsyncIterator[str]:
    """A schema of this test's own on the server, dropped with everything in it afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:
    """A freshly migrated database (SQLite file, or a private PostgreSQL schema)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'test.sqlite3'}"
        await upgrade(url)
        engine = create_engine(url)
        yield Database(url, None, engine, make_sessionmaker(engine))
        await engine.dispose()
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL storage tests skipped")
    async with _private_schema(PG_URL) as schema:
        await upgrade(PG_URL, schema=schema)
        engine = create_engine(PG_URL, schema=schema)
        yield Database(PG_URL, schema, engine, make_sessionmaker(engine))
        await engine.dispose()


def invented_report(
    *,
    title: str = "Northshire Executive report – 14 January 2025",
    meeting_date: date | None = date(2025, 1, 14),
    author: str = "Priya Castellano",
    decisions: list[Decision] | None = None,
    extra: str = "",
    people: list[PersonMention] | None = None,
) -> ParsedReport:
    """An invented report in the shape the parser produces (invented people and committees)."""
    sections = [
        Section(
            "General Secretary's report", "Tomas Varga reported that membership in Northshire rose by 4%. " + extra
        ),
        Section(
            "Boundaries",
            "The committee agreed new ward boundaries for Eastmere by 12 votes to 7. "
            "Marta Oyelaran moved that the review be published.",
        ),
        Section("Other business", "Date of next meeting confirmed as 11 March. Contact me on 07700 900123."),
    ]
    if decisions is None:
        decisions = [
            Decision(
                text="The committee agreed new ward boundaries for Eastmere by 12 votes to 7.",
                subject="New ward boundaries for Eastmere",
                section="Boundaries",
                tally=Tally(12, 7),
                topics=["boundaries"],
                people=["Marta Oyelaran"],
            ),
            Decision(
                text="The review to be published.",
                subject="Boundary review published",
                section="Boundaries",
                tally=Tally(unanimous=True),
                topics=["boundaries"],
            ),
        ]
    if people is None:
        people = [
            PersonMention(
                "Tomas Varga",
                2,
                ["Tomas", "the General Secretary"],
                ["Tomas Varga reported that membership in Northshire rose by 4%."],
            ),
            PersonMention("Marta Oyelaran", 1, [], ["Marta Oyelaran moved that the review be published."]),
            PersonMention(author, 1, [], []),
        ]
    body = "\n\n".join(f"{s.heading}\n{s.text}" for s in sections)
    return ParsedReport(
        title=title,
        meeting_date=meeting_date,
        published=date(2025, 1, 20),
        authors=[author],
        body="Northshire Executive",
        sections=sections,
        decisions=decisions,
        people=people,
        topics=["boundaries", "membership"],
        warnings=[],
        private_details=[PrivateDetail("phone", "07700 900123")],
        clean_text=f"{title}\n\n{body}",
    )


@dataclass
class Unmigrated:
    """An empty database (SQLite file or private PostgreSQL schema) that no migration has touched."""

    url: str
    schema: str | None
    dialect: str


@pytest.fixture(params=["sqlite", "postgresql"])
async def unmigrated(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Unmigrated]:
    """For tests that migrate step by step (e.g. upgrading a database that holds older data)."""
    if request.param == "sqlite":
        yield Unmigrated(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'old.sqlite3'}", None, "sqlite")
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL storage tests skipped")
    async with _private_schema(PG_URL) as schema:
        yield Unmigrated(PG_URL, schema, "postgresql")
