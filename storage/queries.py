"""Every answer the bot and the CLI give, as plain view models (no ORM objects, no Discord types).

Each function takes the caller's AsyncSession first; storage never opens a session of its own.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import (
    ARRAY,
    CompoundSelect,
    Integer,
    Row,
    Select,
    and_,
    any_,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from digests.errors import NotFound, UserFacingError
from digests.keypoints import key_points
from digests.model import Tally
from digests.querydates import parse_month
from digests.views import (
    Choice,
    DecisionList,
    DecisionView,
    MeetingList,
    MeetingSummary,
    MeetingView,
    MergedDecision,
    PersonProfile,
    QuoteView,
    ReportList,
    ReportRef,
    RoleView,
    SearchHit,
    SearchResults,
    Stats,
)
from storage import models as m
from storage.db import run_read
from storage.names import name_key
from storage.people import fuzzy_matches, prefix_matches, resolve_person
from storage.schema_extras import DECISION_FTS, DECISION_WORDS_PG
from storage.upsert import dialect_name

log = logging.getLogger(__name__)

MAX_SEARCH_TERMS = 16
SAME_DECISION = 80
# /search ranks the newest this many matching passages (by when they were stored), so a common
# word costs the same at 10,000 reports as at 1,000.
SEARCH_RECENT = 1000
# A keyword in more decisions than this is "common": its decisions are found newest first by date.
COMMON_WORD_DECISIONS = 2000

# The columns a decision view needs, loaded as plain rows (no ORM identity map per decision).
DECISION_COLUMNS = (
    m.Decision.id,
    m.Decision.report_id,
    m.Decision.meeting_id,
    m.Decision.meeting_date,
    m.Decision.position,
    m.Decision.section,
    m.Decision.text,
    m.Decision.subject,
    m.Decision.votes_for,
    m.Decision.votes_against,
    m.Decision.abstain,
    m.Decision.unanimous,
)


# ---------------------------------------------------------------- shared pieces


def tally_label(votes_for: int | None, votes_against: int | None, abstain: int | None, unanimous: bool) -> str | None:
    """ "14 to 10", "unanimously", or None when the report gives no tally."""
    if votes_for is None and votes_against is None and not unanimous:
        return None
    return Tally(votes_for, votes_against, abstain, unanimous).label()


def _among(
    session: AsyncSession | Session, column_: ColumnElement[Any] | QueryableAttribute[Any], ids: Sequence[int]
) -> ColumnElement[bool]:
    """`column_ IN ids`. On PostgreSQL one array parameter: the same statement text whatever the
    number of ids, so it is prepared and planned once instead of once per list length."""
    if dialect_name(session) == "postgresql":
        return column_ == any_(literal(list(ids), ARRAY(Integer)))
    return column_.in_(ids)


_REF_COLUMNS = (
    m.Report.id,
    m.Report.title,
    m.Report.url,
    m.Report.authors,
    m.Report.published,
    m.Meeting.meeting_date,
    m.Meeting.body,
)


def _ids_in(dialect: str, column_: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[bool]:
    """`column_ IN :ids`, for a list bound at execution (see `_among` for PostgreSQL's array form)."""
    if dialect == "postgresql":
        return column_ == any_(bindparam("ids", type_=ARRAY(Integer)))
    return column_.in_(bindparam("ids", expanding=True))


@dataclass(frozen=True, slots=True)
class _LookupStatements:
    report_refs: Select[Any]
    decision_names: CompoundSelect[Any]


@lru_cache(maxsize=4)
def _lookup_statements(dialect: str) -> _LookupStatements:
    """The batched look-ups behind every list of reports and decisions, built once per dialect with
    the ids bound at execution: SQLAlchemy remembers a statement object's cache key, so it is not
    rebuilt and walked again on every command."""
    report_refs = (
        select(*_REF_COLUMNS)
        .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
        .where(_ids_in(dialect, m.Report.id))
        .order_by(m.Report.id)
    )
    # Topic and people names of every decision in one round trip, each list in name order.
    decision_names: CompoundSelect[Any] = union_all(
        select(literal_column("'t'").label("kind"), m.DecisionTopic.decision_id, m.Topic.name.label("name"))
        .join(m.Topic, m.Topic.id == m.DecisionTopic.topic_id)
        .where(_ids_in(dialect, m.DecisionTopic.decision_id)),
        select(literal_column("'p'").label("kind"), m.DecisionPerson.decision_id, m.Person.name.label("name"))
        .join(m.Person, m.Person.id == m.DecisionPerson.person_id)
        .where(_ids_in(dialect, m.DecisionPerson.decision_id)),
    ).order_by(literal_column("name"))
    return _LookupStatements(report_refs, decision_names)


def _refs_of(rows: Iterable[Any]) -> tuple[dict[int, ReportRef], dict[int, str]]:
    refs: dict[int, ReportRef] = {}
    bodies: dict[int, str] = {}
    for rid, title, url, authors, published, day, body in rows:
        refs[rid] = ReportRef(title=title, url=url, authors=tuple(authors or ()), published=published, meeting_date=day)
        if body is not None:
            bodies[rid] = body
    return refs, bodies


def _report_refs_where(session: Session, condition: ColumnElement[bool]) -> tuple[dict[int, ReportRef], dict[int, str]]:
    """References of the reports matching `condition` (in id order), and the body of each one's meeting."""
    stmt = select(*_REF_COLUMNS).outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id).where(condition)
    return _refs_of(session.execute(stmt.order_by(m.Report.id)).tuples())


def _report_refs_and_bodies(session: Session, report_ids: Iterable[int]) -> tuple[dict[int, ReportRef], dict[int, str]]:
    """Each report's reference, and the body of its meeting (for reports that have one)."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}, {}
    statements = _lookup_statements(dialect_name(session))
    return _refs_of(session.execute(statements.report_refs, {"ids": ids}).tuples())


def _report_refs(session: Session, report_ids: Iterable[int]) -> dict[int, ReportRef]:
    return (_report_refs_and_bodies(session, report_ids))[0]


def _decision_views(
    session: Session,
    rows: Sequence[Row[Any]],
    known: tuple[dict[int, ReportRef], dict[int, str]] | None = None,
) -> list[DecisionView]:
    """Views of decision rows (DECISION_COLUMNS): two batched look-ups, whatever the number of rows.

    `known` is the result of `_report_refs_and_bodies` when the caller already has it for these rows.
    """
    ids = [row[0] for row in rows]
    if not ids:
        return []
    names = _lookup_statements(dialect_name(session)).decision_names
    topics: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list[str]] = defaultdict(list)
    for kind, owner, name in session.execute(names, {"ids": ids}).tuples():
        into = (topics if kind == "t" else people)[owner]
        if name not in into:
            into.append(name)
    # A decision's meeting is its report's (ingest writes both from the same meeting).
    refs, bodies = known or _report_refs_and_bodies(session, (row[1] for row in rows))
    views = []
    for did, rid, _, day, _, section, text_, subject, votes_for, against, abstain, unanimous in rows:
        views.append(
            DecisionView(
                subject=subject,
                text=text_,
                meeting_date=day,
                body=bodies.get(rid),
                tally=tally_label(votes_for, against, abstain, unanimous),
                votes_for=votes_for,
                votes_against=against,
                abstain=abstain,
                section=section,
                topics=tuple(topics.get(did, ())),
                report=refs[rid],
                people=tuple(people.get(did, ())),
            )
        )
    return views


# ---------------------------------------------------------------- decisions


def decision_words(session: AsyncSession | Session, words: Sequence[str]) -> Select[Any]:
    """Ids of decisions whose subject or text has `words` as consecutive whole words (any case).

    Uses the decision word index of migration 0002 (FTS5 on SQLite, a GIN tsvector on PostgreSQL).
    """
    phrase = " ".join(words)
    if dialect_name(session) == "sqlite":
        fts = table(DECISION_FTS, column("rowid"))
        # A quoted FTS5 string is one phrase; the words come from `search_terms`, so hold no quotes.
        return select(fts.c.rowid).where(literal_column(DECISION_FTS).op("MATCH")(f'"{phrase}"'))
    words_pg: ColumnElement[Any] = literal_column(DECISION_WORDS_PG)
    query = func.phraseto_tsquery(literal_column("'simple'"), phrase)
    return select(m.Decision.id).where(words_pg.op("@@")(query)).correlate(None)


def _many_decisions(session: Session, ids: Select[Any]) -> bool:
    """True when `ids` holds more than COMMON_WORD_DECISIONS decisions (counted in the word index)."""
    counted = select(func.count()).select_from(ids.limit(COMMON_WORD_DECISIONS + 1).subquery())
    return int(session.scalar(counted) or 0) > COMMON_WORD_DECISIONS


async def decisions(
    session: AsyncSession,
    *,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    topic: str | None = None,
    person: str | None = None,
    query: str | None = None,
    limit: int = 200,
) -> DecisionList:
    """Decisions newest first, filtered by year or date range, topic, person and keyword.

    The person filter matches decisions tied to the person or whose text names them in full; the
    keyword filter matches its words as consecutive whole words of the subject or text, in any case.
    """
    return await run_read(
        session,
        _decisions,
        year=year,
        date_from=date_from,
        date_to=date_to,
        topic=topic,
        person=person,
        query=query,
        limit=limit,
    )


def _decisions(
    session: Session,
    *,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    topic: str | None = None,
    person: str | None = None,
    query: str | None = None,
    limit: int = 200,
) -> DecisionList:
    limit = max(1, min(limit, 1000))
    filters: list[str] = []
    heading = "Decisions"
    if year is not None:
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
        heading = f"Decisions in {year}"
    elif date_from or date_to:
        heading = (
            f"Decisions {date_from.isoformat() if date_from else '…'} to {date_to.isoformat() if date_to else 'now'}"
        )
    # The page comes newest first from an index, so only its rows are read. A topic's decisions come
    # from decision_topics, which carries the meeting date and its own index.
    key, day = m.Decision.id, m.Decision.meeting_date
    fetch = limit
    stmt = select(*DECISION_COLUMNS)
    if topic and topic.strip():
        wanted = topic.strip().lower()
        topic_ids = list(session.scalars(select(m.Topic.id).where(func.lower(m.Topic.name) == wanted)).all())
        filters.append(f"topic: {topic.strip()}")
        if not topic_ids:
            return DecisionList(heading=heading, items=(), filters=tuple(filters))
        key, day = m.DecisionTopic.decision_id, m.DecisionTopic.meeting_date
        stmt = stmt.join(m.DecisionTopic, m.DecisionTopic.decision_id == m.Decision.id).where(
            m.DecisionTopic.topic_id.in_(topic_ids)
        )
        fetch = limit * len(topic_ids)  # topics whose names differ only in case may share a decision
    stmt = stmt.where(day.is_not(None))
    if date_from is not None:
        stmt = stmt.where(day >= date_from)
    if date_to is not None:
        stmt = stmt.where(day <= date_to)
    if person and person.strip():
        who = resolve_person(session, person)
        named = select(m.DecisionPerson.decision_id).where(m.DecisionPerson.person_id == who.id)
        words = search_terms(who.name)
        stmt = stmt.where(key.in_(union(named, decision_words(session, words)) if words else named))
        filters.append(f"person: {who.name}")
    if query and query.strip():
        words = search_terms(query)
        if not words:
            return DecisionList(heading=heading, items=(), filters=(*filters, f"query: {query.strip()}"))
        matching = decision_words(session, words)
        if dialect_name(session) == "sqlite" and _many_decisions(session, matching):
            # SQLite cannot tell a common word from a rare one: looking every match up and sorting
            # costs more than walking the newest decisions until the page is full ("+ 0" steers it).
            stmt = stmt.where((key + 0).in_(matching))
        else:
            stmt = stmt.where(key.in_(matching))
        filters.append(f"query: {query.strip()}")
    found = session.execute(stmt.order_by(day.desc(), key.desc()).limit(fetch)).all()
    rows = list({row[0]: row for row in found}.values())[:limit]  # one row per decision, newest first
    # Within one meeting, show decisions in report order.
    rows.sort(key=lambda d: (-(d.meeting_date or date.min).toordinal(), d.report_id, d.position))
    return DecisionList(heading=heading, items=tuple(_decision_views(session, rows)), filters=tuple(filters))


# ---------------------------------------------------------------- people


async def person_profile(session: AsyncSession, name: str) -> PersonProfile:
    """Who someone is in the reports: aliases, roles, reports written, mentions, quotes, decisions."""
    return await run_read(session, _person_profile, name)


@dataclass(frozen=True, slots=True)
class _ProfileStatements:
    about: CompoundSelect[Any]
    written: Select[Any]
    counts: Select[Any]
    quotes: Select[Any]
    decisions: Select[Any]


@lru_cache(maxsize=1)
def _profile_statements() -> _ProfileStatements:
    """The profile's statements, built once with the person as a bound parameter.

    SQLAlchemy remembers a statement object's cache key, so reusing one skips building the statement
    and walking it for its key on every /who (a third of the command's time, more than the queries).
    """
    pid = bindparam("pid", type_=Integer())
    # Aliases (in alphabetical order) and roles (by start date) in one round trip.
    no_date = literal_column("NULL", type_=m.PersonRole.start_date.type)
    about = union_all(
        select(
            literal_column("0").label("part"),
            m.PersonAlias.alias.label("label"),
            no_date.label("start_date"),
            no_date.label("end_date"),
        ).where(m.PersonAlias.person_id == pid),
        select(
            literal_column("1").label("part"), m.PersonRole.role, m.PersonRole.start_date, m.PersonRole.end_date
        ).where(m.PersonRole.person_id == pid),
    ).order_by(literal_column("part"), literal_column("start_date"), literal_column("label"))
    written = (
        select(m.ReportAuthor.report_id)
        .join(m.Report, m.Report.id == m.ReportAuthor.report_id)
        .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
        .where(m.ReportAuthor.person_id == pid)
        .order_by(m.Meeting.meeting_date.desc(), m.Report.id.desc())
        .limit(25)
    )
    # report_people carries each report's meeting: counts and latest meeting from one index range.
    counts = select(
        func.coalesce(func.sum(m.ReportPerson.mentions), 0),
        func.count(func.distinct(m.ReportPerson.meeting_id)),
        func.max(m.ReportPerson.meeting_date),
    ).where(m.ReportPerson.person_id == pid)
    # Newest reports first from the same index; each report's few sentences about the person.
    quotes = (
        select(m.Mention.sentence, m.Mention.report_id, m.ReportPerson.meeting_date)
        .select_from(m.ReportPerson)
        # "+ 0" keeps planners from starting at mentions (all of the person's sentences, then a
        # sort): they walk the person's reports newest first and stop after ten sentences.
        .join(
            m.Mention,
            and_(m.Mention.report_id == m.ReportPerson.report_id, m.Mention.person_id + 0 == m.ReportPerson.person_id),
        )
        .where(m.ReportPerson.person_id == pid)
        .order_by(m.ReportPerson.meeting_date.desc(), m.Mention.id)
        .limit(10)
    )
    decisions = (
        select(*DECISION_COLUMNS)
        .join(m.DecisionPerson, m.DecisionPerson.decision_id == m.Decision.id)
        .where(m.DecisionPerson.person_id == pid)
        .order_by(m.Decision.meeting_date.desc(), m.Decision.id.desc())
        .limit(20)
    )
    return _ProfileStatements(about, written, counts, quotes, decisions)


def _person_profile(session: Session, name: str) -> PersonProfile:
    person = resolve_person(session, name)
    statements = _profile_statements()
    by_person = {"pid": person.id}
    aliases: list[str] = []
    roles: list[tuple[str, date | None, date | None]] = []
    for part, label, start, end in session.execute(statements.about, by_person).tuples():
        if part == 0:
            aliases.append(label)
        else:
            roles.append((label, start, end))
    written_ids = session.scalars(statements.written, by_person).all()
    mention_count, meetings_count, latest_meeting = session.execute(statements.counts, by_person).one()
    quote_list = list(session.execute(statements.quotes, by_person).tuples())
    decision_rows = session.execute(statements.decisions, by_person).all()
    # Every report the profile links to, in one look-up.
    known = _report_refs_and_bodies(
        session, [*written_ids, *(rid for _, rid, _ in quote_list), *(row[1] for row in decision_rows)]
    )
    refs = known[0]
    return PersonProfile(
        name=person.name,
        aliases=tuple(dict.fromkeys(aliases)),
        roles=tuple(RoleView(role, start, end) for role, start, end in roles),
        reports_written=tuple(refs[rid] for rid in written_ids),
        mention_count=int(mention_count or 0),
        meetings_mentioned=int(meetings_count or 0),
        latest_meeting=latest_meeting,
        quotes=tuple(QuoteView(sentence, day, refs[rid]) for sentence, rid, day in quote_list),
        decisions=tuple(_decision_views(session, decision_rows, known)),
    )


async def autocomplete_people(session: AsyncSession, prefix: str, *, limit: int = 25) -> list[Choice]:
    """Names for `/who` autocomplete: prefix, surname and typo tolerant; [] on any error."""
    return await run_read(session, _autocomplete_people, prefix, limit=limit)


def _autocomplete_people(session: Session, prefix: str, *, limit: int = 25) -> list[Choice]:
    try:
        limit = max(1, min(limit, 25))
        key = name_key(prefix)
        if not key:
            rows = session.execute(
                select(m.Person.name)
                .join(m.ReportPerson, m.ReportPerson.person_id == m.Person.id)
                .group_by(m.Person.id, m.Person.name)
                .order_by(func.sum(m.ReportPerson.mentions).desc())
                .limit(limit)
            )
            return [Choice(name, name) for name in rows.scalars()]
        names = [name for _, name in prefix_matches(session, key, limit=limit)]
        if len(names) < limit:
            for _, name, _ in fuzzy_matches(session, key, limit=limit, cutoff=70):
                if name not in names:
                    names.append(name)
        return [Choice(name[:100], name[:100]) for name in names[:limit]]
    except Exception:
        log.exception("people autocomplete failed for %r", prefix[:50])
        return []


# ---------------------------------------------------------------- meetings


def _merge_decisions(rows: Sequence[DecisionView]) -> list[MergedDecision]:
    """Decisions several reports describe, shown once (matched by subject or text similarity)."""
    groups: list[list[DecisionView]] = []
    for decision in rows:
        for group in groups:
            if any(d.report == decision.report for d in group):
                continue
            head = group[0]
            same = max(
                fuzz.token_set_ratio(head.subject.lower(), decision.subject.lower()),
                fuzz.token_set_ratio(head.text.lower(), decision.text.lower()),
            )
            if same >= SAME_DECISION:
                group.append(decision)
                break
        else:
            groups.append([decision])
    merged: list[MergedDecision] = []
    for group in groups:
        head = group[0]
        reporters = [", ".join(d.report.authors) or d.report.title for d in group]
        tallies = tuple((who, d.tally) for who, d in zip(reporters, group, strict=True) if d.tally)
        merged.append(
            MergedDecision(
                subject=head.subject,
                text=head.text,
                section=head.section,
                topics=tuple(dict.fromkeys(t for d in group for t in d.topics)),
                reported_by=tuple(dict.fromkeys(reporters)),
                tallies=tallies,
                tallies_disagree=len({label for _, label in tallies}) > 1,
                report=head.report,
            )
        )
    return merged


def _meeting_view(session: Session, meeting: m.Meeting) -> MeetingView:
    known = _report_refs_where(session, m.Report.meeting_id == meeting.id)
    refs = known[0]
    report_ids = list(refs)
    decision_rows = (
        session.execute(
            select(*DECISION_COLUMNS)
            .where(_among(session, m.Decision.report_id, report_ids))
            .order_by(m.Decision.report_id, m.Decision.position)
        )
    ).all()
    views = _decision_views(session, decision_rows, known)
    merged = _merge_decisions(views)
    section_rows = (
        session.execute(
            select(m.Section.heading, m.Section.text)
            .where(_among(session, m.Section.report_id, report_ids))
            .order_by(m.Section.report_id, m.Section.position)
        )
    ).tuples()
    points = key_points(list(section_rows))
    people = (
        session.scalars(
            select(m.Person.name)
            .join(m.ReportPerson, m.ReportPerson.person_id == m.Person.id)
            .where(_among(session, m.ReportPerson.report_id, report_ids))
            .group_by(m.Person.id, m.Person.name)
            .order_by(func.sum(m.ReportPerson.mentions).desc(), m.Person.name)
            .limit(20)
        )
    ).all()
    topics = (
        session.scalars(
            select(m.Topic.name)
            .join(m.ReportTopic, m.ReportTopic.topic_id == m.Topic.id)
            .where(_among(session, m.ReportTopic.report_id, report_ids))
            .group_by(m.Topic.id, m.Topic.name)
            .order_by(func.count().desc(), m.Topic.name)
        )
    ).all()
    return MeetingView(
        meeting_date=meeting.meeting_date,
        body=meeting.body,
        reports=tuple(refs[rid] for rid in report_ids),
        decisions=tuple(merged),
        key_points=points,
        people=tuple(people),
        topics=tuple(topics),
    )


def _nearest_dates(session: Session, day: date, *, count: int = 5) -> list[date]:
    has_reports = exists().where(m.Report.meeting_id == m.Meeting.id)
    before = session.scalars(
        select(m.Meeting.meeting_date)
        .where(m.Meeting.meeting_date < day, has_reports)
        .order_by(m.Meeting.meeting_date.desc())
        .limit(count)
    )
    after = session.scalars(
        select(m.Meeting.meeting_date)
        .where(m.Meeting.meeting_date > day, has_reports)
        .order_by(m.Meeting.meeting_date)
        .limit(count)
    )
    near = sorted({*before, *after}, key=lambda d: (abs((d - day).days), d))
    return near[:count]


async def meeting(session: AsyncSession, day: date, body: str | None = None) -> MeetingView:
    """Every report of the meeting on `day` merged; NotFound with the nearest meeting dates."""
    return await run_read(session, _meeting, day, body)


def _meeting(session: Session, day: date, body: str | None = None) -> MeetingView:
    stmt = select(m.Meeting).where(m.Meeting.meeting_date == day, exists().where(m.Report.meeting_id == m.Meeting.id))
    if body and body.strip():
        stmt = stmt.where(func.lower(m.Meeting.body) == body.strip().lower())
    found = session.scalars(stmt.order_by(m.Meeting.id)).all()
    if not found:
        near = _nearest_dates(session, day)
        raise NotFound(f"No meeting on {day.isoformat()} in the reports.", suggestions=[d.isoformat() for d in near])
    chosen = next((mt for mt in found if mt.body == "Labour NEC"), found[0])
    return _meeting_view(session, chosen)


async def meeting_by_id(session: AsyncSession, meeting_id: int) -> MeetingView:
    """The merged view of one meeting by id (the digest scheduler's entry point)."""
    found = await session.get(m.Meeting, meeting_id)
    if found is None:
        raise NotFound(f"No meeting with id {meeting_id}.")
    return await session.run_sync(_meeting_view, found)


async def meetings_ingested_after(session: AsyncSession, after: datetime | None) -> list[tuple[int, date, datetime]]:
    """(meeting id, date, latest report ingested_at) of meetings with a report ingested after `after`."""
    latest = func.max(m.Report.ingested_at)
    stmt = (
        select(m.Meeting.id, m.Meeting.meeting_date, latest)
        .join(m.Report, m.Report.meeting_id == m.Meeting.id)
        .group_by(m.Meeting.id, m.Meeting.meeting_date)
        .order_by(latest, m.Meeting.id)
    )
    if after is not None:
        stmt = stmt.having(latest > after)
    rows = (await session.execute(stmt)).tuples()
    return [(mid, day, ts) for mid, day, ts in rows]


def _summaries(session: Session, meetings: Sequence[tuple[int, date, str]]) -> list[MeetingSummary]:
    ids = [mid for mid, _, _ in meetings]
    report_rows = (
        session.execute(
            select(m.Report.meeting_id, m.Report.id)
            .where(_among(session, m.Report.meeting_id, ids))
            .order_by(m.Report.id)
        )
    ).tuples()
    by_meeting: dict[int, list[int]] = defaultdict(list)
    for mid, rid in report_rows:
        if mid is not None:
            by_meeting[mid].append(rid)
    refs = _report_refs(session, [rid for rids in by_meeting.values() for rid in rids])
    counts = dict(
        (
            session.execute(
                select(m.Decision.meeting_id, func.count())
                .where(_among(session, m.Decision.meeting_id, ids))
                .group_by(m.Decision.meeting_id)
            )
        )
        .tuples()
        .all()
    )
    return [
        MeetingSummary(
            meeting_date=day,
            body=body,
            reports=tuple(refs[rid] for rid in by_meeting.get(mid, [])),
            decision_count=int(counts.get(mid, 0)),
        )
        for mid, day, body in meetings
    ]


async def latest(session: AsyncSession, limit: int = 10) -> MeetingList:
    """The most recent meetings that have at least one report."""
    return await run_read(session, _latest, limit)


def _latest(session: Session, limit: int = 10) -> MeetingList:
    rows = (
        session.execute(
            select(m.Meeting.id, m.Meeting.meeting_date, m.Meeting.body)
            .where(exists().where(m.Report.meeting_id == m.Meeting.id))
            .order_by(m.Meeting.meeting_date.desc(), m.Meeting.id.desc())
            .limit(max(1, min(limit, 100)))
        )
    ).tuples()
    return MeetingList(heading="Latest meetings", items=tuple(_summaries(session, list(rows))))


async def autocomplete_meetings(session: AsyncSession, prefix: str, *, limit: int = 25) -> list[Choice]:
    """Meeting dates for `/meeting` autocomplete ("march 2022", "2013", "2022-03-2"); [] on any error."""
    return await run_read(session, _autocomplete_meetings, prefix, limit=limit)


def _autocomplete_meetings(session: Session, prefix: str, *, limit: int = 25) -> list[Choice]:
    try:
        limit = max(1, min(limit, 25))
        typed = " ".join(prefix.split()).lower()
        stmt = select(m.Meeting.id, m.Meeting.meeting_date, m.Meeting.body).where(
            exists().where(m.Report.meeting_id == m.Meeting.id)
        )
        month = parse_month(typed) if typed else None
        year_match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})?(?:-(\d{0,2}))?)?", typed)
        if month is not None:
            year, number = month
            start = date(year, number, 1)
            end = date(year + (number == 12), number % 12 + 1, 1)
            stmt = stmt.where(m.Meeting.meeting_date >= start, m.Meeting.meeting_date < end)
        elif year_match:
            year = int(year_match[1])
            stmt = stmt.where(m.Meeting.meeting_date >= date(year, 1, 1), m.Meeting.meeting_date <= date(year, 12, 31))
        rows = list(session.execute(stmt.order_by(m.Meeting.meeting_date.desc()).limit(200)).tuples())
        if year_match and not month:
            rows = [row for row in rows if row[1].isoformat().startswith(typed)] or rows
        elif typed and month is None and not year_match:
            # Free text ("march", "nec"): keep meetings whose label contains every typed word.
            words = typed.split()
            rows = [
                row
                for row in rows
                if all(w in f"{row[1].isoformat()} {row[1].strftime('%B %Y').lower()} {row[2].lower()}" for w in words)
            ]
        summaries = _summaries(session, rows[:limit])
        choices = []
        for summary in summaries:
            n = len(summary.reports)
            label = f"{summary.meeting_date.isoformat()} · {summary.body} ({n} report{'s' if n != 1 else ''})"
            choices.append(Choice(label[:100], summary.meeting_date.isoformat()))
        return choices
    except Exception:
        log.exception("meeting autocomplete failed for %r", prefix[:50])
        return []


# ---------------------------------------------------------------- reports


async def reports(
    session: AsyncSession, *, author: str | None = None, year: int | None = None, limit: int = 100
) -> ReportList:
    """Reports newest meeting first, by author and/or meeting year."""
    return await run_read(session, _reports, author=author, year=year, limit=limit)


def _reports(session: Session, *, author: str | None = None, year: int | None = None, limit: int = 100) -> ReportList:
    stmt = select(m.Report.id).outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
    heading = "Reports"
    if author and author.strip():
        who = resolve_person(session, author)
        stmt = stmt.join(m.ReportAuthor, m.ReportAuthor.report_id == m.Report.id).where(
            m.ReportAuthor.person_id == who.id
        )
        heading = f"Reports by {who.name}"
    if year is not None:
        stmt = stmt.where(
            or_(
                and_(m.Meeting.meeting_date >= date(year, 1, 1), m.Meeting.meeting_date <= date(year, 12, 31)),
                and_(
                    m.Report.meeting_id.is_(None),
                    m.Report.published >= date(year, 1, 1),
                    m.Report.published <= date(year, 12, 31),
                ),
            )
        )
        heading += f" in {year}"
    stmt = stmt.order_by(m.Meeting.meeting_date.desc().nulls_last(), m.Report.id.desc()).limit(max(1, min(limit, 500)))
    ids = session.scalars(stmt).all()
    refs = _report_refs(session, ids)
    return ReportList(heading=heading, items=tuple(refs[rid] for rid in ids))


# ---------------------------------------------------------------- search


def search_terms(query: str) -> list[str]:
    """The words of a user's query; every operator character is dropped, so nothing can be injected."""
    return re.findall(r"\w+", query)[:MAX_SEARCH_TERMS]


def fts5_match(terms: Sequence[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression quoting every term as a string ("AND", "NEAR", "*" become plain words)."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


# The newest SEARCH_RECENT matches (FTS5 walks its index backwards by rowid), ranked; snippets only
# for the page shown.
# The snippets come from one more pass over the matches, bounded below by the oldest of the top
# hits (the top are among the newest matches, so the range is short); joining each top hit back to
# search_fts instead runs the MATCH once per hit, which cost as much again as the ranking.
_SQLITE_SEARCH = text(
    "WITH recent AS (SELECT rowid AS id, bm25(search_fts, 4.0, 1.0) AS rank FROM search_fts "
    "                WHERE search_fts MATCH :match ORDER BY rowid DESC LIMIT :recent), "
    "top AS MATERIALIZED (SELECT id, rank FROM recent ORDER BY rank, id DESC LIMIT :limit) "
    "SELECT d.kind, d.report_id, d.title, "
    "snippet(search_fts, -1, '**', '**', '…', 24) AS snip "
    "FROM search_fts CROSS JOIN top ON top.id = search_fts.rowid JOIN search_docs d ON d.id = top.id "
    "WHERE search_fts MATCH :match AND search_fts.rowid >= (SELECT min(id) FROM top) "
    "ORDER BY top.rank, top.id DESC"
)

_PG_SEARCH = text(
    "SELECT hit.kind, hit.report_id, hit.title, "
    "ts_headline('english', CASE WHEN hit.text = '' THEN hit.title ELSE hit.text END, hit.q, "
    "'StartSel=**, StopSel=**, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snip "
    "FROM (SELECT recent.id, recent.kind, recent.report_id, recent.title, recent.text, recent.q, "
    "             ts_rank(recent.tsv, recent.q) AS rank "
    "      FROM (SELECT d.id, d.kind, d.report_id, d.title, d.text, d.tsv, q "
    "            FROM search_docs d, websearch_to_tsquery('english', :query) AS q "
    "            WHERE d.tsv @@ q ORDER BY d.id DESC LIMIT :recent) AS recent "
    "      ORDER BY rank DESC, recent.id DESC LIMIT :limit) AS hit "
    "ORDER BY hit.rank DESC, hit.id DESC"
)


async def search(session: AsyncSession, query: str, *, limit: int = 20) -> SearchResults:
    """Ranked full-text hits over report bodies, sections and decisions, matched words in **bold**.

    Every word must match; when nothing does, any word may. Text without words gives no hits. Only
    the newest SEARCH_RECENT matching passages are ranked.
    """
    return await run_read(session, _search, query, limit=limit)


def _search(session: Session, query: str, *, limit: int = 20) -> SearchResults:
    terms = search_terms(query)
    limit = max(1, min(limit, 100))
    if not terms:
        return SearchResults(query=query, hits=())
    rows: list[Any] = []
    for any_term in (False, True):
        if any_term and len(terms) == 1:
            break
        if dialect_name(session) == "sqlite":
            params: dict[str, Any] = {
                "match": fts5_match(terms, any_term=any_term),
                "recent": SEARCH_RECENT,
                "limit": limit,
            }
            rows = list(session.execute(_SQLITE_SEARCH, params).tuples())
        else:
            # websearch_to_tsquery never raises; the terms are plain words, joined by "or" for any-term.
            joined = (" or " if any_term else " ").join(terms)
            params = {"query": joined, "recent": SEARCH_RECENT, "limit": limit}
            rows = list(session.execute(_PG_SEARCH, params).tuples())
        if rows:
            break
    refs = _report_refs(session, [row[1] for row in rows])
    hits = tuple(
        SearchHit(
            kind=kind,
            title=title,
            snippet=" ".join((snip or "").split()),
            meeting_date=refs[rid].meeting_date,
            report=refs[rid],
        )
        for kind, rid, title, snip in rows
    )
    return SearchResults(query=query, hits=hits)


# ---------------------------------------------------------------- stats


async def stats(session: AsyncSession) -> Stats:
    """Counts of everything stored, and the latest meeting date."""
    return await run_read(session, _stats)


def _stats(session: Session) -> Stats:
    def count(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    latest_day = session.scalar(
        select(func.max(m.Meeting.meeting_date)).where(exists().where(m.Report.meeting_id == m.Meeting.id))
    )
    return Stats(
        reports=count(m.Report),
        meetings=int(
            session.scalar(
                select(func.count(func.distinct(m.Report.meeting_id))).where(m.Report.meeting_id.is_not(None))
            )
            or 0
        ),
        decisions=count(m.Decision),
        people=count(m.Person),
        sources=count(m.Source),
        subscriptions=count(m.Subscription),
        latest_meeting=latest_day,
    )


__all__ = [
    "UserFacingError",
    "autocomplete_meetings",
    "autocomplete_people",
    "decisions",
    "latest",
    "meeting",
    "meeting_by_id",
    "meetings_ingested_after",
    "person_profile",
    "reports",
    "search",
    "stats",
]
