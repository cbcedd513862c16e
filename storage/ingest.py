"""Store one parsed report: idempotent, merging reports of one meeting, never keeping stale rows."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.model import ParsedReport
from digests.views import IngestOutcome
from storage import models as m
from storage.knowledge import seed_people_knowledge
from storage.names import name_key, title_key
from storage.similarity import body_hash, estimate_jaccard, jaccard, signature, words
from storage.upsert import insert_ignore, upsert_ids

log = logging.getLogger(__name__)

DEFAULT_BODY = "Labour NEC"
NEAR_DUPLICATE = 0.9
# The sketch estimate is within a few points of the truth; only candidates above this get the exact check.
SKETCH_PREFILTER = 0.75
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
    # Core inserts: executemany without the ORM's bulk bookkeeping (3-4x faster per report).
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _report_text(parsed: ParsedReport) -> str:
    if parsed.clean_text.strip():
        return parsed.clean_text
    parts = [f"{s.heading}\n{s.text}" if s.heading else s.text for s in parsed.sections]
    return "\n\n".join(parts)


async def _meeting_id(session: AsyncSession, body: str, parsed: ParsedReport) -> int | None:
    if parsed.meeting_date is None:
        return None
    await insert_ignore(session, m.Meeting.__table__, [{"body": body, "meeting_date": parsed.meeting_date}])
    found = await session.scalar(
        select(m.Meeting.id).where(m.Meeting.body == body, m.Meeting.meeting_date == parsed.meeting_date)
    )
    return found


async def _people_ids(session: AsyncSession, names: Iterable[str]) -> dict[str, int]:
    clean = sorted({n.strip() for n in names if n and n.strip()})
    return await upsert_ids(session, m.Person.__table__, [{"name": n, "key": name_key(n)} for n in clean], key="name")


async def _topic_ids(session: AsyncSession, names: Iterable[str]) -> dict[str, int]:
    clean = sorted({n.strip() for n in names if n and n.strip()})
    return await upsert_ids(session, m.Topic.__table__, [{"name": n} for n in clean], key="name")


async def _find_republished(
    session: AsyncSession, *, sig: str, text: str, meeting_id: int | None, key: str
) -> m.Report | None:
    """A stored report whose body is near-identical: same meeting or same title, shingles >= 0.9 alike."""
    conditions = [m.Report.title_key == key] if key else []
    if meeting_id is not None:
        conditions.append(m.Report.meeting_id == meeting_id)
    if not conditions:
        return None
    candidates = await session.execute(
        select(m.Report.id, m.Report.signature).where(or_(*conditions)).order_by(m.Report.id).limit(50)
    )
    for report_id, other_sig in candidates.tuples():
        if estimate_jaccard(sig, other_sig) < SKETCH_PREFILTER:
            continue
        other = await session.get(m.Report, report_id)
        if other is not None and jaccard(text, other.clean_text) >= NEAR_DUPLICATE:
            return other
    return None


async def _delete_children(session: AsyncSession, report_id: int) -> None:
    # Decision topics and people go with their decisions (ON DELETE CASCADE).
    for model in (m.SearchDoc, m.Mention, m.ReportPerson, m.ReportAuthor, m.ReportTopic, m.Decision, m.Section):
        await session.execute(delete(model).where(model.report_id == report_id))


async def _drop_meeting_if_orphaned(session: AsyncSession, meeting_id: int) -> None:
    reports = await session.scalar(select(func.count()).where(m.Report.meeting_id == meeting_id))
    posts = await session.scalar(select(func.count()).where(m.Post.meeting_id == meeting_id))
    if not reports and not posts:
        await session.execute(delete(m.Meeting).where(m.Meeting.id == meeting_id))


def _section_of(sentence: str, sections: Sequence[tuple[str | None, str]]) -> str | None:
    for heading, text in sections:
        if sentence in text:
            return heading
    return None


async def _write_children(
    session: AsyncSession, report_id: int, meeting_id: int | None, parsed: ParsedReport, scrub: _Scrubber, title: str
) -> None:
    sections = [(scrub.opt(s.heading), scrub(s.text)) for s in parsed.sections]
    section_ids: list[int] = []
    if sections:
        result = await session.execute(
            insert(_table(m.Section)).returning(_table(m.Section).c.id, sort_by_parameter_order=True),
            [
                {"report_id": report_id, "position": i, "heading": heading, "text": text}
                for i, (heading, text) in enumerate(sections)
            ],
        )
        section_ids = list(result.scalars())

    meeting_date = parsed.meeting_date if meeting_id is not None else None
    decision_ids: list[int] = []
    if parsed.decisions:
        result = await session.execute(
            insert(_table(m.Decision)).returning(_table(m.Decision).c.id, sort_by_parameter_order=True),
            [
                {
                    "report_id": report_id,
                    "meeting_id": meeting_id,
                    "meeting_date": meeting_date,
                    "position": i,
                    "section": scrub.opt(d.section),
                    "text": scrub(d.text),
                    "subject": scrub(d.subject or d.text),
                    "votes_for": d.tally.votes_for if d.tally else None,
                    "votes_against": d.tally.votes_against if d.tally else None,
                    "abstain": d.tally.abstain if d.tally else None,
                    "unanimous": bool(d.tally and d.tally.unanimous),
                    "committee": d.committee,
                }
                for i, d in enumerate(parsed.decisions)
            ],
        )
        decision_ids = list(result.scalars())

    person_names = [*parsed.authors, *(p.name for p in parsed.people), *(n for d in parsed.decisions for n in d.people)]
    people = await _people_ids(session, person_names)
    await seed_people_knowledge(session, people)
    topic_names = [*parsed.topics, *(t for d in parsed.decisions for t in d.topics)]
    topics = await _topic_ids(session, topic_names)

    authors: dict[int, int] = {}
    for position, author in enumerate(parsed.authors):
        if author.strip():
            authors.setdefault(people[author.strip()], position)
    if authors:
        await session.execute(
            insert(_table(m.ReportAuthor)),
            [{"report_id": report_id, "person_id": pid, "position": pos} for pid, pos in authors.items()],
        )

    counts: dict[int, int] = {}
    mention_rows: list[dict[str, Any]] = []
    alias_rows: list[dict[str, Any]] = []
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
                mention_rows.append(
                    {
                        "person_id": pid,
                        "report_id": report_id,
                        "section": _section_of(sentence, sections),
                        "sentence": clean,
                    }
                )
        for alias in person.aliases:
            key = name_key(alias)
            if key and key != name_key(person.name):
                alias_rows.append({"person_id": pid, "alias": alias.strip()[:200], "key": key[:200]})
    if counts:
        await session.execute(
            insert(_table(m.ReportPerson)),
            [{"report_id": report_id, "person_id": pid, "mentions": n} for pid, n in counts.items()],
        )
    if mention_rows:
        await session.execute(insert(_table(m.Mention)), mention_rows)
    await insert_ignore(session, m.PersonAlias.__table__, alias_rows)

    report_topics = {topics[t.strip()] for t in topic_names if t.strip()}
    if report_topics:
        await session.execute(
            insert(_table(m.ReportTopic)), [{"report_id": report_id, "topic_id": tid} for tid in sorted(report_topics)]
        )
    decision_topic_rows = []
    decision_people_rows = []
    for decision_id, decision in zip(decision_ids, parsed.decisions, strict=True):
        for tid in sorted({topics[t.strip()] for t in decision.topics if t.strip()}):
            decision_topic_rows.append({"decision_id": decision_id, "topic_id": tid})
        for pid in sorted({people[n.strip()] for n in decision.people if n.strip()}):
            decision_people_rows.append({"decision_id": decision_id, "person_id": pid, "relation": "named"})
    if decision_topic_rows:
        await session.execute(insert(_table(m.DecisionTopic)), decision_topic_rows)
    if decision_people_rows:
        await session.execute(insert(_table(m.DecisionPerson)), decision_people_rows)

    # Full text: the title (with the whole body when there are no sections), each section, each decision.
    docs: list[dict[str, Any]] = [
        {
            "report_id": report_id,
            "kind": "report",
            "ref_id": report_id,
            "title": title,
            "text": "" if sections else scrub(_report_text(parsed)),
        }
    ]
    for section_id, (heading, text) in zip(section_ids, sections, strict=True):
        docs.append(
            {"report_id": report_id, "kind": "section", "ref_id": section_id, "title": heading or title, "text": text}
        )
    for decision_id, decision in zip(decision_ids, parsed.decisions, strict=True):
        docs.append(
            {
                "report_id": report_id,
                "kind": "decision",
                "ref_id": decision_id,
                "title": scrub(decision.subject or decision.text)[:300],
                "text": scrub(decision.text),
            }
        )
    await session.execute(insert(_table(m.SearchDoc)), docs)


async def store_report(
    session: AsyncSession, parsed: ParsedReport, *, url: str | None, source_id: int | None = None
) -> IngestOutcome:
    """Store `parsed` once: "added", "updated" (same URL, new body), or "skipped" (already stored).

    The caller owns the transaction (`async with sessions.begin() as session`).
    """
    scrub = _Scrubber(parsed)
    text = scrub(_report_text(parsed))
    target = url or parsed.title or "report"
    if not words(text):
        return IngestOutcome(target=target, status="failed", reason="no report text found")
    digest = body_hash(text)
    title = (scrub(parsed.title or "").strip() or "Untitled report")[:500]

    def outcome(status: str, reason: str | None = None, meeting_id: int | None = None) -> IngestOutcome:
        return IngestOutcome(target, status, reason, title, parsed.meeting_date, meeting_id)

    # One round trip finds both the same text anywhere and an earlier version at this URL.
    matches = (
        await session.scalars(
            select(m.Report).where(
                or_(m.Report.body_hash == digest, m.Report.url == url) if url else m.Report.body_hash == digest
            )
        )
    ).all()
    same_body = next((r for r in matches if r.body_hash == digest), None)
    if same_body is not None:
        if url and same_body.url is None:
            await session.execute(update(m.Report).where(m.Report.id == same_body.id).values(url=url))
        return outcome("skipped", "already stored (same text)")

    warnings = [scrub(w) for w in parsed.warnings]
    body = parsed.body or DEFAULT_BODY
    if parsed.meeting_date is not None and parsed.body is None:
        warnings.append(f"meeting body not found; assumed {DEFAULT_BODY}")
    if parsed.meeting_date is None and not any("date" in w.lower() for w in warnings):
        warnings.append("meeting date not found; stored without a meeting")
    meeting_id = await _meeting_id(session, body, parsed)
    sig = signature(text)
    key = title_key(title)
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

    existing = next((r for r in matches if url and r.url == url), None)
    if existing is not None:
        old_meeting = existing.meeting_id
        report_id = existing.id
        await _delete_children(session, report_id)
        if source_id is None:
            values["source_id"] = existing.source_id
        await session.execute(update(m.Report).where(m.Report.id == report_id).values(**values))
        if old_meeting is not None and old_meeting != meeting_id:
            await _drop_meeting_if_orphaned(session, old_meeting)
        status = "updated"
    else:
        twin = await _find_republished(session, sig=sig, text=text, meeting_id=meeting_id, key=key)
        if twin is not None:
            if meeting_id is not None and meeting_id != twin.meeting_id:
                await _drop_meeting_if_orphaned(session, meeting_id)
            where = twin.url or twin.title
            return outcome("skipped", f"same report as one already stored ({where})")
        report_id = (
            await session.execute(insert(m.Report).values(url=url, **values).returning(m.Report.id))
        ).scalar_one()
        status = "added"
    await _write_children(session, report_id, meeting_id, parsed, scrub, title)
    log.info("%s report %s (%s)", status, report_id, target)
    return outcome(status, meeting_id=meeting_id)
