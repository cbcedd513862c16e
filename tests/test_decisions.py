"""Decision and tally extraction on invented report text (invented committees and people)."""

from __future__ import annotations

from datetime import date

import pytest

from digests.decisions import extract_decisions
from digests.model import Decision, Section, Tally
from digests.tallies import find_tally

DAY = date(2031, 2, 3)


def _decide(text: str, heading: str | None = "Business") -> list[Decision]:
    return extract_decisions([Section(heading, text)], meeting_date=DAY)


@pytest.mark.parametrize(
    ("sentence", "tally"),
    [
        ("The motion was passed by 19 votes to 11.", Tally(19, 11)),
        ("We agreed by 14 votes (including me) to 10 to defer it.", Tally(14, 10)),
        ("It was carried by 21 votes to 10 with 1 abstention.", Tally(21, 10, 1)),
        ("It was passed by twelve votes to three, with two abstentions.", Tally(12, 3, 2)),
        ("The vote was 19-11 and the motion passed.", Tally(19, 11)),
        ("This was agreed unanimously.", Tally(unanimous=True)),
        ("19 for, 11 against and 2 abstentions.", Tally(19, 11, 2)),
        ("We agreed BY 19 VOTES TO 11.", Tally(19, 11)),
        ("It was carried by 19 to 11.", Tally(19, 11)),
        ("There were 19 in favour and 11 AGAINST.", Tally(19, 11)),
    ],
)
def test_tallies_in_all_their_forms(sentence: str, tally: Tally) -> None:
    found = find_tally(sentence)
    assert found is not None and found.tally == tally


@pytest.mark.parametrize(
    "sentence",
    [
        "Labour won a council seat in Wexley by 40 votes.",
        "We took 41% share of the vote in Upper Wexley.",
        "Training runs for 12-18 months.",
        "The 19-11 result was a close one.",
    ],
)
def test_election_results_and_ranges_are_not_tallies(sentence: str) -> None:
    assert find_tally(sentence) is None


def test_reported_decision_with_tally_and_subject() -> None:
    [d] = _decide("The Northshire Executive agreed by 12 votes to 3 to postpone the boundary review until spring.")
    assert d.tally == Tally(12, 3)
    assert d.subject == "Postpone the boundary review until spring"
    assert d.committee == "Northshire Executive"
    assert d.section == "Business"


def test_first_person_passive_and_this_was_agreed_forms() -> None:
    text = (
        "We agreed to open the Ferndale selection.\n"
        "It was agreed that Perpetua Quill will chair the working group on youth sections.\n"
        "I asked that the regional board publish its minutes – transparency matters – and this was agreed."
    )
    subjects = [d.subject for d in _decide(text)]
    assert subjects == [
        "Open the Ferndale selection",
        "Perpetua Quill will chair the working group on youth sections",
        "The regional board publish its minutes",
    ]


def test_several_we_agreed_sentences_in_one_bullet_are_several_decisions() -> None:
    text = (
        "- We agreed the recommendation that Ashby Vale be an open selection. We also agreed the timetable for "
        "the Wexley mayoral ballot (£5 for supporters). We received a report on the spring rally and agreed that "
        "every fringe panel should include a young member."
    )
    decisions = _decide(text)
    assert len(decisions) == 3
    assert decisions[0].subject == "Ashby Vale be an open selection"
    assert "fringe panel" in decisions[2].subject


def test_a_request_granted_is_a_decision_of_the_committee_named() -> None:
    text = (
        "At our meeting of the Boundaries Sub-committee the day before I requested an audit of branch "
        "boundaries in Wexley and was pleased to secure agreement to this."
    )
    [d] = _decide(text)
    assert d.subject == "An audit of branch boundaries in Wexley"
    assert d.committee == "Boundaries Sub-committee"


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("We have negotiated a new deal for the Wexley staff.", "New deal for the Wexley staff"),
        (
            "We won the backing of the executive for a review of fees.",
            "We won the backing of the executive for a review of fees",
        ),
    ],
)
def test_concessions_won_are_decisions_without_a_decision_verb(sentence: str, subject: str) -> None:
    [d] = _decide(sentence)
    assert d.subject == subject


def test_plural_decision_with_one_tally_per_item_becomes_one_decision_per_item() -> None:
    text = (
        "Finally, we voted to proscribe two organisations. Ferndale Forum has campaigned against our "
        "candidates for years. This was passed by 18 votes to 9. Wexley Workers Circle stood candidates "
        "against us in 2029. This was passed by 17 votes to 10. I voted for both."
    )
    decisions = _decide(text)
    assert [(d.subject, d.tally) for d in decisions] == [
        ("Ferndale Forum proscribed", Tally(18, 9)),
        ("Wexley Workers Circle proscribed", Tally(17, 10)),
    ]
    assert decisions[0].topics[0] == "proscription"


def test_tally_in_the_next_sentence_belongs_to_the_decision_before() -> None:
    [d] = _decide("We agreed to merge the two Wexley branches. This was carried by 20 votes to 4.")
    assert d.tally == Tally(20, 4)
    assert d.subject == "Merge the two Wexley branches"


@pytest.mark.parametrize(
    "sentence",
    [
        "Bartholomew Snell reported that our MEPs had rejected the budget and instead voted for growth.",
        "We noted the results of the Ferndale by-election.",
        "We received a report on the Wexley accounts.",
        "Labour won a council seat in Wexley by 40 votes.",
        "The NEC recommended voting against, and needless to say it was voted down by conference.",
        "The manifesto was subsequently agreed by conference.",
        "The tough decisions taken last year led to savings.",
        "Bartholomew Snell agreed that it was risky.",
        "To his credit he agreed and came with me.",
        "The new directors that had been appointed in recent months were introduced.",
        "The issue was supposed to have been resolved years ago.",
        "This review will be carried out in a timely manner.",
        "I spoke and voted in favour of all three proscriptions.",
        "Whoever was elected as the new Leader of the Northshire party would need support.",
    ],
)
def test_things_that_look_like_decisions_but_are_not(sentence: str) -> None:
    assert _decide(sentence) == []


def test_election_to_a_party_office_is_a_decision() -> None:
    [d] = _decide("Oswin Harrow was congratulated on his re-election to the role of Party Treasurer, unopposed.")
    assert d.subject == "Oswin Harrow re-elected Treasurer"
    assert d.people == ["Oswin Harrow"]


def test_duplicates_are_dropped_and_long_junk_stays_quick() -> None:
    text = "We agreed to open the Ferndale selection. " * 3
    assert len(_decide(text)) == 1
    junk = ("agreed " * 50_000) + "."
    assert isinstance(_decide(junk), list)


def test_subject_leaves_the_tally_beside_it_not_inside_it() -> None:
    (d,) = _decide("The executive approved the branch grants scheme by 11 votes to 3 with 1 abstention.")
    assert d.subject == "The branch grants scheme"
    assert d.tally == Tally(11, 3, 1)


def test_pronoun_object_is_named_from_the_sentence_before() -> None:
    text = "The postponed rules on ward boundaries came back from April. The executive approved them by 9 votes to 4."
    (d,) = _decide(text)
    assert d.subject == "The postponed rules on ward boundaries approved"
    assert d.tally == Tally(9, 4)


def test_settled_complaints_and_approved_minutes_are_not_decisions() -> None:
    text = (
        "The secretary reported that 30 complaints had been received and that 28 had been resolved. "
        "The minutes of the meeting of 2 May were agreed as a correct record."
    )
    assert _decide(text) == []


def test_relative_passive_names_what_was_agreed() -> None:
    (d,) = _decide("The treasurer presented the revised budget, which was agreed.")
    assert d.subject == "The revised budget agreed"


@pytest.mark.parametrize(
    ("sentence", "subject", "tally"),
    [
        ("NEC members voted 24-10 to open the selections in Wexley.", "Open the selections in Wexley", Tally(24, 10)),
        ("The motion fell by 12 votes to 15.", "The motion defeated", Tally(12, 15)),
        ("A vote was taken and the amendment was lost, 10 for, 14 against.", "The amendment defeated", Tally(10, 14)),
        (
            "My amendment to the rule changes was narrowly defeated by 14 votes to 13.",
            "My amendment to the rule changes defeated",
            Tally(14, 13),
        ),
        (
            "Agreed: that the Quorn Valley panel would report in July.",
            "The Quorn Valley panel would report in July",
            None,
        ),
        (
            "The NEC unanimously backed the plan for a youth conference.",
            "The plan for a youth conference",
            Tally(unanimous=True),
        ),
        (
            "The NEC confirmed Odile Brannock as the candidate for Wexley.",
            "Odile Brannock as the candidate for Wexley",
            None,
        ),
        ("The disputes panel upheld the appeal from Wexley CLP.", "The appeal from Wexley CLP", None),
        (
            "Odile Brannock was re-elected as chair of the Organisation Committee.",
            "Odile Brannock re-elected as chair of the Organisation Committee",
            None,
        ),
        (
            "Several members asked for a full audit of the accounts and this was agreed.",
            "A full audit of the accounts",
            None,
        ),
    ],
)
def test_more_ways_of_recording_a_decision(sentence: str, subject: str, tally: Tally | None) -> None:
    decisions = _decide(sentence)
    assert [(d.subject, d.tally) for d in decisions] == [(subject, tally)]


@pytest.mark.parametrize(
    "sentence",
    [
        "We voted against.",
        "Labour lost the seat by 40 votes.",
        "We lost three council seats and the motion at the council was defeated.",
        "Hopefully the amendment will be defeated next time.",
        "Our candidate was defeated in the mayoral election.",
        "I supported the motion in my CLP.",
    ],
)
def test_defeats_elsewhere_and_the_writers_own_votes_are_not_decisions(sentence: str) -> None:
    assert _decide(sentence) == []
