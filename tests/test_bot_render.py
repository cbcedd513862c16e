"""Renderers keep every page within Discord's limits and never drop text silently."""

from __future__ import annotations

from datetime import date

from bot import render_embed
from digests.views import DecisionList, DecisionView, ReportRef
from tests.fake_discord.limits import message_problems


def decision(n: int, text: str) -> DecisionView:
    ref = ReportRef(f"Invented report {n} [draft]", f"https://example.org/r/{n}", ("Priya Castellano",))
    return DecisionView(
        f"Subject {n}", text, date(2019, 1, 1), "Labour NEC", None, 14, 10, 2, "Decisions", ("rules",), ref
    )


def test_long_decisions_are_split_across_fields_and_pages_without_loss() -> None:
    words = " ".join(f"word{i}" for i in range(1500))  # about 13,000 characters
    view = DecisionList("Decisions in 2019", tuple(decision(n, words) for n in range(6)))
    pages = render_embed.decisions(view)
    assert len(pages) > 1
    for page in pages:
        assert message_problems({"embeds": [page.to_dict()]}) == []
    rendered = "\n".join(f.value or "" for page in pages for f in page.fields)
    assert rendered.count("word1499") == 6  # the end of every decision's text is still there
    assert "14 to 10, 2 abstaining" in rendered
    assert "[Invented report 0 (draft)](https://example.org/r/0)" in rendered


def test_empty_answer_says_so() -> None:
    (page,) = render_embed.decisions(DecisionList("Decisions in 1999", ()))
    assert "No decisions match." in (page.description or "")
