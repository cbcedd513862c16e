"""Entry point of the parser: raw report in, `ParsedReport` out (placeholder until the engine lands)."""

from __future__ import annotations

from digests.model import ParsedReport


def parse_report(data: bytes | str, *, name: str | None = None) -> ParsedReport:
    """Parse one report given as bytes or text; `name` (a file name or URL) hints at the format."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return ParsedReport(
        title=lines[0] if lines else None,
        meeting_date=None,
        published=None,
        authors=[],
        body=None,
        clean_text=text,
        warnings=["meeting date not found"],
    )
