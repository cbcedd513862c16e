"""Digest content: what a channel sees about one meeting or a period, built from meeting views.

Pure and extractive: every sentence shown is taken word for word from a report; nothing is
written by the bot except headings and labels. Decisions come first because they are what a
reader wants at a glance; then a few key points per section, the people most involved, the topics.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from digests.views import DigestView, MeetingDigest, MeetingView, MergedDecision, SectionPoints

MAX_POINTS_PER_SECTION = 3
MAX_SECTIONS = 6
MAX_PEOPLE = 8
MAX_TOPICS = 8
# A key point is one sentence someone can read in a channel; longer "sentences" are usually
# run-on lists that read badly out of context.
MAX_POINT_CHARS = 400
MIN_POINT_WORDS = 6

T = TypeVar("T")

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
# Defence in depth: views never carry private details, but a sentence quoting an address or a
# phone number must not reach a channel even if an upstream filter missed it.
_PRIVATE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # e-mail address
    r"|(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b"  # UK phone number
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"  # UK postcode
)


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(stop words, signal words) from the package's data file."""
    raw = json.loads(resources.files("digests").joinpath("data/digest_words.json").read_text("utf-8"))
    return frozenset(raw["stop"]), frozenset(raw["signal"])


def has_private_detail(text: str) -> bool:
    """True if `text` contains something that looks like an e-mail address, phone number or postcode."""
    return bool(_PRIVATE.search(text))


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences on end punctuation followed by a capital; keeps the words as they are."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _word_lists()[0]]


def key_points(heading: str, text: str, limit: int = MAX_POINTS_PER_SECTION) -> SectionPoints:
    """The `limit` most representative sentences of a section, in their original order.

    Scores each sentence by how many of the section's frequent words it holds (a TextRank-like
    centrality without the graph), plus a bonus for words that signal news (agreed, elected...)
    and for the section's first sentence, which in these reports usually states the subject.
    """
    sentences = [
        s
        for s in split_sentences(text)
        if len(s) <= MAX_POINT_CHARS and len(s.split()) >= MIN_POINT_WORDS and not has_private_detail(s)
    ]
    if len(sentences) <= limit:
        return SectionPoints(heading=heading, points=tuple(sentences))
    frequency = Counter(w for s in sentences for w in set(_words(s)))
    scored: list[tuple[float, int]] = []
    for index, sentence in enumerate(sentences):
        words = set(_words(sentence))
        if not words:
            continue
        centrality = sum(frequency[w] - 1 for w in words) / (len(words) ** 0.5)
        signal = sum(1 for w in words if w in _word_lists()[1])
        first = 1.5 if index == 0 else 0.0
        scored.append((centrality + 2.0 * signal + first, index))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    return SectionPoints(heading=heading, points=tuple(sentences[i] for _, i in sorted(best, key=lambda x: x[1])))


def meeting_kind(meeting: MeetingView) -> str:
    """A short label for the meeting: `NEC meeting`, `NEC special meeting`, `NEC away day`."""
    body = meeting.body or "NEC"
    short = "NEC" if body.lower() in ("labour nec", "nec", "national executive committee") else body
    titles = " ".join(r.title.lower() for r in meeting.reports)
    if "away day" in titles or "awayday" in titles:
        return f"{short} away day"
    if "special" in titles or "emergency" in titles:
        return f"{short} special meeting"
    return f"{short} meeting"


def _mentions(needle: str, haystack: str) -> bool:
    return needle.casefold() in haystack.casefold()


def _person_matches(person: str, names: Iterable[str]) -> bool:
    wanted = person.casefold().split()
    for name in names:
        have = name.casefold().split()
        # "Ann Black" matches "Ann Black"; "Black" matches "Ann Black"; all words must match.
        if wanted and all(w in have for w in wanted):
            return True
    return False


def _decision_text(decision: MergedDecision) -> str:
    return f"{decision.subject} {decision.text}"


def _narrow(items: Sequence[T], keep: list[T]) -> tuple[T, ...]:
    """The matching items when there are some, else all: a filter narrows, it never empties a meeting."""
    return tuple(keep) if keep else tuple(items)


def _filter_meeting(
    meeting: MeetingView, *, topic: str | None, person: str | None, keyword: str | None
) -> MeetingView | None:
    """Apply the filters to one meeting; None when the meeting does not concern them at all."""
    decisions = list(meeting.decisions)
    points = list(meeting.key_points)
    if topic:
        topic_decisions = [d for d in decisions if any(t.casefold() == topic.casefold() for t in d.topics)]
        in_topics = any(t.casefold() == topic.casefold() for t in meeting.topics)
        if not topic_decisions and not in_topics:
            return None
        decisions = list(_narrow(decisions, topic_decisions))
    if person:
        reporters = [a for r in meeting.reports for a in r.authors]
        involved = _person_matches(person, [*meeting.people, *reporters])
        said = [d for d in decisions if _mentions(person.split()[-1], _decision_text(d))]
        if not involved and not said:
            return None
        # Decisions stay whole (they are the news); key points narrow to those naming the person.
        surname = person.split()[-1]
        points = [replace(p, points=_narrow(p.points, [s for s in p.points if _mentions(surname, s)])) for p in points]
        points = list(_narrow(points, [p for p in points if any(_mentions(surname, s) for s in p.points)]))
    if keyword:
        keyword_decisions = [d for d in decisions if _mentions(keyword, _decision_text(d))]
        keyword_points = [
            SectionPoints(p.heading, tuple(s for s in p.points if _mentions(keyword, s)))
            for p in points
            if any(_mentions(keyword, s) for s in p.points)
        ]
        if not keyword_decisions and not keyword_points:
            return None
        decisions = keyword_decisions
        points = keyword_points
    return replace(meeting, decisions=tuple(decisions), key_points=tuple(points))


def _trim_points(
    points: Iterable[SectionPoints], decisions: Iterable[MergedDecision] = ()
) -> tuple[SectionPoints, ...]:
    """A few points per section, without private details or sentences the decisions already show."""
    shown = {d.text.strip().casefold() for d in decisions}
    trimmed: list[SectionPoints] = []
    for section in points:
        kept = tuple(p for p in section.points if not has_private_detail(p) and p.strip().casefold() not in shown)[
            :MAX_POINTS_PER_SECTION
        ]
        if kept:
            trimmed.append(SectionPoints(section.heading, kept))
    return tuple(trimmed[:MAX_SECTIONS])


def _safe_decisions(decisions: Iterable[MergedDecision]) -> tuple[MergedDecision, ...]:
    return tuple(d for d in decisions if not has_private_detail(_decision_text(d)))


def build_digest(
    meetings: list[MeetingView],
    *,
    heading: str,
    topic: str | None = None,
    person: str | None = None,
    keyword: str | None = None,
    meeting_ids: list[int],
) -> DigestView:
    """A digest of one meeting or several (oldest first), with the filters applied.

    `meeting_ids[i]` is the database id of `meetings[i]`. Meetings the filters exclude are left
    out; decisions come first in each meeting; key points are capped at a few per section.
    """
    if len(meeting_ids) != len(meetings):
        raise ValueError("meeting_ids must give one id per meeting")
    topic, person, keyword = (f.strip() if f and f.strip() else None for f in (topic, person, keyword))
    items: list[MeetingDigest] = []
    for meeting_id, meeting in sorted(zip(meeting_ids, meetings, strict=True), key=lambda p: p[1].meeting_date):
        chosen = _filter_meeting(meeting, topic=topic, person=person, keyword=keyword)
        if chosen is None:
            continue
        items.append(
            MeetingDigest(
                meeting_id=meeting_id,
                meeting_date=chosen.meeting_date,
                body=chosen.body,
                kind=meeting_kind(chosen),
                reports=chosen.reports,
                decisions=_safe_decisions(chosen.decisions),
                key_points=_trim_points(chosen.key_points, chosen.decisions),
                people=tuple(chosen.people[:MAX_PEOPLE]),
                topics=tuple(chosen.topics[:MAX_TOPICS]),
            )
        )
    filters = tuple(
        f"{name}: {value}" for name, value in (("topic", topic), ("person", person), ("keyword", keyword)) if value
    )
    return DigestView(heading=heading, meetings=tuple(items), filters=filters)
