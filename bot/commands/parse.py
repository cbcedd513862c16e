"""`necdigest parse FILE [--json] [--debug]`: parse one report and print what the parser found."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli import UserError
from digests.errors import InputRejected
from digests.model import ParsedReport
from digests.parser import parse_report


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("parse", help="parse one report file (.txt, .md, .html, or - for stdin)")
    parser.add_argument("file", metavar="FILE", help="report file (.txt, .md or .html), or - to read standard input")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    parser.add_argument("--debug", action="store_true", help="also show what was cut and the private details found")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data, name = _read(args.file)
    try:
        report = parse_report(data, name=name)
    except InputRejected as exc:
        raise UserError(f"{args.file}: {exc}") from exc
    if args.json:
        json.dump(report.to_json_dict(debug=args.debug), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(report, debug=args.debug))
    return 0


def _read(file: str) -> tuple[bytes, str | None]:
    if file == "-":
        return sys.stdin.buffer.read(), None
    path = Path(file)
    if not path.exists():
        raise UserError(f"{file}: no such file")
    if path.is_dir():
        raise UserError(f"{file}: is a directory, not a report file")
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise UserError(f"{file}: cannot be read ({exc.strerror or 'unreadable'})") from exc


def render_text(report: ParsedReport, *, debug: bool = False) -> str:
    """A readable summary of one parse, for the terminal."""
    lines = [
        f"Title:        {report.title or '(none)'}",
        f"Meeting date: {report.meeting_date.isoformat() if report.meeting_date else '(not found)'}",
    ]
    if report.other_meeting_dates:
        lines.append(f"Also covers:  {', '.join(d.isoformat() for d in report.other_meeting_dates)}")
    lines += [
        f"Published:    {report.published.isoformat() if report.published else '(unknown)'}",
        f"Authors:      {', '.join(report.authors) or '(unknown)'}",
        f"Body:         {report.body or '(not a meeting report)'}",
        "",
        f"Sections ({len(report.sections)}):",
    ]
    for section in report.sections:
        extra = f" ({len(section.items)} items)" if section.items else ""
        lines.append(f"  - {section.heading or '(opening)'}{extra}")
    lines.append(f"Decisions ({len(report.decisions)}):")
    for decision in report.decisions:
        tally = f" [{decision.tally.label()}]" if decision.tally else ""
        lines.append(f"  - {decision.subject or decision.text}{tally}")
    if report.people:
        lines.append("People: " + ", ".join(f"{p.name} ({p.mentions})" for p in report.people))
    if report.topics:
        lines.append("Topics: " + ", ".join(report.topics))
    for warning in report.warnings:
        lines.append(f"Warning: {warning}")
    if debug:
        lines.append("")
        lines.append(f"Removed ({len(report.removed)} blocks):")
        lines.extend("  | " + block.replace("\n", "\n  | ") for block in report.removed)
        lines.append(
            f"Private details found: {len(report.private_details)} (kinds: "
            f"{', '.join(sorted({p.kind for p in report.private_details})) or 'none'})"
        )
    return "\n".join(lines) + "\n"
