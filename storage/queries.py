"""Every answer the bot and the CLI give, as plain view models (no ORM objects, no Discord types).

Each function takes the caller's AsyncSession first; storage never opens a session of its own.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Select, and_, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

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
from storage.names import name_key
from storage.people import fuzzy_matches, like_escape, prefix_matches, resolve_person
from storage.upsert import dialect_name

log = logging.getLogger(__name__)

MAX_SEARCH_TERMS = 16
SAME_DECISION = 80


# ---------------------------------------------------------------- shared pieces


def tally_label(votes_for: int | None, votes_against: int | None, abstain: int | None, unanimous: bool) -> str | None:
    """ "14 to 10", "unanimously", or None when the report gives no tally."""
    if votes_for is None and votes_against is None and not unanimous:
        return None
    return Tally(votes_for, votes_against, abstain, unanimous).label()


async def _report_refs(session: AsyncSession, report_ids: Iterable[int]) -> dict[int, ReportRef]:
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(m.Report.id, m.Report.title, m.Report.url, m.Report.authors, m.Report.published, m.Meeting.meeting_date)
        .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
        .where(m.Report.id.in_(ids))
    )
    return {
        rid: ReportRef(title=title, url=url, authors=tuple(authors or ()), published=published, meeting_date=day)
        for rid, title, url, authors, published, day in rows.tuples()
    }


async def _names_by(session: AsyncSession, stmt: Select[Any]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for owner, name in (await session.execute(stmt)).tuples():
        if name not in out[owner]:
            out[owner].append(name)
    return out


async def _decision_views(session: AsyncSession, rows: Sequence[m.Decision]) -> list[DecisionView]:
    ids = [d.id for d in rows]
    if not ids:
        return []
    topics = await _names_by(
        session,
        select(m.DecisionTopic.decision_id, m.Topic.name)
        .join(m.Topic, m.Topic.id == m.DecisionTopic.topic_id)
        .where(m.DecisionTopic.decision_id.in_(ids))
        .order_by(m.Topic.name),
    )
    people = await _names_by(
        session,
        select(m.DecisionPerson.decision_id, m.Person.name)
        .join(m.Person, m.Person.id == m.DecisionPerson.person_id)
        .where(m.DecisionPerson.decision_id.in_(ids))
        .order_by(m.Person.name),
    )
    refs = await _report_refs(session, (d.report_id for d in rows))
    bodies = dict(
        (
            await session.execute(
                select(m.Meeting.id, m.Meeting.body).where(
                    m.Meeting.id.in_({d.meeting_id for d in rows if d.meeting_id is not None})
                )
            )
        )
        .tuples()
        .all()
    )
    return [
        DecisionView(
            subject=d.subject,
            text=d.text,
            meeting_date=d.meeting_date,
            body=bodies.get(d.meeting_id) if d.meeting_id is not None else None,
            tally=tally_label(d.votes_for, d.votes_against, d.abstain, d.unanimous),
            votes_for=d.votes_for,
            votes_against=d.votes_against,
            abstain=d.abstain,
            section=d.section,
            topics=tuple(topics.get(d.id, ())),
            report=refs[d.report_id],
            people=tuple(people.get(d.id, ())),
        )
        for d in rows
    ]


# ---------------------------------------------------------------- decisions


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
    """Decisions newest first, filtered by year or date range, topic, person and keyword."""
    stmt = select(m.Decision).where(m.Decision.meeting_date.is_not(None))
    filters: list[str] = []
    heading = "Decisions"
    if year is not None:
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
        heading = f"Decisions in {year}"
    elif date_from or date_to:
        heading = (
            f"Decisions {date_from.isoformat() if date_from else '…'} to {date_to.isoformat() if date_to else 'now'}"
        )
    if date_from is not None:
        stmt = stmt.where(m.Decision.meeting_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(m.Decision.meeting_date <= date_to)
    if topic and topic.strip():
        wanted = topic.strip().lower()
        stmt = stmt.where(
            m.Decision.id.in_(
                select(m.DecisionTopic.decision_id)
                .join(m.Topic, m.Topic.id == m.DecisionTopic.topic_id)
                .where(func.lower(m.Topic.name) == wanted)
            )
        )
        filters.append(f"topic: {topic.strip()}")
    if person and person.strip():
        who = await resolve_person(session, person)
        named = select(m.DecisionPerson.decision_id).where(m.DecisionPerson.person_id == who.id)
        stmt = stmt.where(
            or_(m.Decision.id.in_(named), m.Decision.text.ilike(f"%{like_escape(who.name)}%", escape="\\"))
        )
        filters.append(f"person: {who.name}")
    if query and query.strip():
        needle = f"%{like_escape(query.strip())}%"
        stmt = stmt.where(
            or_(m.Decision.text.ilike(needle, escape="\\"), m.Decision.subject.ilike(needle, escape="\\"))
        )
        filters.append(f"query: {query.strip()}")
    stmt = stmt.order_by(m.Decision.meeting_date.desc(), m.Decision.id.desc()).limit(max(1, min(limit, 1000)))
    rows = (await session.scalars(stmt)).all()
    # Within one meeting, show decisions in report order.
    ordered = sorted(rows, key=lambda d: (-(d.meeting_date or date.min).toordinal(), d.report_id, d.position))
    return DecisionList(heading=heading, items=tuple(await _decision_views(session, ordered)), filters=tuple(filters))


# ---------------------------------------------------------------- people


async def person_profile(session: AsyncSession, name: str) -> PersonProfile:
    """Who someone is in the reports: aliases, roles, reports written, mentions, quotes, decisions."""
    person = await resolve_person(session, name)
    pid = person.id
    aliases = (
        await session.scalars(
            select(m.PersonAlias.alias).where(m.PersonAlias.person_id == pid).order_by(m.PersonAlias.alias)
        )
    ).all()
    roles = (
        await session.execute(
            select(m.PersonRole.role, m.PersonRole.start_date, m.PersonRole.end_date)
            .where(m.PersonRole.person_id == pid)
            .order_by(m.PersonRole.start_date)
        )
    ).tuples()
    written_ids = (
        await session.scalars(
            select(m.ReportAuthor.report_id)
            .join(m.Report, m.Report.id == m.ReportAuthor.report_id)
            .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
            .where(m.ReportAuthor.person_id == pid)
            .order_by(m.Meeting.meeting_date.desc(), m.Report.id.desc())
            .limit(25)
        )
    ).all()
    mention_count, meetings_count, latest_meeting = (
        await session.execute(
            select(
                func.coalesce(func.sum(m.ReportPerson.mentions), 0),
                func.count(func.distinct(m.Report.meeting_id)),
                func.max(m.Meeting.meeting_date),
            )
            .select_from(m.ReportPerson)
            .join(m.Report, m.Report.id == m.ReportPerson.report_id)
            .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
            .where(m.ReportPerson.person_id == pid)
        )
    ).one()
    quote_rows = (
        await session.execute(
            select(m.Mention.sentence, m.Mention.report_id, m.Meeting.meeting_date)
            .join(m.Report, m.Report.id == m.Mention.report_id)
            .outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
            .where(m.Mention.person_id == pid)
            .order_by(m.Meeting.meeting_date.desc(), m.Mention.id)
            .limit(10)
        )
    ).tuples()
    quote_list = list(quote_rows)
    decision_rows = (
        await session.scalars(
            select(m.Decision)
            .join(m.DecisionPerson, m.DecisionPerson.decision_id == m.Decision.id)
            .where(m.DecisionPerson.person_id == pid)
            .order_by(m.Decision.meeting_date.desc(), m.Decision.id.desc())
            .limit(20)
        )
    ).all()
    refs = await _report_refs(session, [*written_ids, *(rid for _, rid, _ in quote_list)])
    return PersonProfile(
        name=person.name,
        aliases=tuple(dict.fromkeys(aliases)),
        roles=tuple(RoleView(role, start, end) for role, start, end in roles),
        reports_written=tuple(refs[rid] for rid in written_ids),
        mention_count=int(mention_count or 0),
        meetings_mentioned=int(meetings_count or 0),
        latest_meeting=latest_meeting,
        quotes=tuple(QuoteView(sentence, day, refs[rid]) for sentence, rid, day in quote_list),
        decisions=tuple(await _decision_views(session, decision_rows)),
    )


async def autocomplete_people(session: AsyncSession, prefix: str, *, limit: int = 25) -> list[Choice]:
    """Names for `/who` autocomplete: prefix, surname and typo tolerant; [] on any error."""
    try:
        limit = max(1, min(limit, 25))
        key = name_key(prefix)
        if not key:
            rows = await session.execute(
                select(m.Person.name)
                .join(m.ReportPerson, m.ReportPerson.person_id == m.Person.id)
                .group_by(m.Person.id, m.Person.name)
                .order_by(func.sum(m.ReportPerson.mentions).desc())
                .limit(limit)
            )
            return [Choice(name, name) for name in rows.scalars()]
        names = [name for _, name in await prefix_matches(session, key, limit=limit)]
        if len(names) < limit:
            for _, name, _ in await fuzzy_matches(session, key, limit=limit, cutoff=70):
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


async def _meeting_view(session: AsyncSession, meeting: m.Meeting) -> MeetingView:
    report_ids = (
        await session.scalars(select(m.Report.id).where(m.Report.meeting_id == meeting.id).order_by(m.Report.id))
    ).all()
    refs = await _report_refs(session, report_ids)
    decision_rows = (
        await session.scalars(
            select(m.Decision)
            .where(m.Decision.report_id.in_(report_ids))
            .order_by(m.Decision.report_id, m.Decision.position)
        )
    ).all()
    views = await _decision_views(session, decision_rows)
    merged = _merge_decisions(views)
    section_rows = (
        await session.execute(
            select(m.Section.heading, m.Section.text)
            .where(m.Section.report_id.in_(report_ids))
            .order_by(m.Section.report_id, m.Section.position)
        )
    ).tuples()
    points = key_points(list(section_rows))
    people = (
        await session.scalars(
            select(m.Person.name)
            .join(m.ReportPerson, m.ReportPerson.person_id == m.Person.id)
            .where(m.ReportPerson.report_id.in_(report_ids))
            .group_by(m.Person.id, m.Person.name)
            .order_by(func.sum(m.ReportPerson.mentions).desc(), m.Person.name)
            .limit(20)
        )
    ).all()
    topics = (
        await session.scalars(
            select(m.Topic.name)
            .join(m.ReportTopic, m.ReportTopic.topic_id == m.Topic.id)
            .where(m.ReportTopic.report_id.in_(report_ids))
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


async def _nearest_dates(session: AsyncSession, day: date, *, count: int = 5) -> list[date]:
    has_reports = exists().where(m.Report.meeting_id == m.Meeting.id)
    before = await session.scalars(
        select(m.Meeting.meeting_date)
        .where(m.Meeting.meeting_date < day, has_reports)
        .order_by(m.Meeting.meeting_date.desc())
        .limit(count)
    )
    after = await session.scalars(
        select(m.Meeting.meeting_date)
        .where(m.Meeting.meeting_date > day, has_reports)
        .order_by(m.Meeting.meeting_date)
        .limit(count)
    )
    near = sorted({*before, *after}, key=lambda d: (abs((d - day).days), d))
    return near[:count]


async def meeting(session: AsyncSession, day: date, body: str | None = None) -> MeetingView:
    """Every report of the meeting on `day` merged; NotFound with the nearest meeting dates."""
    stmt = select(m.Meeting).where(m.Meeting.meeting_date == day, exists().where(m.Report.meeting_id == m.Meeting.id))
    if body and body.strip():
        stmt = stmt.where(func.lower(m.Meeting.body) == body.strip().lower())
    found = (await session.scalars(stmt.order_by(m.Meeting.id))).all()
    if not found:
        near = await _nearest_dates(session, day)
        raise NotFound(f"No meeting on {day.isoformat()} in the reports.", suggestions=[d.isoformat() for d in near])
    chosen = next((mt for mt in found if mt.body == "Labour NEC"), found[0])
    return await _meeting_view(session, chosen)


async def meeting_by_id(session: AsyncSession, meeting_id: int) -> MeetingView:
    """The merged view of one meeting by id (the digest scheduler's entry point)."""
    found = await session.get(m.Meeting, meeting_id)
    if found is None:
        raise NotFound(f"No meeting with id {meeting_id}.")
    return await _meeting_view(session, found)


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


async def _summaries(session: AsyncSession, meetings: Sequence[tuple[int, date, str]]) -> list[MeetingSummary]:
    ids = [mid for mid, _, _ in meetings]
    report_rows = (
        await session.execute(
            select(m.Report.meeting_id, m.Report.id).where(m.Report.meeting_id.in_(ids)).order_by(m.Report.id)
        )
    ).tuples()
    by_meeting: dict[int, list[int]] = defaultdict(list)
    for mid, rid in report_rows:
        if mid is not None:
            by_meeting[mid].append(rid)
    refs = await _report_refs(session, (rid for rids in by_meeting.values() for rid in rids))
    counts = dict(
        (
            await session.execute(
                select(m.Decision.meeting_id, func.count())
                .where(m.Decision.meeting_id.in_(ids))
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
    rows = (
        await session.execute(
            select(m.Meeting.id, m.Meeting.meeting_date, m.Meeting.body)
            .where(exists().where(m.Report.meeting_id == m.Meeting.id))
            .order_by(m.Meeting.meeting_date.desc(), m.Meeting.id.desc())
            .limit(max(1, min(limit, 100)))
        )
    ).tuples()
    return MeetingList(heading="Latest meetings", items=tuple(await _summaries(session, list(rows))))


async def autocomplete_meetings(session: AsyncSession, prefix: str, *, limit: int = 25) -> list[Choice]:
    """Meeting dates for `/meeting` autocomplete ("march 2022", "2013", "2022-03-2"); [] on any error."""
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
        rows = list((await session.execute(stmt.order_by(m.Meeting.meeting_date.desc()).limit(200))).tuples())
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
        summaries = await _summaries(session, rows[:limit])
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
    stmt = select(m.Report.id).outerjoin(m.Meeting, m.Meeting.id == m.Report.meeting_id)
    heading = "Reports"
    if author and author.strip():
        who = await resolve_person(session, author)
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
    ids = (await session.scalars(stmt)).all()
    refs = await _report_refs(session, ids)
    return ReportList(heading=heading, items=tuple(refs[rid] for rid in ids))


# ---------------------------------------------------------------- search


def search_terms(query: str) -> list[str]:
    """The words of a user's query; every operator character is dropped, so nothing can be injected."""
    return re.findall(r"\w+", query)[:MAX_SEARCH_TERMS]


def fts5_match(terms: Sequence[str], *, any_term: bool = False) -> str:
    """An FTS5 MATCH expression quoting every term as a string ("AND", "NEAR", "*" become plain words)."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


_SQLITE_SEARCH = text(
    "SELECT d.kind, d.report_id, d.title, "
    "snippet(search_fts, -1, '**', '**', '…', 24) AS snip "
    "FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH :match ORDER BY bm25(search_fts, 4.0, 1.0) LIMIT :limit"
)

_PG_SEARCH = text(
    "SELECT hit.kind, hit.report_id, hit.title, "
    "ts_headline('english', CASE WHEN hit.text = '' THEN hit.title ELSE hit.text END, hit.q, "
    "'StartSel=**, StopSel=**, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snip "
    "FROM (SELECT d.kind, d.report_id, d.title, d.text, q, ts_rank(d.tsv, q) AS rank "
    "      FROM search_docs d, websearch_to_tsquery('english', :query) AS q "
    "      WHERE d.tsv @@ q ORDER BY rank DESC, d.id LIMIT :limit) AS hit "
    "ORDER BY hit.rank DESC"
)


async def search(session: AsyncSession, query: str, *, limit: int = 20) -> SearchResults:
    """Ranked full-text hits over report bodies, sections and decisions, matched words in **bold**.

    Every word must match; when nothing does, any word may. Text without words gives no hits.
    """
    terms = search_terms(query)
    limit = max(1, min(limit, 100))
    if not terms:
        return SearchResults(query=query, hits=())
    rows: list[Any] = []
    for any_term in (False, True):
        if any_term and len(terms) == 1:
            break
        if dialect_name(session) == "sqlite":
            params: dict[str, Any] = {"match": fts5_match(terms, any_term=any_term), "limit": limit}
            rows = list((await session.execute(_SQLITE_SEARCH, params)).tuples())
        else:
            # websearch_to_tsquery never raises; the terms are plain words, joined by "or" for any-term.
            joined = (" or " if any_term else " ").join(terms)
            rows = list((await session.execute(_PG_SEARCH, {"query": joined, "limit": limit})).tuples())
        if rows:
            break
    refs = await _report_refs(session, (row[1] for row in rows))
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

    async def count(model: Any) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    latest_day = await session.scalar(
        select(func.max(m.Meeting.meeting_date)).where(exists().where(m.Report.meeting_id == m.Meeting.id))
    )
    return Stats(
        reports=await count(m.Report),
        meetings=int(
            await session.scalar(
                select(func.count(func.distinct(m.Report.meeting_id))).where(m.Report.meeting_id.is_not(None))
            )
            or 0
        ),
        decisions=await count(m.Decision),
        people=await count(m.Person),
        sources=await count(m.Source),
        subscriptions=await count(m.Subscription),
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
