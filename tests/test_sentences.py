"""Sentence splitting and normalisation of cleaned report text."""

from __future__ import annotations

from digests.sentences import lines_of, normalise, split_sentences


def test_normalise_keeps_the_words_of_links_and_emphasis() -> None:
    assert normalise("**General Secretary** read [this article](https://example.org/a).") == (
        "General Secretary read this article."
    )
    assert normalise("a __bold__ word") == "a bold word"


def test_normalise_collapses_every_kind_of_space_run_to_one_space() -> None:
    assert normalise("one  two\tthree\u00a0four \u2003 five") == "one two three four five"
    assert normalise("plain text stays as it is") == "plain text stays as it is"


def test_each_odd_space_alone_becomes_a_plain_space_in_ascii_and_other_text() -> None:
    """Every character of the space class is found by normalise's quick test, in ASCII text (a tab) and not."""
    for odd in ["\t", "\u00a0", *(chr(c) for c in range(0x2000, 0x200C))]:
        assert normalise(f"one{odd}two") == "one two"
        assert normalise(f"café{odd}two") == "café two"
    assert normalise("café\u200ctwo") == "café\u200ctwo"  # a zero-width non-joiner is no space


def test_lines_lose_bullets_and_numbering() -> None:
    assert lines_of("- first point\n\n2. second point\n(a) third\n  • fourth") == [
        "first point",
        "second point",
        "third",
        "fourth",
    ]


def test_sentences_end_at_full_stops_but_not_after_abbreviations() -> None:
    assert split_sentences("Cllr. Quill spoke first. Mr Snell agreed. The vote was 9-4! Next item") == [
        "Cllr. Quill spoke first.",
        "Mr Snell agreed.",
        "The vote was 9-4!",
        "Next item",
    ]
