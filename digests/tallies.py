"""Vote tallies as reports write them: "passed by 19 votes to 11", "by 14 votes (including me) to 10",
"by 21 votes to 10 with 1 abstention", "19-11", "unanimously"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digests.matching import ascii_lower, contains_any, lower_twin
from digests.model import Tally

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "a": 1, "an": 1, "no": 0, "none": 0})
_NUM = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_ASIDE = r"(?:\s*\([^()]{0,80}\))?"
_ABSTAIN = rf"(?:\s*,?\s*(?:with|and|,)\s+{_NUM}\s+abstentions?)?"

# Each pattern is paired with a word it cannot match without: the number alternation is tried at every word of
# a sentence, which made tallies a quarter of the parse time, and an `in` test for the word is far cheaper.
_PATTERNS = (
    # "by 19 votes to 11", "by 14 votes (including me) to 10", "by 21 votes to 10 with 1 abstention"
    (
        "vote",
        re.compile(
            rf"\b(?:by\s+)?{_NUM}\s+votes?{_ASIDE}\s+(?:to|against)\s+{_NUM}(?:\s+votes?)?{_ASIDE}{_ABSTAIN}", re.I
        ),
    ),
    # "by 19 to 11"
    ("by", re.compile(rf"\bby\s+{_NUM}\s+to\s+{_NUM}\b{_ASIDE}{_ABSTAIN}", re.I)),
    # "19 for, 11 against, 1 abstention" / "19 in favour and 11 against"
    (
        "against",
        re.compile(
            rf"\b{_NUM}\s+(?:votes\s+)?(?:for|in favour){_ASIDE}\s*(?:,|and|to)?\s*{_NUM}\s+against{_ABSTAIN}",
            re.I,
        ),
    ),
)
# "19-11" only counts in a sentence about a vote, and not as a range of months or money. The check on the
# character before the first digit comes after that digit (`(?<![\d£$/.,-])(\d{1,3})` in effect), so that the
# pattern opens with a digit and the engine skips straight to the digits of a sentence.
_DASHED = re.compile(
    r"(\d(?<![\d£$/.,-]\d)\d{0,2})\s?[-–]\s?(\d{1,3})(?![\d%/.-])(?!\s*(?:months?|weeks?|years?|days?|hours?))"
)
_VOTE_CONTEXT = re.compile(r"\b(?:votes?|voted|passed|carried|agreed|approved|defeated|majority|ballot)\b", re.I)
_VOTE_WORDS = ("vote", "passed", "carried", "agreed", "approved", "defeated", "majority", "ballot")
_LONE_ABSTAIN = re.compile(rf"\b{_NUM}\s+abstentions?\b", re.I)
_UNANIMOUS = re.compile(r"\bunanimous(?:ly)?\b|\bwithout (?:dissent|opposition)\b|\bnem\.?\s?con\b", re.I)
_UNANIMOUS_WORDS = ("unanimous", "without", "nem")


@dataclass(frozen=True, slots=True)
class _Matchers:
    """The case-insensitive patterns, or their case-sensitive twins for text lower-cased by `ascii_lower`."""

    figures: tuple[tuple[str, re.Pattern[str]], ...]
    lone_abstain: re.Pattern[str]
    vote_context: re.Pattern[str]
    unanimous: re.Pattern[str]


_ANY_TEXT = _Matchers(_PATTERNS, _LONE_ABSTAIN, _VOTE_CONTEXT, _UNANIMOUS)
_LOWERED_TEXT = _Matchers(
    tuple((needed, lower_twin(pattern)) for needed, pattern in _PATTERNS),
    lower_twin(_LONE_ABSTAIN),
    lower_twin(_VOTE_CONTEXT),
    lower_twin(_UNANIMOUS),
)


@dataclass(frozen=True, slots=True)
class TallyMatch:
    """A tally and where its words sit in the sentence (to leave them out of a decision's subject)."""

    tally: Tally
    start: int
    end: int


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.casefold()
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text)


_LONGEST_NUMBER = max(3, *map(len, _NUMBER_WORDS))  # characters of `_NUM`: three digits or a number word


def _votes_search_start(lowered: str) -> int:
    """A place before which no match of the "by 19 votes to 11" pattern starts in `lowered` (which holds
    "vote"): the first "vote" less the longest "by", spaces and number that can stand before it.

    The pattern opens with a word boundary, so the regex engine tries it at every place it is given; a match
    holds "vote" right after its number and never another before, so none starts further back than this.
    """
    vote = lowered.find("vote")
    number_end = len(lowered[:vote].rstrip())  # the spaces before "vote" follow the number
    number_start = max(0, number_end - _LONGEST_NUMBER)
    return max(0, len(lowered[:number_start].rstrip()) - len("by"))


def find_tally(sentence: str) -> TallyMatch | None:
    """The first vote tally in the sentence, or None; "unanimously" gives a tally without figures."""
    # Words a pattern needs are looked for in the lower-cased sentence (when it folds exactly) first, and the
    # patterns run on it case-sensitively: the same places, the groups in lower case (`_number` folds them).
    lowered = ascii_lower(sentence)
    text, matchers = (sentence, _ANY_TEXT) if lowered is None else (lowered, _LOWERED_TEXT)
    for needed, pattern in matchers.figures:
        if lowered is None:
            m = pattern.search(text)
        elif needed not in lowered:
            m = None
        elif needed == "vote":
            m = pattern.search(text, _votes_search_start(lowered))
        else:
            m = pattern.search(text)
        if m:
            votes_for, against = _number(m.group(1)), _number(m.group(2))
            if votes_for is None or against is None or m.group(1).casefold() in ("a", "an", "no", "none"):
                continue
            abstain = _number(m.group(3))
            end = m.end()
            window = min(len(text), m.end() + 40)
            if abstain is None and (lowered is None or "abstention" in lowered[m.end() : window]):
                lone = matchers.lone_abstain.search(text, m.end(), window)
                if lone:
                    abstain, end = _number(lone.group(1)), lone.end()
            return TallyMatch(Tally(votes_for, against, abstain or None), m.start(), end)
    m = _DASHED.search(sentence)  # first: most sentences have no digit (and case matters: "19-11 Months")
    if m and (lowered is None or contains_any(lowered, _VOTE_WORDS)) and matchers.vote_context.search(text):
        return TallyMatch(Tally(int(m.group(1)), int(m.group(2))), m.start(), m.end())
    if lowered is not None and not contains_any(lowered, _UNANIMOUS_WORDS):
        return None
    m = matchers.unanimous.search(text)
    if m:
        return TallyMatch(Tally(unanimous=True), m.start(), m.end())
    return None
