"""Exact shortcuts for matching: ASCII lower-casing in place of IGNORECASE, alternations grouped by first letter."""

from __future__ import annotations

import random
import re
import string

import pytest

from digests import tallies
from digests.matching import alternation_by_first_character, ascii_lower, lower_twin, word_alternation


def test_only_four_non_ascii_letters_match_an_ascii_letter_ignoring_case() -> None:
    """`ascii_lower` stands in for case-insensitive searches only if this list is complete."""
    every_character = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    folding = set(re.findall("[a-z]", every_character, re.IGNORECASE)) - set(string.ascii_letters)
    assert folding == set("\u0130\u0131\u017f\u212a")
    for letter in folding:
        assert ascii_lower(f"a {letter} b") is None


def test_ascii_lower_changes_only_ascii_letters() -> None:
    assert ascii_lower("The NEC Agreed — £5, ÉLAN, Ünité") == "the nec agreed — £5, Élan, Ünité"


def test_phrases_grouped_by_first_character_match_as_the_plain_alternation_does() -> None:
    """Longest phrase first, and a shorter one when the longer cannot end at a word boundary."""
    phrases = ["Deputy Leader of the Party", "Deputy Leader", "Deputy", "Leaders", "Leader", "GS", "G"]
    grouped = re.compile(rf"(?:{alternation_by_first_character(phrases)})\b")
    plain = re.compile(rf"(?:{'|'.join(map(re.escape, phrases))})\b")
    text = "The Deputy Leader of the Party, the Deputy Leaders, Deputy Leaderx, the Leaders, the GS and G."
    assert [m.group() for m in grouped.finditer(text)] == [m.group() for m in plain.finditer(text)]
    assert [m.group() for m in grouped.finditer(text)][:2] == ["Deputy Leader of the Party", "Deputy"]


def test_a_word_is_in_the_lower_cased_text_when_a_case_insensitive_search_finds_it() -> None:
    texts = ["The NEC VOTED", "Unanimously AGREED by 9 Votes", "a vote—Against", "Ünanimous élan"]
    for text in texts:
        lowered = ascii_lower(text)
        assert lowered is not None and len(lowered) == len(text)
        for word in ["vote", "against", "unanimous", "agreed", "nec"]:
            assert (word in lowered) == bool(re.search(word, text, re.IGNORECASE))


# Texts built from the pieces the patterns care about: word characters, boundaries, case, the four letters
# that IGNORECASE folds to ASCII ones, digits and the punctuation around tallies.
_PIECES = ["agreed", "Agreed", "re-elected", "elected", "vote", "VOTES", "by", "to", "19", "11", "1", "-", "–", " "]
_PIECES += ["x", "_", "é", "\u212a", "£", ".", "(", ")", "\n", "months", "Months", "against", "for", "abstention"]


def _texts(count: int) -> list[str]:
    rng = random.Random(5)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 10))) for _ in range(count)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(pattern.groups + 1)) for m in pattern.finditer(text)]


def test_word_alternation_matches_as_a_word_boundary_before_the_plain_alternation_does() -> None:
    phrases = ["agreed", "re-elected", "elected", "e", "vote", "votes", "19"]
    fast = re.compile(rf"({word_alternation(phrases)})\b")
    plain = re.compile(rf"\b({'|'.join(map(re.escape, phrases))})\b")
    for text in _texts(3000):
        assert _spans(fast, text) == _spans(plain, text), text


def test_word_alternation_refuses_a_phrase_that_opens_with_punctuation() -> None:
    with pytest.raises(ValueError):
        word_alternation(["agreed", "-elected"])


def test_a_lower_twin_on_lower_cased_text_matches_where_the_case_insensitive_pattern_does() -> None:
    pattern = re.compile(r"\b(?:by\s+)?(\d{1,3}|a|one)\s+votes?\s+(?:to|against)\s+(\d{1,3})\b|\bx_?\S", re.I)
    twin = lower_twin(pattern)
    for text in _texts(3000):
        lowered = ascii_lower(text)
        if lowered is not None:
            assert _spans(twin, lowered) == _spans(pattern, text), text


def test_lower_twin_refuses_patterns_it_cannot_stand_in_for() -> None:
    for source, flags in [("votes", 0), ("Votes", re.I), ("élan", re.I), ("(?-i:votes)", re.I)]:
        with pytest.raises(ValueError):
            lower_twin(re.compile(source, flags))


def test_the_dashed_tally_pattern_checks_the_character_before_its_first_digit_as_a_look_behind_would() -> None:
    reference = re.compile(
        r"(?<![\d£$/.,-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d%/.-])(?!\s*(?:months?|weeks?|years?|days?|hours?))"
    )
    for text in [*_texts(3000), "19-11", "£19-11", "x19-11", "1919-11", "a 19 – 11 vote", ".5-6", "19-11 months"]:
        assert _spans(tallies._DASHED, text) == _spans(reference, text), text
