"""store_report on SQLite and PostgreSQL: idempotent, updates replace, republished copies are skipped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, text

from digests.model import Decision, ParsedReport, PersonMention, Tally
from storage import models as m
from storage.knowledge import knowledge_rows
from tests.storage_support import Database, invented_report

pytest_plugins = ("tests.storage_support",)

COUNTED = (m.Report, m.Meeting, m.Section, m.Decision, m.Person, m.Mention, m.SearchDoc, m.DecisionTopic)


async def counts(database: Database) -> dict[str, int]:
    async with database.sessions.begin() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0 for model in COUNTED
        }


async def store(database: Database, parsed, url: str | None):  # type: ignore[no-untyped-def]
    from storage.ingest import commit_report

    return await commit_report(database.sessions, parsed, url=url)


async def test_a_report_that_fails_half_way_leaves_nothing_behind(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import storage.ingest

    await store(db, invented_report(), "https://example.org/a")
    before = await counts(db)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(storage.ingest, "_write_children", broken)
    other = invented_report(extra="An entirely different paragraph about the Westbury by-election.")
    with pytest.raises(RuntimeError):
        await store(db, replace(other, title="Another report"), "https://example.org/b")
    assert await counts(db) == before


async def test_a_caller_owned_transaction_that_rolls_back_stores_nothing(db: Database) -> None:
    from storage.ingest import store_report

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon):
        async with db.sessions.begin() as session:
            assert (await store_report(session, invented_report(), url=None)).status == "added"
            raise Abandon
    assert (await counts(db))["reports"] == 0


async def test_same_report_twice_is_stored_once(db: Database) -> None:
    first = await store(db, invented_report(), "https://example.org/a")
    before = await counts(db)
    second = await store(db, invented_report(), "https://example.org/a")
    third = await store(db, invented_report(), None)
    assert (first.status, second.status, third.status) == ("added", "skipped", "skipped")
    assert await counts(db) == before
    assert before["reports"] == 1 and before["decisions"] == 2 and before["meetings"] == 1


@pytest.mark.parametrize("together", [False, True], ids=["apart", "one-transaction"])
async def test_changed_body_at_same_url_replaces_decisions_and_mentions(db: Database, together: bool) -> None:
    from storage.ingest import commit_reports

    revised = invented_report(
        extra="A correction was issued.",
        decisions=[
            Decision(
                text="Conference rules were amended by 9 votes to 3.", subject="Conference rules", tally=Tally(9, 3)
            )
        ],
    )
    url = "https://example.org/a"
    if together:
        # The first version's rows are still waiting to be written when the second replaces it.
        outcomes = await commit_reports(db.sessions, [(invented_report(), url, None), (revised, url, None)])
    else:
        outcomes = [await store(db, invented_report(), url), await store(db, revised, url)]
    assert [o.status for o in outcomes] == ["added", "updated"]
    async with db.sessions.begin() as session:
        subjects = (await session.scalars(select(m.Decision.subject))).all()
        assert subjects == ["Conference rules"]
        assert await session.scalar(select(func.count()).select_from(m.Report)) == 1
        # One mention row per sentence: the old rows went with the old version.
        assert await session.scalar(select(func.count()).select_from(m.Mention)) == 2
        docs = (await session.scalars(select(m.SearchDoc.title).where(m.SearchDoc.kind == "decision"))).all()
        assert docs == ["Conference rules"]
        assert await session.scalar(select(func.count()).select_from(m.DecisionTopic)) == 0


async def test_republished_copy_at_another_url_is_skipped(db: Database) -> None:
    long_text = " ".join(
        f"Item {i}: the panel discussed the Eastmere plan and agreed to report back." for i in range(40)
    )
    await store(db, invented_report(extra=long_text), "https://blog.example.org/report")
    copy = invented_report(extra=long_text + " Shared from the author's blog.")
    outcome = await store(db, copy, "https://mirror.example.net/nec/report")
    assert outcome.status == "skipped"
    assert "same report" in (outcome.reason or "")
    assert (await counts(db))["reports"] == 1


async def test_reports_by_two_authors_attach_to_one_meeting(db: Database) -> None:
    await store(db, invented_report(), "https://example.org/a")
    other = invented_report(
        title="My notes from the Northshire Executive",
        author="Desmond Achterberg",
        extra=" ".join(f"Point {i} was about the regional plan for ward {i}." for i in range(40)),
    )
    outcome = await store(db, other, "https://example.org/b")
    assert outcome.status == "added"
    got = await counts(db)
    assert got["reports"] == 2 and got["meetings"] == 1


async def test_report_without_meeting_date_is_stored_with_warning_and_no_meeting(db: Database) -> None:
    outcome = await store(db, invented_report(meeting_date=None), None)
    assert outcome.status == "added"
    async with db.sessions.begin() as session:
        report = (await session.scalars(select(m.Report))).one()
        assert report.meeting_id is None
        assert any("date" in w for w in report.warnings)
        assert await session.scalar(select(func.count()).select_from(m.Meeting)) == 0


async def test_private_details_are_not_stored(db: Database) -> None:
    await store(db, invented_report(), None)
    async with db.sessions.begin() as session:
        for table, column in (("reports", "clean_text"), ("sections", "text"), ("search_docs", "text")):
            found = await session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE {column} LIKE :needle"), {"needle": "%900123%"}
            )
            assert found == 0, table


async def test_empty_report_fails_with_reason(db: Database) -> None:
    empty = replace(invented_report(), clean_text="", sections=[])
    outcome = await store(db, empty, None)
    assert outcome.status == "failed" and outcome.reason


async def test_timestamps_come_back_timezone_aware(db: Database) -> None:
    await store(db, invented_report(), None)
    async with db.sessions.begin() as session:
        ingested = await session.scalar(select(m.Report.ingested_at))
    assert ingested is not None and ingested.tzinfo is not None
    assert ingested.date() >= date(2025, 1, 1)


@pytest.mark.parametrize("together", [False, True], ids=["apart", "one-transaction"])
async def test_knowledge_base_roles_and_aliases_are_seeded_once_beside_parsed_aliases(
    db: Database, together: bool
) -> None:
    """A person the knowledge base knows gets its roles and other names once, however many reports
    name them, whether the reports are stored apart or in one transaction (where names are looked up
    once); a new alias in a later report is still added."""
    from storage.ingest import commit_reports

    def naming(title: str, extra: str, aliases: list[str]) -> ParsedReport:
        return invented_report(
            title=title,
            extra=extra,
            people=[PersonMention("Harriet Harman", 2, aliases, ["Harriet Harman spoke."])],
        )

    first = naming("Northshire Executive report – 14 January 2025", "First.", ["Harriet", "Ms Harman"])
    second = naming("Another account of January", "Second account. " * 30, ["Harriet", "Hattie"])
    items = [(first, "https://example.org/a", None), (second, "https://example.org/b", None)]
    if together:
        outcomes = await commit_reports(db.sessions, items)
    else:
        outcomes = [await store(db, parsed, url) for parsed, url, _ in items]
    assert [o.status for o in outcomes] == ["added", "added"]
    async with db.sessions.begin() as session:
        pid = await session.scalar(select(m.Person.id).where(m.Person.name == "Harriet Harman"))
        assert pid is not None
        roles = (await session.execute(select(m.PersonRole.role, m.PersonRole.start_date))).tuples().all()
        aliases = (await session.scalars(select(m.PersonAlias.alias).where(m.PersonAlias.person_id == pid))).all()
    expected_roles, expected_aliases = knowledge_rows({"Harriet Harman": pid})
    assert expected_roles, "the knowledge base should hold roles for this person"
    assert sorted(roles) == sorted((r["role"], r["start_date"]) for r in expected_roles)
    assert sorted(aliases) == sorted({*(a["alias"] for a in expected_aliases), "Harriet", "Ms Harman", "Hattie"})


async def test_postgresql_relaxes_commit_durability_only_inside_the_ingest_transaction(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    assert (await store(db, invented_report(), "https://example.org/a")).status == "added"
    async with db.sessions.begin() as session:
        # The pool hands back the connection the ingest used: the setting must not have stuck to it.
        assert await session.scalar(text("SHOW synchronous_commit")) == "on"
        assert await session.scalar(select(func.count()).select_from(m.Report)) == 1


async def test_a_report_with_hundreds_of_decisions_keeps_each_with_its_own_tally_and_topic(db: Database) -> None:
    from storage import queries

    # More rows than one multi-row INSERT carries, so ids come back from several statements.
    many = [
        Decision(
            text=f"The committee agreed motion {i} by {i + 1} votes to {300 - i}.",
            subject=f"Motion {i}",
            section="Boundaries",
            tally=Tally(i + 1, 300 - i),
            topics=[f"topic {i % 7}"],
        )
        for i in range(260)
    ]
    assert (await store(db, invented_report(decisions=many), "https://example.org/many")).status == "added"

    async with db.sessions.begin() as session:
        listed = await queries.decisions(session, year=2025, limit=1000)
        topic_three = await queries.decisions(session, topic="topic 3", limit=1000)
    assert len(listed.items) == 260
    for item in listed.items:
        number = int(item.subject.removeprefix("Motion "))
        assert item.tally == f"{number + 1} to {300 - number}"
        assert item.topics == (f"topic {number % 7}",)
        assert item.meeting_date == date(2025, 1, 14)
    assert sorted(int(d.subject.removeprefix("Motion ")) for d in topic_three.items) == list(range(3, 260, 7))
    # Their full-text entries too were written in several statements, and each is found.
    async with db.sessions() as session:
        for number in (0, 179, 180, 259):
            hits = await queries.search(session, f"motion {number}", limit=100)
            assert f"Motion {number}" in {hit.title for hit in hits.hits if hit.kind == "decision"}


async def test_reports_stored_as_a_group_are_all_there_or_none_are(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import storage.ingest
    from storage.ingest import commit_reports

    first = invented_report()
    second = replace(invented_report(extra="A different paragraph on the Kelsbrook selection."), title="Second")
    twin = replace(first, title=first.title)  # the same text again, in the same group
    outcomes = await commit_reports(
        db.sessions, [(first, "https://example.org/1", None), (second, None, None), (twin, None, None)]
    )
    assert [o.status for o in outcomes] == ["added", "added", "skipped"]
    before = await counts(db)

    real_store = storage.ingest._store

    def fails_on_third(conn, parsed, url, source_id, *rest):  # type: ignore[no-untyped-def]
        if parsed.title == "Third":
            raise RuntimeError("disk on fire")
        return real_store(conn, parsed, url, source_id, *rest)

    monkeypatch.setattr(storage.ingest, "_store", fails_on_third)
    third = replace(invented_report(extra="Yet another paragraph, on Harrowfield."), title="Third")
    fourth = replace(invented_report(extra="And one on the Lowmoor appeal."), title="Fourth")
    with pytest.raises(RuntimeError):
        await commit_reports(db.sessions, [(fourth, None, None), (third, None, None)])
    assert await counts(db) == before


async def test_a_list_bound_as_one_parameter_matches_exactly_its_members(db: Database) -> None:
    from storage.binds import among

    names = ["Ezra O'Connell", 'Zainab "Z" Haddad', "Ludmila Černá", "Hamish McTavish"]
    async with db.sessions.begin() as session:
        await session.execute(m.Person.__table__.insert(), [{"name": n, "key": n.lower()} for n in names])
        stored = m.Person.__table__.c.name
        statement = select(stored).where(among(db.dialect, stored, "wanted")).order_by(stored)
        for wanted in ([], names[:1], names[1:3], [*names, "Nobody Here", "ezra o'connell"]):
            found = (await session.scalars(statement, {"wanted": wanted})).all()
            assert found == sorted(n for n in names if n in wanted)


async def test_reports_stored_together_keep_each_decision_with_its_own_tally_topic_people_and_section(
    db: Database,
) -> None:
    from storage import queries
    from storage.ingest import commit_reports

    def report(day: int, topic: str, mover: str, votes: int, ward: str) -> ParsedReport:
        decision = Decision(
            text=f"Motion {day} on {topic} was carried by {votes} votes to 2.",
            subject=f"Motion {day}",
            section="Boundaries",
            tally=Tally(votes, 2),
            topics=[topic],
            people=[mover],
        )
        parsed = invented_report(
            extra=f"The {ward} ward was discussed.", decisions=[decision], meeting_date=date(2025, 1, day)
        )
        return replace(parsed, title=f"Report of the {day} January meeting")

    cases = [
        (3, "finance", "Marta Oyelaran", 9, "Ashcombe"),
        (4, "selections", "Tomas Varga", 11, "Brindlewick"),
        (5, "finance", "Ines Duarte", 13, "Corrowdale"),
    ]
    outcomes = await commit_reports(db.sessions, [(report(*case), None, None) for case in cases])
    assert [o.status for o in outcomes] == ["added"] * 3

    async with db.sessions() as session:
        finance = await queries.decisions(session, topic="finance")
        assert [(d.subject, d.tally, d.people, d.meeting_date, d.report.title) for d in finance.items] == [
            ("Motion 5", "13 to 2", ("Ines Duarte",), date(2025, 1, 5), "Report of the 5 January meeting"),
            ("Motion 3", "9 to 2", ("Marta Oyelaran",), date(2025, 1, 3), "Report of the 3 January meeting"),
        ]
        hits = await queries.search(session, "Brindlewick")
        sections = [(hit.title, hit.report.title) for hit in hits.hits if hit.kind == "section"]
        assert sections == [("General Secretary's report", "Report of the 4 January meeting")]
