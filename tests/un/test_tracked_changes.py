"""Proposals as tracked changes against a paragraph's words, the labels of new paragraphs,
and stances counted by regional group (no Django, no database).

The words are operative paragraph 3 of A/C.1/76/L.13 and amendments of the kind delegations
table in informal consultations."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolutions.un.text_comparison import WordChange, word_diff
from resolutions.un.tracked_changes import (
    apply_changes,
    changed_words,
    group_tally,
    insert_label,
    proposal_changes,
    spaced_runs,
    tally_phrase,
)

OP3 = (
    "Calls upon Member States to be guided in their use of information and communications "
    "technologies by the 2021 report of the Open-ended Working Group and the 2021 report of "
    "the Group of Governmental Experts;"
)
ENCOURAGES = OP3.replace("Calls upon", "Encourages").replace(
    "to be guided", "to be guided, as appropriate,"
)


def test_an_amendment_is_the_word_diff_of_the_current_words_into_the_proposed_ones():
    changes = proposal_changes("amend", OP3, ENCOURAGES)
    assert changes == word_diff(OP3, ENCOURAGES)
    assert WordChange("delete", "Calls upon") in changes
    assert WordChange("insert", "Encourages") in changes
    assert changed_words(changes) == (4, 3)


def test_a_deletion_strikes_the_whole_paragraph():
    assert proposal_changes("delete", OP3, "") == (WordChange("delete", OP3),)


def test_a_new_paragraph_is_inserted_whole():
    new = "Encourages Member States to support capacity-building;"
    assert proposal_changes("insert", OP3, new) == (WordChange("insert", new),)


def test_empty_words_make_no_change():
    assert proposal_changes("delete", "", "") == ()
    assert proposal_changes("insert", OP3, "  ") == ()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        proposal_changes("rewrite", OP3, ENCOURAGES)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (OP3, ENCOURAGES),
        ("A B C", "X B C"),  # the first word replaced
        ("A B C", "A B"),  # the last word deleted
        ("A B C", "B C D"),  # one word off the front, one onto the end
        ("A B", "X Y"),  # everything replaced
        ("B C", "A B C"),  # a word inserted at the start
        ("", "A new paragraph"),
        ("A paragraph struck", ""),
    ],
)
def test_accepting_every_change_gives_the_proposal_and_rejecting_gives_the_current_words(old, new):
    runs = spaced_runs(word_diff(old, new))
    assert apply_changes(runs, accept=True) == new
    assert apply_changes(runs, accept=False) == old


def test_spaces_go_inside_the_change_that_needs_them():
    runs = spaced_runs(word_diff("A B C", "A X C"))
    assert runs == [
        WordChange("equal", "A"),
        WordChange("delete", " B"),
        WordChange("insert", " X"),
        WordChange("equal", " C"),
    ]
    # A word inserted at the start: the space after it exists only once it is accepted.
    assert spaced_runs(word_diff("B C", "A B C")) == [
        WordChange("insert", "A "),
        WordChange("equal", "B C"),
    ]


words = st.lists(st.sampled_from(["Calls", "upon", "States", "to", "be", "guided", "2021"]))


@given(old=words, new=words)
def test_any_diff_accepted_or_rejected_gives_single_spaced_text(old, new):
    runs = spaced_runs(word_diff(" ".join(old), " ".join(new)))
    assert apply_changes(runs, accept=True) == " ".join(new)
    assert apply_changes(runs, accept=False) == " ".join(old)


def test_new_paragraphs_are_numbered_bis_ter_as_compilations_do():
    assert insert_label("OP3", 1) == "OP3 bis"
    assert insert_label("OP3", 2) == "OP3 ter"
    assert insert_label("OP6(a)", 3) == "OP6(a) quater"
    assert insert_label("OP3", 9) == "OP3 decies"
    assert insert_label("OP3", 19) == "OP3 vicies"
    assert insert_label("OP3", 20) == "OP3 new 20"
    with pytest.raises(ValueError, match="starts at 1"):
        insert_label("OP3", 0)


def test_stances_are_counted_by_regional_group_largest_first():
    groups = ["weog"] * 7 + ["eastern-european"] * 3 + ["latin-american-caribbean"] * 2
    assert group_tally(groups) == [("WEOG", 7), ("EEG", 3), ("GRULAC", 2)]
    assert tally_phrase("supported by", groups) == "supported by 12: WEOG 7, EEG 3, GRULAC 2"


def test_a_delegation_of_no_member_state_counts_as_other_and_ties_go_by_name():
    assert group_tally(["african", None, "asia-pacific"]) == [
        ("African Group", 1),
        ("Asia-Pacific", 1),
        ("other", 1),
    ]
    assert tally_phrase("objected by", []) == ""
