"""Split a cleaned report body into sections: heading, full text, and bullet or numbered items.

Headings come in several shapes: Markdown `#` lines, `**bold**` lines, short title-like lines followed by
a paragraph, short lines ending in ";" or ":" ("Other issues;"), and numbered titles in minutes
("1. Apologies"). A bullet that merely contains bold words ("- The **General Secretary** spoke ...") is
an item, not a heading. Section text keeps everything (paragraphs and items, one per line) so that
sentence-level extraction downstream sees the whole report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digests.model import Section

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_\n]{1,120}?)(?:\*\*|__)\s*[:;]?\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)[•\-*–·▪◦○●➢►]\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?:\d{1,3}[.)]|\(\d{1,3}\)|\([a-z]\)|[a-z][.)])\s+(?P<text>\S.*)$")
_INLINE_HEADING = re.compile(
    r"^\s{0,3}(?:\d{1,3}[.)]\s+)?(?:(?P<caps>[A-Z][A-Z'’&/,\- ]{2,60}[A-Z])\s*:"
    r"|(?:\*\*|__)(?P<bold>[^*_\n]{2,60}?)(?::(?:\*\*|__)|(?:\*\*|__):))\s+(?P<rest>\S.{10,})$"
)
_BOLD = re.compile(r"\*\*(?P<text>[^*\n]{1,500}?)\*\*|__(?P<text2>[^_\n]{1,500}?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?P<text>[^*\s][^*\n]{0,300}?)\*(?![\w*])")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_STRAIGHT_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})

_END_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "that",
        "which",
        "who",
        "were",
        "was",
        "is",
        "are",
        "be",
        "been",
        "being",
        "include",
        "included",
        "includes",
        "including",
        "follows",
        "following",
        "said",
        "says",
        "say",
        "asked",
        "told",
        "noted",
    ]
)
_PRONOUNS = frozenset(
    [
        "I",
        "we",
        "We",
        "he",
        "He",
        "she",
        "She",
        "they",
        "They",
        "you",
        "You",
        "us",
        "me",
        "him",
        "them",
        "his",
        "His",
        "my",
        "My",
        "their",
        "Their",
        "our",
        "Our",
        "it",
        "It",
    ]
)


@dataclass(frozen=True, slots=True)
class _Line:
    kind: str  # "blank", "heading", "item", "numbered", "plain"
    text: str
    indent: int = 0
    style: str = ""  # for numbered lines: "1." / "(1)" / "(a)" / "a." families


def split_sections(text: str) -> list[Section]:
    """Sections of `text` in order; text before the first heading is a section with heading None."""
    lines = [_classify(raw) for raw in _with_inline_headings(text.split("\n"))]
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if heading is not None or paragraphs:
            sections.append(Section(heading=heading, text="\n".join(paragraphs), items=list(items)))

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind == "blank":
            index += 1
            continue
        title = _heading_text(lines, index)
        if title is not None:
            flush()
            heading, paragraphs, items = title, [], []
            index += 1
            continue
        block, index = _read_block(lines, index)
        if line.kind in {"item", "numbered"}:
            items.append(block)
        paragraphs.append(block)
    flush()
    return sections


def _with_inline_headings(raw_lines: list[str]) -> list[str]:
    """A paragraph led by its own heading ("3. DEMOCRACY REVIEW: Katy Clark presented ...", "**Finance:**
    the accounts ...") becomes a heading line and a paragraph."""
    out: list[str] = []
    for raw in raw_lines:
        match = _INLINE_HEADING.match(raw) if ":" in raw else None
        head = match and (match.group("caps") or match.group("bold"))
        if match and head and (match.group("bold") or sum(ch.isalpha() for ch in head) >= 4):
            out.extend([f"**{head.strip()}**", "", match.group("rest")])
        else:
            out.append(raw)
    return out


def strip_emphasis(text: str) -> str:
    """Markdown bold and italic markers removed, words kept."""
    if "*" not in text and "_" not in text:
        return text
    text = _BOLD.sub(lambda m: m.group("text") or m.group("text2") or "", text)
    return _ITALIC.sub(lambda m: m.group("text"), text)


def is_title_like(text: str, *, max_words: int = 10) -> bool:
    """Short, capitalised, no final full stop, not ending on a function word, no pronouns: a heading's shape."""
    if len(text) > 80:
        return False  # before splitting: most lines tested are whole paragraphs
    words = text.split()
    if not 1 <= len(words) <= max_words:
        return False
    first = text.lstrip("\"'“‘(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if _SENTENCE_END.search(text) or text.endswith((",", "-", "–")):
        return False
    if words[-1].lower().strip(".,;:") in _END_WORDS:
        return False
    return not any(word.strip(".,;:!?\"'’") in _PRONOUNS for word in words)


def _classify(raw: str) -> _Line:
    text = raw.strip()
    if not text:
        return _Line("blank", "")
    if text[0].isupper():
        # Most lines: no heading, bullet or numbering mark opens with a capital, so the patterns are not tried.
        return _Line("plain", text, len(raw) - len(raw.lstrip()))
    heading = _MD_HEADING.match(raw) or _BOLD_LINE.match(raw)
    if heading:
        return _Line("heading", heading.group("text").strip())
    bullet = _BULLET.match(raw)
    if bullet:
        return _Line("item", bullet.group("text").strip(), len(bullet.group("indent")))
    numbered = _NUMBERED.match(raw)
    if numbered:
        return _Line("numbered", numbered.group("text").strip(), len(numbered.group("indent")), _style(raw))
    return _Line("plain", raw.strip(), len(raw) - len(raw.lstrip()))


def _style(raw: str) -> str:
    """The numbering family of a numbered line: minutes headings ("1.") and sub-items ("(a)") differ."""
    marker = raw.lstrip().split(None, 1)[0]
    paren = "(" if marker.startswith("(") else ""
    kind = "9" if any(ch.isdigit() for ch in marker) else "a"
    return paren + kind + marker[-1]


def _heading_text(lines: list[_Line], index: int) -> str | None:
    """The heading this line is, or None when it is body text."""
    line = lines[index]
    if line.kind == "heading":
        text = _tidy_heading(line.text)
        return text or None
    if line.kind not in {"plain", "numbered"}:
        return None
    following = _next_nonblank(lines, index)
    if following is None:
        return None
    text = strip_emphasis(line.text)
    if text.endswith((";", ":")):
        bare = _tidy_heading(text)
        if bare and is_title_like(bare, max_words=8) and line.kind == "plain":
            return bare
        return None
    if not is_title_like(text):
        return None
    if line.kind == "numbered":
        previous = _previous_nonblank(lines, index)
        if previous is not None and previous.kind == "numbered" and previous.style == line.style:
            return None
        return _tidy_heading(text) if _is_paragraph(following) else None
    previous_raw = lines[index - 1] if index > 0 else None
    if previous_raw is not None and previous_raw.kind != "blank":
        return None
    if following.kind in {"item", "numbered"} or _is_paragraph(following):
        adjacent = index + 1 < len(lines) and lines[index + 1].kind != "blank"
        if adjacent and following.kind == "plain" and following.text[:1].islower():
            return None  # a wrapped sentence continues on the next line
        return _tidy_heading(text)
    return None


def _tidy_heading(text: str) -> str:
    # Typographic quotes are straightened in headings so "Leader’s report" and "Leader's report" match.
    text = strip_emphasis(text).translate(_STRAIGHT_QUOTES)
    return text.strip().rstrip(";:").strip().strip("*_").strip()


def _is_paragraph(line: _Line) -> bool:
    if line.kind != "plain":
        return False
    text = strip_emphasis(line.text)
    return len(text.split()) >= 12 or _SENTENCE_END.search(text) is not None


def _next_nonblank(lines: list[_Line], index: int) -> _Line | None:
    # Index loops, not slices: a slice per line would make long inputs quadratic.
    for position in range(index + 1, len(lines)):
        if lines[position].kind != "blank":
            return lines[position]
    return None


def _previous_nonblank(lines: list[_Line], index: int) -> _Line | None:
    for position in range(index - 1, -1, -1):
        if lines[position].kind != "blank":
            return lines[position]
    return None


def _read_block(lines: list[_Line], index: int) -> tuple[str, int]:
    """One paragraph or item: the line plus its wrapped continuation lines, joined with spaces."""
    first = lines[index]
    parts = [strip_emphasis(first.text)]
    index += 1
    while index < len(lines):
        line = lines[index]
        if line.kind != "plain" or _heading_text(lines, index) is not None:
            break
        parts.append(strip_emphasis(line.text))
        index += 1
    return " ".join(parts), index
