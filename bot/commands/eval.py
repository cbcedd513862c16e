"""`necdigest eval GOLD.json --reports DIR [--json]`: score the parser against a hand-checked gold file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli import UserError
from digests.errors import UserFacingError
from digests.evaluate import evaluate, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval", help="score the parser against a gold file; exits non-zero when a quality target is missed"
    )
    parser.add_argument("gold", metavar="GOLD.json", help="gold labels (the format of shared/gold/seeds.json)")
    parser.add_argument("--reports", metavar="DIR", required=True, help="directory holding the reports it names")
    parser.add_argument("--json", action="store_true", help="print the figures and misses as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    gold, reports = Path(args.gold), Path(args.reports)
    if not gold.is_file():
        raise UserError(f"{args.gold}: no such gold file")
    if not reports.is_dir():
        raise UserError(f"{args.reports}: not a directory")
    try:
        result = evaluate(gold, reports)
    except UserFacingError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        json.dump(result.to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(result) + "\n")
    return 0 if result.passed else 1
