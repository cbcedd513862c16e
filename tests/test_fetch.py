"""bot.fetch against a local aiohttp server: conditional GET, size cap, redirects, private addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.fetch import FetchError, fetch

ETAG = '"v1"'


async def page(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == ETAG:
        return web.Response(status=304)
    return web.Response(text="<html><body>report</body></html>", content_type="text/html", headers={"ETag": ETAG})


async def huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(64):
        await response.write(b"x" * 65536)
    return response


async def loop_redirect(request: web.Request) -> web.Response:
    hop = int(request.match_info["n"])
    raise web.HTTPFound(f"/hop/{hop + 1}")


async def to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound("/page")


async def gone(request: web.Request) -> web.Response:
    return web.Response(status=404)


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/page", page)
    app.router.add_get("/huge", huge)
    app.router.add_get("/hop/{n}", loop_redirect)
    app.router.add_get("/gone", gone)
    app.router.add_get("/to-page", to_page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_conditional_get_returns_not_modified(server: str) -> None:
    first = await fetch(f"{server}/page", allow_private=True)
    assert first.status == 200 and b"report" in first.body and first.etag == ETAG
    second = await fetch(f"{server}/page", etag=first.etag, allow_private=True)
    assert second.not_modified and second.body == b""


async def test_body_over_the_cap_is_refused(server: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        await fetch(f"{server}/huge", allow_private=True, max_bytes=1_000_000)


async def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    followed = await fetch(f"{server}/to-page", allow_private=True)
    assert followed.final_url.endswith("/page")
    with pytest.raises(FetchError, match="redirected more than 3 times"):
        await fetch(f"{server}/hop/0", allow_private=True, max_redirects=3)


async def test_private_address_refused_unless_allowed(server: str) -> None:
    with pytest.raises(FetchError, match="private or local"):
        await fetch(f"{server}/page", allow_private=False)
    for url in ("http://10.0.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://0.0.0.0/"):
        with pytest.raises(FetchError, match="private or local"):
            await fetch(url, allow_private=False)


async def test_bad_scheme_and_http_errors_are_one_line(server: str) -> None:
    with pytest.raises(FetchError, match="Only http and https"):
        await fetch("file:///etc/passwd", allow_private=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        await fetch(f"{server}/gone", allow_private=True)
