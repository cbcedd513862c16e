"""Parse throughput: the seed reports (when ../shared is present) and a synthetic corpus, parsed repeatedly.

Prints one JSON object: {"reports_per_second", "mb_per_second", "n", ...}. Run from the project root:
    .venv/bin/python bench/bench_parse.py [--reports 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digests.clean import clean_text  # noqa: E402
from digests.extract import extract_text  # noqa: E402
from digests.header import split_header  # noqa: E402
from digests.parser import parse_report  # noqa: E402
from digests.privacy import scan  # noqa: E402
from digests.sections import split_sections  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"

_FIRST = ["Jane", "John", "Priya", "Tom", "Helen", "Rob", "Sunita", "Dana", "Kirsty", "Gareth", "Fiona", "Rosalind"]
_LAST = ["Doe", "Okafor", "Carver", "Delaney", "Mehra", "Whitfield", "Allardyce", "Lindqvist", "Westerby", "Achebe"]
_HEADINGS = ["General Secretary's report", "Leader's report", "Organisation Committee", "Finance", "Other issues"]
_SENTENCES = [
    "{name} reported on the campaign and thanked staff for their work in the regions.",
    "The NEC agreed by {a} votes to {b} to defer the rule changes to the next meeting.",
    "We noted the report on membership, which stands at {n} members.",
    "It was agreed that the selections in the target seats would open in the spring.",
    "{name} asked for a breakdown of the figures by region and this was agreed.",
    "There was a long discussion about the timetable for the policy forum.",
]
_JUNK = (
    "\n\n1. Pat Reader says:\n\n    Thanks, great report.\n\nRead more →\n\n"
    "© 2024 Example Blog | Powered by WordPress\n"
)


def synthetic_report(rng: random.Random) -> str:
    """One invented report of a realistic size and shape (about 8-15 KB)."""
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    lines = [f"NEC report – {rng.randint(1, 28)} March {rng.randint(2010, 2024)}", "", author, ""]
    for heading in _HEADINGS:
        lines += [heading, ""]
        for _ in range(rng.randint(3, 6)):
            paragraph = " ".join(
                rng.choice(_SENTENCES).format(
                    name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                    a=rng.randint(12, 25),
                    b=rng.randint(1, 11),
                    n=rng.randint(100_000, 600_000),
                )
                for _ in range(rng.randint(3, 7))
            )
            lines += [paragraph, ""]
    lines.append("This is my personal account of the meeting, not the official record.")
    return "\n".join(lines) + _JUNK


def _front_end(data: bytes, name: str) -> None:
    """Extraction, cleaning, redaction, header and sections only: the parser without decisions/people/topics."""
    cleaned = clean_text(extract_text(data, name=name).text)
    body, _details = scan(cleaned.text)
    split_sections(split_header(body).body)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--reports", type=int, default=200, help="synthetic reports in the corpus")
    options.add_argument("--repeat", type=int, default=3, help="passes over the corpus")
    args = options.parse_args()
    rng = random.Random(1)
    corpus = [(f"synthetic-{i}.txt", synthetic_report(rng).encode()) for i in range(args.reports)]
    if SEEDS.is_dir():
        corpus += [(path.name, path.read_bytes()) for path in sorted(SEEDS.glob("*.txt"))]
    total_bytes = sum(len(data) for _name, data in corpus) * args.repeat
    started = time.perf_counter()
    for _ in range(args.repeat):
        for name, data in corpus:
            parse_report(data, name=name)
    elapsed = time.perf_counter() - started
    n = len(corpus) * args.repeat
    front_started = time.perf_counter()
    for _ in range(args.repeat):
        for name, data in corpus:
            _front_end(data, name)
    front_elapsed = time.perf_counter() - front_started
    print(
        json.dumps(
            {
                "benchmark": "parse",
                "n": n,
                "seconds": round(elapsed, 3),
                "reports_per_second": round(n / elapsed, 1),
                "mb_per_second": round(total_bytes / elapsed / 1_000_000, 3),
                "mean_report_kb": round(total_bytes / n / 1000, 1),
                "front_end_reports_per_second": round(n / front_elapsed, 1),
                "seeds_included": SEEDS.is_dir(),
            }
        )
    )


if __name__ == "__main__":
    main()
