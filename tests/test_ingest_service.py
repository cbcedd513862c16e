"""The ingest service over files and folders, on SQLite and PostgreSQL."""

from __future__ import annotations

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
