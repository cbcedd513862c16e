"""A deterministic corpus of invented NEC-style reports (invented people, committees and places).

`synthetic_reports(n, seed)` yields ParsedReport objects shaped like the parser's output;
`report_text(parsed)` renders one as plain text for benchmarks that go through the parser.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from digests.model import Decision, ParsedReport, PersonMention, Section, Tally

FIRST = [
    "Priya",
    "Tomas",
    "Marta",
    "Desmond",
    "Ilse",
    "Kwame",
    "Rosalind",
    "Oskar",
    "Feng",
    "Aoife",
    "Bartholomew",
    "Zainab",
    "Hamish",
    "Ludmila",
    "Ezra",
    "Noor",
]
LAST = [
    "Castellano",
    "Varga",
    "Oyelaran",
    "Achterberg",
    "Brandvold",
    "Mensah",
    "Quigley",
    "Halvorsen",
    "Tiwari",
    "Okonkwo",
    "Lindqvist",
    "Farrow",
]
BODIES = ["Northshire Executive", "Eastmere Board", "Westbury Council", "Harrowfield Forum", "Southdale Committee"]
PLACES = ["Eastmere", "Westbury", "Harrowfield", "Southdale", "Northshire", "Brackley", "Ottermouth", "Fenwick"]
TOPICS = [
    "boundaries",
    "finance",
    "membership",
    "selections",
    "rules",
    "campaigns",
    "equalities",
    "digital",
    "staffing",
    "policy",
]
VERBS = ["reported that", "said that", "warned that", "explained that", "noted that"]
THINGS = [
    "membership had risen by {n}% since the spring",
    "the regional office in {p} would reopen in {m}",
    "the budget for {p} campaigns was {n} thousand pounds",
    "training sessions had reached {n} local branches",
    "the digital team had grown to {n} staff",
]
HEADINGS = ["General Secretary's report", "Leader's report", "Finance", "Organisation", "Boundaries", "Other business"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng: random.Random, who: str) -> str:
    thing = rng.choice(THINGS).format(n=rng.randint(2, 90), p=rng.choice(PLACES), m=rng.choice(["May", "June", "July"]))
    return f"{who} {rng.choice(VERBS)} {thing}."


def synthetic_reports(n: int, *, seed: int = 7) -> Iterator[ParsedReport]:
    """`n` invented reports; roughly three reports per meeting, meetings spread over 25 years."""
    rng = random.Random(seed)
    people = sorted({_name(rng) for _ in range(400)})
    start = date(2000, 1, 10)
    for i in range(n):
        meeting_index = i // 3
        body = BODIES[meeting_index % len(BODIES)]
        day = start + timedelta(days=(meeting_index * 9000) // max(1, n // 3))
        author = people[(i * 7) % len(people)]
        named = rng.sample(people, 8)
        sections = []
        for heading in HEADINGS:
            sents = [_sentence(rng, rng.choice(named)) for _ in range(rng.randint(3, 6))]
            sents.append(f"Report {i} paragraph on {heading.lower()} at the {body} meeting in {rng.choice(PLACES)}.")
            sections.append(Section(heading, " ".join(sents)))
        decisions = []
        for k in range(rng.randint(2, 5)):
            place = rng.choice(PLACES)
            votes_for, against = rng.randint(10, 25), rng.randint(0, 12)
            kind = rng.choice(["New ward boundaries", "Selection timetable", "Budget line", "Rule change"])
            subject = f"{kind} for {place}"
            tally = Tally(votes_for, against) if k % 3 else Tally(unanimous=True)
            decisions.append(
                Decision(
                    text=f"The {body} agreed the {subject.lower()} by {votes_for} votes to {against} (item {i}.{k}).",
                    subject=subject,
                    section=rng.choice(HEADINGS),
                    tally=tally,
                    topics=rng.sample(TOPICS, 2),
                    people=[rng.choice(named)],
                )
            )
        mentions = [
            PersonMention(
                name,
                rng.randint(1, 4),
                [name.split()[0]],
                [s for sec in sections for s in sec.text.split(". ") if name in s][:3],
            )
            for name in named
        ]
        title = f"{body} report – meeting {i} on {day.isoformat()}"
        text = title + "\n\n" + "\n\n".join(f"{s.heading}\n{s.text}" for s in sections)
        yield ParsedReport(
            title=title,
            meeting_date=day,
            published=day + timedelta(days=3),
            authors=[author],
            body=body,
            sections=sections,
            decisions=decisions,
            people=mentions,
            topics=sorted({t for d in decisions for t in d.topics}),
            clean_text=text,
        )


def report_text(parsed: ParsedReport) -> str:
    """The report as plain text, for benchmarks that run the parser too."""
    head = f"{parsed.title}\n\nBy {', '.join(parsed.authors)}\n\n"
    return head + "\n\n".join(f"{s.heading}\n\n{s.text}" for s in parsed.sections)


def synthetic_texts(n: int, *, seed: int = 7) -> Iterator[str]:
    """`n` invented plain-text reports (6-10 KB) for benchmarks that go through the parser: three
    reports per meeting by different authors, each with a byline, sections, tallied decisions and
    named people, as the parser's input rather than its output."""
    rng = random.Random(seed)
    people = sorted({_name(rng) for _ in range(400)})
    start = date(2000, 1, 10)
    for i in range(n):
        meeting_index = i // 3
        day = start + timedelta(days=(meeting_index * 9000) // max(1, n // 3))
        author = people[(i * 7) % len(people)]
        named = rng.sample(people, 8)
        lines = [f"NEC report – {day.day} {day:%B %Y}", "", f"By {author}", ""]
        for heading in HEADINGS:
            lines += [heading, ""]
            for _ in range(rng.randint(2, 4)):
                sentences = [_sentence(rng, rng.choice(named)) for _ in range(rng.randint(3, 6))]
                if rng.random() < 0.4:
                    place = rng.choice(PLACES)
                    votes_for, against = rng.randint(10, 25), rng.randint(0, 12)
                    sentences.append(
                        f"The NEC agreed the selection timetable for {place} by {votes_for} votes to {against}."
                    )
                lines += [" ".join(sentences), ""]
        lines.append(f"Report {i}: my own account of the meeting, not the official minutes.")
        yield "\n".join(lines)
