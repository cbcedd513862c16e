"""Lookups from the terminal, printing what the matching slash command shows:
`who`, `decisions`, `meeting`, `search`, `latest`, `reports`."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import UserError
from bot.commands.db import run_with_sessions
from bot.render_text import (
    render_decisions,
    render_meeting,
    render_meeting_list,
    render_profile,
    render_reports,
    render_search,
)
from digests.errors import UserFacingError
from digests.querydates import parse_date_range, parse_day
from storage import queries


def _run(query: Callable[[AsyncSession], Awaitable[Any]], render: Callable[[Any], str]) -> int:
    async def work(sessions: Any) -> Any:
        async with sessions() as session:  # read-only: see storage.db.run_read
            return await query(session)

    print(render(run_with_sessions(work)))
    return 0


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or len(text) != 4:
        raise UserError(f"{text!r} is not a year; give four digits, e.g. 2013")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    who = subparsers.add_parser("who", help="a person: roles, reports written, mentions, decisions")
    who.add_argument("name", nargs="+")
    who.set_defaults(func=run_who)

    dec = subparsers.add_parser("decisions", help="decisions, newest first: [YEAR|FROM..TO] [--topic] [--person]")
    dec.add_argument("period", nargs="?", help="2013, 2012..2014, march 2022 or 2013-05-01..2013-12-31")
    dec.add_argument("--topic")
    dec.add_argument("--person")
    dec.add_argument("--query", help="words the decision contains")
    dec.add_argument("--limit", type=int, default=200)
    dec.set_defaults(func=run_decisions)

    meet = subparsers.add_parser("meeting", help="one meeting, every report of it merged")
    meet.add_argument("date", nargs="+", help="2022-03-29 or 29 March 2022")
    meet.set_defaults(func=run_meeting)

    search = subparsers.add_parser("search", help="full-text search of reports, sections and decisions")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=20)
    search.set_defaults(func=run_search)

    latest = subparsers.add_parser("latest", help="the latest meetings")
    latest.add_argument("--limit", type=int, default=10)
    latest.set_defaults(func=run_latest)

    reports = subparsers.add_parser("reports", help="reports by author and/or year")
    reports.add_argument("--author")
    reports.add_argument("--year")
    reports.add_argument("--limit", type=int, default=100)
    reports.set_defaults(func=run_reports)


def run_who(args: argparse.Namespace) -> int:
    name = " ".join(args.name)
    return _run(lambda s: queries.person_profile(s, name), render_profile)


def run_decisions(args: argparse.Namespace) -> int:
    year: int | None = None
    start: date | None = None
    end: date | None = None
    if args.period:
        period = args.period.strip()
        if period.isdigit() and len(period) == 4:
            year = int(period)
        else:
            try:
                parsed = parse_date_range(period)
            except UserFacingError as exc:
                raise UserError(str(exc)) from None
            start, end = parsed.start, parsed.end
    return _run(
        lambda s: queries.decisions(
            s,
            year=year,
            date_from=start,
            date_to=end,
            topic=args.topic,
            person=args.person,
            query=args.query,
            limit=args.limit,
        ),
        render_decisions,
    )


def run_meeting(args: argparse.Namespace) -> int:
    try:
        day = parse_day(" ".join(args.date))
    except UserFacingError as exc:
        raise UserError(str(exc)) from None
    return _run(lambda s: queries.meeting(s, day), render_meeting)


def run_search(args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    return _run(lambda s: queries.search(s, text, limit=args.limit), render_search)


def run_latest(args: argparse.Namespace) -> int:
    return _run(lambda s: queries.latest(s, args.limit), render_meeting_list)


def run_reports(args: argparse.Namespace) -> int:
    year = _year(args.year)
    return _run(lambda s: queries.reports(s, author=args.author, year=year, limit=args.limit), render_reports)
