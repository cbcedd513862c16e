"""Splitting cleaned report text into plain sentences (linear time, no backtracking patterns)."""

from __future__ import annotations

import re

from digests.matching import contains_any
from digests.memo import remembered_in_parse

# Markdown emphasis and links keep their words: "**General Secretary**" -> "General Secretary",
# "[this article](#)" -> "this article".
_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_EMPHASIS = re.compile(r"\*{1,3}|__")
_BULLET = re.compile(r"^\s*(?:[-•*·▪‣◦–]|\(?\d{1,3}[.)]|\(?[a-z][.)](?=\s))\s+")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
# The spaces that `_SPACE` turns into " " even on their own. Looked for one by one: a search for a single
# character runs many times faster than the regex engine's scan for a class of them.
_ODD_SPACES = ("\t", "\u00a0", *(chr(c) for c in range(0x2000, 0x200C)))

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before white space and a
# capital, digit, opening quote or pound sign.
_BOUNDARY = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£])")
# `_BOUNDARY` for a line whose "!" and "?" are written as ".": a pattern that opens with one literal
# character, which the regex engine skips to many times faster than to one of a class of three.
_BOUNDARY_AT_DOT = re.compile(r"\.[\"'’”)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "cllr",
        "prof",
        "rt",
        "hon",
        "rev",
        "gen",
        "sec",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "cf",
        "approx",
        "fig",
        "ed",
        "jr",
        "sr",
        "lt",
        "col",
        "capt",
    ]
)


def normalise(text: str) -> str:
    """Text with Markdown emphasis and links reduced to their words and runs of spaces collapsed."""
    # Each pass runs only when the text has its character: most sentences have no link, emphasis or odd space.
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "*" in text or "__" in text:
        text = _MD_EMPHASIS.sub("", text)
    if "  " in text or ("\t" in text if text.isascii() else contains_any(text, _ODD_SPACES)):
        text = _SPACE.sub(" ", text)
    return text


def lines_of(text: str) -> list[str]:
    """Non-empty lines of `text`, normalised, with bullet and list markers removed."""
    out = []
    for line in normalise(text).splitlines():
        bullet = _BULLET.match(line)
        line = (line[bullet.end() :] if bullet else line).strip()
        if line:
            out.append(line)
    return out


# Real sentences are far shorter; a longer run without a full stop (pasted tables, junk) is cut into pieces so
# that the work done per sentence stays bounded and the whole parse stays linear in the input size.
MAX_SENTENCE = 1500


def _bounded(piece: str) -> list[str]:
    if len(piece) <= MAX_SENTENCE:
        return [piece]
    out = []
    start = 0
    while len(piece) - start > MAX_SENTENCE:
        cut = piece.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start + MAX_SENTENCE // 2 else start + MAX_SENTENCE
        out.append(piece[start:cut].strip())
        start = cut
    rest = piece[start:].strip()
    if rest:
        out.append(rest)
    return [chunk for chunk in out if chunk]


@remembered_in_parse
def split_sentences(text: str) -> list[str]:
    """Sentences of `text`: each line is split at sentence ends, not after common abbreviations."""
    return [bounded for sentence in _split(text) for bounded in _bounded(sentence)]


def _split(text: str) -> list[str]:
    sentences: list[str] = []
    for line in lines_of(text):
        start = 0
        for m in _BOUNDARY_AT_DOT.finditer(line.replace("!", ".").replace("?", ".")):  # (same length, same places)
            before = line[max(start, m.start() - 6) : m.start()]
            last_word = before.rsplit(" ", 1)[-1].lstrip("([\"'“‘").casefold()
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            piece = line[start : m.end()].strip()
            if piece:
                sentences.append(piece)
            start = m.end()
        piece = line[start:].strip()
        if piece:
            sentences.append(piece)
    return sentences
