"""`necdigest digest [--since DATE] [--topic T] [--person P] [--keyword K]`: print a digest as text."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, date, datetime

from bot.render_digest import digest_text
from bot.settings import get_settings
from digests.digest import build_digest
from digests.errors import UserFacingError
from digests.views import DigestView

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "digest", help="print the digest of the latest meeting, or of every meeting since a date"
    )
    parser.add_argument("--since", metavar="DATE", help="meetings held on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--topic", help="only meetings and decisions on this topic")
    parser.add_argument("--person", help="only meetings involving this person")
    parser.add_argument("--keyword", help="only decisions and key points containing this word")
    parser.set_defaults(func=run)


def parse_since(text: str | None) -> date | None:
    """A YYYY-MM-DD date, or a one-line UserFacingError."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(f"--since wants a date like 2024-03-29, not {text!r}.") from None


async def digest_since(
    database_url: str, since: date | None, *, topic: str | None, person: str | None, keyword: str | None
) -> DigestView:
    """Build the digest the `digest` command prints (the latest meeting when `since` is None)."""
    from storage.db import create_engine, make_sessionmaker, upgrade
    from storage.queries import meeting_by_id, meetings_ingested_after

    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            rows = sorted(await meetings_ingested_after(session, EPOCH), key=lambda r: (r[1], r[0]))
            if since is None:
                rows = rows[-1:]
                heading = "NEC digest: the latest meeting"
            else:
                rows = [r for r in rows if r[1] >= since]
                heading = f"NEC digest: meetings since {since.day} {since:%B %Y}"
            ids = [int(r[0]) for r in rows]
            meetings = [await meeting_by_id(session, mid) for mid in ids]
    finally:
        await engine.dispose()
    return build_digest(meetings, heading=heading, topic=topic, person=person, keyword=keyword, meeting_ids=ids)


def run(args: argparse.Namespace) -> int:
    from bot.cli import UserError

    try:
        since = parse_since(args.since)
        view = asyncio.run(
            digest_since(get_settings().database_url, since, topic=args.topic, person=args.person, keyword=args.keyword)
        )
    except UserFacingError as exc:
        raise UserError(str(exc)) from None
    print(digest_text(view), end="")
    return 0
