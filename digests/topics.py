"""Topic tagging from the controlled vocabulary in `digests/data/topics.json`."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from digests.matching import ascii_lower


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
    """One pattern for the whole vocabulary (one pass over the text); group `t<i>` is topic number i.

    The reference form of the matching; `_fast_pattern` finds the same matches several times faster."""
    groups = []
    for i, keywords in enumerate(_raw_topics().values()):
        groups.append(f"(?P<t{i}>" + "|".join(f"(?:{k})" for k in keywords) + ")")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(groups)})(?![\w-])", re.IGNORECASE)


# Speed: `_pattern` tries ~150 case-insensitive alternatives at every word start (it was a fifth of the
# parse time). The regex engine skips an alternative at once only when it opens with a case-sensitive
# literal, and skips to candidate places only when the whole pattern opens with a plain class. So
# `_fast_pattern` matches the keywords in lower case against the text with its ASCII letters lower-cased
# (`ascii_lower`), grouped by first character, and takes the character before a keyword (`[^\w-]`) instead
# of looking behind at it. A text that `ascii_lower` cannot fold exactly is matched with `_pattern`.
# What a keyword may not contain for `_fast_pattern`: numeric or named character escapes, groups other
# than (?:...) and look-aheads, capitals inside a character class, empty or negated-empty classes, and
# non-ASCII characters other than £. Its first character must be a plain one with no quantifier after it.
_NOT_FAST = re.compile(r"\\[0-9xuUN]|\(\?(?![:=!])|\[[^\]]*[A-Z]|\[\^?\]|[^\x00-\x7f£]")
_PLAIN_START = re.compile(r"[a-zA-Z0-9£ ][^?*+{]")


def _fast_form(keyword: str) -> str | None:
    """The keyword pattern with its ASCII letters in lower case (escapes such as `\\b` left alone), or None
    when it does not fit `_fast_pattern`'s form."""
    if not _PLAIN_START.match(keyword) or _NOT_FAST.search(keyword) or re.compile(keyword).groups:
        return None
    out: list[str] = []
    depth, escaped, in_class = 0, False, False
    for char in keyword:
        out.append(char if escaped else char.lower())
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return None  # "ab|cd" cannot be split after its first character
    return "".join(out)


# A keyword in `_fast_form` whose matches surely end with a word character: one that ends with a letter or
# digit (no escape), perhaps then an optional letter, `\w*` or `\w+`, and a word boundary.
_ENDS_WITH_WORD_CHARACTER = re.compile(r"(?:.*[^\\])?[a-z0-9](?:[a-z0-9]\?)?(?:\\w[*+])?(?:\\b)?")


@lru_cache(maxsize=1)
def _fast_pattern() -> tuple[re.Pattern[str], tuple[int, ...], frozenset[int]] | None:
    """The vocabulary as one case-sensitive pattern for ASCII-lower-cased text, the topic number of each
    group (an empty group closes each keyword), and the groups of the keywords that may end with a character
    another keyword's match can start with; None when some keyword does not fit that form."""
    by_first: dict[str, list[tuple[str, int, bool]]] = {}
    for topic, keywords in enumerate(_raw_topics().values()):
        for keyword in keywords:
            lowered = _fast_form(keyword)
            if lowered is None:
                return None
            ends_in_word = _ENDS_WITH_WORD_CHARACTER.fullmatch(lowered) is not None and "\\\\" not in lowered
            by_first.setdefault(lowered[0], []).append((lowered[1:], topic, ends_in_word))
    # Keywords with different first characters never match at the same place, and within one first
    # character they keep the vocabulary's order: the first keyword that matches wins, as in `_pattern`.
    branches: list[str] = []
    group_topic: list[int] = [-1]  # groups are numbered in the order they appear; 0 is the whole match
    restart: set[int] = set()
    for first, rests in by_first.items():
        branches.append(f"{re.escape(first)}(?:{'|'.join(f'{rest}()' for rest, _, _ in rests)})")
        for _rest, topic, ends_in_word in rests:
            if not ends_in_word:
                restart.add(len(group_topic))
            group_topic.append(topic)
    return re.compile(rf"[^\w-](?:{'|'.join(branches)})(?![\w-])"), tuple(group_topic), frozenset(restart)


def _topic_hits(text: str) -> Iterator[int]:
    """The topic number of every keyword match in `text`, in order."""
    lowered, fast = ascii_lower(text), _fast_pattern()
    if lowered is None or fast is None:
        for m in _pattern().finditer(text):
            if m.lastgroup:
                yield int(m.lastgroup[1:])
        return
    pattern, group_topic, restart = fast
    padded = " " + lowered  # the character before the first keyword
    position = 0
    while True:
        for found in pattern.finditer(padded, position):
            index = found.lastindex
            if index:
                yield group_topic[index]
            if not index or index in restart:
                # The next keyword may start right after this one, its separator being this match's last
                # character ("£5,£6": a keyword can end with "," or "."), so the search goes on from that
                # character. A match that ends with a word character cannot be followed so: the search
                # goes on after it, as `finditer` does.
                position = found.end() - 1
                break
        else:
            return


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
    for index in _topic_hits(text):
        counts[index] = counts.get(index, 0) + 1
    scores = sorted((-hits, index, names[index]) for index, hits in counts.items())
    if len(text) < LONG_TEXT or not scores:
        return [topic for _, _, topic in scores]
    floor = max(2, math.ceil(-scores[0][0] * 0.25))
    return [topic for hits, _, topic in scores if -hits >= floor][:MAX_TOPICS_LONG]
