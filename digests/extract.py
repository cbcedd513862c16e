"""Raw input to text: decode bytes, refuse binary, and turn HTML or Markdown into light-Markdown text.

The text handed on keeps headings as `# ` lines and bold-only lines as `**...**`, so the section splitter
sees the same shapes whether the report came as HTML, Markdown or pasted plain text.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from digests.errors import InputRejected
from digests.matching import contains_any

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 20 * 1024 * 1024

# Leading bytes of formats people upload by mistake; a report is never one of these.
_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF document)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"RIFF", "an audio or video file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])  # the characters of `_CONTROL_CHARS`
_TITLE_TAG = re.compile(r"<title[^>]{0,200}>([^<]{1,400})</title>", re.IGNORECASE)
_TITLE_SEARCH_LIMIT = 200_000
_TITLE_PARTS = re.compile(r"\s+[|»·–—-]\s+|:\s+")
_PAGE_LINE_MAX = 200
_PAGE_LINES_MAX = 400
_HEADINGS_MAX = 12
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|div|p|br|meta|title)\b", re.IGNORECASE)
_HTML_CLOSE_TAGS = re.compile(r"</(?:p|div|a|li|span|h[1-6]|td|section|article)>", re.IGNORECASE)
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,200}\")?\)")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
# `_MD_HEADING` and `_SETEXT_UNDERLINE` match only a line with one of these among its first characters.
_LINE_MARKS = ("#", "=", "-")
_MARK_WITHIN = 4


@dataclass(slots=True)
class ExtractedText:
    """Text of the input in light Markdown, plus what HTML metadata said about it."""

    text: str
    kind: str  # "text", "markdown" or "html"
    title: str | None = None
    published: date | None = None
    author: str | None = None
    warnings: list[str] = field(default_factory=list)
    # HTML only: other titles the page offers (the <title> and its parts, headings) and the page's short
    # lines outside the article (post footers, blog strap-lines), where the title and byline may live.
    title_candidates: list[str] = field(default_factory=list)
    page_lines: list[str] = field(default_factory=list)


def extract_text(data: bytes | str, *, name: str | None = None) -> ExtractedText:
    """Decode `data`, refuse what is not text, and render HTML/Markdown as light-Markdown text.

    Raises InputRejected (one-line reason) for empty, binary or oversized input.
    """
    text = decode_input(data)
    kind = detect_kind(text, name)
    if kind == "html":
        return _from_html(text)
    if kind == "markdown":
        return ExtractedText(text=normalise_markdown(text), kind="markdown")
    return ExtractedText(text=normalise_markdown(text), kind="text")


def decode_input(data: bytes | str) -> str:
    """Bytes or text to text; refuses empty, binary and oversized input with InputRejected."""
    if isinstance(data, str):
        if len(data) > MAX_INPUT_BYTES:
            raise InputRejected(f"input is too large ({len(data) // (1024 * 1024)} MB; the limit is 20 MB)")
        text = data.removeprefix("\ufeff")
    else:
        if len(data) > MAX_INPUT_BYTES:
            raise InputRejected(f"input is too large ({len(data) // (1024 * 1024)} MB; the limit is 20 MB)")
        if not data.strip():
            raise InputRejected("input is empty")
        text = _decode_bytes(data)
    if not text.strip():
        raise InputRejected("input is empty")
    _refuse_binary_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputRejected(f"input is not valid {encoding} text despite its byte-order mark") from exc
    for magic, label in _MAGIC_NUMBERS:
        if data.startswith(magic):
            raise InputRejected(f"input looks like {label}, not a text or HTML report")
    if b"\x00" in data[:65536]:
        raise InputRejected("input is binary (it contains NUL bytes), not a text or HTML report")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guess_decode(data)


def _guess_decode(data: bytes) -> str:
    # charset-normalizer is imported lazily: it is only needed for the rare non-UTF-8 input.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    # Reports are in English: a guess of some other single-byte Latin code page on a short text is
    # almost always Windows-1252 misread (£ as Ł), so prefer cp1252 whenever it decodes cleanly.
    if encoding.startswith(("cp12", "iso8859", "latin", "mac")):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    log.debug("input is not UTF-8; decoding as %s", encoding)
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def _refuse_binary_text(text: str) -> None:
    sample = text[:65536]
    if "\x00" in sample:
        raise InputRejected("input is binary (it contains NUL bytes), not a text or HTML report")
    # Counted as bytes: each of them is one byte in UTF-8, and no other character's encoding holds such a
    # byte, so deleting them from the encoded sample counts them at C speed (the pattern's scan did not).
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 20):
        raise InputRejected("input is binary (too many control characters), not a text or HTML report")


def detect_kind(text: str, name: str | None) -> str:
    """ "html", "markdown" or "text", from the name (file name, URL or content type) or the content."""
    hint = (name or "").lower().split("?", 1)[0]
    if hint.endswith((".html", ".htm", ".xhtml", "text/html", "application/xhtml+xml")):
        return "html"
    if hint.endswith((".md", ".markdown", "text/markdown")):
        return "markdown"
    head = text[:4096].lstrip()
    # Only the opening is lower-cased: each character lowers to one or more, so it decides the prefix.
    if head[: len("<!doctype html")].lower().startswith(("<!doctype html", "<html")):
        return "html"
    if _HTML_SNIFF.search(head) and len(_HTML_CLOSE_TAGS.findall(text[:20000])) >= 2:
        return "html"
    return "text"


def normalise_markdown(text: str) -> str:
    """Links to their text, `#` headings and setext headings to `# ` lines; other lines as they are."""
    if "](" in text:  # every link has it; the pattern, which may open with "!", is tried at every character
        text = _MD_LINK.sub(lambda m: m.group(1), text)
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if not contains_any(line[:_MARK_WITHIN], _LINE_MARKS):
            out.append(line)  # most lines: neither pattern is tried
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline:
            previous = out[-1].strip() if out else ""
            if 0 < len(previous) <= 80 and not previous.startswith(("-", "*", "#", "•")):
                # "Heading\n=====" (setext style); a lone "---" after a blank line is a rule and is dropped.
                out[-1] = "# " + previous
                continue
            if underline.group(1).startswith("-") and len(underline.group(1)) >= 3:
                out.append("")
                continue
        heading = _MD_HEADING.match(line)
        if heading:
            out.append("# " + heading.group(2))
            continue
        out.append(line)
    return "\n".join(out)


def _from_html(html: str) -> ExtractedText:
    title, published, author = _html_metadata(html)
    body = _trafilatura_text(html)
    page = _lxml_text(html)
    warnings: list[str] = []
    if not body:
        warnings.append("no article found in HTML")
        body = page
    blocks = [block for block in page.split("\n\n") if len(block) <= _PAGE_LINE_MAX]
    candidates = [title] if title else []
    raw_title = _raw_title(html)
    if raw_title:
        candidates += [raw_title, *(part.strip() for part in _TITLE_PARTS.split(raw_title) if part.strip())]
    candidates += [block[2:].strip() for block in blocks if block.startswith("# ")][:_HEADINGS_MAX]
    return ExtractedText(
        text=normalise_markdown(body),
        kind="html",
        title=title,
        published=published,
        author=author,
        warnings=warnings,
        title_candidates=list(dict.fromkeys(candidates)),
        page_lines=[block for block in blocks if not block.startswith("# ")][:_PAGE_LINES_MAX],
    )


def _raw_title(html: str) -> str | None:
    match = _TITLE_TAG.search(html, 0, _TITLE_SEARCH_LIMIT)
    if match is None:
        return None
    import html as html_module

    return " ".join(html_module.unescape(match.group(1)).split()) or None


def _trafilatura_text(html: str) -> str:
    import trafilatura

    try:
        result = trafilatura.extract(
            html,
            output_format="markdown",
            include_formatting=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
        )
    except Exception:  # trafilatura raises assorted errors on broken markup; fall back, never crash.
        log.warning("trafilatura failed on the HTML; falling back to a plain rendering", exc_info=True)
        return ""
    return (result or "").strip()


def _html_metadata(html: str) -> tuple[str | None, date | None, str | None]:
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    try:
        meta = extract_metadata(html, date_config=set_date_params(False))
    except Exception:  # metadata is a bonus; a broken page still yields its text.
        log.debug("no metadata from the HTML", exc_info=True)
        return None, None, None
    title = (meta.title or "").strip() or None
    published: date | None = None
    if meta.date:
        try:
            published = date.fromisoformat(str(meta.date)[:10])
        except ValueError:
            published = None
    author = (meta.author or "").strip() or None
    return title, published, author


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "table",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head"])
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


def _lxml_text(html: str) -> str:
    """A plain rendering of the page's text, one block per line, for pages trafilatura finds no article in."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^<>]{0,2000}>", " ", html)
    parts: list[str] = []
    skipping = 0
    # iterwalk rather than recursion: deeply nested junk markup must not hit the recursion limit.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skipping += 1
            if skipping:
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n# " if tag in _HEADING_TAGS else "\n- " if tag == "li" else "\n")
            if element.text:
                parts.append(element.text)
            continue
        if tag in _SKIP_TAGS:
            skipping -= 1
        elif not skipping and tag in _BLOCK_TAGS:
            parts.append("\n")
        if not skipping and element.tail:
            parts.append(element.tail)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parts).split("\n")]
    return "\n\n".join(line for line in lines if line and line not in {"#", "-"})
