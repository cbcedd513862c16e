"""The ingest service over files and folders, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest

from bot.ingest import ingest_bytes, ingest_targets
from bot.settings import Settings
from storage import queries
from tests.conftest import SEEDS, needs_shared
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)

INVENTED = """Northshire Executive report – 14 January 2025

By Priya Castellano

General Secretary's report
Tomas Varga reported that membership in Northshire rose by 4% this quarter.

Boundaries
The committee agreed new ward boundaries for Eastmere by 12 votes to 7.
"""


async def test_batch_goes_on_past_binary_and_missing_inputs(db: Database, tmp_path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(INVENTED, encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    summary = await ingest_targets(
        db.sessions, [str(binary), str(tmp_path / "missing.txt"), str(good)], settings=Settings(), progress=False
    )
    statuses = {o.target.rsplit("/", 1)[-1]: (o.status, o.reason) for o in summary.outcomes}
    assert statuses["image.txt"][0] == "failed" and "binary" in (statuses["image.txt"][1] or "")
    assert statuses["missing.txt"] == ("failed", "no such file or folder")
    assert statuses["good.txt"][0] == "added"


async def test_a_folder_parsed_in_this_process_keeps_each_files_outcome_in_order(db: Database, tmp_path) -> None:
    """Files parsed a group's worth at a time in one thread: outcomes stay in input order, and a bad
    file in the middle of a run costs only itself."""
    from bot.ingest import STORE_GROUP

    count = STORE_GROUP * 2 + 3
    for day in range(1, count + 1):
        text = INVENTED.replace("14 January 2025", f"{day} March 2021").replace("4%", f"{day + 10}%")
        (tmp_path / f"r{day:02}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "r07.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / f"r{STORE_GROUP + 2:02}.txt").write_text("", encoding="utf-8")
    summary = await ingest_targets(db.sessions, [str(tmp_path)], settings=Settings(ingest_workers=0), progress=False)

    names = [o.target.rsplit("/", 1)[-1] for o in summary.outcomes]
    assert names == [f"r{day:02}.txt" for day in range(1, count + 1)]
    failed = {name for name, o in zip(names, summary.outcomes, strict=True) if o.status == "failed"}
    assert failed == {"r07.txt", f"r{STORE_GROUP + 2:02}.txt"}
    assert summary.count("added") == count - 2


async def test_folder_is_walked_recursively_for_report_files(db: Database, tmp_path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "r.md").write_text(INVENTED, encoding="utf-8")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF-1.4")
    summary = await ingest_targets(db.sessions, [str(tmp_path)], settings=Settings(), progress=False)
    assert [(o.target.endswith("r.md"), o.status) for o in summary.outcomes] == [(True, "added")]


async def test_empty_upload_fails_with_reason(db: Database) -> None:
    outcome = await ingest_bytes(db.sessions, b"   \n", name="upload.txt", url=None)
    assert outcome.status == "failed" and outcome.reason == "empty input"


@needs_shared
async def test_ingesting_seeds_twice_leaves_counts_unchanged(db: Database) -> None:
    first = await ingest_targets(db.sessions, [str(SEEDS)], settings=Settings(), progress=False)
    assert first.count("added") == 5
    async with db.sessions.begin() as session:
        before = await queries.stats(session)
    second = await ingest_targets(db.sessions, [str(SEEDS)], settings=Settings(), progress=False)
    assert second.count("skipped") == 5
    async with db.sessions.begin() as session:
        after = await queries.stats(session)
    assert after == before
    assert (before.reports, before.meetings) == (5, 5)


async def test_large_folder_is_parsed_in_worker_processes_and_stored_in_order(db: Database, tmp_path) -> None:
    from digests.parser import parse_report

    expected_decisions = 0
    for day in range(1, 21):
        text = INVENTED.replace("14 January 2025", f"{day} March 2024").replace("4%", f"{day}%")
        text = text.replace("12 votes to 7", f"{day + 10} votes to {day}")
        (tmp_path / f"r{day:02}.txt").write_text(text, encoding="utf-8")
        expected_decisions += len(parse_report(text.encode(), name=f"r{day:02}.txt").decisions)
    (tmp_path / "r10b.txt").write_bytes(b"\x00\x01binary" * 50)
    settings = Settings(ingest_workers=2)

    summary = await ingest_targets(db.sessions, [str(tmp_path)], settings=settings, progress=False)

    names = [o.target.rsplit("/", 1)[-1] for o in summary.outcomes]
    assert names == sorted(names) and len(names) == 21
    statuses = {name: o.status for name, o in zip(names, summary.outcomes, strict=True)}
    assert statuses.pop("r10b.txt") == "failed"
    assert set(statuses.values()) == {"added"}
    async with db.sessions.begin() as session:
        stats = await queries.stats(session)
        march = await queries.decisions(session, year=2024, limit=100)
    assert (stats.reports, stats.meetings, stats.decisions) == (20, 20, expected_decisions)
    assert {d.tally for d in march.items} >= {"11 to 1", "30 to 20"}


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is a Linux call")
def test_parser_processes_by_default_one_per_usable_core_but_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("INGEST_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert Settings(_env_file=None).ingest_workers == 0  # one core: parsing takes turns with storing anyway
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    assert Settings(_env_file=None).ingest_workers == 3


def test_parser_processes_only_for_batches_worth_their_start_up() -> None:
    from bot.ingest import PARALLEL_MIN_FILES, _parse_workers

    assert _parse_workers(Settings(ingest_workers=4), PARALLEL_MIN_FILES - 1) == 0
    assert _parse_workers(Settings(ingest_workers=4), PARALLEL_MIN_FILES) == 1
    assert _parse_workers(Settings(ingest_workers=4), 10 * PARALLEL_MIN_FILES) == 4
    assert _parse_workers(Settings(ingest_workers=0), 10 * PARALLEL_MIN_FILES) == 0


async def test_files_are_still_ingested_when_parser_processes_cannot_run(db: Database, tmp_path, monkeypatch) -> None:
    import contextlib
    from concurrent.futures import ThreadPoolExecutor

    import bot.ingest

    @contextlib.contextmanager
    def dead_pool(workers: int):  # type: ignore[no-untyped-def]
        pool = ThreadPoolExecutor(1)
        pool.shutdown()  # every submit now raises RuntimeError, as a broken process pool does
        yield pool

    monkeypatch.setattr(bot.ingest, "_parser_pool", dead_pool)
    for day in range(1, 18):
        text = INVENTED.replace("14 January 2025", f"{day} June 2023").replace("4%", f"{day + 20}%")
        (tmp_path / f"r{day:02}.txt").write_text(text, encoding="utf-8")

    summary = await ingest_targets(db.sessions, [str(tmp_path)], settings=Settings(ingest_workers=2), progress=False)

    assert summary.count("added") == 17 and summary.count("failed") == 0


async def test_a_report_that_cannot_be_stored_costs_only_itself_in_a_bulk_ingest(
    db: Database, tmp_path, monkeypatch
) -> None:
    """Files are stored in groups; a group that fails is stored again one report at a time."""
    from sqlalchemy.exc import IntegrityError

    import storage.ingest
    from bot.ingest import STORE_GROUP

    for day in range(1, STORE_GROUP + 5):
        text = INVENTED.replace("14 January 2025", f"{day} May 2022").replace("4%", f"{day + 40}%")
        (tmp_path / f"r{day:02}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "r03.txt").write_text(INVENTED.replace("14 January 2025", "1 May 2022"), encoding="utf-8")
    real_store = storage.ingest._store

    def clashes_on_the_fifth(conn, parsed, url, source_id, *rest):  # type: ignore[no-untyped-def]
        if parsed.meeting_date is not None and parsed.meeting_date.day == 5:
            raise IntegrityError("INSERT", {}, Exception("another ingest stored it first"))
        return real_store(conn, parsed, url, source_id, *rest)

    monkeypatch.setattr(storage.ingest, "_store", clashes_on_the_fifth)
    summary = await ingest_targets(db.sessions, [str(tmp_path)], settings=Settings(ingest_workers=0), progress=False)

    names = [o.target.rsplit("/", 1)[-1] for o in summary.outcomes]
    assert names == [f"r{day:02}.txt" for day in range(1, STORE_GROUP + 5)]
    statuses = {name: o.status for name, o in zip(names, summary.outcomes, strict=True)}
    assert statuses.pop("r05.txt") == "failed"
    # r03 has r01's 1 May date but a different text body, so it is its own report.
    assert set(statuses.values()) == {"added"}
    async with db.sessions.begin() as session:
        stats = await queries.stats(session)
    assert stats.reports == STORE_GROUP + 3
