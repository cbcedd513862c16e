"""People extraction on invented text: full names, back-references, titles, roles via the knowledge base."""

from __future__ import annotations

import random
from datetime import date

import pytest

from digests import people as people_module
from digests.model import PersonMention, Section
from digests.people import extract_people, name_candidates
from digests.roles import canonical, holder


def _people(
    text: str, *, on: date | None = date(2031, 2, 3), authors: list[str] | None = None
) -> dict[str, PersonMention]:
    found = extract_people([Section(None, text)], title=None, authors=authors or [], meeting_date=on)
    return {p.name: p for p in found}


def test_full_names_and_first_name_back_references_merge() -> None:
    people = _people("Perpetua Quill opened the meeting. Later I asked Perpetua about Wexley, and Quill agreed.")
    assert set(people) == {"Perpetua Quill"}
    assert people["Perpetua Quill"].mentions == 3
    assert set(people["Perpetua Quill"].aliases) == {"Perpetua", "Quill"}
    assert len(people["Perpetua Quill"].sentences) == 2


def test_possessives_titles_and_post_nominals_are_stripped() -> None:
    people = _people("Dr Imogen Farthing's paper was welcomed. Cllr Rufus Penhallow MP spoke. Tobias Wren QC wrote.")
    assert set(people) == {"Imogen Farthing", "Rufus Penhallow", "Tobias Wren"}
    assert "Tobias Wren QC" in people["Tobias Wren"].aliases


def test_name_runs_join_on_one_space_and_end_at_punctuation_or_a_possessive() -> None:
    """A run of capitalised words goes on over one space or no-break space, keeps lower-case name particles
    and "of" after a peerage title, and carries the word right after it (for the reporting-verb check)."""

    def runs(sentence: str) -> list[tuple[str, str | None, str]]:
        return [(c.surface, c.title, c.next_word) for c in name_candidates(sentence)]

    assert runs("Perpetua Quill presented the plan") == [("Perpetua Quill", None, "presented")]
    assert runs("Perpetua\u00a0Quill spoke") == [("Perpetua Quill", None, "spoke")]
    assert runs("Perpetua  Quill spoke") == [("Perpetua", None, ""), ("Quill", None, "spoke")]
    assert runs("Perpetua Quill’s paper") == [("Perpetua Quill", None, "")]
    assert runs("Lord Quill of Wexley spoke") == [("Quill of Wexley", "Lord", "spoke")]
    assert runs("Anna de Vries-Quill spoke") == [("Anna de Vries-Quill", None, "spoke")]
    assert runs("a plan by Perpetua Quill, Rufus Penhallow") == [
        ("Perpetua Quill", None, ""),
        ("Rufus Penhallow", None, ""),
    ]
    assert runs("The Wexley Trust met") == []


def _runs_word_by_word(sentence: str) -> list[tuple[list[str], str]]:
    """The plain form of the name-run scan: every word in turn (the parser skips to capitalised words)."""
    vocab = people_module.vocabulary()
    out: list[tuple[list[str], str]] = []
    run: list[str] = []
    closed = contiguous = False
    for word, gap in people_module._WORD_AND_GAP.findall(sentence):
        capital = word[0] in people_module._CAPITALS
        possessive = len(word) > 2 and word.endswith(("'s", "’s", "'", "’"))
        if possessive:
            word = word[:-2] if word.endswith(("'s", "’s")) else word[:-1]
        text = word.strip("-")
        inside = text in vocab.particles or (
            text == "of" and bool(run) and run[0] in ("Lord", "Baroness", "Lady", "Dame", "Sir")
        )
        if run and contiguous and not closed and (capital or inside):
            run.append(text)
        else:
            if run:
                out.append((run, text if contiguous and not closed else ""))
            run, closed = ([text], False) if capital else ([], False)
        if possessive and run:
            closed = True
        contiguous = bool(gap)
    if run:
        out.append((run, ""))
    return out


def test_the_name_run_scan_finds_what_a_word_by_word_scan_finds() -> None:
    pieces = ["Perpetua", "Quill", "quill", "de", "of", "Lord", "McDonald", "O'Brien", "o'Brien", "-Quill", "’s", "'s"]
    pieces += [" ", " ", "\u00a0", "  ", ", ", "-", "'", "’", "x", "É", "élan", "Ørsted", "1", "."]
    pieces += ["de-", "de's", "del", "della", "Van", "of-", "ofs", "of's", "A's", "Sir", "ex-Quill", "d'", "×A", "þ"]
    rng = random.Random(3)
    vocab = people_module.vocabulary()
    for _ in range(4000):
        sentence = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert list(people_module._runs(sentence, vocab)) == _runs_word_by_word(sentence), sentence


def test_a_reporting_verb_marks_an_unusual_given_name_as_a_person() -> None:
    assert "Zephyrine Tolliver" in _people("Zephyrine Tolliver presented the digital plan.")


def test_organisations_places_and_committees_are_not_people() -> None:
    text = (
        "Blue State Digital presented. The Ferndale Workers Alliance and the Northshire Labour Network met at "
        "Brewer Street and Stoke Rochford. The Shadow Cabinet, Refounding Labour, Left Futures and LabourList "
        "were discussed, as was the Wexley Organisation Sub-committee and Victoria Street. Birmingham Erdington "
        "voted in May. Monday Club members came."
    )
    assert _people(text) == {}


def test_role_references_resolve_to_the_holder_on_the_meeting_date() -> None:
    text = "The General Secretary reported on staffing. The Deputy Leader's report followed."
    early = _people(text, on=date(2013, 5, 21))
    late = _people(text, on=date(2022, 3, 29))
    assert {"Iain McNicol", "Harriet Harman"} <= set(early)
    assert "General Secretary" in early["Iain McNicol"].roles
    assert {"David Evans", "Angela Rayner"} <= set(late)


def test_a_lone_first_name_resolves_through_the_role_holders_of_the_day() -> None:
    assert "Harriet Harman" in _people("Harriet spoke about the local elections.", on=date(2012, 5, 1))
    assert _people("Harriet spoke about the local elections.", on=None) == {}


def test_qualified_roles_are_not_resolved() -> None:
    people = _people("Whoever becomes the new Leader of the Northshire group will need help.", on=date(2013, 5, 21))
    assert people == {}


def test_aliases_misspellings_and_peerage_titles_use_the_knowledge_base() -> None:
    people = _people("Lord Collins of Highbury will review it. Dianna Holland was thanked. Junker's commission.")
    assert {"Ray Collins", "Diana Holland", "Jean-Claude Juncker"} <= set(people)
    assert "Dianna Holland" in people["Diana Holland"].aliases


def test_the_author_counts_as_a_person_mentioned() -> None:
    assert "Perpetua Quill" in _people("We met in Wexley.", authors=["Perpetua Quill"])


def test_ambiguous_first_name_prefers_the_role_holder() -> None:
    people = _people("Ed Balls and Ed Miliband spoke. Ed thanked members.", on=date(2013, 5, 21))
    assert people["Ed Miliband"].mentions == 2
    assert people["Ed Balls"].mentions == 1


def test_knowledge_base_lookups() -> None:
    assert holder("General Secretary", on=date(2016, 1, 1)) == "Iain McNicol"
    assert holder("GS", on=date(2025, 1, 1)) == "Hollie Ridley"
    assert holder("Leader", on=date(2015, 6, 1)) == "Harriet Harman"
    assert holder("Leader", on=date(1990, 1, 1)) is None
    assert holder("Chief Dragon", on=date(2020, 1, 1)) is None
    assert canonical("lord sainsbury") == "David Sainsbury"
    assert canonical("Nobody Atall") is None


@pytest.mark.parametrize("word", ["May", "Will", "Labour", "Europe"])
def test_common_capitalised_words_are_not_taken_for_first_names(word: str) -> None:
    assert _people(f"{word} was discussed at length.") == {}


def test_first_names_beyond_the_hand_kept_list_start_a_full_name() -> None:
    people = _people("A motion from Delia Marsh calling for a review was heard. Oksana Brennan seconded it.")
    assert set(people) == {"Delia Marsh", "Oksana Brennan"}


def test_names_that_are_also_words_months_or_places_do_not_make_people() -> None:
    people = _people(
        "The Justice Committee met in May Day week. Royal Mail staff and Hope Street residents wrote to "
        "the Tory Party. Funding was cut in Camden Council."
    )
    assert people == {}
