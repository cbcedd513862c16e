"""Topic tagging from the controlled vocabulary."""

from __future__ import annotations

import pytest

from digests.topics import (
    _fast_form,
    _fast_pattern,
    _pattern,
    _topic_hits,
    assign_topics,
    topic_names,
)


def test_topics_come_from_the_vocabulary_strongest_first() -> None:
    topics = assign_topics("We voted to proscribe the Ferndale Forum; the proscription follows two proscribed groups.")
    assert topics[0] == "proscription"
    assert set(topics) <= set(topic_names())


def test_selection_finance_and_nations_keywords() -> None:
    assert "selections" in assign_topics("The Ashby Vale parliamentary selection will be open.")
    assert "finance" in assign_topics("The levy for supporters will be £3.")
    assert "Scotland" in assign_topics("The Scottish Executive Committee met.")
    assert "Wales" in assign_topics("Welsh Labour reported.")


def test_no_topic_for_unrelated_text_and_no_partial_words() -> None:
    assert assign_topics("The weather was lovely and the tea was hot.") == []
    assert "Europe" not in assign_topics("Reuse the meal plan.")


def test_a_long_text_keeps_only_its_main_topics() -> None:
    text = ("The selection panel met and the shortlist for each selection was agreed. " * 30) + "One e-mail went out."
    topics = assign_topics(text)
    assert topics[0] == "selections"
    assert "digital" not in topics


def _reference_hits(text: str) -> list[int]:
    return [int(m.lastgroup[1:]) for m in _pattern().finditer(text) if m.lastgroup]


def test_the_fast_matcher_finds_exactly_what_the_reference_pattern_finds() -> None:
    """Case, hyphens, adjacent keywords, amounts and word boundaries: the same keywords, in the same order."""
    texts = [
        "SELECTIONS, Selected and PPCs; the e-mail and EMAILS and emails-list about £5,000k and £ 5 or £5.2bn.",
        "Clause IV and clause ivx; the EU, the EUx and eu-wide; rule book, RULEBOOK, rule-book and sub-committee.",
        "Unite, united, UNISON and the GMB; black, asian members; LGBTQ+ and lgbt; a by-election, by-elections.",
        "x-council council_ _council 5council council- -council Councils\ncouncil\tcouncillors",
        "£5,£6 and £7.£8, £9,budget £10;£11 funds,funding",
        "The NEC Elections Sub-Committee met the Organisation Committee at the away-day on the terms of reference.",
    ]
    for text in texts:
        assert _fast_pattern() is not None
        assert list(_topic_hits(text)) == _reference_hits(text), text


def test_letters_that_fold_to_ascii_letters_are_matched_as_ignorecase_matches_them() -> None:
    """ "ſ" (long s) matches "s" and the Kelvin sign matches "k" under IGNORECASE: such texts keep their topics."""
    assert "selections" in assign_topics("The ſelection panel met.")
    assert "elections and campaigns" in assign_topics("Our \u212aey seats were named.")  # Kelvin sign for K
    assert list(_topic_hits("The ſelection İnvestigation and ınvestigation")) == _reference_hits(
        "The ſelection İnvestigation and ınvestigation"
    )


@pytest.mark.parametrize(
    ("keyword", "fast"),
    [
        ("selections?", "selections?"),
        ("EU\\b", "eu\\b"),
        ("PPCs?", "ppcs?"),
        ("£\\d[\\d,.]*(?:k|m|bn)?", "£\\d[\\d,.]*(?:k|m|bn)?"),
        ("suspen(?:ded|sions?)", "suspen(?:ded|sions?)"),
        ("ab|cd", None),  # cannot be split after its first character
        ("e?mail", None),  # a quantifier on the first character
        ("\\bx", None),  # the first character is not a plain one
        ("x[A-Z]", None),  # capitals in a class
        ("x(y)", None),  # a capturing group
        ("x\\x41", None),  # a character given by its code
        ("café", None),  # a non-ASCII letter
    ],
)
def test_keywords_that_do_not_fit_the_fast_form_are_refused(keyword: str, fast: str | None) -> None:
    assert _fast_form(keyword) == fast
