"""Key points of a meeting: a few sentences per section, quoted word for word.

A plain extractive scorer: a sentence scores by how many of the meeting's frequent content words it
holds (normalised by length), with a lift for figures and decision verbs, which members look for first.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from digests.views import SectionPoints

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘(])")
_WORD = re.compile(r"[a-z][a-z'’-]+")
_DECISION_WORDS = re.compile(r"\b(agreed|approved|decided|endorsed|voted|rejected|carried|elected|appointed)\b", re.I)
MIN_WORDS, MAX_WORDS = 6, 60


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    data = json.loads(resources.files("digests").joinpath("data/keypoint_stopwords.json").read_text("utf-8"))
    return frozenset(data["words"])


def sentences(text: str) -> list[str]:
    """The text's sentences, with line breaks inside a sentence folded to spaces."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[-*•])", text):
        flat = " ".join(block.split()).lstrip("-*• ").strip()
        if flat:
            out.extend(s.strip() for s in _SENTENCE.split(flat) if s.strip())
    return out


def _content_words(sentence: str) -> list[str]:
    stop = _stopwords()
    return [w for w in _WORD.findall(sentence.lower()) if w not in stop]


def key_points(
    sections: Sequence[tuple[str | None, str]], *, per_section: int = 2, max_sections: int = 8
) -> tuple[SectionPoints, ...]:
    """Up to `per_section` sentences from each of the first `max_sections` sections, in text order."""
    split = [(heading, sentences(text)) for heading, text in sections if text.strip()]
    frequency = Counter(w for _, sents in split for s in sents for w in set(_content_words(s)))
    out: list[SectionPoints] = []
    for heading, sents in split:
        scored: list[tuple[float, int, str]] = []
        for index, sentence in enumerate(sents):
            count = len(sentence.split())
            if not MIN_WORDS <= count <= MAX_WORDS:
                continue
            content = _content_words(sentence)
            if not content:
                continue
            score = sum(frequency[w] for w in content) / (len(content) ** 0.5)
            if any(ch.isdigit() for ch in sentence):
                score *= 1.2
            if _DECISION_WORDS.search(sentence):
                score *= 1.5
            scored.append((score, index, sentence))
        best = sorted(scored, key=lambda item: (-item[0], item[1]))[:per_section]
        if best:
            points = tuple(sentence for _, _, sentence in sorted(best, key=lambda item: item[1]))
            out.append(SectionPoints(heading or "Report", points))
        if len(out) >= max_sections:
            break
    return tuple(out)
