"""Scoring the parser against a hand-checked gold file (the format of `../shared/gold/seeds.json`).

Targets are those of DESIGN.md §7. Decision texts in a gold file are paraphrases, so a gold decision
matches a parsed one when at least half of its content words (lightly stemmed) appear in the parsed
decision's text and subject; gold and parsed decisions are paired one to one, best overlap first, for
recall and tallies. For precision a parsed decision is right when it matches some gold decision (a gold
file may fold two sentences of the report into one decision) better than any `must_not_be_decisions`
text. People match case-insensitively on the canonical name or any alias.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from digests.model import Decision, ParsedReport

log = logging.getLogger(__name__)

MATCH_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Targets:
    """The pass marks of DESIGN.md §7."""

    decisions_recall: float = 0.9
    decisions_precision: float = 0.8
    people_f1: float = 0.9
    people_resolved: float = 0.8


@dataclass(slots=True)
class FileScore:
    """What went right and wrong on one report."""

    file: str
    meeting_date_ok: bool = True
    authors_ok: bool = True
    body_ok: bool = True
    title_ok: bool = True
    misses: list[str] = field(default_factory=list)
    sections_found: int = 0
    sections_expected: int = 0
    decisions_gold: int = 0
    decisions_parsed: int = 0
    decisions_matched: int = 0
    decisions_correct: int = 0
    tallies_checked: int = 0
    tallies_exact: int = 0
    people_tp: int = 0
    people_fp: int = 0
    people_fn: int = 0
    resolved_expected: int = 0
    resolved_found: int = 0
    not_people_attributed: int = 0
    private_leaks: int = 0


@dataclass(slots=True)
class EvalResult:
    """Per-field figures over all reports, the per-file detail, and which targets failed."""

    files: list[FileScore]
    figures: dict[str, float]
    failures: list[str]

    @property
    def passed(self) -> bool:
        """Whether every target was met."""
        return not self.failures

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the result."""
        return {
            "passed": self.passed,
            "figures": self.figures,
            "failures": self.failures,
            "files": [asdict(f) for f in self.files],
        }


_STOPWORD_TEXT = """a an the and or of to for in on at by with from as is are was were be been being that this these
those it its their our we us i he she they his her them which who whom will would should could can may might into
than then so not no nor but also all any each both have has had do does did per via up new next after before about
over under until upon again further only own same such very just"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ments", "ment", "ions", "ion", "ings", "ing", "ies", "ied", "es", "ed", "s", "ly")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "deferred" -> "defer", like "defer"
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # "agree" and "agreed" meet at "agre"
    return word[:6]


def content_words(text: str) -> set[str]:
    """Lightly stemmed content words: lower case, no stop words, "£3" read as "3 pound"."""
    text = text.casefold().replace("£", " pound ").replace("’", "'").replace("'s ", " ")
    return {_stem(w) for w in _WORD.findall(text) if w not in _STOPWORDS}


def overlap(gold_text: str, parsed_words: set[str]) -> float:
    """The share of the gold text's content words found in the parsed words."""
    gold = content_words(gold_text)
    return len(gold & parsed_words) / len(gold) if gold else 0.0


def _decision_words(d: Decision) -> set[str]:
    return content_words(f"{d.text} {d.subject}")


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


def _score_decisions(score: FileScore, gold: dict[str, Any], parsed: list[Decision]) -> None:
    golds: list[dict[str, Any]] = gold.get("decisions", [])
    must_not: list[str] = gold.get("must_not_be_decisions", [])
    words = [_decision_words(d) for d in parsed]
    score.decisions_gold, score.decisions_parsed = len(golds), len(parsed)
    pairs = sorted(
        (
            (overlap(g["text"], w), gi, pi)
            for gi, g in enumerate(golds)
            for pi, w in enumerate(words)
            if overlap(g["text"], w) >= MATCH_THRESHOLD
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_gold: set[int] = set()
    used_parsed: set[int] = set()
    for _, gi, pi in pairs:
        if gi in used_gold or pi in used_parsed:
            continue
        used_gold.add(gi)
        used_parsed.add(pi)
        score.decisions_matched += 1
        g, d = golds[gi], parsed[pi]
        tally = d.tally
        got = (
            tally.votes_for if tally else None,
            tally.votes_against if tally else None,
            tally.abstain if tally else None,
        )
        want = (g.get("for"), g.get("against"), g.get("abstain"))
        score.tallies_checked += 1
        if got == want:
            score.tallies_exact += 1
        else:
            score.misses.append(f"tally for {g['text']!r}: got {got}, want {want}")
    for gi, g in enumerate(golds):
        if gi not in used_gold:
            score.misses.append(f"decision not found: {g['text']!r}")
    for pi, (d, w) in enumerate(zip(parsed, words, strict=True)):
        best_gold = max((overlap(g["text"], w) for g in golds), default=0.0)
        best_bad = max((overlap(t, w) for t in must_not), default=0.0)
        right = (pi in used_parsed or best_gold >= MATCH_THRESHOLD) and best_gold > best_bad
        if right:
            score.decisions_correct += 1
        elif best_bad >= MATCH_THRESHOLD:
            score.misses.append(f"not a decision, but parsed as one: {d.subject!r}")
        else:
            score.misses.append(f"extra decision: {d.subject!r}")


def _score_people(score: FileScore, gold: dict[str, Any], report: ParsedReport) -> None:
    found: set[str] = set()
    for p in report.people:
        found.add(_fold(p.name))
        found.update(_fold(a) for a in p.aliases)
    gold_people = {_fold(n) for n in gold.get("people", [])}
    resolved = {_fold(n) for n in gold.get("people_resolved", {}).values()}
    for name in gold.get("people", []):
        if _fold(name) in found:
            score.people_tp += 1
        else:
            score.people_fn += 1
            score.misses.append(f"person not found: {name}")
    acceptable = gold_people | resolved
    for p in report.people:
        names = {_fold(p.name), *(_fold(a) for a in p.aliases)}
        if not names & acceptable:
            score.people_fp += 1
            score.misses.append(f"extra person: {p.name}")
    for surface, name in gold.get("people_resolved", {}).items():
        score.resolved_expected += 1
        if _fold(name) in found:
            score.resolved_found += 1
        else:
            score.misses.append(f"not resolved: {surface!r} -> {name}")
    for name in gold.get("not_people", []):
        if _fold(name) in found:
            score.not_people_attributed += 1
            score.misses.append(f"attributed to the report but is not in it: {name}")


def score_report(gold: dict[str, Any], report: ParsedReport) -> FileScore:
    """Score one parsed report against its gold entry."""
    score = FileScore(file=gold["file"])
    got_date = report.meeting_date.isoformat() if report.meeting_date else None
    if got_date != gold.get("meeting_date"):
        score.meeting_date_ok = False
        score.misses.append(f"meeting date: got {got_date}, want {gold.get('meeting_date')}")
    if sorted(map(_fold, report.authors)) != sorted(map(_fold, gold.get("authors", []))):
        score.authors_ok = False
        score.misses.append(f"authors: got {report.authors}, want {gold.get('authors')}")
    if report.body != gold.get("body"):
        score.body_ok = False
        score.misses.append(f"body: got {report.body!r}, want {gold.get('body')!r}")
    want_title = gold.get("title_contains")
    if want_title and want_title.casefold() not in (report.title or "").casefold():
        score.title_ok = False
        score.misses.append(f"title: got {report.title!r}, want one containing {want_title!r}")
    headings = {_heading_key(s.heading) for s in report.sections if s.heading}
    for heading in gold.get("sections_include", []):
        score.sections_expected += 1
        if _heading_key(heading) in headings:
            score.sections_found += 1
        else:
            score.misses.append(f"section not found: {heading!r}")
    _score_decisions(score, gold, report.decisions)
    _score_people(score, gold, report)
    shown = json.dumps(report.to_json_dict(), ensure_ascii=False)
    shown_flat = " ".join(shown.split())
    for private in gold.get("private_details_not_to_repost", []):
        if private in shown or " ".join(private.split()) in shown_flat:
            score.private_leaks += 1
            score.misses.append(f"private detail in the output: {private[:3]}…")
    return score


def _heading_key(heading: str) -> str:
    return _fold(heading).strip(" ;:.").replace("'", "")


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def summarise(files: list[FileScore], targets: Targets | None = None) -> EvalResult:
    """Figures over all files (micro-averaged) and the list of targets that were missed."""
    targets = targets or Targets()
    n = len(files)
    tp = sum(f.people_tp for f in files)
    fp = sum(f.people_fp for f in files)
    fn = sum(f.people_fn for f in files)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    figures = {
        "reports": float(n),
        "meeting_date": _ratio(sum(f.meeting_date_ok for f in files), n),
        "authors": _ratio(sum(f.authors_ok for f in files), n),
        "body": _ratio(sum(f.body_ok for f in files), n),
        "title": _ratio(sum(f.title_ok for f in files), n),
        "sections_include": _ratio(sum(f.sections_found for f in files), sum(f.sections_expected for f in files)),
        "decisions_recall": _ratio(sum(f.decisions_matched for f in files), sum(f.decisions_gold for f in files)),
        "decisions_precision": _ratio(sum(f.decisions_correct for f in files), sum(f.decisions_parsed for f in files)),
        "tallies_exact": _ratio(sum(f.tallies_exact for f in files), sum(f.tallies_checked for f in files)),
        "people_precision": precision,
        "people_recall": recall,
        "people_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "people_resolved": _ratio(sum(f.resolved_found for f in files), sum(f.resolved_expected for f in files)),
        "not_people_attributed": float(sum(f.not_people_attributed for f in files)),
        "private_leaks": float(sum(f.private_leaks for f in files)),
    }
    checks: list[tuple[str, bool]] = [
        ("meeting date exact on every report", figures["meeting_date"] == 1.0),
        ("authors exact on every report", figures["authors"] == 1.0),
        ("body exact on every report", figures["body"] == 1.0),
        (f"decisions recall >= {targets.decisions_recall}", figures["decisions_recall"] >= targets.decisions_recall),
        (
            f"decisions precision >= {targets.decisions_precision}",
            figures["decisions_precision"] >= targets.decisions_precision,
        ),
        ("every tally exact", figures["tallies_exact"] == 1.0),
        (f"people F1 >= {targets.people_f1}", figures["people_f1"] >= targets.people_f1),
        (f"people resolved >= {targets.people_resolved}", figures["people_resolved"] >= targets.people_resolved),
        ("no not_people attributed", figures["not_people_attributed"] == 0),
        ("no private detail in the output", figures["private_leaks"] == 0),
    ]
    failures = [name for name, ok in checks if not ok]
    return EvalResult(files, figures, failures)


def evaluate(
    gold_path: Path,
    reports_dir: Path,
    *,
    parse: Callable[[bytes, str], ParsedReport] | None = None,
    targets: Targets | None = None,
) -> EvalResult:
    """Parse every report the gold file lists (from `reports_dir`) and score it."""
    from digests.errors import UserFacingError

    if parse is None:
        from digests.parser import parse_report

        def parse(data: bytes, name: str) -> ParsedReport:
            return parse_report(data, name=name)

    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserFacingError(f"cannot read the gold file {gold_path}: {type(exc).__name__}") from exc
    entries = gold.get("reports") if isinstance(gold, dict) else None
    if not isinstance(entries, list):
        raise UserFacingError(f"{gold_path} is not a gold file: it has no 'reports' list")
    files: list[FileScore] = []
    for entry in entries:
        path = reports_dir / entry["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserFacingError(f"cannot read report {path}: {type(exc).__name__}") from exc
        files.append(score_report(entry, parse(data, entry["file"])))
    return summarise(files, targets)


def render(result: EvalResult) -> str:
    """The result as terminal text: figures, then each file's misses, then the verdict."""
    lines = ["figures:"]
    for key, value in result.figures.items():
        shown = f"{int(value)}" if key in ("reports", "not_people_attributed", "private_leaks") else f"{value:.3f}"
        lines.append(f"  {key:<24} {shown}")
    for f in result.files:
        if f.misses:
            lines.append(f"{f.file}:")
            lines.extend(f"  - {miss}" for miss in f.misses)
    lines.append("PASS: every target met" if result.passed else "FAIL: " + "; ".join(result.failures))
    return "\n".join(lines)
