"""Exact shortcuts for matching: ASCII lower-casing in place of IGNORECASE, alternations grouped by first letter."""

from __future__ import annotations

import re
import string

from digests.matching import alternation_by_first_character, ascii_lower


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
