"""End-to-end ingest benchmark: a folder of invented plain-text reports through `necdigest ingest`'s
own code path (read, parse, store; 16 reports to a transaction), on SQLite and PostgreSQL. The
corpus is 10,000 reports by default, DESIGN.md §7's scale.

Prints one JSON object. `--workers 0` parses in the main process (in worker threads, beside the
thread that stores); run it under `taskset -c 0` to hold everything to one core, DESIGN.md §7's
condition. `--workers N` parses in N processes while the main process stores; by default it runs
with none and with `necdigest ingest`'s default (usable cores but one). Each run also gives
the main process's CPU time per report, a steadier figure than the rate on a shared machine.

    taskset -c 0 python -m bench.bench_ingest --workers 0 [--reports 10000] [--pg postgresql+asyncpg://...]
    python -m bench.bench_ingest [--reports 10000] [--workers 0 1 2] [--pg postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pgschema import private_schema
from bench.synthetic import synthetic_texts
from bot.ingest import ingest_targets
from bot.settings import Settings, usable_cpus
from storage.db import create_engine, make_sessionmaker, upgrade


async def run_one(url: str, folder: Path, *, schema: str | None, workers: int) -> dict[str, Any]:
    await upgrade(url, schema=schema)
    engine = create_engine(url, schema=schema)
    sessions = make_sessionmaker(engine)
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = await ingest_targets(sessions, [str(folder)], settings=Settings(ingest_workers=workers), progress=False)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    await engine.dispose()
    statuses = {status: summary.count(status) for status in ("added", "updated", "skipped", "failed")}
    return {
        "database": engine.dialect.name,
        "parser_processes": workers,
        "reports": len(summary.outcomes),
        "outcomes": statuses,
        "seconds": round(elapsed, 2),
        "reports_per_s": round(len(summary.outcomes) / elapsed, 1),
        # CPU time of this process (every thread; not the parser processes') per report.
        "cpu_ms_per_report": round(cpu / len(summary.outcomes) * 1000, 2),
    }


async def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--reports", type=int, default=10_000)
    options.add_argument("--workers", type=int, nargs="+", default=sorted({0, usable_cpus() - 1}))
    options.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"))
    args = options.parse_args()
    output: dict[str, Any] = {
        "benchmark": "ingest",
        "target_reports_per_s": 100,
        "cpus": os.cpu_count(),
        # 1 under `taskset -c 0`, which holds the whole run (threads included) to one core.
        "cpus_allowed": usable_cpus(),
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        sizes = []
        for i, body in enumerate(synthetic_texts(args.reports)):
            (folder / f"report-{i:05}.txt").write_text(body, encoding="utf-8")
            sizes.append(len(body.encode()))
        output["mean_report_kb"] = round(sum(sizes) / len(sizes) / 1000, 1)
        for run, workers in enumerate(args.workers):
            url = f"sqlite+aiosqlite:///{tmp}/ingest-{run}.sqlite3"
            output["runs"].append(await run_one(url, folder, schema=None, workers=workers))
            if args.pg:
                async with private_schema(args.pg) as schema:
                    output["runs"].append(await run_one(args.pg, folder, schema=schema, workers=workers))
    print(json.dumps(output, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
