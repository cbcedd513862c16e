"""Topic tagging from the controlled vocabulary in `digests/data/topics.json`."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(topic, pattern) pairs in vocabulary order; each pattern is one alternation of the topic's keywords."""
    raw = json.loads(resources.files("digests.data").joinpath("topics.json").read_text(encoding="utf-8"))
    out = []
    for topic, keywords in raw["topics"].items():
        alternatives = "|".join(f"(?:{k})" for k in keywords)
        out.append((topic, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    return tuple(out)


def topic_names() -> list[str]:
    """Every topic of the controlled vocabulary, in vocabulary order."""
    return [topic for topic, _ in vocabulary()]


def assign_topics(text: str) -> list[str]:
    """Topic names from the controlled vocabulary that the text is about, strongest first."""
    scores: list[tuple[int, int, str]] = []
    for order, (topic, pattern) in enumerate(vocabulary()):
        hits = sum(1 for _ in pattern.finditer(text))
        if hits:
            scores.append((-hits, order, topic))
    return [topic for _, _, topic in sorted(scores)]
