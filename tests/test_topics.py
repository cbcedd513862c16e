"""Topic tagging from the controlled vocabulary."""

from __future__ import annotations

from digests.topics import assign_topics, topic_names


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
