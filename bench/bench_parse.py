"""Parse throughput: the seed reports (when ../shared is present) and a synthetic corpus, parsed repeatedly.

Prints one JSON object: {"reports_per_second", "mb_per_second", "n", ...}. Run from the project root:
    .venv/bin/python bench/bench_parse.py [--reports 200] [--repeat 3]

`--pathological` instead parses worst-case inputs (a 2 MB single paragraph, 2 MB without a full stop, many
short lines, many names, many numbers) at two sizes each and prints the seconds and the ratio of the
times: about 2 when the parse is linear in the input size, far more if something is quadratic.
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


def _repeat_to(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# Worst cases, each a function of the size in bytes: what a hostile or broken feed could send.
_PATHOLOGICAL = {
    # one paragraph of ordinary sentences, decisions and tallies included
    "single_paragraph": lambda size: (
        "NEC report – 3 March 2015\n\nJane Doe\n\n"
        + _repeat_to(" ".join(s.format(name="Helen Carver", a=19, b=11, n=412345) for s in _SENTENCES) + " ", size)
    ),
    # words with no full stop, so sentences are cut only at MAX_SENTENCE
    "no_full_stop": lambda size: _repeat_to("the NEC agreed and we voted by nineteen votes to eleven on ", size),
    # many short lines, each a possible heading, bullet or sign-off
    "many_lines": lambda size: _repeat_to("Finance\n\n- The NEC agreed it.\nJane Doe\n", size),
    # capitalised words everywhere: name candidates, role phrases, back-references
    "many_names": lambda size: _repeat_to(
        "Jane Doe met John Okafor, Priya Mehra and the General Secretary; Tom, Doe and Leader agreed. ", size
    ),
    # digits everywhere: phone, postcode, address and tally candidates
    "many_numbers": lambda size: _repeat_to("19-11 020 7946 0000 12 High Street SW1A 1AA by 3 votes to 2, ", size),
}


def _pathological(size: int) -> dict[str, object]:
    """Seconds to parse each worst case at half and at full `size`, and their ratio (2 means linear)."""
    out: dict[str, object] = {}
    for name, make in _PATHOLOGICAL.items():
        times = []
        for n in (size // 2, size):
            started = time.perf_counter()
            parse_report(make(n), name=f"{name}.txt")
            times.append(time.perf_counter() - started)
        out[name] = {
            "seconds_half": round(times[0], 3),
            "seconds": round(times[1], 3),
            "ratio": round(times[1] / times[0], 2),
        }
    return out


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--reports", type=int, default=200, help="synthetic reports in the corpus")
    options.add_argument("--repeat", type=int, default=3, help="passes over the corpus")
    options.add_argument("--pathological", action="store_true", help="time worst-case inputs instead")
    options.add_argument("--size", type=int, default=2_000_000, help="bytes of each worst case (--pathological)")
    args = options.parse_args()
    if args.pathological:
        print(json.dumps({"benchmark": "parse_pathological", "bytes": args.size, "cases": _pathological(args.size)}))
        return
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
