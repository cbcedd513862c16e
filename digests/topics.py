"""Topic tagging from the controlled vocabulary in `digests/data/topics.json`."""

from __future__ import annotations

import json
import math
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


# A sentence is about every topic it names; a whole report mentions most topics in passing, so on long
# texts a topic must come up often (relative to the strongest one) to count.
LONG_TEXT = 1500
MAX_TOPICS_LONG = 6


def assign_topics(text: str) -> list[str]:
    """Topic names from the controlled vocabulary that the text is about, strongest first."""
    scores: list[tuple[int, int, str]] = []
    for order, (topic, pattern) in enumerate(vocabulary()):
        hits = sum(1 for _ in pattern.finditer(text))
        if hits:
            scores.append((-hits, order, topic))
    scores.sort()
    if len(text) < LONG_TEXT or not scores:
        return [topic for _, _, topic in scores]
    floor = max(2, math.ceil(-scores[0][0] * 0.25))
    return [topic for hits, _, topic in scores if -hits >= floor][:MAX_TOPICS_LONG]
