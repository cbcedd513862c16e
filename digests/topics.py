"""Topic tagging from the controlled vocabulary in `digests/data/topics.json`."""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Topic names in vocabulary order."""
    return tuple(_raw_topics())


@lru_cache(maxsize=1)
def _raw_topics() -> dict[str, list[str]]:
    raw = json.loads(resources.files("digests.data").joinpath("topics.json").read_text(encoding="utf-8"))
    topics: dict[str, list[str]] = raw["topics"]
    return topics


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    """One pattern for the whole vocabulary (one pass over the text); group `t<i>` is topic number i."""
    groups = []
    for i, keywords in enumerate(_raw_topics().values()):
        groups.append(f"(?P<t{i}>" + "|".join(f"(?:{k})" for k in keywords) + ")")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(groups)})(?![\w-])", re.IGNORECASE)


def topic_names() -> list[str]:
    """Every topic of the controlled vocabulary, in vocabulary order."""
    return list(vocabulary())


# A sentence is about every topic it names; a whole report mentions most topics in passing, so on long
# texts a topic must come up often (relative to the strongest one) to count.
LONG_TEXT = 1500
MAX_TOPICS_LONG = 6


def assign_topics(text: str) -> list[str]:
    """Topic names from the controlled vocabulary that the text is about, strongest first."""
    names = vocabulary()
    counts: dict[int, int] = {}
    for m in _pattern().finditer(text):
        if m.lastgroup:
            index = int(m.lastgroup[1:])
            counts[index] = counts.get(index, 0) + 1
    scores = sorted((-hits, index, names[index]) for index, hits in counts.items())
    if len(text) < LONG_TEXT or not scores:
        return [topic for _, _, topic in scores]
    floor = max(2, math.ceil(-scores[0][0] * 0.25))
    return [topic for hits, _, topic in scores if -hits >= floor][:MAX_TOPICS_LONG]
