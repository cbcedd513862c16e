"""The real bot over the real seed reports (../shared/seeds) ingested into a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.ingest import ingest_bytes
from tests.conftest import SEEDS, needs_shared
from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import assert_within_limits, running_bot, settings_for

pytestmark = [needs_shared, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fake(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FakeDiscord]:
    tmp: Path = tmp_path_factory.mktemp("seeds")
    async with FakeDiscord() as server, running_bot(settings_for(server, tmp)) as bot:
        for path in sorted(SEEDS.glob("*.txt")):
            await ingest_bytes(bot.sessions, path.read_bytes(), name=path.name, url=None)
        yield server
    assert_within_limits(server)


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def test_decisions_2013_with_tallies(fake: FakeDiscord) -> None:
    ix = await fake.invoke("decisions", {"year": "2013"}, user=fake.member)
    text = text_of(await ix.answer())
    assert "14 to 10" in text
    assert "2013-" in text


async def test_who_ann_black(fake: FakeDiscord) -> None:
    ix = await fake.invoke("who", {"name": "Ann Black"}, user=fake.member)
    answer = await ix.answer()
    assert answer["embeds"][0]["title"] == "Ann Black"


async def test_meeting_autocomplete_march_2022(fake: FakeDiscord) -> None:
    choices = await fake.autocomplete("meeting", "date", "march 2022", user=fake.member)
    assert "2022-03-29" in [c["value"] for c in choices]


async def test_hostile_search(fake: FakeDiscord) -> None:
    ix = await fake.invoke("search", {"query": '"AND('}, user=fake.member)
    assert (await ix.answer())["embeds"]
