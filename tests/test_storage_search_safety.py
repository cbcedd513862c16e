"""Hostile text thrown at search() and autocomplete never raises, on SQLite and PostgreSQL."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import queries
from storage.ingest import store_report
from tests.storage_support import Database, invented_report

pytest_plugins = ("tests.storage_support",)

NASTY = [
    "",
    "   ",
    '"',
    '""',
    "*",
    "AND(",
    "NEAR",
    "NEAR(a b, 3)",
    "-",
    "^",
    ":",
    "title:boundaries",
    "a OR",
    "NOT",
    "(",
    ")",
    "'; DROP TABLE reports; --",
    "%_\\",
    "\x00",
    'ward* AND NOT "Eastmere',
    "{title text}: x",
    "!!!",
    "é" * 300,
]
pieces = st.sampled_from(['"', "*", "AND", "OR", "NOT", "NEAR", "(", ")", "-", "^", ":", "'", "%", "\\", " ", "ward"])
hostile = st.one_of(st.sampled_from(NASTY), st.text(max_size=60), st.lists(pieces, max_size=12).map("".join))


async def test_hostile_search_strings_never_raise(db: Database) -> None:
    async with db.sessions.begin() as session:
        await store_report(session, invented_report(), url=None)

    # Hypothesis cannot drive an async test on this event loop, so it generates the strings first.
    queries_to_try: list[str] = []

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(query=hostile)
    def collect(query: str) -> None:
        queries_to_try.append(query.replace("\x00", ""))  # PostgreSQL text cannot hold NUL; the bot strips it

    collect()
    assert len(queries_to_try) >= 200
    async with db.sessions.begin() as session:
        for query in queries_to_try:
            results = await queries.search(session, query)
            assert results.query == query
            assert isinstance(await queries.autocomplete_people(session, query), list)
            assert isinstance(await queries.autocomplete_meetings(session, query), list)


async def test_operator_words_are_searched_as_plain_words(db: Database) -> None:
    async with db.sessions.begin() as session:
        await store_report(session, invented_report(extra="Motions near the end were not taken."), url=None)
        results = await queries.search(session, "NEAR NOT")
    assert results.hits and "**" in results.hits[0].snippet
