"""Server admins manage followed sources with /source on the fake Discord; members cannot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.fake_discord import CommandHidden, FakeDiscord
from tests.fake_discord.harness import assert_within_limits, running_bot, settings_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

FEED = "https://reports.example.org/nec/feed.xml"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fake(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FakeDiscord]:
    tmp: Path = tmp_path_factory.mktemp("sources")
    async with FakeDiscord() as fake, running_bot(settings_for(fake, tmp)):
        yield fake
    assert_within_limits(fake)


def _text(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


async def test_admin_adds_lists_and_removes_a_source(fake: FakeDiscord) -> None:
    added = await fake.invoke("source", {"url": FEED}, subcommand="add", user=fake.admin)
    answer = await added.answer()
    assert added.ephemeral
    assert "Following source #" in answer["content"] and FEED in answer["content"]
    assert "only reports published from now on" in answer["content"].lower()

    listing = await fake.invoke("source", subcommand="list", user=fake.admin)
    assert FEED in _text(await listing.answer())

    again = await fake.invoke("source", {"url": FEED}, subcommand="add", user=fake.admin)
    assert "already followed" in (await again.answer())["content"]

    source_id = int(answer["content"].split("#", 1)[1].split(":", 1)[0])
    removed = await fake.invoke("source", {"source": source_id}, subcommand="remove", user=fake.admin)
    await removed.answer()
    listing = await fake.invoke("source", subcommand="list", user=fake.admin)
    assert FEED not in _text(await listing.answer())


async def test_a_source_must_be_a_web_address(fake: FakeDiscord) -> None:
    ix = await fake.invoke("source", {"url": "ftp://files.example.org/nec"}, subcommand="add", user=fake.admin)
    answer = await ix.answer()
    assert ix.ephemeral and "https://" in answer["content"]


async def test_members_cannot_manage_sources(fake: FakeDiscord) -> None:
    with pytest.raises(CommandHidden):
        await fake.invoke("source", subcommand="list", user=fake.member)
    ix = await fake.invoke("source", subcommand="list", user=fake.member, respect_default_permissions=False)
    assert "Manage Server" in (await ix.wait_callback())["data"]["content"]
