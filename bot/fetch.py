"""HTTP fetch for reports and feeds: conditional GET, size and time limits, redirect limit, SSRF guard."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from digests.errors import UserFacingError

log = logging.getLogger(__name__)

USER_AGENT = "NEC-Digest/0.1 (+https://github.com/; reports of Labour NEC meetings)"
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(UserFacingError):
    """A URL that cannot be fetched, with a one-line reason safe to show."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    final_url: str
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


async def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse URLs that are not http(s), or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"Only http and https URLs can be fetched: {url[:200]}")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchError(f"Cannot resolve the host {parts.hostname[:100]}.") from None
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise FetchError(
                f"Refusing to fetch {parts.hostname[:100]}: it is a private or local address "
                "(set ALLOW_PRIVATE_URLS=true for local mirrors)."
            )


async def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool,
    max_bytes: int = 10_000_000,
    timeout: float = 20,  # noqa: ASYNC109 - the whole fetch's budget, applied by aiohttp
    max_redirects: int = 5,
) -> FetchResult:
    """GET `url` (conditionally when `etag`/`last_modified` are given), checking every redirect hop."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml, application/xml, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    current = url
    try:
        async with aiohttp.ClientSession(timeout=client_timeout) as http:
            for _hop in range(max_redirects + 1):
                await check_url(current, allow_private=allow_private)
                async with http.get(current, headers=headers, allow_redirects=False) as response:
                    if response.status in REDIRECTS:
                        location = response.headers.get("Location")
                        if not location:
                            raise FetchError(f"{current[:200]} redirected without a Location.")
                        current = urljoin(current, location)
                        continue
                    if response.status == 304:
                        return FetchResult(304, b"", etag, last_modified, current, None)
                    if response.status >= 400:
                        raise FetchError(f"{current[:200]} answered HTTP {response.status}.")
                    declared = response.content_length
                    if declared is not None and declared > max_bytes:
                        raise FetchError(f"{current[:200]} is larger than the {max_bytes // 1_000_000} MB limit.")
                    chunks: list[bytes] = []
                    total = 0
                    async for chunk in response.content.iter_chunked(65536):
                        total += len(chunk)
                        if total > max_bytes:
                            raise FetchError(f"{current[:200]} is larger than the {max_bytes // 1_000_000} MB limit.")
                        chunks.append(chunk)
                    return FetchResult(
                        response.status,
                        b"".join(chunks),
                        response.headers.get("ETag"),
                        response.headers.get("Last-Modified"),
                        current,
                        response.headers.get("Content-Type"),
                    )
            raise FetchError(f"{url[:200]} redirected more than {max_redirects} times.")
    except TimeoutError:
        raise FetchError(f"{current[:200]} did not answer within {timeout:g} seconds.") from None
    except aiohttp.ClientError as exc:
        log.info("fetch of %s failed: %r", current, exc)
        raise FetchError(f"Could not fetch {current[:200]} ({type(exc).__name__}).") from None
