"""Query functions on SQLite and PostgreSQL over invented reports: what /decisions, /who, /meeting show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from digests.errors import NotFound
from digests.model import Decision, PersonMention, Tally
from storage import queries
from storage.ingest import store_report
from tests.storage_support import Database, invented_report

pytest_plugins = ("tests.storage_support",)

FILLER = " ".join(f"Paragraph {i} covered the Westbury campaign plan in detail." for i in range(30))


async def seed(db: Database) -> None:
    """Two reports of one meeting (tallies disagree), one of an earlier meeting."""
    first = invented_report()
    second = invented_report(
        title="Desmond's notes: Northshire Executive, January 2025",
        author="Desmond Achterberg",
        extra=FILLER,
        decisions=[
            Decision(
                text="New ward boundaries for Eastmere were agreed by 12 votes to 8.",
                subject="New ward boundaries for Eastmere",
                section="Boundaries",
                tally=Tally(12, 8),
                topics=["boundaries"],
            )
        ],
        people=[
            PersonMention("Tomas Varga", 1, ["Tomas"], ["Tomas Varga gave the General Secretary's report."]),
            PersonMention("Desmond Achterberg", 1, [], []),
        ],
    )
    older = invented_report(
        title="Northshire Executive report – 3 September 2024",
        meeting_date=date(2024, 9, 3),
        extra="The budget was set. " + FILLER.replace("Westbury", "Harrowfield"),
        decisions=[
            Decision(
                text="The 2025 budget was approved by 14 votes to 10.",
                subject="2025 budget approved",
                section="Finance",
                tally=Tally(14, 10),
                topics=["finance"],
                people=["Tomas Varga"],
            )
        ],
    )
    for parsed, url in ((first, "https://a.example.org/jan"), (second, "https://b.example.org/jan"), (older, None)):
        async with db.sessions.begin() as session:
            assert (await store_report(session, parsed, url=url)).status == "added"


async def test_decisions_by_year_newest_first_with_tally_and_link(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        listed = await queries.decisions(session, year=2024)
        everything = await queries.decisions(session)
    assert [d.tally for d in listed.items] == ["14 to 10"]
    assert listed.items[0].meeting_date == date(2024, 9, 3)
    assert listed.items[0].report.title.startswith("Northshire Executive report")
    assert everything.items[0].meeting_date == date(2025, 1, 14)
    assert everything.items[-1].meeting_date == date(2024, 9, 3)
    assert all(d.report.url or d.report.title for d in everything.items)


async def test_decisions_filters_topic_person_query_and_range(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        by_topic = await queries.decisions(session, topic="Finance")
        by_person = await queries.decisions(session, person="tomas varga")
        by_query = await queries.decisions(session, query="eastmere")
        in_range = await queries.decisions(session, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        nothing = await queries.decisions(session, query="100% _odd_ \\ text")
    assert [d.subject for d in by_topic.items] == ["2025 budget approved"]
    assert [d.subject for d in by_person.items] == ["2025 budget approved"]
    assert {d.meeting_date for d in by_query.items} == {date(2025, 1, 14)}
    assert len(in_range.items) == 3
    assert nothing.items == ()


async def test_person_profile_by_alias_surname_and_typo(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        by_alias = await queries.person_profile(session, "the general secretary")
        by_surname = await queries.person_profile(session, "varga")
        by_typo = await queries.person_profile(session, "Tomas Vargaa")
        author = await queries.person_profile(session, "PRIYA CASTELLANO")
    assert by_alias.name == by_surname.name == by_typo.name == "Tomas Varga"
    assert by_alias.meetings_mentioned == 2
    assert by_alias.latest_meeting == date(2025, 1, 14)
    assert any("membership" in q.sentence for q in by_alias.quotes)
    assert [d.subject for d in by_alias.decisions] == ["2025 budget approved"]
    assert len(author.reports_written) == 2


async def test_unknown_person_gets_suggestions(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        with pytest.raises(NotFound) as caught:
            await queries.person_profile(session, "Marta Oyelarin-Smythe")
    assert "Marta Oyelaran" in caught.value.suggestions


async def test_meeting_merges_reports_and_flags_disagreeing_tallies(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        view = await queries.meeting(session, date(2025, 1, 14))
    assert len(view.reports) == 2
    boundaries = [d for d in view.decisions if "Eastmere" in d.subject]
    assert len(boundaries) == 1
    merged = boundaries[0]
    assert set(merged.reported_by) == {"Priya Castellano", "Desmond Achterberg"}
    assert dict(merged.tallies) == {"Priya Castellano": "12 to 7", "Desmond Achterberg": "12 to 8"}
    assert merged.tallies_disagree
    assert view.key_points and "Tomas Varga" in view.people


async def test_unknown_meeting_suggests_nearest_dates(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        with pytest.raises(NotFound) as caught:
            await queries.meeting(session, date(2025, 1, 15))
    assert caught.value.suggestions[0] == "2025-01-14"


async def test_latest_reports_stats_and_ingested_after(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        latest = await queries.latest(session)
        by_author = await queries.reports(session, author="Desmond", year=2025)
        numbers = await queries.stats(session)
        fresh = await queries.meetings_ingested_after(session, None)
        none_after = await queries.meetings_ingested_after(session, datetime.now(UTC) + timedelta(minutes=1))
        one = await queries.meeting_by_id(session, fresh[0][0])
    assert [s.meeting_date for s in latest.items] == [date(2025, 1, 14), date(2024, 9, 3)]
    assert latest.items[0].decision_count == 3 and len(latest.items[0].reports) == 2
    assert [r.authors for r in by_author.items] == [("Desmond Achterberg",)]
    assert (numbers.reports, numbers.meetings, numbers.decisions) == (3, 2, 4)
    assert numbers.latest_meeting == date(2025, 1, 14)
    assert len(fresh) == 2 and fresh[0][2].tzinfo is not None
    assert none_after == []
    assert one.meeting_date == fresh[0][1]


async def test_search_ranks_and_highlights(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        found = await queries.search(session, "Eastmere boundaries")
        either = await queries.search(session, "Harrowfield zzznothing")
        empty = await queries.search(session, '  "" * ')
    assert found.hits and "**" in found.hits[0].snippet
    assert any(h.kind == "decision" for h in found.hits)
    assert either.hits and all(h.report.meeting_date == date(2024, 9, 3) for h in either.hits)
    assert empty.hits == ()


async def test_search_forgets_replaced_text(db: Database) -> None:
    await seed(db)
    revised = invented_report(extra="Quixotic amendments were tabled.")
    async with db.sessions.begin() as session:
        assert (await store_report(session, revised, url="https://a.example.org/jan")).status == "updated"
    async with db.sessions.begin() as session:
        assert (await queries.search(session, "quixotic")).hits
    again = invented_report(extra="Something else entirely.")
    async with db.sessions.begin() as session:
        await store_report(session, again, url="https://a.example.org/jan")
        assert (await queries.search(session, "quixotic")).hits == ()


async def test_autocomplete_people_and_meetings(db: Database) -> None:
    await seed(db)
    async with db.sessions.begin() as session:
        prefix = await queries.autocomplete_people(session, "tomas va")
        surname = await queries.autocomplete_people(session, "achterburg")
        months = await queries.autocomplete_meetings(session, "january 2025")
        year = await queries.autocomplete_meetings(session, "2024")
        typo = await queries.autocomplete_meetings(session, "janury 2025")
        hostile = await queries.autocomplete_meetings(session, "%' OR 1=1 --")
    assert prefix[0].value == "Tomas Varga"
    assert surname and surname[0].value == "Desmond Achterberg"
    assert [c.value for c in months] == ["2025-01-14"]
    assert months[0].name == "2025-01-14 · Northshire Executive (2 reports)"
    assert [c.value for c in year] == ["2024-09-03"]
    assert [c.value for c in typo] == ["2025-01-14"]
    assert hostile == []


async def test_decision_keyword_matches_whole_words_in_order_any_case(db: Database) -> None:
    """The /decisions keyword is looked up in a word index: whole words, consecutive, any case."""
    await seed(db)
    async with db.sessions.begin() as session:
        phrase = await queries.decisions(session, query="WARD  boundaries")
        part_of_a_word = await queries.decisions(session, query="boundar")
        out_of_order = await queries.decisions(session, query="boundaries ward")
        no_words = await queries.decisions(session, query="%%")
    assert {d.subject for d in phrase.items} == {"New ward boundaries for Eastmere"}
    assert len(phrase.items) == 2
    assert part_of_a_word.items == ()
    assert out_of_order.items == ()
    assert no_words.items == ()


async def test_decision_person_filter_matches_the_full_name_as_whole_words(db: Database) -> None:
    """A decision counts for a person when tied to them or when its text names them in full."""
    await seed(db)
    later = invented_report(
        title="Northshire Executive report – 4 March 2025",
        meeting_date=date(2025, 3, 4),
        decisions=[
            Decision(text="Tomas Varga's motion on staffing was carried.", subject="Staffing motion carried"),
            Decision(text="A motion from Tomas Vargason was withdrawn.", subject="Motion withdrawn"),
        ],
    )
    async with db.sessions.begin() as session:
        await store_report(session, later, url="https://a.example.org/mar")
    async with db.sessions.begin() as session:
        by_person = await queries.decisions(session, person="Tomas Varga")
    assert [d.subject for d in by_person.items] == ["Staffing motion carried", "2025 budget approved"]


async def test_search_ranks_only_the_newest_matching_passages(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a bound of one passage, only the matching passage stored last is found."""
    await seed(db)  # "campaign plan" is in a January report and in the September one, stored last
    async with db.sessions.begin() as session:
        unbounded = await queries.search(session, "campaign plan")
    monkeypatch.setattr(queries, "SEARCH_RECENT", 1)
    async with db.sessions.begin() as session:
        bounded = await queries.search(session, "campaign plan")
    assert {h.report.meeting_date for h in unbounded.hits} == {date(2025, 1, 14), date(2024, 9, 3)}
    assert [h.report.meeting_date for h in bounded.hits] == [date(2024, 9, 3)]


async def test_common_keyword_lists_the_same_decisions(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyword found in many decisions is looked up another way; the answer is the same."""
    await seed(db)
    async with db.sessions.begin() as session:
        rare = await queries.decisions(session, query="boundaries", limit=1)
    monkeypatch.setattr(queries, "COMMON_WORD_DECISIONS", 0)
    async with db.sessions.begin() as session:
        common = await queries.decisions(session, query="boundaries", limit=1)
    assert common == rare and len(common.items) == 1


async def test_postgresql_plans_each_query_with_its_values(db: Database) -> None:
    # A generic plan for "a person's newest decisions" walks every decision; see storage.db.create_engine.
    if db.dialect != "postgresql":
        pytest.skip("plan_cache_mode is a PostgreSQL setting")
    async with db.sessions.begin() as session:
        assert await session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"


async def test_read_only_sessions_answer_the_same_and_on_sqlite_leave_the_event_loop_connection_alone(
    db: Database,
) -> None:
    from sqlalchemy import event

    await seed(db)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    async with db.sessions.begin() as session:
        inside = await queries.person_profile(session, "Tomas Varga")
        inside_meeting = await queries.meeting(session, date(2025, 1, 14))
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.sessions() as session:
            fresh = await queries.person_profile(session, "Tomas Varga")
            fresh_meeting = await queries.meeting(session, date(2025, 1, 14))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert (fresh, fresh_meeting) == (inside, inside_meeting)
    assert fresh.reports_written or fresh.quotes
    # SQLite: the whole look-up ran in a worker thread on the synchronous twin, not through aiosqlite.
    assert (len(statements) == 0) == (db.dialect == "sqlite")
