"""The ingest service: files, folders, web pages and feeds in, one transaction per report."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import feedparser
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tqdm import tqdm

from bot.fetch import FetchResult, fetch
from bot.settings import Settings
from digests.errors import UserFacingError
from digests.model import ParsedReport
from digests.parser import parse_report
from digests.views import IngestOutcome, IngestSummary
from storage.ingest import PreparedReport, commit_report, commit_reports, prepare_report

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
MAX_FILE_BYTES = 10_000_000
PROGRESS_MIN_INPUTS = 4
# Feed entries shorter than this are teasers: the full report is fetched from the entry's link.
FULL_ENTRY_CHARS = 1500
# Below this many files, starting parser processes costs more than it saves.
PARALLEL_MIN_FILES = 16
# Parsed files stored per transaction in a bulk ingest (group commit): about 60 ms of writing,
# so other writers (the poller, admin commands) never wait long for the database.
STORE_GROUP = 16


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


def _looks_like_feed(result: FetchResult) -> bool:
    kind = (result.content_type or "").lower()
    if any(t in kind for t in ("rss", "atom", "/xml", "+xml")) and "xhtml" not in kind:
        return True
    head = result.body[:500].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed")) and b"<html" not in result.body[:2000].lower()


def _unreadable(data: bytes, name: str) -> IngestOutcome | None:
    """Why `data` cannot be a report, before any parsing."""
    if not data.strip():
        return IngestOutcome(name, "failed", "empty input")
    if _binary(data):
        return IngestOutcome(name, "failed", "binary data, not a text or HTML report")
    return None


def parse_for_storage(data: bytes, name: str) -> PreparedReport:
    """Parse and fingerprint one report: everything a parser process can do before it is stored."""
    return prepare_report(parse_report(data, name=name))


def _parse_failure(exc: Exception, name: str) -> IngestOutcome:
    if isinstance(exc, UserFacingError):
        return IngestOutcome(name, "failed", str(exc))
    log.error("parser failed on %s", name, exc_info=exc)
    return IngestOutcome(name, "failed", "the parser could not read it (logged)")


def _parse_here(data: bytes, name: str) -> ParsedReport | IngestOutcome:
    """The parsed report, or why it failed, parsed in the calling thread (never the event loop's)."""
    refused = _unreadable(data, name)
    if refused is not None:
        return refused
    try:
        return parse_report(data, name=name)
    except Exception as exc:
        return _parse_failure(exc, name)


async def _parse(data: bytes, name: str, pool: Executor | None) -> ParsedReport | PreparedReport | IngestOutcome:
    """The parsed report, or why it failed; parsing runs off the event loop (a thread, or `pool`)."""
    if pool is not None and _unreadable(data, name) is None:
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, parse_for_storage, data, name)
        except RuntimeError:  # BrokenProcessPool among others: a worker died or could not start
            log.warning("parser process failed on %s; parsing it in this process instead", name, exc_info=True)
        except Exception as exc:
            return _parse_failure(exc, name)
    return await asyncio.to_thread(_parse_here, data, name)


async def _store(
    sessions: async_sessionmaker[AsyncSession],
    parsed: ParsedReport | PreparedReport,
    *,
    name: str,
    url: str | None,
    source_id: int | None,
) -> IngestOutcome:
    for attempt in (1, 2):
        try:
            outcome = await commit_report(sessions, parsed, url=url, source_id=source_id)
            break
        except IntegrityError:
            # Two ingests raced on the same report; the second attempt sees the first one's row.
            if attempt == 2:
                log.exception("could not store %s", name)
                return IngestOutcome(name, "failed", "a conflicting copy was being stored at the same time")
    return dataclasses.replace(outcome, target=name)


async def ingest_bytes(
    sessions: async_sessionmaker[AsyncSession],
    data: bytes,
    *,
    name: str,
    url: str | None,
    source_id: int | None = None,
) -> IngestOutcome:
    """Parse one report (in a worker thread) and store it in a transaction of its own."""
    parsed = await _parse(data, name, None)
    if isinstance(parsed, IngestOutcome):
        return parsed
    return await _store(sessions, parsed, name=name, url=url, source_id=source_id)


def _files_of(target: str) -> Iterator[tuple[str, Path | None, str | None]]:
    path = Path(target)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        if not found:
            yield target, None, "folder holds no .txt, .md or .html files"
        for file in found:
            yield str(file), file, None
    elif path.is_file():
        yield target, path, None
    else:
        yield target, None, "no such file or folder"


def _list_files(target: str) -> list[tuple[str, Path | None, str | None]]:
    return list(_files_of(target))


def _read_file(name: str, path: Path) -> bytes | IngestOutcome:
    """The file's bytes, or why they cannot be had (blocking: call it off the event loop)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return IngestOutcome(name, "failed", f"file is larger than the {MAX_FILE_BYTES // 1_000_000} MB limit")
        return path.read_bytes()
    except OSError as exc:
        return IngestOutcome(name, "failed", f"cannot read the file ({exc.strerror or type(exc).__name__})")


_FileParse = ParsedReport | PreparedReport | IngestOutcome


def _read_and_parse_here(files: list[tuple[str, Path]]) -> list[_FileParse]:
    """Each file read and parsed in the calling thread (never the event loop's), in order."""
    parses: list[_FileParse] = []
    for name, path in files:
        data = _read_file(name, path)
        parses.append(data if isinstance(data, IngestOutcome) else _parse_here(data, name))
    return parses


async def _read_and_parse(name: str, path: Path, pool: Executor) -> list[_FileParse]:
    data = await asyncio.to_thread(_read_file, name, path)
    return [data if isinstance(data, IngestOutcome) else await _parse(data, name, pool)]


def _parse_workers(settings: Settings, files: int) -> int:
    """Worker processes for parsing a batch of files: none (a thread) for a handful of files."""
    if files < PARALLEL_MIN_FILES:
        return 0
    return min(settings.ingest_workers, files // PARALLEL_MIN_FILES)


@contextlib.contextmanager
def _parser_pool(workers: int) -> Iterator[Executor | None]:
    if workers <= 0:
        yield None
        return
    # spawn, not fork: the parent runs an event loop and database threads that a fork would copy.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


class _FileParses:
    """Parses of the batch's files. With parser processes, each file's parse is started ahead of
    the one being stored so that storing and parsing overlap (bounded, so a large folder is never
    held in memory at once). Without, files are read and parsed a group's worth per trip to a worker
    thread, when the first of them is needed: on one core each trip costs a few hundred microseconds,
    more than reading a file."""

    def __init__(self, files: list[tuple[str, Path]], pool: Executor | None, workers: int) -> None:
        self._files = files
        self._pool = pool
        # Parsers keep working while a whole group is stored.
        self._ahead = STORE_GROUP + 2 * workers if pool is not None else 0
        # File index -> the task parsing it (with others, in the thread's case) and its place there.
        self._tasks: dict[int, tuple[asyncio.Task[list[_FileParse]], int]] = {}
        self._next = 0

    def _start_until(self, index: int) -> None:
        while self._next <= min(index, len(self._files) - 1):
            if self._pool is None:
                files = self._files[self._next : self._next + STORE_GROUP]
                task = asyncio.create_task(asyncio.to_thread(_read_and_parse_here, files))
            else:
                files = self._files[self._next : self._next + 1]
                task = asyncio.create_task(_read_and_parse(*files[0], self._pool))
            for place in range(len(files)):
                self._tasks[self._next + place] = (task, place)
            self._next += len(files)

    async def result(self, index: int) -> _FileParse:
        self._start_until(index + self._ahead)
        task, place = self._tasks.pop(index)
        return (await task)[place]

    def cancel(self) -> None:
        for task, _ in self._tasks.values():
            task.cancel()


class _StoreGroup:
    """Outcomes of a bulk ingest in input order, parsed files stored STORE_GROUP to a transaction.

    A group that fails to commit (a race with another ingest, say) is stored again one report per
    transaction, so one bad report never costs the others theirs.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], summary: IngestSummary, bar: tqdm[Any]) -> None:
        self._sessions = sessions
        self._summary = summary
        self._bar = bar
        self._slots: list[IngestOutcome | tuple[str, ParsedReport | PreparedReport]] = []
        self._parsed = 0

    async def add(self, item: IngestOutcome | tuple[str, ParsedReport | PreparedReport]) -> None:
        self._slots.append(item)
        if not isinstance(item, IngestOutcome):
            self._parsed += 1
            if self._parsed >= STORE_GROUP:
                await self.flush()

    async def flush(self) -> None:
        pending = [item for item in self._slots if not isinstance(item, IngestOutcome)]
        stored = iter(await self._store(pending))
        for item in self._slots:
            self._summary.outcomes.append(item if isinstance(item, IngestOutcome) else next(stored))
            self._bar.update(1)
        self._slots.clear()
        self._parsed = 0

    async def _store(self, pending: list[tuple[str, ParsedReport | PreparedReport]]) -> list[IngestOutcome]:
        if len(pending) > 1:
            try:
                outcomes = await commit_reports(self._sessions, [(parsed, None, None) for _, parsed in pending])
            except Exception:  # any failure: one by one, each report's error is then its own (as without groups)
                log.info("storing a group of %d reports failed; storing them one by one", len(pending), exc_info=True)
            else:
                return [dataclasses.replace(out, target=name) for (name, _), out in zip(pending, outcomes, strict=True)]
        return [await _store(self._sessions, parsed, name=name, url=None, source_id=None) for name, parsed in pending]


def _entry_html(entry: Any) -> str:
    for item in entry.get("content") or []:
        value = item.get("value")
        if value:
            return str(value)
    return str(entry.get("summary") or "")


async def ingest_feed(
    sessions: async_sessionmaker[AsyncSession],
    result: FetchResult,
    *,
    settings: Settings,
    source_id: int | None = None,
) -> list[IngestOutcome]:
    """Every entry of a fetched RSS/Atom feed: its content when full, else the page it links to."""
    feed = await asyncio.to_thread(feedparser.parse, result.body)
    if not feed.entries:
        return [IngestOutcome(result.final_url, "failed", "not a feed, or a feed with no entries")]
    outcomes = []
    for entry in feed.entries:
        link = entry.get("link")
        name = str(link or entry.get("id") or entry.get("title") or result.final_url)
        html = _entry_html(entry)
        try:
            if len(html) < FULL_ENTRY_CHARS and link:
                page = await fetch(str(link), allow_private=settings.allow_private_urls)
                data, url = page.body, page.final_url
            else:
                title = str(entry.get("title") or "")
                data, url = f"<html><head><title>{title}</title></head><body>{html}</body></html>".encode(), link
        except UserFacingError as exc:
            outcomes.append(IngestOutcome(name, "failed", str(exc)))
            continue
        outcome = await ingest_bytes(sessions, data, name=str(url or name) + ".html", url=url, source_id=source_id)
        outcomes.append(dataclasses.replace(outcome, target=name))
    return outcomes


async def ingest_url(
    sessions: async_sessionmaker[AsyncSession], url: str, *, settings: Settings, source_id: int | None = None
) -> list[IngestOutcome]:
    """A web page (one report) or a feed (one report per entry)."""
    try:
        result = await fetch(url, allow_private=settings.allow_private_urls)
    except UserFacingError as exc:
        return [IngestOutcome(url, "failed", str(exc))]
    if _looks_like_feed(result):
        return await ingest_feed(sessions, result, settings=settings, source_id=source_id)
    outcome = await ingest_bytes(
        sessions, result.body, name=result.final_url, url=result.final_url, source_id=source_id
    )
    return [dataclasses.replace(outcome, target=url)]


async def ingest_targets(
    sessions: async_sessionmaker[AsyncSession], targets: list[str], *, settings: Settings, progress: bool
) -> IngestSummary:
    """Ingest files, folders, pages and feeds; a bad input is recorded as failed and the batch goes on.

    Files are parsed in worker processes when there are many (`INGEST_WORKERS`) and stored in the
    order given, STORE_GROUP to a transaction; a group that fails is stored again one report per
    transaction, so a bad report fails alone.
    """
    work: list[tuple[str, Path | None, str | None]] = []
    for target in targets:
        if _is_url(target):
            work.append((target, None, None))
        else:
            work.extend(await asyncio.to_thread(_list_files, target))
    files = [(name, path) for name, path, problem in work if path is not None and problem is None]
    summary = IngestSummary()
    bar = tqdm(
        total=len(work), file=sys.stderr, unit="input", disable=not (progress and len(work) >= PROGRESS_MIN_INPUTS)
    )
    workers = _parse_workers(settings, len(files))
    with _parser_pool(workers) as pool:
        parses = _FileParses(files, pool, workers)
        group = _StoreGroup(sessions, summary, bar)
        files_done = 0
        try:
            for name, path, problem in work:
                if problem is not None:
                    await group.add(IngestOutcome(name, "failed", problem))
                elif path is not None:
                    parsed = await parses.result(files_done)
                    files_done += 1
                    await group.add(parsed if isinstance(parsed, IngestOutcome) else (name, parsed))
                else:
                    await group.flush()
                    summary.outcomes.extend(await ingest_url(sessions, name, settings=settings))
                    bar.update(1)
            await group.flush()
        finally:
            parses.cancel()
            bar.close()
    return summary
