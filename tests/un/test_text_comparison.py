"""Tests for the paragraph-by-paragraph comparison of resolution versions (no Django, no database).

The texts come from draft resolution A/C.1/76/L.13 ("Developments in the field of
information and telecommunications in the context of international security").
"""

import difflib
import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolutions.un.reference import REAL_TEXTS_DIR
from resolutions.un.text_comparison import (
    SIMILARITY_THRESHOLD,
    STATUSES,
    AlignedPair,
    ParagraphVersion,
    TextComparison,
    WordChange,
    comparable_text,
    compare_versions,
    word_diff,
)

PREAMBULAR = [
    "Recalling its resolutions 43/78 H of 7 December 1988, 53/70 of 4 December 1998, 54/49 of "
    "1 December 1999, 55/28 of 20 November 2000, 56/19 of 29 November 2001, 57/53 of 22 November "
    "2002, 58/32 of 8 December 2003, 59/61 of 3 December 2004, 60/45 of 8 December 2005, 61/54 of "
    "6 December 2006, 62/17 of 5 December 2007, 63/37 of 2 December 2008, 64/25 of 2 December "
    "2009, 65/41 of 8 December 2010, 66/24 of 2 December 2011, 67/27 of 3 December 2012, 68/243 "
    "of 27 December 2013, 69/28 of 2 December 2014, 70/237 of 23 December 2015, 71/28 of 5 "
    "December 2016, 73/27 of 5 December 2018, 73/266 of 22 December 2018, 74/28 and 74/29 of 12 "
    "December 2019, 75/32 of 7 December 2020 and 75/240 of 31 December 2020, as well as its "
    "decisions 72/512 of 4 December 2017 and 75/564 of 28 April 2021,",
    "Stressing that it is in the interest of all States to promote the use of information and "
    "communications technologies for peaceful purposes and to prevent conflicts arising from the "
    "use of information and communications technologies,",
    "Recalling that a number of States are developing information and communications technology "
    "capabilities for military purposes and that the use of information and communications "
    "technologies in future conflicts between States is becoming more likely,",
    "Noting that considerable progress has been achieved in developing and applying the latest "
    "information technologies and means of telecommunication,",
    "Expressing concern that these technologies and means can potentially be used for purposes "
    "that are inconsistent with the objectives of maintaining international stability and "
    "security and may adversely affect the integrity of the infrastructure of States, to the "
    "detriment of their security in both civil and military fields,",
    "Expressing concern also about malicious information and communications technology "
    "activities aimed at critical infrastructure and critical information infrastructure "
    "facilities supporting essential services to the public,",
    "Considering that it is necessary to prevent the use of information resources or "
    "technologies for criminal or terrorist purposes,",
    "Underlining the importance of respect for human rights and fundamental freedoms in the use "
    "of information and communications technologies,",
    "Noting that capacity-building is essential for cooperation of States and "
    "confidence-building in the field of information and communications technology security,",
    "Reaffirming that voluntary, non-binding norms of responsible State behaviour can reduce "
    "risks to international peace, security and stability, and do not seek to limit or prohibit "
    "action that is otherwise consistent with international law but nonetheless to set standards "
    "for responsible State behaviour, while also reaffirming that, given the unique attributes of "
    "information and communications technologies, additional norms could be developed over time "
    "and, separately, noting the possibility of future elaboration of additional binding "
    "obligations, if appropriate,",
    "Reaffirming also that the United Nations should continue to play a leading role in "
    "promoting dialogue on the use of information and communications technologies by States,",
    "Recognizing the importance of the efforts made in this direction by the Group of "
    "Governmental Experts and the Open-ended Working Group on Developments in the Field of "
    "Information and Telecommunications in the Context of International Security,",
    "Guided by the 2010, 2013 and 2015 reports of the Group of Governmental Experts on "
    "Developments in the Field of Information and Telecommunications in the Context of "
    "International Security,",
]

OP1 = (
    "Recognizes the adoption of the consensus final report of the Open-ended Working Group on "
    "Developments in the Field of Information and Telecommunications in the Context of "
    "International Security;"
)
OP2 = (
    "Welcomes the consensus final report of the United Nations Group of Governmental Experts on "
    "Advancing Responsible State Behaviour in the Context of International Security;"
)
OP3 = (
    "Calls upon Member States to be guided in their use of information and communications "
    "technologies by the 2021 report of the Open-ended Working Group and the 2021 report of the "
    "Group of Governmental Experts;"
)
OP4 = (
    "Supports the open-ended working group on security of and in the use of information and "
    "communications technologies 2021–2025, and acknowledges its mandate in accordance with "
    "General Assembly resolution 75/240;"
)
OP5 = (
    "Underlines further that the open-ended working group 2021–2025 should take into account the "
    "outcomes of the previous Open-ended Working Group and the Groups of Governmental Experts and "
    "add to the efforts undertaken by them, and should be consensus-based and results-oriented;"
)
OP6 = (
    "Invites all Member States, taking into account the assessments and recommendations "
    "contained in the report of the Open-ended Working Group and the reports of the Group of "
    "Governmental Experts, to continue to inform the Secretary-General of their views and "
    "assessments on the following questions:"
)
OP6_A = (
    "Efforts taken at the national level to strengthen information security and promote "
    "international cooperation in this field;"
)
OP6_B = (
    "The content of the concepts mentioned in the report of the Open-ended Working Group and the "
    "reports of the Group of Governmental Experts;"
)
OP7 = (
    "Decides to include in the provisional agenda of its seventy-seventh session the item "
    "entitled “Developments in the field of information and telecommunications in the context "
    "of international security”."
)
OPERATIVE = [OP1, OP2, OP3, OP4, OP5, (OP6, OP6_A, OP6_B), OP7]

NEW_OP = (
    "Encourages Member States to continue strengthening capacity-building in the field of "
    "information and communications technology security, in particular for developing countries;"
)


def preambular(texts):
    return [ParagraphVersion(f"pp{n}", text) for n, text in enumerate(texts, 1)]


def operative(paragraphs):
    """Number operative paragraphs; a tuple is a paragraph followed by its sub-paragraphs."""
    numbered = []
    for n, paragraph in enumerate(paragraphs, 1):
        text, *subs = paragraph if isinstance(paragraph, tuple) else (paragraph,)
        numbered.append(ParagraphVersion(f"op{n}", text))
        numbered.extend(
            ParagraphVersion(f"op{n}-{string.ascii_lowercase[k]}", sub)
            for k, sub in enumerate(subs)
        )
    return numbered


def version(preamble=PREAMBULAR, operative_part=OPERATIVE):
    return preambular(preamble) + operative(operative_part)


L13 = version()


def pair_of(result: TextComparison, *, a: str | None = None, b: str | None = None) -> AlignedPair:
    (found,) = [p for p in result.pairs if (a is None or p.a == a) and (b is None or p.b == b)]
    return found


def counts(**nonzero: int) -> dict[str, int]:
    return {status: nonzero.get(status, 0) for status in STATUSES}


def joined(words: tuple[WordChange, ...], *ops: str) -> str:
    """The runs of the given kinds put back together, whitespace normalised."""
    return normalised(" ".join(w.text for w in words if w.op in ops))


def normalised(text: str) -> str:
    return " ".join(text.split())


def assert_accounts_for_every_paragraph(a, b, result: TextComparison) -> None:
    assert sorted(p.a for p in result.pairs if p.a is not None) == sorted(p.label for p in a)
    assert [p.b for p in result.pairs if p.b is not None] == [p.label for p in b]
    assert set(result.summary) == set(STATUSES)
    assert sum(result.summary.values()) == len(result.pairs)


def test_identical_documents_are_all_unchanged():
    result = compare_versions(L13, L13)

    assert result.summary == counts(unchanged=len(L13))
    for pair, paragraph in zip(result.pairs, L13, strict=True):
        assert (pair.a, pair.b, pair.status, pair.similarity) == (
            paragraph.label,
            paragraph.label,
            "unchanged",
            1.0,
        )
        assert pair.words == (WordChange("equal", paragraph.text),)


def test_one_word_edit_is_changed_with_the_right_runs():
    rev1 = version(
        operative_part=[*OPERATIVE[:-1], OP7.replace("seventy-seventh", "seventy-eighth")]
    )

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, changed=1)
    pair = pair_of(result, a="op7")
    assert (pair.b, pair.status) == ("op7", "changed")
    assert 0.9 < pair.similarity < 1.0
    assert pair.words == (
        WordChange("equal", "Decides to include in the provisional agenda of its"),
        WordChange("delete", "seventy-seventh"),
        WordChange("insert", "seventy-eighth"),
        WordChange(
            "equal",
            "session the item entitled “Developments in the field of information and "
            "telecommunications in the context of international security”.",
        ),
    )


def test_inserted_paragraph_renumbers_the_rest_without_moving_them():
    rev1 = version(operative_part=[OP1, OP2, OP3, NEW_OP, OP4, OP5, (OP6, OP6_A, OP6_B), OP7])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13), added=1)
    added = pair_of(result, b="op4")
    assert (added.a, added.status, added.words) == (None, "added", (WordChange("insert", NEW_OP),))
    renumbered = [(p.a, p.b, p.status) for p in result.pairs if p.a != p.b]
    assert renumbered == [
        (None, "op4", "added"),
        ("op4", "op5", "unchanged"),
        ("op5", "op6", "unchanged"),
        ("op6", "op7", "unchanged"),
        ("op6-a", "op7-a", "unchanged"),
        ("op6-b", "op7-b", "unchanged"),
        ("op7", "op8", "unchanged"),
    ]
    assert_accounts_for_every_paragraph(L13, rev1, result)


def test_removed_paragraph_stays_between_its_former_neighbours():
    rev1 = version(preamble=PREAMBULAR[:5] + PREAMBULAR[6:])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, removed=1)
    around = [(p.a, p.b, p.status) for p in result.pairs[4:7]]
    assert around == [
        ("pp5", "pp5", "unchanged"),
        ("pp6", None, "removed"),
        ("pp7", "pp6", "unchanged"),
    ]
    assert result.pairs[5].words == (WordChange("delete", PREAMBULAR[5]),)
    assert_accounts_for_every_paragraph(L13, rev1, result)


def test_removed_first_paragraph_comes_first():
    rev1 = version(preamble=PREAMBULAR[1:])

    result = compare_versions(L13, rev1)

    assert (result.pairs[0].a, result.pairs[0].status) == ("pp1", "removed")
    assert (result.pairs[1].a, result.pairs[1].b) == ("pp2", "pp1")


def test_swapped_paragraphs_are_one_moved_and_one_unchanged():
    rev1 = version(operative_part=[OP1, OP2, OP3, OP5, OP4, (OP6, OP6_A, OP6_B), OP7])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, moved=1)
    op4, op5 = pair_of(result, a="op4"), pair_of(result, a="op5")
    assert (op4.b, op5.b) == ("op5", "op4")
    assert {op4.status, op5.status} == {"moved", "unchanged"}
    assert op4.similarity == op5.similarity == 1.0


def test_edited_paragraph_moved_elsewhere_is_moved_with_its_word_diff():
    guided = PREAMBULAR[-1].replace("Guided by", "Guided also by")
    rev1 = version(preamble=[guided, *PREAMBULAR[:-1]])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, moved=1)
    pair = pair_of(result, a="pp13")
    assert (pair.b, pair.status) == ("pp1", "moved")
    assert pair.similarity < 1.0
    assert pair.words[:3] == (
        WordChange("equal", "Guided"),
        WordChange("insert", "also"),
        WordChange("equal", guided.removeprefix("Guided also ")),
    )
    assert result.pairs[0] is pair


def test_split_paragraph_is_one_changed_plus_one_added():
    first_half = (
        "Underlines further that the open-ended working group 2021–2025 should take into account "
        "the outcomes of the previous Open-ended Working Group and the Groups of Governmental "
        "Experts and add to the efforts undertaken by them;"
    )
    second_half = (
        "Also underlines that the open-ended working group 2021–2025 should be consensus-based "
        "and results-oriented;"
    )
    rev1 = version(
        operative_part=[OP1, OP2, OP3, OP4, first_half, second_half, (OP6, OP6_A, OP6_B), OP7]
    )

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, changed=1, added=1)
    assert (pair_of(result, a="op5").b, pair_of(result, a="op5").status) == ("op5", "changed")
    assert pair_of(result, b="op6").status == "added"
    assert (pair_of(result, a="op6").b, pair_of(result, a="op6").status) == ("op7", "unchanged")


def test_merged_paragraphs_are_one_changed_plus_one_removed():
    merged = OP1.removesuffix(";") + ", and welcomes" + OP2.removeprefix("Welcomes")
    rev1 = version(operative_part=[merged, OP3, OP4, OP5, (OP6, OP6_A, OP6_B), OP7])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 2, changed=1, removed=1)
    assert (pair_of(result, a="op1").b, pair_of(result, a="op1").status) == ("op1", "changed")
    assert pair_of(result, a="op2").status == "removed"


def test_preambular_paragraphs_never_align_with_operative_ones():
    # Rev.1 turns a preambular paragraph into an operative one, first word aside unchanged,
    # and repeats another preambular paragraph word for word as an operative paragraph.
    reaffirms = PREAMBULAR[10].replace("Reaffirming also", "Reaffirms also")
    rev1 = version(
        preamble=PREAMBULAR[:10] + PREAMBULAR[11:],
        operative_part=[*OPERATIVE[:-1], reaffirms, PREAMBULAR[1], OP7],
    )

    result = compare_versions(L13, rev1)

    assert pair_of(result, a="pp11").status == "removed"
    assert pair_of(result, b="op7").status == "added"
    assert pair_of(result, b="op8").status == "added"
    assert pair_of(result, a="pp2").b == "pp2"
    assert (pair_of(result, a="op7").b, pair_of(result, a="op7").status) == ("op9", "unchanged")
    for pair in result.pairs:
        if pair.a is not None and pair.b is not None:
            assert pair.a[:2] == pair.b[:2]


def test_sub_paragraph_labels_follow_their_paragraph():
    measures = (
        "Measures undertaken at the international level to strengthen the security of "
        "information and communications technologies;"
    )
    edited_b = OP6_B.replace("in the report", "in the 2021 report")
    rev1 = version(operative_part=[*OPERATIVE[:5], (OP6, OP6_A, measures, edited_b), OP7])

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=len(L13) - 1, changed=1, added=1)
    assert pair_of(result, a="op6-a").status == "unchanged"
    assert pair_of(result, b="op6-b").status == "added"
    old_b = pair_of(result, a="op6-b")
    assert (old_b.b, old_b.status) == ("op6-c", "changed")
    assert [p.b for p in result.pairs[-4:]] == ["op6-a", "op6-b", "op6-c", "op7"]


def test_nested_sub_paragraph_edited_in_place_is_changed():
    a = [
        ParagraphVersion("op2", "Requests the Secretary-General:"),
        ParagraphVersion("op2-a", "To continue to study existing and potential threats;"),
        ParagraphVersion("op2-b", "To report to the General Assembly on:"),
        ParagraphVersion("op2-b-i", "The views of Member States on the report of the Group;"),
        ParagraphVersion("op2-b-ii", "Efforts taken at the national level;"),
    ]
    views = "The views of Member States and of regional organizations on the report of the Group;"
    b = [*a[:3], ParagraphVersion("op2-b-i", views), a[4]]

    result = compare_versions(a, b)

    assert result.summary == counts(unchanged=4, changed=1)
    pair = pair_of(result, a="op2-b-i")
    assert (pair.b, pair.status) == ("op2-b-i", "changed")
    assert WordChange("insert", "and of regional organizations") in pair.words


def test_formulaic_paragraph_is_not_paired_by_a_shifted_label():
    # Both "Requests the Secretary-General" paragraphs are alike enough to pair by label, but
    # after the insertion the old op3 is far closer to the new op4.
    report = (
        "Requests the Secretary-General to seek the views of Member States on the report of the "
        "Open-ended Working Group and to submit a report thereon to the General Assembly at its "
        "seventy-seventh session;"
    )
    new_report = (
        "Requests the Secretary-General to submit a report to the General Assembly at its "
        "seventy-seventh session on the implementation of the present resolution;"
    )
    edited_report = report.replace("Member States", "Member States and regional organizations")
    a = operative([OP1, OP2, report, OP7])
    b = operative([OP1, OP2, new_report, edited_report, OP7])
    shifted_label_similarity = difflib.SequenceMatcher(
        None, report.split(), new_report.split()
    ).ratio()
    assert shifted_label_similarity >= SIMILARITY_THRESHOLD  # the trap is real

    result = compare_versions(a, b)

    assert (pair_of(result, a="op3").b, pair_of(result, a="op3").status) == ("op4", "changed")
    assert pair_of(result, b="op3").status == "added"


def test_summary_counts_every_paragraph_once():
    rev1 = version(
        preamble=[*PREAMBULAR[:3], PREAMBULAR[4], PREAMBULAR[3], *PREAMBULAR[6:]],
        operative_part=[
            OP1.replace("consensus final report", "final report"),
            OP2,
            NEW_OP,
            OP3,
            OP5,
            (OP6, OP6_B),
            OP7.replace("seventy-seventh", "seventy-eighth"),
        ],
    )

    result = compare_versions(L13, rev1)

    assert result.summary == counts(unchanged=16, changed=2, added=1, removed=3, moved=1)
    assert_accounts_for_every_paragraph(L13, rev1, result)


def test_empty_versions():
    assert compare_versions([], []) == TextComparison(pairs=[], summary=counts())

    result = compare_versions([], L13[:2])

    assert [(p.a, p.b, p.status) for p in result.pairs] == [
        (None, "pp1", "added"),
        (None, "pp2", "added"),
    ]


def test_duplicate_labels_are_rejected():
    with pytest.raises(ValueError, match="duplicate label 'op1' in version B"):
        compare_versions(L13, [*L13, ParagraphVersion("op1", OP1)])


def test_word_diff_keeps_the_original_spacing_inside_runs():
    old = "Decides  to include\nin the agenda of its seventy-seventh session"
    new = "Decides  to include\nin the  provisional agenda of its seventy-seventh session"

    assert word_diff(old, new) == (
        WordChange("equal", "Decides  to include\nin the"),
        WordChange("insert", "provisional"),
        WordChange("equal", "agenda of its seventy-seventh session"),
    )


def test_word_diff_of_empty_texts():
    assert word_diff("", "  ") == ()
    assert word_diff("", OP7) == (WordChange("insert", OP7),)
    assert word_diff(OP7, "") == (WordChange("delete", OP7),)


def test_word_diff_preserves_every_word_of_both_sides():
    new = (
        "Underlines that the open-ended working group 2021–2025 should build on the outcomes of "
        "the previous Open-ended Working Group and the Groups of Governmental Experts, and should "
        "be consensus-based and results-oriented;"
    )

    words = word_diff(OP5, new)

    assert joined(words, "equal", "delete") == OP5
    assert joined(words, "equal", "insert") == new


VOCABULARY = (
    "Recalls",
    "Decides",
    "the",
    "of",
    "Member",
    "States",
    "information",
    "security",
    "report",
    "session",
    "seventy-seventh",
    "Group",
)
SPACING = st.sampled_from((" ", "  ", "\n", " \t"))


@st.composite
def paragraph_texts(draw, max_words=8):
    words = draw(st.lists(st.sampled_from(VOCABULARY), max_size=max_words))
    text = ""
    for word in words:
        text += draw(SPACING) + word
    return text + draw(st.sampled_from(("", " ")))


@given(paragraph_texts(max_words=20), paragraph_texts(max_words=20))
def test_word_diff_reconstructs_both_texts(old, new):
    words = word_diff(old, new)

    assert joined(words, "equal", "delete") == normalised(old)
    assert joined(words, "equal", "insert") == normalised(new)
    assert all(w.text and w.op in ("equal", "insert", "delete") for w in words)


def labelled(items):
    """Label (part, text) items pp1, pp2, ... and op1, op2, ... in order of appearance."""
    numbers = {"pp": 0, "op": 0}
    paragraphs = []
    for part, text in items:
        numbers[part] += 1
        paragraphs.append(ParagraphVersion(f"{part}{numbers[part]}", text))
    return paragraphs


@st.composite
def two_versions(draw):
    """A random version A and a version B made from it by keeping, editing, dropping,
    adding and reordering paragraphs, so that every alignment rule gets exercised."""
    parts = st.sampled_from(("pp", "op"))
    a_items = draw(st.lists(st.tuples(parts, paragraph_texts()), max_size=12))
    b_items = []
    for part, text in a_items:
        action = draw(st.sampled_from(("keep", "edit", "drop")))
        if action == "keep":
            b_items.append((part, text))
        elif action == "edit":
            b_items.append((part, text + " " + draw(st.sampled_from(VOCABULARY))))
    b_items += draw(st.lists(st.tuples(parts, paragraph_texts()), max_size=4))
    if draw(st.booleans()):
        b_items = draw(st.permutations(b_items))
    return labelled(a_items), labelled(b_items)


@given(two_versions())
def test_every_label_appears_exactly_once(versions):
    a, b = versions

    result = compare_versions(a, b)

    assert_accounts_for_every_paragraph(a, b, result)
    a_text = {p.label: p.text for p in a}
    b_text = {p.label: p.text for p in b}
    a_position = {p.label: k for k, p in enumerate(a)}
    for pair in result.pairs:
        assert 0.0 <= pair.similarity <= 1.0
        assert (pair.a is None) == (pair.status == "added")
        assert (pair.b is None) == (pair.status == "removed")
        if pair.a is not None and pair.b is not None:
            assert pair.a[:2] == pair.b[:2]
            same_text = normalised(a_text[pair.a]) == normalised(b_text[pair.b])
            assert same_text == (pair.similarity == 1.0)
            assert pair.status != "unchanged" or same_text
            assert pair.status != "changed" or not same_text
            assert joined(pair.words, "equal", "delete") == normalised(a_text[pair.a])
            assert joined(pair.words, "equal", "insert") == normalised(b_text[pair.b])
    # Paragraphs that kept their place, and removed ones, read in version A's order.
    in_place = [
        a_position[p.a] for p in result.pairs if p.status in ("unchanged", "changed", "removed")
    ]
    assert in_place == sorted(in_place)


# --- What a reader cannot see -------------------------------------------------------------------

LOOK_ALIKES = [
    ("-", "\u2011"),  # non-breaking hyphen, as adopted resolutions are set
    ("-", "\u2010"),  # hyphen
    (" ", "\u00a0"),  # no-break space
    (" ", "\u202f"),  # narrow no-break space
    (" ", "\u2007"),  # figure space
    ("'", "\u2019"),  # right single quotation mark (the typeset apostrophe)
    ("'", "\u2018"),  # left single quotation mark
    ('"', "\u201c"),  # left double quotation mark
    ('"', "\u201d"),  # right double quotation mark
]
RULE_LINE = "__________________"


def real_version(stem: str) -> tuple[dict, list[ParagraphVersion]]:
    expected = json.loads((REAL_TEXTS_DIR / f"{stem}.expected.json").read_text(encoding="utf-8"))
    return expected, [ParagraphVersion(p["label"], p["text"]) for p in expected["paragraphs"]]


def real_version_pairs() -> list[tuple[str, str]]:
    """(draft, resolution it became), as each draft's expected reading names them."""
    pairs = []
    for path in sorted(REAL_TEXTS_DIR.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        other = (expected.get("version_pair") or {}).get("other")
        if other and expected["heading"]["kind"] == "draft":
            pairs.append((path.name.removesuffix(".expected.json"), other))
    return pairs


def test_the_real_texts_name_the_two_version_pairs():
    assert real_version_pairs() == [
        ("A-C.1-80-L.9", "A-RES-80-46"),
        ("A-C.6-80-L.10", "A-RES-80-161"),
    ]


@pytest.mark.parametrize(("draft", "resolution"), real_version_pairs())
def test_a_draft_and_the_resolution_it_became_read_unchanged(draft, resolution):
    _, a = real_version(draft)
    expected, b = real_version(resolution)
    # Not a vacuous comparison: the resolution sets some hyphens as U+2011.
    differing = [pa.label for pa, pb in zip(a, b, strict=True) if pa.text != pb.text]
    assert differing
    assert all("\u2011" in pb.text for pb in b if pb.label in differing)
    for label in differing:
        assert label in expected["version_pair"]["expected_comparison"]

    result = compare_versions(a, b)

    assert result.summary == counts(unchanged=len(b))
    assert [(p.a, p.b, p.status, p.similarity) for p in result.pairs] == [
        (p.label, p.label, "unchanged", 1.0) for p in b
    ]
    # The words shown are the resolution's own, U+2011 and all.
    texts = {p.label: p.text for p in b}
    for pair in result.pairs:
        assert pair.words == (WordChange("equal", texts[pair.b].strip()),)


def test_a_word_changed_beside_a_typeset_hyphen_is_the_only_word_flagged():
    _, draft = real_version("A-C.6-80-L.10")
    _, resolution = real_version("A-RES-80-161")
    old = {p.label: p.text for p in draft}["op17-a"]
    new = {p.label: p.text for p in resolution}["op17-a"]
    assert "non-State" in old
    assert "non\u2011State" in new
    new = new.replace("notes with appreciation", "notes with satisfaction")

    words = word_diff(old, new)

    changed = [w for w in words if w.op != "equal"]
    assert changed == [WordChange("delete", "appreciation"), WordChange("insert", "satisfaction")]
    assert any("non\u2011State actors" in w.text for w in words if w.op == "equal")


def seed_paragraphs() -> list[ParagraphVersion]:
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "seed_document.json"
    rows = json.loads(fixture.read_text(encoding="utf-8"))
    paragraphs = sorted(
        (row["fields"] for row in rows if row["model"] == "resolutions.paragraph"),
        key=lambda fields: fields["order"],
    )
    return [ParagraphVersion(p["label"], p["text"]) for p in paragraphs]


def typeset(text: str) -> str:
    """``text`` as a typesetter might set it: every hyphen non-breaking, the spaces
    non-breaking, narrow, figure and plain in turn, the quotes straightened, and a rule
    line at the end."""
    spaces = iter(("\u00a0", "\u202f", "\u2007", " ") * len(text))
    out = []
    for char in text:
        if char == " ":
            out.append(next(spaces))
        else:
            out.append({"-": "\u2011", "“": '"', "”": '"'}.get(char, char))
    return "".join(out) + " " + RULE_LINE


def test_the_seed_against_itself_typeset_otherwise_is_unchanged():
    seed = seed_paragraphs()
    assert len(seed) == 22
    swapped = [ParagraphVersion(p.label, typeset(p.text)) for p in seed]
    # The seed has hyphens (15) and typographic quotes (OP7) to swap.
    assert any("“" in p.text for p in seed)
    assert sum(p.text.count("\u2011") for p in swapped) == 15

    for a, b in ((seed, swapped), (swapped, seed)):
        result = compare_versions(a, b)
        assert result.summary == counts(unchanged=len(seed))
        assert all(p.a == p.b and p.similarity == 1.0 for p in result.pairs)


@pytest.mark.parametrize(("plain", "look_alike"), LOOK_ALIKES)
def test_each_look_alike_compares_as_its_plain_character(plain, look_alike):
    old = f"Calls upon States{plain}Parties to act on the {plain}non{plain}binding{plain} norms"
    new = old.replace(plain, look_alike)

    assert word_diff(old, new) == (WordChange("equal", new),)
    result = compare_versions([ParagraphVersion("op1", old)], [ParagraphVersion("op1", new)])
    assert result.pairs[0].status == "unchanged"


def test_a_rule_line_left_in_a_text_is_not_a_change():
    old = "Decides to remain seized of the matter."
    for new in (f"{old}\n{RULE_LINE}", f"{RULE_LINE} {old}", f"{old}{RULE_LINE}"):
        result = compare_versions([ParagraphVersion("op9", old)], [ParagraphVersion("op9", new)])
        assert (result.pairs[0].status, result.pairs[0].similarity) == ("unchanged", 1.0)
    assert word_diff(f"{old} {RULE_LINE}", f"{old} also") == (
        WordChange("equal", old),
        WordChange("insert", "also"),
    )


def test_characters_a_reader_can_tell_apart_still_count():
    # An en dash is not a hyphen, a comma not a full stop, and a lone underscore no rule line.
    for old, new in (
        ("the working group 2021-2025", "the working group 2021–2025"),
        ("the working group, and", "the working group. and"),
        ("see annex _ below", "see annex below"),
    ):
        assert [w.op for w in word_diff(old, new)] != ["equal"]


def test_comparable_text_reads_two_settings_of_a_phrase_alike():
    quoted = "non-governmental organizations, ‘industry’"
    typeset_text = "including non\u2011governmental\u00a0organizations, 'industry' and others"
    assert comparable_text(quoted) in comparable_text(typeset_text)
    assert comparable_text(f"a\u00adb\u200bc  {RULE_LINE}\n d") == "abc d"


@given(paragraph_texts(max_words=12), st.data())
def test_any_text_set_with_look_alikes_reads_unchanged(plain, data):
    # Each hyphen and space of the text, set as itself or as any of its look-alikes.
    setting = {plain: [plain, *(c for p, c in LOOK_ALIKES if p == plain)] for plain in "- "}
    typeset_text = "".join(
        data.draw(st.sampled_from(setting[char])) if char in setting else char for char in plain
    ) + data.draw(st.sampled_from(("", f" {RULE_LINE}")))

    assert all(w.op == "equal" for w in word_diff(plain, typeset_text))
    result = compare_versions(
        [ParagraphVersion("pp1", plain)], [ParagraphVersion("pp1", typeset_text)]
    )
    assert result.summary == counts(unchanged=1)
