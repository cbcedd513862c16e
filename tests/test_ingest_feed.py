"""Feed ingest from a local server: full entries stored, teaser entries fetched from their link."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.ingest import ingest_targets
from bot.settings import Settings
from tests.storage_support import Database

pytest_plugins = ("tests.storage_support",)

FULL = (
    "<p>"
    + "</p><p>".join(
        [
            "Northshire Executive report – 14 January 2025. By Priya Castellano.",
            "Tomas Varga reported that membership in Northshire rose by 4% this quarter.",
            *(
                f"Item {i}: the committee discussed the Westbury plan for ward {i} and noted progress."
                for i in range(20)
            ),
            "The committee agreed new ward boundaries for Eastmere by 12 votes to 7.",
        ]
    )
    + "</p>"
)
LINKED = (
    "<html><head><title>Northshire Executive report – 11 March 2025</title></head><body><article>"
    "<h1>Northshire Executive report – 11 March 2025</h1><p>By Desmond Achterberg</p>"
    + "".join(f"<p>Point {i}: Marta Oyelaran presented the Harrowfield budget line {i}.</p>" for i in range(25))
    + "</article></body></html>"
)


def feed_xml(base: str) -> str:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Northshire reports</title><link>{base}/</link>
<item><title>January report</title><link>{base}/jan</link><description><![CDATA[{FULL}]]></description></item>
<item><title>March report</title><link>{base}/mar</link><description>Read more...</description></item>
</channel></rss>"""


def respond(make_text, content_type: str):  # type: ignore[no-untyped-def]
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=make_text(), content_type=content_type)

    return handler


@pytest.fixture
async def server() -> AsyncIterator[str]:
    base: list[str] = []
    app = web.Application()
    app.router.add_get("/feed.xml", respond(lambda: feed_xml(base[0]), "application/rss+xml"))
    app.router.add_get("/mar", respond(lambda: LINKED, "text/html"))
    app.router.add_get("/notafeed.xml", respond(lambda: "<?xml version='1.0'?><x/>", "text/xml"))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base.append(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}")  # type: ignore[union-attr]
    yield base[0]
    await runner.cleanup()


async def test_feed_entries_are_ingested_once(db: Database, server: str) -> None:
    settings = Settings(allow_private_urls=True)
    first = await ingest_targets(db.sessions, [f"{server}/feed.xml"], settings=settings, progress=False)
    assert [o.status for o in first.outcomes] == ["added", "added"], first.outcomes
    assert first.outcomes[1].target.endswith("/mar")
    again = await ingest_targets(db.sessions, [f"{server}/feed.xml"], settings=settings, progress=False)
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"]


async def test_feed_url_refused_when_private_not_allowed(db: Database, server: str) -> None:
    summary = await ingest_targets(db.sessions, [f"{server}/feed.xml"], settings=Settings(), progress=False)
    assert summary.count("failed") == 1 and "private" in (summary.outcomes[0].reason or "")


async def test_xml_that_is_not_a_feed_fails_cleanly(db: Database, server: str) -> None:
    settings = Settings(allow_private_urls=True)
    summary = await ingest_targets(db.sessions, [f"{server}/notafeed.xml"], settings=settings, progress=False)
    assert [o.status for o in summary.outcomes] == ["failed"]
