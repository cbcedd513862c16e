"""Invented meetings (invented committee members and events) in the shapes real reports take."""

from __future__ import annotations

from datetime import date

from digests.views import MeetingView, MergedDecision, ReportRef, SectionPoints


def report(author: str, url: str | None, meeting: date, title: str = "Report from the NEC") -> ReportRef:
    return ReportRef(title=title, url=url, authors=(author,), meeting_date=meeting)


def decision(
    text: str, *, subject: str = "", topics: tuple[str, ...] = (), tallies: tuple[tuple[str, str], ...] = ()
) -> MergedDecision:
    tally_values = {t for _, t in tallies}
    return MergedDecision(
        subject=subject or text.split(",")[0][:60],
        text=text,
        section="Rule changes",
        topics=topics,
        reported_by=tuple(who for who, _ in tallies) or ("Mara Quillfeather",),
        tallies=tallies,
        tallies_disagree=len(tally_values) > 1,
        report=report("Mara Quillfeather", "https://example.org/mara/2031-03", date(2031, 3, 4)),
    )


def meeting(day: date = date(2031, 3, 4), **overrides: object) -> MeetingView:
    base: dict[str, object] = {
        "meeting_date": day,
        "body": "Labour NEC",
        "reports": (
            report("Mara Quillfeather", "https://example.org/mara/2031-03", day),
            report("Tobias Wrenfield", "https://example.net/tobias/nec", day),
        ),
        "decisions": (
            decision(
                "The NEC agreed to reopen selections in the Eastmoor seats",
                topics=("selections",),
                tallies=(("Mara Quillfeather", "19 to 11"), ("Tobias Wrenfield", "18 to 12")),
            ),
            decision("The committee approved the conference timetable unanimously", topics=("conference",)),
        ),
        "key_points": (
            SectionPoints(
                "General Secretary's report",
                (
                    "Membership stood at a record level after the spring recruitment drive.",
                    "The General Secretary reported that the deficit had been halved since January.",
                    "Staff would move to the new Westbridge offices in the summer.",
                    "A fourth sentence that a digest should not need to show at all here.",
                ),
            ),
            SectionPoints("Leader's report", ("Orla Fenwick thanked members for their work in the by-elections.",)),
        ),
        "people": ("Orla Fenwick", "Desmond Harrowgate", "Mara Quillfeather"),
        "topics": ("selections", "conference", "finance"),
    }
    base.update(overrides)
    return MeetingView(**base)  # type: ignore[arg-type]
