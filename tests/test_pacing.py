"""The global pacer: never more than the limit in any second as Discord counts, on a controllable clock,
on the rate-limited fake REST through discord.py's real HTTP client, and wired into the real bot."""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import discord.http
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yarl import URL

from bot.digest_service import DiscordPoster
from bot.pacing import GlobalPacer, counts_against_global_limit
from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import running_bot, settings_for
from tests.ratelimited_rest import GLOBAL_PER_SECOND, RateLimitedRest, RestOnlyBot


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def most_in_any_window(times: list[float], window: float = 1.0) -> int:
    """The largest number of `times` inside one half-open span (t - window, t], as the fake counts."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


def test_a_slot_frees_a_window_after_the_answer_not_after_the_send() -> None:
    clock = Clock()
    pacer = GlobalPacer(limit=3, window=1.0, clock=clock)
    assert [pacer.try_acquire() for _ in range(4)] == [True, True, True, False]
    clock.now = 5.0
    assert not pacer.try_acquire(), "requests still in flight hold their slots however long they take"
    pacer.release()
    assert pacer.free_at() == 6.0
    clock.now = 5.999
    assert not pacer.try_acquire()
    clock.now = 6.0
    assert pacer.try_acquire()
    assert pacer.held() == 3 and pacer.requests == 4


def test_release_without_acquire_is_a_bug() -> None:
    with pytest.raises(RuntimeError):
        GlobalPacer().release()


@settings(max_examples=150, deadline=None)
@given(
    limit=st.integers(1, 8),
    requests=st.lists(
        st.tuples(
            st.floats(0, 0.5),  # gap before the request is wanted
            st.floats(0.001, 3.0),  # round trip
            st.floats(0, 1),  # where in the round trip the server counts it
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_the_server_never_counts_more_than_the_limit_in_any_second(
    limit: int, requests: list[tuple[float, float, float]]
) -> None:
    """Whatever the delays, and wherever between send and answer the server counts a request."""
    clock = Clock()
    pacer = GlobalPacer(limit=limit, window=1.0, clock=clock)
    answers: list[float] = []  # heap of answer times of requests in flight
    counted: list[float] = []
    wanted = 0.0
    for gap, trip, where in requests:
        wanted += gap
        clock.now = max(clock.now, wanted)
        while True:
            while answers and answers[0] <= clock.now:
                moment = heapq.heappop(answers)
                saved, clock.now = clock.now, moment
                pacer.release()
                clock.now = saved
            if pacer.try_acquire():
                break
            free_at = pacer.free_at()
            clock.now = answers[0] if free_at is None else max(clock.now, min([free_at, *answers[:1]]))
        heapq.heappush(answers, clock.now + trip)
        counted.append(clock.now + where * trip)
    assert most_in_any_window(counted) <= limit


async def test_a_waiter_is_let_through_only_after_an_answer_and_its_window() -> None:
    pacer = GlobalPacer(limit=2, window=0.05)
    await pacer.acquire()
    await pacer.acquire()
    waiter = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0.2)
    assert not waiter.done(), "no answer yet, so no slot may free, however long it has been"
    answered = time.monotonic()
    pacer.release()
    await asyncio.wait_for(waiter, 5)
    assert time.monotonic() - answered >= 0.05
    assert pacer.requests == 3


def test_interactions_webhooks_gateway_and_cdn_do_not_count() -> None:
    assert counts_against_global_limit(URL("https://discord.com/api/v10/channels/1/messages"))
    assert counts_against_global_limit(URL("http://127.0.0.1:8080/api/v10/users/@me"))
    assert not counts_against_global_limit(URL("https://discord.com/api/v10/interactions/1/tok/callback"))
    assert not counts_against_global_limit(URL("https://discord.com/api/v10/webhooks/1/tok/messages/@original"))
    assert not counts_against_global_limit(URL("wss://gateway.discord.gg/?v=10&encoding=json"))
    assert not counts_against_global_limit(URL("https://cdn.discordapp.com/attachments/1/2/report.txt"))


@pytest.fixture
async def fake_rest(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[RateLimitedRest]:
    fake = RateLimitedRest()
    monkeypatch.setattr(discord.http.Route, "BASE", await fake.start())
    yield fake
    await fake.stop()


async def burst(fake: RateLimitedRest, pacer: GlobalPacer | None, posts: int, lookups: int) -> list[object]:
    """`posts` messages to as many channels and `lookups` history reads, all at once, through discord.py;
    returns what each call returned or raised."""
    trace = pacer.trace_config() if pacer is not None else None
    http = discord.http.HTTPClient(asyncio.get_running_loop(), http_trace=trace)
    await http.static_login("test-token")
    poster = DiscordPoster(RestOnlyBot(http))  # type: ignore[arg-type]
    embed = discord.Embed(title="NEC meeting", description="x")
    try:
        sends = [poster.send(3000 + n, [embed], f"ndburst{n}p0") for n in range(posts)]
        reads = [poster.find_by_nonce(3000 + n, ["ndnothing"]) for n in range(lookups)]
        return await asyncio.gather(*sends, *reads, return_exceptions=True)
    finally:
        await http.close()


async def test_a_paced_burst_through_discord_py_draws_no_429(fake_rest: RateLimitedRest) -> None:
    pacer = GlobalPacer()
    results = await burst(fake_rest, pacer, posts=110, lookups=20)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert fake_rest.total_429s == 0
    assert most_in_any_window(fake_rest.arrivals) <= GLOBAL_PER_SECOND
    assert all(fake_rest.count(3000 + n) == 1 for n in range(110))
    assert pacer.requests == fake_rest.requests == 131  # with the login's /users/@me


async def test_the_same_burst_unpaced_is_rate_limited(fake_rest: RateLimitedRest) -> None:
    """The fake does enforce the global limit: without the pacer the burst draws global 429s (and
    discord.py gives up on a request after its fifth 429)."""
    await burst(fake_rest, None, posts=110, lookups=20)
    assert fake_rest.global_429s > 0


async def test_the_bot_paces_its_rest_requests_but_not_its_interaction_answers(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        async with running_bot(settings_for(fake, tmp_path, global_requests_per_second=7)) as bot:
            assert bot.pacer.limit == 7

            def counted() -> int:
                return sum(1 for r in fake.requests if not r.path.startswith(("/interactions/", "/webhooks/")))

            await fake.wait_until(lambda: bot.pacer.requests == counted() > 0)
            interaction = await fake.invoke("decisions", {"year": "2013"}, user=fake.member)
            await interaction.answer()
            answers = [r for r in fake.requests if r.path.startswith(("/interactions/", "/webhooks/"))]
            assert answers, "the command was answered through the interaction routes"
            await fake.wait_until(lambda: bot.pacer.requests == counted())
    finally:
        await fake.close()
