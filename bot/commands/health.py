"""`necdigest health`: is the database reachable and is the running bot's gateway alive?"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import text

from bot.health import age_seconds
from bot.settings import get_settings

DEFAULT_MAX_AGE_SECONDS = 120.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("health", help="check the database and the running bot's heartbeat file")
    parser.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE_SECONDS,
        help="seconds the heartbeat file may be old (default %(default)s)",
    )
    parser.set_defaults(func=health)


async def _database_answers(url: str) -> bool:
    from storage.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


def health(args: argparse.Namespace) -> int:
    settings = get_settings()
    problems = []
    if not asyncio.run(_database_answers(settings.database_url)):
        problems.append("database unreachable (check DATABASE_URL)")
    age = age_seconds(settings.health_file)
    if age is None:
        problems.append(f"no heartbeat file at {settings.health_file} (is the bot running?)")
    elif age > args.max_age:
        problems.append(f"heartbeat is {age:.0f} s old (limit {args.max_age:.0f} s)")
    if problems:
        print("necdigest health: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"ok: database answers, heartbeat {age:.0f} s old")
    return 0
