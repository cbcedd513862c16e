"""Store one parsed report: idempotent, merging reports of one meeting, never keeping stale rows.

What an ingest costs is mostly round trips. A new report whose meeting, people and topics are
already known takes two statements of its own: one lookup (same text, same URL, near-duplicate
candidates and the meeting's id) and the report's row; plus one for the ids of its people and
topics when a name is new to the transaction. Its other rows (sections, decisions, authors, people,
mentions, topics, full-text documents) wait in `PendingRows` and go in with those of the other
reports of the transaction, one INSERT per table. New meetings, people, topics and aliases add one
statement each kind. The work runs as plain synchronous code on the session's
connection (`run_sync`), which spares the async adaptation of every statement.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from digests.model import ParsedReport
from digests.views import IngestOutcome
from storage import models as m
from storage.binds import among
from storage.db import SQLITE_TWIN
from storage.knowledge import knowledge_rows
from storage.names import name_key, title_key
from storage.rows import Row, insert_returning_ids, insert_rows, upsert_ids
from storage.similarity import encoded_words, estimate_jaccard, hash_words, jaccard, sketch_words

log = logging.getLogger(__name__)

DEFAULT_BODY = "Labour NEC"
NEAR_DUPLICATE = 0.9
# The sketch estimate is within a few points of the truth; only candidates above this get the exact check.
SKETCH_PREFILTER = 0.75
# Near-duplicate candidates looked at per ingest (same title or same meeting, oldest first).
MAX_CANDIDATES = 50
REDACTED = "[private detail removed]"


class _Scrubber:
    """Removes any private detail text the parser flagged from strings about to be stored."""

    def __init__(self, parsed: ParsedReport) -> None:
        self._texts = sorted({p.text for p in parsed.private_details if p.text.strip()}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for private in self._texts:
            if private in text:
                text = text.replace(private, REDACTED)
        return text

    def opt(self, text: str | None) -> str | None:
        return None if text is None else self(text)


def _table(model: type[m.Base]) -> Table:
    # Core statements: executemany without the ORM's bulk bookkeeping (3-4x faster per report).
    table = model.__table__
    assert isinstance(table, Table)
    return table


REPORTS, MEETINGS = _table(m.Report), _table(m.Meeting)
PEOPLE, TOPICS = _table(m.Person), _table(m.Topic)
ALIASES, ROLES = _table(m.PersonAlias), _table(m.PersonRole)
SECTIONS, DECISIONS = _table(m.Section), _table(m.Decision)


def _report_text(parsed: ParsedReport) -> str:
    if parsed.clean_text.strip():
        return parsed.clean_text
    parts = [f"{s.heading}\n{s.text}" if s.heading else s.text for s in parsed.sections]
    return "\n\n".join(parts)


# ---------------------------------------------------------------- what is stored already


@dataclass(frozen=True, slots=True)
class _Stored:
    """The columns of a stored report that ingest decisions need (never its whole text)."""

    id: int
    url: str | None
    body_hash: str
    meeting_id: int | None
    source_id: int | None
    title: str
    signature: str


_STORED_COLUMNS = ("id", "url", "body_hash", "meeting_id", "source_id", "title", "signature")
_EXACT, _NEAR, _MEETING = 0, 1, 2


@lru_cache(maxsize=8)
def _lookup_statement(*, url: bool, key: bool, meeting: bool) -> Executable:
    """Reports with this text or URL, up to 50 near-duplicate candidates, and the meeting's id: one round trip.

    Candidates share the title or the meeting (found by body and date, so the meeting row need not
    exist yet); every branch is an index lookup, so the check costs the same at any corpus size.
    """
    columns = [REPORTS.c[name] for name in _STORED_COLUMNS]
    same = REPORTS.c.body_hash == bindparam("digest")
    if url:
        same = or_(same, REPORTS.c.url == bindparam("url"))
    branches = [select(literal_column(str(_EXACT)).label("kind"), *columns).where(same)]
    conditions = [REPORTS.c.title_key == bindparam("key")] if key else []
    if meeting:
        this_meeting = and_(MEETINGS.c.body == bindparam("body"), MEETINGS.c.meeting_date == bindparam("meeting_date"))
        conditions.append(REPORTS.c.meeting_id == select(MEETINGS.c.id).where(this_meeting).scalar_subquery())
        no_value = [null()] * (len(columns) - 1)
        branches.append(select(literal_column(str(_MEETING)), MEETINGS.c.id, *no_value).where(this_meeting))
    if conditions:
        near = (
            select(literal_column(str(_NEAR)).label("kind"), *columns)
            .where(or_(*conditions))
            .order_by(REPORTS.c.id)
            .limit(MAX_CANDIDATES)
        )
        branches.append(select(near.subquery()))
    return union_all(*branches) if len(branches) > 1 else branches[0]


@dataclass(slots=True)
class _Found:
    same: list[_Stored]
    candidates: list[_Stored]
    meeting_id: int | None


def _lookup(conn: Connection, *, digest: str, url: str | None, key: str, body: str, day: date | None) -> _Found:
    """Reports with the same text or URL, near-duplicate candidates (oldest first), the meeting if stored."""
    params: dict[str, Any] = {"digest": digest}
    if url:
        params["url"] = url
    if key:
        params["key"] = key
    if day is not None:
        params["body"] = body
        params["meeting_date"] = day
    found = _Found([], [], None)
    stmt = _lookup_statement(url=bool(url), key=bool(key), meeting=day is not None)
    for kind, *row in conn.execute(stmt, params).tuples():
        if kind == _MEETING:
            found.meeting_id = row[0]
        else:
            (found.candidates if kind == _NEAR else found.same).append(_Stored(*row))
    found.candidates.sort(key=lambda r: r.id)
    return found


def _find_republished(conn: Connection, *, sig: str, text: str, candidates: list[_Stored]) -> _Stored | None:
    """A stored report whose body is near-identical: same meeting or same title, shingles >= 0.9 alike."""
    for candidate in candidates:
        if estimate_jaccard(sig, candidate.signature) < SKETCH_PREFILTER:
            continue
        other_text = conn.scalar(select(REPORTS.c.clean_text).where(REPORTS.c.id == candidate.id))
        if other_text is not None and jaccard(text, other_text) >= NEAR_DUPLICATE:
            return candidate
    return None


# Written as text so that SQLAlchemy caches its compiled form (ON CONFLICT constructs are compiled
# on every execution); SQLite (3.35+) and PostgreSQL accept the same statement.
_MEETING_UPSERT = (
    sql_text(
        "INSERT INTO meetings (body, meeting_date) VALUES (:body, :meeting_date) "
        "ON CONFLICT (body, meeting_date) DO UPDATE SET body = excluded.body RETURNING id"
    )
    .bindparams(bindparam("body", type_=String()), bindparam("meeting_date", type_=MEETINGS.c.meeting_date.type))
    .columns(id=Integer())
)


def _meeting_id(conn: Connection, found: _Found, body: str, day: date | None) -> int | None:
    if day is None:
        return None
    if found.meeting_id is not None:
        return found.meeting_id
    new_id: int = conn.execute(_MEETING_UPSERT, {"body": body, "meeting_date": day}).scalar_one()
    return new_id


# ---------------------------------------------------------------- people, topics and what we know of them

_PEOPLE, _TOPICS, _ALIASES, _ROLES = 0, 1, 2, 3


@lru_cache(maxsize=4)
def _known_statement(dialect: str, *, topics: bool) -> Executable:
    """Ids of the named people and topics, and the aliases and roles those people already have."""
    named = among(dialect, PEOPLE.c.name, "people")
    branches = [
        select(literal_column(str(_PEOPLE)).label("kind"), PEOPLE.c.id, PEOPLE.c.name, null()).where(named),
        select(literal_column(str(_ALIASES)), ALIASES.c.person_id, ALIASES.c.key, null())
        .join(PEOPLE, PEOPLE.c.id == ALIASES.c.person_id)
        .where(named),
        # Dates as text: a role found here is only skipped, so a different rendering costs an insert at most.
        select(literal_column(str(_ROLES)), ROLES.c.person_id, ROLES.c.role, cast(ROLES.c.start_date, String()))
        .join(PEOPLE, PEOPLE.c.id == ROLES.c.person_id)
        .where(named),
    ]
    if topics:
        branches.append(
            select(literal_column(str(_TOPICS)), TOPICS.c.id, TOPICS.c.name, null()).where(
                among(dialect, TOPICS.c.name, "topics")
            )
        )
    return union_all(*branches)


@dataclass(slots=True)
class KnownNames:
    """People and topics already found or written in the current transaction, by name.

    Reports stored together in one transaction mostly name the same people and topics, so only the
    names new to the transaction are looked up. Valid for that one transaction only: after a
    rollback, what was written in it is gone.
    """

    people: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    aliases: set[tuple[int, str]] = field(default_factory=set)  # (person id, alias key) stored


@dataclass(frozen=True, slots=True)
class _Numbered:
    """A report's section and decision rows, and what writes the rows that need their ids."""

    sections: list[Row]
    decisions: list[Row]
    with_ids: Callable[[list[int], list[int]], None]


@dataclass(slots=True)
class PendingRows:
    """Rows of the reports stored so far in the current transaction, written at its end.

    One INSERT per table for a group of reports instead of one per report: on PostgreSQL a round
    trip less per table and report, on SQLite one full-text segment per group instead of one per
    report. Nothing reads these rows back before the transaction ends, except replacing a report
    stored earlier in the same group, which writes them first.
    """

    numbered: list[_Numbered] = field(default_factory=list)
    rows: dict[tuple[Table, tuple[str, ...]], list[Row]] = field(default_factory=dict)

    def add(self, table: Table, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
        self.rows.setdefault((table, columns), []).extend(rows)

    def add_numbered(self, report: _Numbered) -> None:
        self.numbered.append(report)

    def write(self, conn: Connection) -> None:
        numbered, self.numbered = self.numbered, []
        if numbered:
            # (report_id, position) tells each new id's row apart within the group.
            key = ("report_id", "position")
            sections = insert_returning_ids(
                conn, SECTIONS, _SECTION_COLUMNS, [r for n in numbered for r in n.sections], key=key
            )
            decisions = insert_returning_ids(
                conn, DECISIONS, _DECISION_COLUMNS, [r for n in numbered for r in n.decisions], key=key
            )
            section_ids, decision_ids = iter(sections), iter(decisions)
            for report in numbered:
                report.with_ids(
                    list(islice(section_ids, len(report.sections))), list(islice(decision_ids, len(report.decisions)))
                )
        for (table, columns), rows in self.rows.items():
            insert_rows(conn, table, columns, rows)
        self.rows.clear()


@dataclass(slots=True)
class _Group:
    """What the reports stored in one transaction share."""

    known: KnownNames = field(default_factory=KnownNames)
    pending: PendingRows = field(default_factory=PendingRows)


def _clean(names: Iterable[str]) -> list[str]:
    return sorted({n.strip() for n in names if n and n.strip()})


_ROLE_COLUMNS = ("person_id", "role", "start_date", "end_date")


def _store_names(
    conn: Connection,
    person_names: Iterable[str],
    topic_names: Iterable[str],
    aliases: list[tuple[str, str, str]],
    known: KnownNames,
) -> KnownNames:
    """Ids of every person and topic (creating new ones), with knowledge-base roles and aliases seeded.

    `aliases` are (person name, alias, alias key) from the report. Names new to `known` are read in
    one statement and only missing ones written; every write stays an upsert, so concurrent ingests
    agree. A person already in `known` had their knowledge-base rows seeded when first met.
    """
    people_new = [n for n in _clean(person_names) if n not in known.people]
    topics_new = [n for n in _clean(topic_names) if n not in known.topics]
    have_roles: set[tuple[int, str, str | None]] = set()
    if people_new or topics_new:
        params = {"people": people_new, "topics": topics_new} if topics_new else {"people": people_new}
        statement = _known_statement(conn.dialect.name, topics=bool(topics_new))
        for kind, ident, name, extra in conn.execute(statement, params).tuples():
            if kind == _PEOPLE:
                known.people[name] = ident
            elif kind == _TOPICS:
                known.topics[name] = ident
            elif kind == _ALIASES:
                known.aliases.add((ident, name))
            else:
                have_roles.add((ident, name, extra))
    missing_people = [(n, name_key(n)) for n in people_new if n not in known.people]
    known.people.update(upsert_ids(conn, PEOPLE, ("name", "key"), missing_people, key="name"))
    missing_topics = [(n,) for n in topics_new if n not in known.topics]
    known.topics.update(upsert_ids(conn, TOPICS, ("name",), missing_topics, key="name"))

    role_rows, alias_rows = knowledge_rows({name: known.people[name] for name in people_new})
    role_rows = [
        r
        for r in role_rows
        if (r["person_id"], r["role"], r["start_date"].isoformat() if r["start_date"] else None) not in have_roles
    ]
    insert_rows(conn, ROLES, _ROLE_COLUMNS, [tuple(r[c] for c in _ROLE_COLUMNS) for r in role_rows], skip_existing=True)
    # The knowledge base's aliases first: on a clash of keys its spelling is the one kept.
    alias_rows += [{"person_id": known.people[name], "alias": alias, "key": key} for name, alias, key in aliases]
    new_aliases = [
        (r["person_id"], r["alias"], r["key"]) for r in alias_rows if (r["person_id"], r["key"]) not in known.aliases
    ]
    insert_rows(conn, ALIASES, ("person_id", "alias", "key"), new_aliases, skip_existing=True)
    known.aliases.update((pid, key) for pid, _, key in new_aliases)
    return known


# ---------------------------------------------------------------- writing a report's rows


def _delete_children(conn: Connection, report_id: int) -> None:
    # Decision topics and people go with their decisions (ON DELETE CASCADE).
    for model in (m.SearchDoc, m.Mention, m.ReportPerson, m.ReportAuthor, m.ReportTopic, m.Decision, m.Section):
        table = _table(model)
        conn.execute(delete(table).where(table.c.report_id == report_id))


def _drop_meeting_if_orphaned(conn: Connection, meeting_id: int) -> None:
    reports = conn.scalar(select(func.count()).where(m.Report.meeting_id == meeting_id))
    posts = conn.scalar(select(func.count()).where(m.Post.meeting_id == meeting_id))
    if not reports and not posts:
        conn.execute(delete(MEETINGS).where(MEETINGS.c.id == meeting_id))


def _section_of(sentence: str, sections: Sequence[tuple[str | None, str]]) -> str | None:
    for heading, text in sections:
        if sentence in text:
            return heading
    return None


_SECTION_COLUMNS = ("report_id", "position", "heading", "text")
_DECISION_COLUMNS = (
    "report_id",
    "meeting_id",
    "meeting_date",
    "position",
    "section",
    "text",
    "subject",
    "votes_for",
    "votes_against",
    "abstain",
    "unanimous",
    "committee",
)
_SEARCH_DOC_COLUMNS = ("report_id", "kind", "ref_id", "title", "text")


def _write_children(
    conn: Connection,
    report_id: int,
    meeting_id: int | None,
    parsed: ParsedReport,
    scrub: _Scrubber,
    title: str,
    group: _Group,
) -> None:
    """Look up the report's people and topics now; every other row goes in with its group's (`PendingRows`)."""
    sections = [(scrub.opt(s.heading), scrub(s.text)) for s in parsed.sections]
    meeting_date = parsed.meeting_date if meeting_id is not None else None
    decision_rows = [
        (
            report_id,
            meeting_id,
            meeting_date,
            i,
            scrub.opt(d.section),
            scrub(d.text),
            scrub(d.subject or d.text),
            d.tally.votes_for if d.tally else None,
            d.tally.votes_against if d.tally else None,
            d.tally.abstain if d.tally else None,
            bool(d.tally and d.tally.unanimous),
            d.committee,
        )
        for i, d in enumerate(parsed.decisions)
    ]

    person_names = [*parsed.authors, *(p.name for p in parsed.people), *(n for d in parsed.decisions for n in d.people)]
    topic_names = [*parsed.topics, *(t for d in parsed.decisions for t in d.topics)]
    aliases: list[tuple[str, str, str]] = []
    for person in parsed.people:
        if person.name.strip():
            for alias in person.aliases:
                key = name_key(alias)
                if key and key != name_key(person.name):
                    aliases.append((person.name.strip(), alias.strip()[:200], key[:200]))
    names = _store_names(conn, person_names, topic_names, aliases, group.known)
    people, topics = names.people, names.topics

    authors: dict[int, int] = {}
    for position, author in enumerate(parsed.authors):
        if author.strip():
            authors.setdefault(people[author.strip()], position)
    pending = group.pending
    pending.add(
        _table(m.ReportAuthor),
        ("report_id", "person_id", "position"),
        [(report_id, pid, position) for pid, position in authors.items()],
    )

    counts: dict[int, int] = {}
    mention_rows: list[Row] = []
    # A sentence naming several people is placed in its section once.
    section_of: dict[str, str | None] = {}
    for person in parsed.people:
        if not person.name.strip():
            continue
        pid = people[person.name.strip()]
        counts[pid] = counts.get(pid, 0) + max(person.mentions, 1)
        seen: set[str] = set()
        for sentence in person.sentences:
            clean = scrub(sentence).strip()
            if clean and clean not in seen:
                seen.add(clean)
                if sentence not in section_of:
                    section_of[sentence] = _section_of(sentence, sections)
                mention_rows.append((pid, report_id, section_of[sentence], clean))
    pending.add(
        _table(m.ReportPerson),
        ("report_id", "person_id", "mentions", "meeting_id", "meeting_date"),
        [(report_id, pid, n, meeting_id, meeting_date) for pid, n in counts.items()],
    )
    pending.add(_table(m.Mention), ("person_id", "report_id", "section", "sentence"), mention_rows)

    report_topics = {topics[t.strip()] for t in topic_names if t.strip()}
    pending.add(_table(m.ReportTopic), ("report_id", "topic_id"), [(report_id, tid) for tid in sorted(report_topics)])

    def with_ids(section_ids: list[int], decision_ids: list[int]) -> None:
        """The rows that name a section or decision by id, once they have ids."""
        decision_topic_rows: list[Row] = []
        decision_people_rows: list[Row] = []
        for decision_id, decision in zip(decision_ids, parsed.decisions, strict=True):
            for tid in sorted({topics[t.strip()] for t in decision.topics if t.strip()}):
                decision_topic_rows.append((decision_id, tid, meeting_date))
            for pid in sorted({people[n.strip()] for n in decision.people if n.strip()}):
                decision_people_rows.append((decision_id, pid, "named"))
        pending.add(_table(m.DecisionTopic), ("decision_id", "topic_id", "meeting_date"), decision_topic_rows)
        pending.add(_table(m.DecisionPerson), ("decision_id", "person_id", "relation"), decision_people_rows)

        # Full text: the title (with the whole body when there are no sections), each section, each decision.
        docs: list[Row] = [(report_id, "report", report_id, title, "" if sections else scrub(_report_text(parsed)))]
        docs += [
            (report_id, "section", section_id, heading or title, text)
            for section_id, (heading, text) in zip(section_ids, sections, strict=True)
        ]
        docs += [
            (report_id, "decision", decision_id, scrub(decision.subject or decision.text)[:300], scrub(decision.text))
            for decision_id, decision in zip(decision_ids, parsed.decisions, strict=True)
        ]
        pending.add(_table(m.SearchDoc), _SEARCH_DOC_COLUMNS, docs)

    section_rows = [(report_id, i, heading, text) for i, (heading, text) in enumerate(sections)]
    pending.add_numbered(_Numbered(section_rows, decision_rows, with_ids))


# ---------------------------------------------------------------- the entry point


@dataclass(frozen=True, slots=True)
class PreparedReport:
    """A parsed report with the fingerprints that storing it needs worked out.

    Pure CPU work with no database, so a parser process can do it (`prepare_report`) and spare the
    process that writes, which is the bottleneck of a bulk ingest.
    """

    parsed: ParsedReport
    text: str  # the body with private details removed
    digest: str | None  # None when there is no report text
    signature: str | None  # None until asked for (a report found already stored never needs it)
    title: str
    # The words the digest was made of, while the signature is still to be made from them.
    words: list[bytes] | None = None


def prepare_report(parsed: ParsedReport, *, sketch: bool = True) -> PreparedReport:
    """Body text, exact hash and (with `sketch`) the near-duplicate sketch of `parsed`."""
    scrub = _Scrubber(parsed)
    text = scrub(_report_text(parsed))
    tokens = encoded_words(text)
    title = (scrub(parsed.title or "").strip() or "Untitled report")[:500]
    digest = hash_words(tokens) if tokens else None
    signature = sketch_words(tokens) if tokens and sketch else None
    return PreparedReport(parsed, text, digest, signature, title, None if signature else tokens)


# Built once: SQLAlchemy remembers a statement object's cache key, so it is not walked again per report.
_INSERT_REPORT = insert(REPORTS).returning(REPORTS.c.id)


def _store(
    conn: Connection,
    report: ParsedReport | PreparedReport,
    url: str | None,
    source_id: int | None,
    group: _Group,
) -> IngestOutcome:
    prepared = report if isinstance(report, PreparedReport) else prepare_report(report, sketch=False)
    parsed, text, digest, title = prepared.parsed, prepared.text, prepared.digest, prepared.title
    scrub = _Scrubber(parsed)
    target = url or parsed.title or "report"
    if digest is None:
        return IngestOutcome(target=target, status="failed", reason="no report text found")

    def outcome(status: str, reason: str | None = None, meeting_id: int | None = None) -> IngestOutcome:
        return IngestOutcome(target, status, reason, title, parsed.meeting_date, meeting_id)

    body = parsed.body or DEFAULT_BODY
    key = title_key(title)
    found = _lookup(conn, digest=digest, url=url, key=key, body=body, day=parsed.meeting_date)
    same_body = next((r for r in found.same if r.body_hash == digest), None)
    if same_body is not None:
        if url and same_body.url is None:
            conn.execute(update(REPORTS).where(REPORTS.c.id == same_body.id).values(url=url))
        return outcome("skipped", "already stored (same text)")

    sig = prepared.signature or sketch_words(prepared.words or encoded_words(text))
    existing = next((r for r in found.same if url and r.url == url), None)
    if existing is None:
        twin = _find_republished(conn, sig=sig, text=text, candidates=found.candidates)
        if twin is not None:
            return outcome("skipped", f"same report as one already stored ({twin.url or twin.title})")

    warnings = [scrub(w) for w in parsed.warnings]
    if parsed.meeting_date is not None and parsed.body is None:
        warnings.append(f"meeting body not found; assumed {DEFAULT_BODY}")
    if parsed.meeting_date is None and not any("date" in w.lower() for w in warnings):
        warnings.append("meeting date not found; stored without a meeting")
    meeting_id = _meeting_id(conn, found, body, parsed.meeting_date)
    values: dict[str, Any] = {
        "source_id": source_id,
        "title": title,
        "title_key": key,
        "authors": [scrub(a) for a in parsed.authors],
        "published": parsed.published,
        "ingested_at": m.utcnow(),
        "parser_version": parsed.parser_version,
        "body_hash": digest,
        "signature": sig,
        "clean_text": text,
        "meeting_id": meeting_id,
        "warnings": warnings,
    }

    if existing is not None:
        old_meeting = existing.meeting_id
        report_id = existing.id
        group.pending.write(conn)  # this report may be one stored earlier in the group
        _delete_children(conn, report_id)
        if source_id is None:
            values["source_id"] = existing.source_id
        conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(**values))
        if old_meeting is not None and old_meeting != meeting_id:
            _drop_meeting_if_orphaned(conn, old_meeting)
        status = "updated"
    else:
        report_id = conn.execute(_INSERT_REPORT, {"url": url, **values}).scalar_one()
        status = "added"
    _write_children(conn, report_id, meeting_id, parsed, scrub, title, group)
    log.info("%s report %s (%s)", status, report_id, target)
    return outcome(status, meeting_id=meeting_id)


async def store_report(
    session: AsyncSession,
    parsed: ParsedReport | PreparedReport,
    *,
    url: str | None,
    source_id: int | None = None,
) -> IngestOutcome:
    """Store `parsed` once: "added", "updated" (same URL, new body), or "skipped" (already stored).

    The caller owns the transaction (`async with sessions.begin() as session`).
    """
    conn = await session.connection()
    (outcome,) = await conn.run_sync(_store_all, [(parsed, url, source_id)])
    return outcome


_ASYNC_COMMIT = sql_text("SET LOCAL synchronous_commit = off")

# A report to store: the parsed report, its URL and its source's id.
StoreItem = tuple[ParsedReport | PreparedReport, str | None, int | None]


def _store_all(conn: Connection, items: Sequence[StoreItem]) -> list[IngestOutcome]:
    group = _Group()
    outcomes = [_store(conn, parsed, url, source_id, group) for parsed, url, source_id in items]
    group.pending.write(conn)
    return outcomes


def _store_all_committed(engine: Engine, items: Sequence[StoreItem]) -> list[IngestOutcome]:
    with engine.begin() as conn:
        return _store_all(conn, items)


async def commit_reports(sessions: async_sessionmaker[AsyncSession], items: Sequence[StoreItem]) -> list[IngestOutcome]:
    """`store_report` for each item, all in one transaction: every report stored, or (on an error) none.

    A group commit for bulk ingest: reports written together share the index and full-text pages
    that each would otherwise write back at its own commit, which makes each one about a third
    cheaper to store. The caller redoes a group that failed one report per transaction
    (`commit_report`), so a bad report still costs only itself. On a SQLite file the whole group
    runs in one worker thread on the synchronous twin engine (`storage.db.SQLITE_TWIN`).
    """
    writer = sessions.kw.get("info", {}).get(SQLITE_TWIN)
    if isinstance(writer, Engine):
        return await asyncio.to_thread(_store_all_committed, writer, items)
    async with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Skips the wait for this commit's WAL flush (about 3 ms, most of a report's wall time here).
            # A server crash can lose at most the last fraction of a second of ingested reports, never
            # leaves a half-stored one, and the next synchronous commit (a source's fetch state, say)
            # makes every earlier one durable; ingest is idempotent, so a lost report comes back.
            await session.execute(_ASYNC_COMMIT)
        conn = await session.connection()
        return await conn.run_sync(_store_all, items)


async def commit_report(
    sessions: async_sessionmaker[AsyncSession],
    parsed: ParsedReport | PreparedReport,
    *,
    url: str | None,
    source_id: int | None = None,
) -> IngestOutcome:
    """`store_report` in a transaction of its own, committed before it returns."""
    (outcome,) = await commit_reports(sessions, [(parsed, url, source_id)])
    return outcome
