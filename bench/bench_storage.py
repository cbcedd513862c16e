"""Storage benchmark: ingest a synthetic corpus, then time every query at 1,000 and 10,000 reports.

Prints one JSON object. Ingest builds ParsedReport objects directly (the parser is bypassed; its
cost is measured separately as `parse_reports_per_s` on generated text). `digest_build` times what
the digest service does for one meeting: load its merged view, build the digest, render the embeds.
`peak_rss_mb` is the process's peak resident memory once the run's corpus is stored and queried.

    python -m bench.bench_storage [--reports 10000] [--pg postgresql+asyncpg://...] [--samples 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import select, text

from bench.pgschema import private_schema
from bench.synthetic import report_text, synthetic_reports
from bot.render_digest import digest_embeds
from digests.digest import build_digest
from digests.errors import UserFacingError
from storage import models as m
from storage import queries
from storage import subscriptions as subs
from storage.db import create_engine, make_sessionmaker, upgrade
from storage.ingest import commit_report


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99)}


async def _time_queries(sessions: Any, samples: int, years: list[int]) -> dict[str, dict[str, float]]:
    names = ["Priya Castellano", "varga", "Tomas Vargaa", "Marta Oyelaran", "kwame men"]
    words = ["boundaries", "Eastmere budget", "membership risen", "training branches", "digital team"]
    # Common words (a quarter of all decisions), a place, a phrase and a rare one.
    keywords = ["budget", "Eastmere", "rule change", "item 4321"]
    cases: dict[str, Callable[[Any, int], Awaitable[Any]]] = {
        "decisions_year": lambda s, i: queries.decisions(s, year=years[i % len(years)]),
        "decisions_topic": lambda s, i: queries.decisions(s, topic="finance", limit=50),
        "decisions_person": lambda s, i: queries.decisions(s, person=names[i % 4], limit=50),
        "decisions_keyword": lambda s, i: queries.decisions(s, query=keywords[i % len(keywords)], limit=50),
        "who": lambda s, i: queries.person_profile(s, names[i % len(names)]),
        "search": lambda s, i: queries.search(s, words[i % len(words)]),
        "meeting": lambda s, i: queries.latest(s, 1),
        "latest": lambda s, i: queries.latest(s, 10),
        "reports_author": lambda s, i: queries.reports(s, author=names[i % 4], limit=50),
        "autocomplete_people": lambda s, i: queries.autocomplete_people(s, names[i % len(names)][:5]),
        "autocomplete_meetings": lambda s, i: queries.autocomplete_meetings(s, f"march {years[i % len(years)]}"),
        "stats": lambda s, i: queries.stats(s),
    }
    out: dict[str, dict[str, float]] = {}
    async with sessions.begin() as session:
        latest = await queries.latest(session, 20)
    days = [item.meeting_date for item in latest.items] or [date(2000, 1, 10)]
    cases["meeting"] = lambda s, i: queries.meeting(s, days[i % len(days)])
    async with sessions.begin() as session:
        meeting_ids = list((await session.scalars(select(m.Meeting.id).order_by(m.Meeting.id.desc()).limit(20))).all())

    async def digest(session: Any, i: int) -> Any:
        meeting_id = meeting_ids[i % len(meeting_ids)]
        view = build_digest(
            [await subs.load_meeting(session, meeting_id)], heading="NEC digest", meeting_ids=[meeting_id]
        )
        return digest_embeds(view)

    cases["digest_build"] = digest
    for name, case in cases.items():
        timings = []
        for i in range(samples + 3):
            started = time.perf_counter()
            # "No one called X" is an answer too, and timed like one. A plain session, as the commands open.
            async with sessions() as session:
                with contextlib.suppress(UserFacingError):
                    await case(session, i)
            if i >= 3:  # the first calls warm caches
                timings.append(time.perf_counter() - started)
        out[name] = _percentiles(timings)
    return out


async def run_one(url: str, *, schema: str | None, total: int, samples: int) -> dict[str, Any]:
    await upgrade(url, schema=schema)
    engine = create_engine(url, schema=schema)
    sessions = make_sessionmaker(engine)
    result: dict[str, Any] = {"database": engine.dialect.name, "reports": total, "queries": {}}
    corpus = synthetic_reports(total)
    checkpoints = sorted({min(1000, total), total})
    done = 0
    ingest_time = 0.0
    years = list(range(2000, 2025))
    for checkpoint in checkpoints:
        started = time.perf_counter()
        while done < checkpoint:
            parsed = next(corpus)
            await commit_report(sessions, parsed, url=f"https://reports.example.org/{done}")
            done += 1
        ingest_time += time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            # What autovacuum does on a live database: statistics, and the visibility map that lets
            # index-only scans skip the table (VACUUM runs outside a transaction).
            autocommit = await engine.connect()
            try:
                await autocommit.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("VACUUM ANALYZE"))
            finally:
                await autocommit.close()
        else:
            async with engine.begin() as conn:
                await conn.execute(text("PRAGMA optimize"))
        result["queries"][str(checkpoint)] = await _time_queries(sessions, samples, years)
    result["ingest_reports_per_s"] = round(total / ingest_time, 1)
    result["peak_rss_mb"] = peak_rss_mb()
    await engine.dispose()
    return result


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def parse_rate(count: int = 200) -> float:
    """Reports per second through the real parser on generated text."""
    from digests.parser import parse_report

    texts = [report_text(p) for p in synthetic_reports(count, seed=11)]
    started = time.perf_counter()
    for i, body in enumerate(texts):
        parse_report(body, name=f"r{i}.txt")
    return round(count / (time.perf_counter() - started), 1)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--no-parse", action="store_true", help="skip the parser throughput figure")
    args = parser.parse_args()
    output: dict[str, Any] = {
        "ingest_mode": "ParsedReport objects built directly (parser bypassed); one transaction per report",
        "targets": {
            "ingest_reports_per_s": 100,
            "query_p95_ms_at_10000": 20,
            "digest_build_ms_at_10000": 50,
            "peak_rss_mb": 200,
        },
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        output["runs"].append(await run_one(url, schema=None, total=args.reports, samples=args.samples))
    if args.pg:
        async with private_schema(args.pg) as schema:
            output["runs"].append(await run_one(args.pg, schema=schema, total=args.reports, samples=args.samples))
    if not args.no_parse:
        output["parse_reports_per_s"] = await asyncio.to_thread(parse_rate)
    output["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(output, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
