"""Fan one digest out to N channels on a local fake of Discord's REST API that enforces Discord's rate limits.

The fake (tests/ratelimited_rest.py) allows 50 requests/s globally and 5 messages per 5 s per
channel, answering 429 with retry_after/global bodies and X-RateLimit-* headers like Discord.
The bot side is the real thing: discord.py's HTTP client, DigestService, storage on SQLite.

Prints JSON: messages/s against the 50/s ceiling, 429s received, and the time from the new
report being ingested to the last channel posted.

    .venv/bin/python bench/bench_fanout.py [--channels 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import aiohttp
import discord
import discord.http

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.digest_service import DigestService
from bot.settings import Settings
from storage import subscriptions as subs
from storage.db import create_engine, make_sessionmaker, upgrade
from storage.ingest import store_report
from tests.ratelimited_rest import GLOBAL_PER_SECOND, RestOnlyBot, serve_in_process
from tests.storage_support import invented_report

GUILD = 4242


async def main(channels: int) -> dict[str, object]:
    # The fake Discord runs in a process of its own, as the real one would not share our CPU.
    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    server = context.Process(target=serve_in_process, args=(urls,), daemon=True)
    server.start()
    base = await asyncio.to_thread(urls.get, True, 30)
    discord.http.Route.BASE = base
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        await upgrade(url)
        engine = create_engine(url)
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            for channel in range(channels):
                await subs.add_subscription(
                    session, guild_id=GUILD, channel_id=10_000 + channel, schedule="on-new", created_by=1
                )
        http = discord.http.HTTPClient(asyncio.get_running_loop())
        await http.static_login("bench-token")
        bot = RestOnlyBot(http)
        try:
            from storage.queries import meeting_by_id as load_meeting
        except ImportError:  # storage's query module not merged yet: a plain view of the meeting
            from tests.delivery_support import simple_meeting_view as load_meeting
        service = DigestService(
            bot,  # type: ignore[arg-type]
            sessions,
            Settings(discord_token=None),
            load_meeting=load_meeting,
        )

        started = time.monotonic()
        async with sessions.begin() as session:
            outcome = await store_report(
                session, invented_report(meeting_date=date(2031, 5, 6)), url="https://example.org/new-report"
            )
            assert outcome.status == "added"
        ingested = time.monotonic()
        posted = await service.on_new_reports([1])
        finished = time.monotonic()
        await http.close()
        await engine.dispose()
    async with aiohttp.ClientSession() as client, client.get(base.removesuffix("/api/v10") + "/stats") as answer:
        stats = await answer.json()
    server.kill()
    per_channel = stats["messages_per_channel"]
    delivered = sum(1 for c in range(channels) if per_channel.get(str(10_000 + c)) == 1)
    times = stats["post_times"]
    first, last = times[0], times[-1]
    rate = (len(times) - 1) / (last - first) if last > first else float(len(times))
    total_429s = stats["global_429s"] + stats["bucket_429s"] + stats["scripted_429s"]
    return {
        "bench": "fanout",
        "channels": channels,
        "meetings_posted": posted,
        "channels_with_exactly_one_message": delivered,
        "messages_per_second": round(rate, 2),
        "ceiling_per_second": GLOBAL_PER_SECOND,
        "fraction_of_ceiling": round(rate / GLOBAL_PER_SECOND, 3),
        "rate_limit_floor_seconds": round(channels / GLOBAL_PER_SECOND, 2),
        "fan_out_seconds": round(finished - ingested, 2),
        "http_429s": total_429s,
        "http_429s_global": stats["global_429s"],
        "http_429s_bucket": stats["bucket_429s"],
        "requests": stats["requests"],
        "new_report_to_last_post_seconds": round(finished - started, 2),
        "note": "from the report being stored to the last channel posted; the poll interval adds at most "
        "POLL_INTERVAL_SECONDS before that",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(asyncio.run(main(args.channels)), indent=2))
