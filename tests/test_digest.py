"""Digest content: decisions first, extractive key points, filters, Discord limits, no private details."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.render_digest import digest_embeds, digest_text
from digests.digest import build_digest, key_points
from digests.views import ReportRef, SectionPoints
from tests.digest_fixtures import decision, meeting


def test_one_meeting_digest_shows_decisions_reporters_people_and_topics() -> None:
    view = build_digest([meeting()], heading="NEC digest", meeting_ids=[7])
    [item] = view.meetings
    assert item.meeting_id == 7 and item.kind == "NEC meeting"
    assert item.decisions[0].text.startswith("The NEC agreed to reopen selections")
    assert len(item.key_points[0].points) == 3, "a few key points per section, not every sentence"
    assert item.people[0] == "Orla Fenwick"
    assert "finance" in item.topics


def test_a_period_digest_lists_meetings_oldest_first() -> None:
    later, earlier = meeting(date(2031, 5, 6)), meeting(date(2031, 3, 4))
    view = build_digest([later, earlier], heading="This week", meeting_ids=[2, 1])
    assert [m.meeting_id for m in view.meetings] == [1, 2]


def test_topic_filter_keeps_matching_meetings_and_narrows_their_decisions() -> None:
    other = meeting(date(2031, 6, 1), topics=("finance",), decisions=(decision("The NEC noted the accounts"),))
    view = build_digest([meeting(), other], heading="h", topic="Selections", meeting_ids=[1, 2])
    assert [m.meeting_id for m in view.meetings] == [1]
    assert [d.topics for d in view.meetings[0].decisions] == [("selections",)]
    assert view.filters == ("topic: Selections",)


def test_person_filter_matches_reporters_and_people_by_surname() -> None:
    view = build_digest([meeting()], heading="h", person="Fenwick", meeting_ids=[1])
    assert view.meetings and view.meetings[0].key_points[0].heading == "Leader's report"
    assert build_digest([meeting()], heading="h", person="Nobody Known", meeting_ids=[1]).meetings == ()


def test_keyword_filter_keeps_only_matching_decisions_and_points() -> None:
    view = build_digest([meeting()], heading="h", keyword="timetable", meeting_ids=[1])
    [item] = view.meetings
    assert [d.text for d in item.decisions] == ["The committee approved the conference timetable unanimously"]
    assert item.key_points == ()
    assert build_digest([meeting()], heading="h", keyword="zeppelin", meeting_ids=[1]).meetings == ()


def test_points_with_private_details_are_never_shown() -> None:
    leaky = meeting(
        key_points=(
            SectionPoints("Contact", ("Write to me at 12 Example Road, Eastmoor EM1 2AB or call 07700 900123.",)),
        )
    )
    view = build_digest([leaky], heading="h", meeting_ids=[1])
    text = digest_text(view)
    assert "07700" not in text and "EM1 2AB" not in text


def test_key_points_are_sentences_of_the_section_word_for_word() -> None:
    text = (
        "The NEC met in Westbridge on a wet Tuesday morning. Members agreed the new rule on selections after a long "
        "debate. Tea was served at eleven o'clock as usual. The treasurer reported a surplus for the first time in "
        "years. Several members asked about the rule on selections and the timetable."
    )
    points = key_points("Report", text, limit=2)
    assert len(points.points) == 2
    assert all(p in text for p in points.points)
    assert "Tea was served at eleven o'clock as usual." not in points.points


def test_text_render_leads_with_decisions_and_shows_disagreeing_tallies() -> None:
    text = digest_text(build_digest([meeting()], heading="NEC digest", meeting_ids=[1]))
    assert text.index("DECISIONS") < text.index("KEY POINTS")
    assert "tallies differ: Mara Quillfeather: 19 to 11; Tobias Wrenfield: 18 to 12" in text
    assert "Mara Quillfeather <https://example.org/mara/2031-03>" in text


def test_every_reporter_links_to_their_report_in_embeds() -> None:
    [[embed]] = digest_embeds(build_digest([meeting()], heading="NEC digest", meeting_ids=[1]))
    assert embed.description is not None
    assert "[Mara Quillfeather](https://example.org/mara/2031-03)" in embed.description
    assert "[Tobias Wrenfield](https://example.net/tobias/nec)" in embed.description
    assert embed.title == "NEC meeting — 4 March 2031"


@pytest.mark.parametrize("meetings", [1, 30])
def test_long_digests_split_within_discord_limits_without_losing_text(meetings: int) -> None:
    long_decisions = tuple(
        decision(f"The NEC agreed item {i}: " + "a carefully worded motion about selections " * 40) for i in range(12)
    )
    views = [meeting(date(2031, 1, 1 + i % 28), decisions=long_decisions) for i in range(meetings)]
    view = build_digest(views, heading="Quarter", meeting_ids=list(range(meetings)))
    messages = digest_embeds(view)
    for message in messages:
        assert 1 <= len(message) <= 10
        assert sum(len(e) for e in message) <= 6000
        for embed in message:
            assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
    shown = " ".join(e.description or "" for m in messages for e in m)
    for i in range(12):
        assert f"item {i}:" in shown
    assert shown.count("a carefully worded motion") == 12 * 40 * meetings


def test_a_report_without_url_or_author_still_renders() -> None:
    bare = meeting(reports=(ReportRef(title="Untitled notes", url=None),))
    text = digest_text(build_digest([bare], heading="h", meeting_ids=[1]))
    assert "Reported by Untitled notes" in text


def test_the_digest_command_prints_the_latest_meeting_and_refuses_bad_dates(tmp_path, monkeypatch, capsys) -> None:
    """`necdigest digest` against a real database file: text out, exit 0; a bad --since is one line, exit 2."""
    from bot.cli import main
    from bot.settings import get_settings

    samples = Path(__file__).resolve().parent.parent / "bot" / "samples"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    get_settings.cache_clear()
    try:
        assert main(["ingest", str(samples)]) == 0
        capsys.readouterr()
        assert main(["digest"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("NEC digest: the latest meeting") and "DECISIONS" in out
        assert main(["digest", "--since", "29/03/2022"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--since" in err
    finally:
        get_settings.cache_clear()
