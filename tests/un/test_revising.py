"""The next revision's paragraphs: accepted proposals applied, numbered again as the UN
numbers a revised draft."""

import pytest

from resolutions.un.revising import (
    AMEND,
    DELETE,
    INSERT,
    AcceptedChange,
    ChangesConflict,
    ParagraphBefore,
    next_revision_symbol,
    position_after_edit,
    revised_paragraphs,
)


def pp(n: int, text: str | None = None, **fields) -> ParagraphBefore:
    return ParagraphBefore(
        f"pp{n}", "preambular", "", None, text or f"Recalling matter {n},", "Recalling", **fields
    )


def op(n: int, text: str | None = None, **fields) -> ParagraphBefore:
    return ParagraphBefore(
        f"op{n}", "operative", str(n), None, text or f"Decides on matter {n};", "Decides", **fields
    )


def sub(parent: str, item: str, text: str | None = None) -> ParagraphBefore:
    return ParagraphBefore(
        f"{parent}-{item}", "operative", f"({item})", parent, text or f"Item {item} of {parent};"
    )


TEXT = [
    pp(1),
    pp(2),
    op(1),
    op(2),
    op(3),
    op(4, "Decides:"),
    sub("op4", "a"),
    sub("op4", "b"),
    sub("op4", "c"),
    op(5),
]


def labels(revised) -> list[tuple[str | None, str]]:
    return [(p.was, p.label) for p in revised]


def test_nothing_accepted_gives_the_same_text_and_numbers():
    revised = revised_paragraphs(TEXT, [])
    assert [(p.label, p.number, p.text, p.lead) for p in revised] == [
        (p.label, p.number, p.text, p.lead) for p in TEXT
    ]
    assert not any(p.renumbered or p.amended or p.inserted for p in revised)


def test_an_amendment_replaces_the_words_and_finds_the_new_opening_phrase():
    revised = revised_paragraphs(
        TEXT, [AcceptedChange(AMEND, "op2", "Calls upon  Member States\nto act;", key=7)]
    )
    op2 = next(p for p in revised if p.label == "op2")
    assert op2.text == "Calls upon Member States to act;"
    assert op2.lead == "Calls upon"
    assert op2.amended
    assert op2.change == 7
    assert labels(revised) == labels(revised_paragraphs(TEXT, []))


def test_an_amendment_that_keeps_the_opening_keeps_its_lead():
    # "Stresses strongly" was marked up in the imported text; the grammar alone finds
    # "Stresses", so a lead found again would lose a word.
    marked = [
        ParagraphBefore("op1", "operative", "1", None, "Stresses strongly x;", "Stresses strongly")
    ]
    kept = revised_paragraphs(marked, [AcceptedChange(AMEND, "op1", "Stresses strongly y;")])
    assert kept[0].lead == "Stresses strongly"
    found = revised_paragraphs(marked, [AcceptedChange(AMEND, "op1", "Stresses that y;")])
    assert found[0].lead == "Stresses"
    none = revised_paragraphs(marked, [AcceptedChange(AMEND, "op1", "The Assembly acts;")])
    assert none[0].lead == ""


def test_a_deleted_operative_paragraph_moves_the_later_ones_up():
    revised = revised_paragraphs(TEXT, [AcceptedChange(DELETE, "op2")])
    assert labels(revised)[2:] == [
        ("op1", "op1"),
        ("op3", "op2"),
        ("op4", "op3"),
        ("op4-a", "op3-a"),
        ("op4-b", "op3-b"),
        ("op4-c", "op3-c"),
        ("op5", "op4"),
    ]
    assert [p.number for p in revised if p.part == "operative" and p.depth == 1] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert next(p for p in revised if p.label == "op3-a").parent_label == "op3"


def test_an_insertion_after_op3_becomes_op4():
    revised = revised_paragraphs(
        TEXT, [AcceptedChange(INSERT, "op3", "Encourages Member States to share;", key=1)]
    )
    new = next(p for p in revised if p.inserted)
    assert (new.label, new.number, new.lead, new.change) == ("op4", "4", "Encourages", 1)
    assert labels(revised)[6:] == [
        ("op4", "op5"),
        ("op4-a", "op5-a"),
        ("op4-b", "op5-b"),
        ("op4-c", "op5-c"),
        ("op5", "op6"),
    ]


def test_an_insertion_after_a_paragraph_with_sub_paragraphs_follows_them():
    revised = revised_paragraphs(TEXT, [AcceptedChange(INSERT, "op4", "Requests a report;")])
    assert [p.label for p in revised][-3:] == ["op4-c", "op5", "op6"]
    assert next(p for p in revised if p.inserted).label == "op5"


def test_an_insertion_at_the_end_becomes_the_last_paragraph():
    revised = revised_paragraphs(TEXT, [AcceptedChange(INSERT, "op5", "Decides to remain seized;")])
    assert (revised[-1].label, revised[-1].number, revised[-1].was) == ("op6", "6", None)


def test_two_insertions_after_one_paragraph_keep_their_order():
    revised = revised_paragraphs(
        TEXT,
        [
            AcceptedChange(INSERT, "op1", "Urges first;", key="bis"),
            AcceptedChange(INSERT, "op1", "Urges second;", key="ter"),
        ],
    )
    assert [(p.label, p.change) for p in revised if p.inserted] == [
        ("op2", "bis"),
        ("op3", "ter"),
    ]


def test_sub_paragraphs_are_lettered_again_within_their_parent():
    revised = revised_paragraphs(
        TEXT,
        [
            AcceptedChange(DELETE, "op4-a"),
            AcceptedChange(INSERT, "op4-b", "new item after (b);"),
        ],
    )
    subs = [(p.was, p.label, p.number, p.lead) for p in revised if p.parent_label == "op4"]
    assert subs == [
        ("op4-b", "op4-a", "(a)", ""),
        (None, "op4-b", "(b)", ""),
        ("op4-c", "op4-c", "(c)", ""),
    ]


def test_roman_sub_paragraphs_stay_roman():
    text = [
        op(1, "Decides:"),
        sub("op1", "a", "first;"),
        ParagraphBefore("op1-a-i", "operative", "(i)", "op1-a", "one;"),
        ParagraphBefore("op1-a-ii", "operative", "(ii)", "op1-a", "two;"),
        ParagraphBefore("op1-a-iii", "operative", "(iii)", "op1-a", "three;"),
        sub("op1", "b", "second;"),
    ]
    revised = revised_paragraphs(
        text,
        [AcceptedChange(DELETE, "op1-a-i"), AcceptedChange(INSERT, "op1-a-iii", "four;")],
    )
    assert [(p.label, p.number, p.depth) for p in revised] == [
        ("op1", "1", 1),
        ("op1-a", "(a)", 2),
        ("op1-a-i", "(i)", 3),
        ("op1-a-ii", "(ii)", 3),
        ("op1-a-iii", "(iii)", 3),
        ("op1-b", "(b)", 2),
    ]
    assert [p.text for p in revised if p.depth == 3] == ["two;", "three;", "four;"]


def test_deleting_a_paragraph_deletes_its_sub_paragraphs():
    revised = revised_paragraphs(TEXT, [AcceptedChange(DELETE, "op4")])
    assert [p.label for p in revised if p.part == "operative"] == ["op1", "op2", "op3", "op4"]
    assert revised[-1].was == "op5"


def test_the_preamble_is_numbered_on_its_own():
    revised = revised_paragraphs(
        TEXT,
        [
            AcceptedChange(INSERT, "pp1", "Noting with concern the new matter,"),
            AcceptedChange(DELETE, "op1"),
        ],
    )
    assert [(p.was, p.label, p.number, p.lead) for p in revised][:4] == [
        ("pp1", "pp1", "", "Recalling"),
        (None, "pp2", "", "Noting with concern"),
        ("pp2", "pp3", "", "Recalling"),
        ("op2", "op1", "1", "Decides"),
    ]


def test_headings_stay_with_their_paragraph_or_pass_to_the_one_in_its_place():
    section_two = ({"number": "II", "title": "Follow-up"},)
    text = [op(1), op(2, headings=section_two), op(3)]
    kept = revised_paragraphs(text, [AcceptedChange(INSERT, "op1", "Urges;")])
    assert [(p.label, p.headings) for p in kept] == [
        ("op1", []),
        ("op2", []),
        ("op3", list(section_two)),
        ("op4", []),
    ]
    moved = revised_paragraphs(text, [AcceptedChange(DELETE, "op2")])
    assert [(p.label, p.headings) for p in moved] == [("op1", []), ("op2", list(section_two))]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            [AcceptedChange(AMEND, "op2", "A;"), AcceptedChange(AMEND, "op2", "B;")],
            "OP2 has 2 accepted amendments",
        ),
        (
            [AcceptedChange(AMEND, "op2", "A;"), AcceptedChange(DELETE, "op2")],
            "OP2 is both amended and deleted",
        ),
        (
            [AcceptedChange(DELETE, "op4"), AcceptedChange(AMEND, "op4-b", "B;")],
            "OP4 is deleted with its sub-paragraphs, but an accepted proposal amends OP4(b)",
        ),
        (
            [AcceptedChange(DELETE, "op4"), AcceptedChange(INSERT, "op4-c", "d;")],
            "inserts a paragraph after OP4(c)",
        ),
        ([AcceptedChange(AMEND, "op1", "  ")], "An accepted amendment of OP1 has no words."),
        ([AcceptedChange(INSERT, "pp2", "")], "An accepted insertion after PP2 has no words."),
    ],
)
def test_proposals_that_cannot_both_stand_are_refused(changes, problem):
    with pytest.raises(ChangesConflict) as refused:
        revised_paragraphs(TEXT, changes)
    assert problem in str(refused.value)


def test_an_insertion_after_a_deleted_paragraph_takes_its_place():
    revised = revised_paragraphs(
        TEXT,
        [AcceptedChange(DELETE, "op2"), AcceptedChange(INSERT, "op2", "Replaces it;")],
    )
    assert [(p.was, p.label) for p in revised if p.part == "operative"][:3] == [
        ("op1", "op1"),
        (None, "op2"),
        ("op3", "op3"),
    ]


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("A/C.1/76/L.13", "A/C.1/76/L.13/Rev.1"),
        ("A/C.1/76/L.13/Rev.1", "A/C.1/76/L.13/Rev.2"),
        ("A/C.3/80/L.9/Rev.9", "A/C.3/80/L.9/Rev.10"),
    ],
)
def test_the_next_revision_symbol(symbol, expected):
    assert next_revision_symbol(symbol) == expected


@pytest.mark.parametrize(
    ("old", "new", "marker_after", "expected_after"),
    [
        # unchanged word: the marker stays after it, wherever it moved
        (
            "Recalling resolution 73/27, and",
            "Recalling also resolution 73/27, and",
            "73/27",
            "73/27",
        ),
        # inside a word: before its comma, as the reader places "security¹,"
        ("in the security, of all", "in the field of security, of all", "security", "security"),
        # its word changed: after the words that replaced it
        ("in the old regime and", "in the new framework and", "regime", "framework"),
        # its word deleted: after the word before
        ("the group of experts and", "the group and", "experts", "group"),
    ],
)
def test_a_footnote_marker_follows_its_word_through_an_amendment(
    old, new, marker_after, expected_after
):
    position = old.index(marker_after) + len(marker_after)
    moved = position_after_edit(old, new, position)
    assert new[:moved].endswith(expected_after)


def test_a_footnote_marker_at_the_end_stays_at_the_end():
    assert position_after_edit("Decides to act;", "Decides to act now;", 15) == 19
