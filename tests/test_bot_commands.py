"""The real bot answers slash commands on the fake Discord, as members and admins see it.

One bot per module (logging in takes a couple of seconds); the database holds invented reports:
a 2013 meeting with a "14 to 10" vote, a 2022-03-29 meeting, and a meeting with 60 decisions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.client import NecDigestBot
from bot.tree import GENERIC_FAILURE
from digests.model import Decision, ParsedReport, PersonMention, Section, Tally
from storage import subscriptions
from storage.ingest import store_report
from tests.fake_discord import CommandHidden, FakeDiscord
from tests.fake_discord.harness import assert_within_limits, running_bot, settings_for
from tests.fake_discord.server import DEFERRED_CHANNEL_MESSAGE, EPHEMERAL, UPDATE_MESSAGE

pytestmark = pytest.mark.asyncio(loop_scope="module")

VIEW_TIMEOUT = 4.0


def invented(
    title: str, day: date, author: str, decisions: list[Decision], people: list[PersonMention], url: str
) -> ParsedReport:
    """An invented report in the parser's output shape (invented committee and people)."""
    sections = [Section("Decisions", " ".join(d.text for d in decisions) or "Nothing was decided.")]
    body = "\n\n".join(f"{s.heading}\n{s.text}" for s in sections)
    return ParsedReport(
        title=title,
        meeting_date=day,
        published=day,
        authors=[author],
        body="Labour NEC",
        sections=sections,
        decisions=decisions,
        people=people,
        topics=["rules"],
        warnings=[],
        private_details=[],
        clean_text=f"{title}\n\n{body}",
    )


def corpus() -> list[tuple[ParsedReport, str]]:
    author = PersonMention("Dana Whitfield", 2, ["Dana"], ["Dana Whitfield moved the rule change."])
    reports = [
        invented(
            "Report of the NEC meeting, 24 September 2013",
            date(2013, 9, 24),
            "Dana Whitfield",
            [
                Decision(
                    "The NEC agreed the rule change on member ballots by 14 votes to 10.",
                    "Rule change on member ballots",
                    "Decisions",
                    Tally(14, 10),
                    ["rules"],
                    ["Dana Whitfield"],
                ),
                Decision(
                    "The NEC agreed the conference timetable.",
                    "Conference timetable",
                    "Decisions",
                    Tally(unanimous=True),
                    ["conference"],
                ),
            ],
            [author],
            "https://example.org/nec-2013-09",
        ),
        invented(
            "NEC report, 29 March 2022",
            date(2022, 3, 29),
            "Dana Whitfield",
            [
                Decision(
                    "The NEC agreed a new disputes panel by 20 votes to 12.", "New disputes panel", tally=Tally(20, 12)
                )
            ],
            [author],
            "https://example.org/nec-2022-03",
        ),
    ]
    many = [
        Decision(
            f"The NEC agreed motion {n} on branch organisation in the Westmarch region, item {n} of the long agenda.",
            f"Motion {n} on branch organisation",
            "Decisions",
            Tally(10 + n % 7, n % 5),
            ["organisation"],
        )
        for n in range(1, 61)
    ]
    reports.append(
        invented(
            "NEC report, 17 May 2016",
            date(2016, 5, 17),
            "Dana Whitfield",
            many,
            [author],
            "https://example.org/nec-2016-05",
        )
    )
    return [(r, r_url) for r, r_url in ((r, f"https://example.org/{i}") for i, r in enumerate(reports))]


@dataclass
class Env:
    fake: FakeDiscord
    bot: NecDigestBot


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    tmp: Path = tmp_path_factory.mktemp("bot")
    async with FakeDiscord() as fake, running_bot(settings_for(fake, tmp), view_timeout=VIEW_TIMEOUT) as bot:
        async with bot.sessions.begin() as session:
            for parsed, url in corpus():
                await store_report(session, parsed, url=url)
        yield Env(fake, bot)


@pytest.fixture(autouse=True)
def within_limits(env: Env) -> Any:
    """After every test: every payload captured so far respects Discord's limits."""
    yield
    assert_within_limits(env.fake)


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["custom_id"]: c for row in message.get("components") or [] for c in row["components"]}


# -- the synced commands ----------------------------------------------------------------------


async def test_synced_commands_describe_every_option(env: Env) -> None:
    commands = {c["name"]: c for c in env.fake.commands()}
    assert {"decisions", "who", "meeting", "latest", "search", "reports", "about", "digest", "ingest"} <= set(commands)
    assert commands["ingest"]["default_member_permissions"] == "32"
    assert commands["ingest"]["options"][0]["type"] == 11  # attachment
    for command in commands.values():
        assert 1 <= len(command["description"]) <= 100
    decisions = {o["name"]: o for o in commands["decisions"]["options"]}
    assert list(decisions) == ["year", "from", "to", "topic", "person", "query"]
    assert not any(o.get("required") for o in decisions.values())
    who = commands["who"]["options"][0]
    assert who["name"] == "name" and who["required"] and who["autocomplete"]
    meeting = commands["meeting"]["options"][0]
    assert meeting["name"] == "date" and meeting["required"] and meeting["autocomplete"]
    assert commands["search"]["options"][0]["required"]
    assert commands["decisions"].get("default_member_permissions") is None


async def test_admin_group_is_hidden_from_members_and_guild_only(env: Env) -> None:
    digest = next(c for c in env.fake.commands() if c["name"] == "digest")
    assert digest["default_member_permissions"] == "32"  # MANAGE_GUILD
    assert digest["contexts"] == [0]  # guild only
    subs = {o["name"]: o for o in digest["options"]}
    assert set(subs) == {"subscribe", "list", "unsubscribe", "preview", "post-now", "resume"}
    assert subs["resume"]["options"][0]["name"] == "subscription" and subs["resume"]["options"][0]["required"]
    subscribe = {o["name"]: o for o in subs["subscribe"]["options"]}
    assert subscribe["channel"]["type"] == 7 and subscribe["channel"]["required"]
    assert subscribe["schedule"]["required"] and subscribe["schedule"]["autocomplete"]
    assert not subscribe["timezone"].get("required")
    assert subs["unsubscribe"]["options"][0]["autocomplete"]


# -- member commands ----------------------------------------------------------------------------


async def test_decisions_2013_answers_with_the_tallies(env: Env) -> None:
    ix = await env.fake.invoke("decisions", {"year": "2013"}, user=env.fake.member)
    assert (await ix.wait_callback())["type"] == DEFERRED_CHANNEL_MESSAGE
    answer = await ix.answer()
    assert not ix.ephemeral
    text = text_of(answer)
    assert "Rule change on member ballots" in text and "14 to 10" in text
    assert "2013-09-24" in text
    assert "https://example.org/0" in text  # every decision links to its report
    assert "disputes panel" not in text  # 2022 is not 2013


async def test_bad_year_gets_the_accepted_forms_privately(env: Env) -> None:
    ix = await env.fake.invoke("decisions", {"year": "twenty13"}, user=env.fake.member)
    callback = await ix.wait_callback()
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert "2012..2014" in callback["data"]["content"]


async def test_who_answers_with_a_profile(env: Env) -> None:
    ix = await env.fake.invoke("who", {"name": "Dana Whitfield"}, user=env.fake.member)
    text = text_of(await ix.answer())
    assert "Dana Whitfield" in text and "Reports written" in text


async def test_unknown_person_gets_suggestions_not_a_traceback(env: Env) -> None:
    ix = await env.fake.invoke("who", {"name": "Zebedee Quartermaine"}, user=env.fake.member)
    await ix.wait_callback()
    answer = await env.fake.wait_until(lambda: ix.followup_ids and env.fake.messages[ix.followup_ids[-1]])
    assert answer["flags"] & EPHEMERAL
    assert answer["content"].startswith("No one called Zebedee Quartermaine")
    # The public "thinking…" placeholder was removed, so the refusal stays private.
    assert any(r.method == "DELETE" and r.path.endswith("/messages/@original") for r in env.fake.requests)


async def test_hostile_search_text_answers_without_error(env: Env) -> None:
    ix = await env.fake.invoke("search", {"query": '"AND('}, user=env.fake.member)
    answer = await ix.answer()
    assert GENERIC_FAILURE not in text_of(answer)
    assert answer["embeds"], answer


async def test_meeting_autocomplete_offers_dates_for_a_month(env: Env) -> None:
    choices = await env.fake.autocomplete("meeting", "date", "march 2022", user=env.fake.member)
    assert "2022-03-29" in [c["value"] for c in choices]


async def test_meeting_answers_with_its_decisions(env: Env) -> None:
    ix = await env.fake.invoke("meeting", {"date": "2022-03-29"}, user=env.fake.member)
    text = text_of(await ix.answer())
    assert "New disputes panel" in text and "20 to 12" in text


async def test_latest_reports_and_about_answer(env: Env) -> None:
    for name, expected in (("latest", "2022-03-29"), ("reports", "NEC report, 29 March 2022"), ("about", "reports of")):
        ix = await env.fake.invoke(name, user=env.fake.member)
        assert expected in text_of(await ix.answer()), name


async def test_sixty_decisions_page_cleanly_and_only_the_invoker_turns_pages(env: Env) -> None:
    fake = env.fake
    ix = await fake.invoke("decisions", {"year": "2016"}, user=fake.member)
    first = await ix.answer()
    assert "Page 1 of 6" in first["embeds"][0]["footer"]["text"]
    assert buttons(first)["page:previous"]["disabled"] is True

    stranger = await fake.press(first, "page:next", user=fake.admin)
    refusal = await stranger.wait_callback()
    assert refusal["type"] == 4 and refusal["data"]["flags"] & EPHEMERAL
    assert "Page 1 of 6" in fake.messages[first["id"]]["embeds"][0]["footer"]["text"]

    seen = set()
    for page in range(2, 7):
        press = await fake.press(first, "page:next", user=fake.member)
        assert (await press.wait_callback())["type"] == UPDATE_MESSAGE
        current = fake.messages[first["id"]]
        assert f"Page {page} of 6" in current["embeds"][0]["footer"]["text"]
        seen.update(f["name"] for f in current["embeds"][0]["fields"])
    assert buttons(fake.messages[first["id"]])["page:next"]["disabled"] is True
    assert len(seen) == 50  # pages 2..6 hold decisions 11..60, none repeated

    # After the view times out, its buttons are disabled on the message itself.
    await fake.wait_until(
        lambda: all(b["disabled"] for b in buttons(fake.messages[first["id"]]).values()), VIEW_TIMEOUT + 5
    )


# -- admin commands -----------------------------------------------------------------------------


async def test_members_are_not_offered_the_admin_group(env: Env) -> None:
    with pytest.raises(CommandHidden):
        await env.fake.invoke("digest", subcommand="list", user=env.fake.member)


async def test_admin_group_refuses_members_at_run_time_too(env: Env) -> None:
    """A server owner may unhide /digest for everyone; the run-time check still says no."""
    ix = await env.fake.invoke("digest", subcommand="list", user=env.fake.member, respect_default_permissions=False)
    callback = await ix.wait_callback()
    assert callback["data"]["flags"] & EPHEMERAL
    assert "Manage Server" in callback["data"]["content"]


async def test_admin_subscribes_a_channel_and_lists_it(env: Env) -> None:
    fake = env.fake
    ix = await fake.invoke(
        "digest",
        {"channel": "nec-reports", "schedule": "weekly mon 09:00"},
        subcommand="subscribe",
        user=fake.admin,
    )
    answer = await ix.answer()
    assert ix.ephemeral
    assert "Subscribed" in answer["content"] and "weekly mon 09:00" in answer["content"]

    listing = await fake.invoke("digest", subcommand="list", user=fake.admin)
    text = text_of(await listing.answer())
    assert listing.ephemeral
    assert f"<#{fake.guild.channel('nec-reports').id}>" in text

    choices = await fake.autocomplete("digest", "subscription", "", subcommand="unsubscribe", user=fake.admin)
    assert choices, "the admin's subscription is offered"
    sub_id = choices[0]["value"]

    preview = await fake.invoke("digest", {"subscription": sub_id}, subcommand="preview", user=fake.admin)
    await preview.answer()
    assert preview.ephemeral

    gone = await fake.invoke("digest", {"subscription": sub_id}, subcommand="unsubscribe", user=fake.admin)
    assert "Unsubscribed" in (await gone.answer())["content"]


async def test_admin_resumes_a_paused_subscription_and_members_cannot(env: Env) -> None:
    fake, bot = env.fake, env.bot
    channel = int(fake.guild.channel("clp-northshire").id)
    async with bot.sessions.begin() as session:
        sub = await subscriptions.add_subscription(
            session, guild_id=int(fake.guild.id), channel_id=channel, schedule="daily 18:30", created_by=1
        )
        assert await subscriptions.pause_subscription(
            session, subscription_id=sub.id, reason="Discord answered 403 (test)"
        )

    refused = await fake.invoke(
        "digest", {"subscription": sub.id}, subcommand="resume", user=fake.member, respect_default_permissions=False
    )
    assert "Manage Server" in (await refused.wait_callback())["data"]["content"]
    async with bot.sessions.begin() as session:
        assert (await subscriptions.get_subscription(session, sub.id)).state == "paused"

    ix = await fake.invoke("digest", {"subscription": sub.id}, subcommand="resume", user=fake.admin)
    answer = await ix.answer()
    assert ix.ephemeral and f"Resumed #{sub.id}" in answer["content"]
    async with bot.sessions.begin() as session:
        resumed = await subscriptions.get_subscription(session, sub.id)
    assert resumed.state == "active" and resumed.paused_reason is None
    assert bot.scheduler.next_run(sub.id) is not None, "its scheduled job is back"

    again = await fake.invoke("digest", {"subscription": sub.id}, subcommand="resume", user=fake.admin)
    assert "not paused" in (await again.answer())["content"]

    async with bot.sessions.begin() as session:
        await subscriptions.remove_subscription(session, guild_id=int(fake.guild.id), subscription_id=sub.id)
    bot.scheduler.remove(sub.id)


async def test_bad_schedule_names_the_accepted_forms(env: Env) -> None:
    ix = await env.fake.invoke(
        "digest", {"channel": "general", "schedule": "fortnightly"}, subcommand="subscribe", user=env.fake.admin
    )
    callback = await ix.wait_callback()
    assert callback["data"]["flags"] & EPHEMERAL
    assert "weekly" in callback["data"]["content"]


async def test_unknown_subscription_is_a_clear_error(env: Env) -> None:
    ix = await env.fake.invoke("digest", {"subscription": 9999}, subcommand="post-now", user=env.fake.admin)
    answer = await ix.answer()
    assert ix.ephemeral and "no digest subscription #9999" in answer["content"]


async def test_admin_ingests_an_uploaded_report(env: Env) -> None:
    fake = env.fake
    report = (
        "Westmarch NEC report – meeting of 12 November 2019\n\nBy Robin Ashdown\n\n"
        "Decisions\nThe NEC agreed the new members' charter by 18 votes to 9.\n"
    ).encode()
    attachment = fake.add_attachment("westmarch-2019-11.txt", report)
    ix = await fake.invoke("ingest", {"file": attachment}, user=fake.admin)
    answer = await ix.answer(seconds=30)
    assert ix.ephemeral
    assert "Added" in text_of(answer) or "Updated" in text_of(answer)


async def test_members_cannot_ingest(env: Env) -> None:
    attachment = env.fake.add_attachment("x.txt", b"text")
    with pytest.raises(CommandHidden):
        await env.fake.invoke("ingest", {"file": attachment}, user=env.fake.member)
    ix = await env.fake.invoke("ingest", {"file": attachment}, user=env.fake.member, respect_default_permissions=False)
    assert "Manage Server" in (await ix.wait_callback())["data"]["content"]


async def test_no_unknown_routes_were_called(env: Env) -> None:
    assert env.fake.unknown_routes() == []
