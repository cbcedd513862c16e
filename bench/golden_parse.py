"""Golden output of the parser: a canonical JSON dump of every field of every ParsedReport on a fixed corpus.

A safety net for work that must not change what the parser says (speed-ups): record the dump before the
change, check it after. The corpus is the seed reports (when ../shared is present), bot/samples, the test
fixtures, synthetic reports from both generators with fixed seeds, and reports stitched together from
paragraphs of the real documents (fixed seed) so that the real wording meets more code paths.

    .venv/bin/python bench/golden_parse.py --write /tmp/golden_before.json
    .venv/bin/python bench/golden_parse.py --check /tmp/golden_before.json

`--check` exits 1 and names the first reports (and fields) that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_parse import synthetic_report  # noqa: E402
from bench.synthetic import report_text, synthetic_reports  # noqa: E402
from digests.errors import InputRejected  # noqa: E402
from digests.parser import parse_report  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SYNTHETIC_EACH = 150  # per generator: 300 synthetic reports in all
STITCHED = 60


def corpus() -> list[tuple[str, bytes]]:
    """(name, data) pairs in a fixed order; the name carries the file extension the parser sees."""
    real: list[tuple[str, bytes]] = []
    if SEEDS.is_dir():
        real += [(f"seeds/{p.name}", p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    real += [(f"samples/{p.name}", p.read_bytes()) for p in sorted((ROOT / "bot" / "samples").iterdir()) if p.is_file()]
    fixtures = ROOT / "tests" / "fixtures"
    real += [
        (f"fixtures/{p.relative_to(fixtures)}", p.read_bytes())
        for p in sorted(fixtures.rglob("*"))
        if p.is_file() and p.suffix in (".txt", ".md", ".html")
    ]
    out = list(real)
    rng = random.Random(1)
    out += [(f"bench_parse/{i}.txt", synthetic_report(rng).encode()) for i in range(SYNTHETIC_EACH)]
    out += [
        (f"synthetic/{i}.txt", report_text(parsed).encode())
        for i, parsed in enumerate(synthetic_reports(SYNTHETIC_EACH, seed=11))
    ]
    out += _stitched(real)
    return out


def _stitched(real: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Reports made of paragraphs drawn from the plain-text documents: real wording in new orders."""
    paragraphs = [
        paragraph.strip()
        for name, data in real
        if not name.endswith(".html")
        for paragraph in data.decode("utf-8", errors="replace").split("\n\n")
        if paragraph.strip()
    ]
    rng = random.Random(2)
    out = []
    for i in range(STITCHED if paragraphs else 0):
        picked = rng.sample(paragraphs, min(len(paragraphs), rng.randint(5, 40)))
        out.append((f"stitched/{i}.txt", "\n\n".join(picked).encode()))
    return out


def plain(value: Any) -> Any:
    """Dataclasses, dates, lists and dicts as JSON-ready values, every field included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def dump() -> dict[str, Any]:
    """Every report of the corpus, parsed: name -> its full ParsedReport (or the rejection message)."""
    out: dict[str, Any] = {}
    for name, data in corpus():
        try:
            out[name] = plain(parse_report(data, name=name))
        except InputRejected as exc:
            out[name] = {"rejected": str(exc)}
    return out


def _text(results: dict[str, Any]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = options.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the dump to this file")
    group.add_argument("--check", type=Path, help="compare the dump with this file; exit 1 when they differ")
    args = options.parse_args()
    results = dump()
    text = _text(results)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        print(json.dumps({"golden": "written", "reports": len(results), "path": str(args.write)}))
        return
    expected = json.loads(args.check.read_text(encoding="utf-8"))
    if _text(expected) == text:
        print(json.dumps({"golden": "identical", "reports": len(results)}))
        return
    differing = [name for name in sorted(set(expected) | set(results)) if expected.get(name) != results.get(name)]
    for name in differing[:10]:
        before, after = expected.get(name) or {}, results.get(name) or {}
        fields = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
        print(f"differs: {name}: {', '.join(fields)}")
    print(json.dumps({"golden": "DIFFERENT", "reports": len(results), "differing": len(differing)}))
    sys.exit(1)


if __name__ == "__main__":
    main()
