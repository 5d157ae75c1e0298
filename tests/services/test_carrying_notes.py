"""Carrying a delegation's notes to a revision: a quote is found again by its selectors, and
a note whose paragraph was deleted, or whose quoted words changed, stays where its paragraph
was with the reason and the old words; never silently moved onto another paragraph."""

import pytest

from resolutions import services
from resolutions.models import Annotation, Paragraph
from resolutions.services import importing
from tests.conftest import SEED_TEXT_PATH
from tests.factories import make_annotation

SEED_SYMBOL = "A/C.1/76/L.13"
REV1 = "A/C.1/76/L.13/Rev.1"
REV2 = "A/C.1/76/L.13/Rev.2"
TWICE = "information and communications technologies"

Reason = Annotation.OrphanReason


def without_paragraph(text: str, opening: str) -> str:
    start = text.index(opening)
    return text[:start] + text[text.index("\n\n", start) + 2 :]


def revised(*changes, deleting=()) -> str:
    text = SEED_TEXT_PATH.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    for opening in deleting:
        text = without_paragraph(text, opening)
    return text


def issue(text, symbol=REV1, *, of):
    plan = importing.prepare_import(text, symbol=symbol, revision_of=of)
    return importing.import_document(plan)


def paragraph(document, label) -> Paragraph:
    return Paragraph.objects.get(document=document, label=label)


def carry(user, source, target):
    return services.annotations_carry_forward(user=user, source=source, target=target)


def copy_of(note, document) -> Annotation:
    return Annotation.objects.select_related("paragraph__document").get(
        paragraph__document=document, body=note.body, reply_to=None
    )


def test_a_note_on_a_deleted_paragraph_stays_after_the_paragraph_before_it(lars, seed_document):
    pp8 = paragraph(seed_document, "pp8")
    note = make_annotation(lars, pp8, "Keep the human rights language", quote="human rights")
    revision = issue(revised(deleting=["Underlining the importance"]), of=seed_document)
    result = carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert result.orphaned == [copy]
    assert not result.landed
    assert copy.paragraph.label == "pp7"  # the new PP7 is the old PP7; old PP9 is now PP8
    assert not copy.orphan_before
    assert copy.orphan_reason == Reason.PARAGRAPH_DELETED
    assert (copy.orphan_label, copy.orphaned_since, copy.orphan_text) == (
        "PP8",
        SEED_SYMBOL,
        pp8.text,
    )
    assert copy.orphan_heading == f"PP8 of {SEED_SYMBOL} — deleted in {REV1}"
    assert copy.quote == "human rights"


def test_a_note_whose_quoted_words_changed_stays_where_its_paragraph_was(lars, seed_document):
    pp4 = paragraph(seed_document, "pp4")
    note = make_annotation(lars, pp4, "Too weak", quote="considerable progress")
    revision = issue(
        revised(("Noting that considerable progress", "Noting that significant progress")),
        of=seed_document,
    )
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert copy.paragraph.label == "pp3"
    assert copy.orphan_reason == Reason.QUOTE_CHANGED
    assert copy.get_orphan_reason_display() == "Quoted words changed"
    assert copy.orphan_text == pp4.text
    assert copy.orphan_heading == f"PP4 of {SEED_SYMBOL} — quoted words changed in {REV1}"
    # Its quote stays as written, with the context it was taken in.
    assert (copy.quote, copy.quote_prefix) == ("considerable progress", note.quote_prefix)


def test_a_note_without_a_quote_on_a_reworded_paragraph_is_kept_for_checking(lars, seed_document):
    note = make_annotation(lars, paragraph(seed_document, "op3"), "Whole paragraph: fine")
    revision = issue(
        revised(("to be guided in their use", "to be guided, as appropriate, in their use")),
        of=seed_document,
    )
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert (copy.paragraph.label, copy.orphan_reason) == ("op2", Reason.PARAGRAPH_CHANGED)
    assert copy.orphan_label == "OP3"


def test_a_quote_still_in_a_reworded_paragraph_lands_on_it_with_new_selectors(lars, seed_document):
    note = make_annotation(lars, paragraph(seed_document, "op3"), "Fine", quote="the 2021 report")
    revision = issue(
        revised(("to be guided in their use", "to be guided, as appropriate, in their use")),
        of=seed_document,
    )
    result = carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert result.landed == [copy]
    assert (copy.paragraph.label, copy.orphan_reason) == ("op3", "")
    op3 = copy.paragraph.text
    assert (
        copy.quote_start
        == op3.index("the 2021 report")
        == note.quote_start + len(", as appropriate,")
    )
    assert copy.quote_prefix == op3[copy.quote_start - 32 : copy.quote_start]


def test_a_quote_that_moved_within_its_paragraph_is_found_where_it_went(lars, seed_document):
    pp2 = paragraph(seed_document, "pp2")
    note = make_annotation(lars, pp2, "Peaceful only", quote="for peaceful purposes")
    revision = issue(
        revised(
            (
                "Stressing that it is in the interest of all States to promote the use of "
                "information and communications technologies for peaceful purposes and",
                "Stressing that it is, for peaceful purposes, in the interest of all States to "
                "promote the use of information and communications technologies and",
            )
        ),
        of=seed_document,
    )
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    text = copy.paragraph.text
    assert copy.paragraph.label == "pp2"
    assert not copy.is_orphan
    assert copy.quote_start == text.index("for peaceful purposes") < note.quote_start
    assert copy.quote_prefix.endswith("Stressing that it is, ")


def test_of_words_quoted_twice_in_a_paragraph_the_quoted_place_is_kept(lars, seed_document):
    pp2 = paragraph(seed_document, "pp2")
    second = pp2.text.index(TWICE, pp2.text.index(TWICE) + 1)
    note = make_annotation(lars, pp2, "The second", quote=TWICE, quote_start=second)
    revision = issue(
        revised(("Stressing that it is in the", "Stressing strongly that it is in the")),
        of=seed_document,
    )
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    text = copy.paragraph.text
    assert copy.quote_start == text.index(TWICE, text.index(TWICE) + 1) == second + 9
    assert copy.quote_prefix.endswith("arising from the use of ")


def test_a_quote_printed_with_other_typography_is_the_same_quote(lars, seed_document):
    pp10 = paragraph(seed_document, "pp10")
    note = make_annotation(lars, pp10, "Voluntary", quote="voluntary, non-binding norms")
    revision = issue(
        revised(("voluntary, non-binding norms", "voluntary, non\u2011binding norms")),
        of=seed_document,
    )
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert (copy.paragraph.label, copy.orphan_reason) == ("pp10", "")
    # The copy quotes the revision as it is printed.
    assert copy.quote == "voluntary, non\u2011binding norms"


def test_notes_on_a_deleted_first_paragraph_stay_before_the_new_first(lars, seed_document):
    note = make_annotation(lars, paragraph(seed_document, "pp1"), "All those resolutions")
    revision = issue(revised(deleting=["Recalling its resolutions"]), of=seed_document)
    carry(lars, seed_document, revision)
    copy = copy_of(note, revision)
    assert (copy.paragraph.label, copy.orphan_before) == ("pp1", True)
    assert copy.paragraph.text.startswith("Stressing that")


def test_replies_follow_their_orphaned_thread_and_stay_out_of_the_margin(
    lars, ingrid, seed_document
):
    thread = make_annotation(lars, paragraph(seed_document, "pp8"), "Gone?")
    make_annotation(ingrid, None, "Ask the facilitator", reply_to=thread)
    revision = issue(revised(deleting=["Underlining the importance"]), of=seed_document)
    carry(lars, seed_document, revision)
    copy = copy_of(thread, revision)
    (reply,) = copy.replies.all()
    assert (reply.body, reply.paragraph_id, reply.orphan_reason) == (
        "Ask the facilitator",
        copy.paragraph_id,
        "",
    )
    on_revision = Annotation.objects.on_document(revision)
    assert not on_revision.in_margin().exists()
    assert set(on_revision.orphans()) == {copy, reply}


def test_carrying_twice_changes_nothing(lars, seed_document):
    make_annotation(lars, paragraph(seed_document, "pp8"), "Deleted")
    make_annotation(lars, paragraph(seed_document, "pp4"), "Changed", quote="considerable")
    make_annotation(lars, paragraph(seed_document, "pp10"), "Typography", quote="non-binding")
    make_annotation(lars, paragraph(seed_document, "op1"), "Unchanged")
    revision = issue(
        revised(
            ("Noting that considerable progress", "Noting that significant progress"),
            ("voluntary, non-binding norms", "voluntary, non\u2011binding norms"),
            deleting=["Underlining the importance"],
        ),
        of=seed_document,
    )
    first = carry(lars, seed_document, revision)
    assert (len(first.landed), len(first.orphaned)) == (2, 2)
    before = list(Annotation.objects.on_document(revision).values_list("pk", flat=True))
    again = carry(lars, seed_document, revision)
    assert (again.copied, again.already_there) == (0, 4)
    after = list(Annotation.objects.on_document(revision).values_list("pk", flat=True))
    assert after == before


def test_an_orphan_carried_again_stays_an_orphan_of_the_paragraph_it_was_written_on(
    lars, seed_document
):
    pp8 = paragraph(seed_document, "pp8")
    note = make_annotation(lars, pp8, "Human rights", quote="human rights")
    deleting_pp8 = revised(deleting=["Underlining the importance"])
    rev1 = issue(deleting_pp8, of=seed_document)
    carry(lars, seed_document, rev1)
    rev2_text = deleting_pp8.replace("Recalling that a number", "Recalling that many", 1)
    rev2 = issue(rev2_text, REV2, of=rev1)
    result = carry(lars, rev1, rev2)
    copy = copy_of(note, rev2)
    assert result.orphaned == [copy]
    assert copy.paragraph.label == "pp7"
    assert (copy.orphan_label, copy.orphaned_since, copy.orphan_text) == (
        "PP8",
        SEED_SYMBOL,
        pp8.text,
    )
    assert copy.orphan_reason == Reason.PARAGRAPH_DELETED
    assert carry(lars, rev1, rev2).copied == 0


@pytest.mark.parametrize("visibility", ["private", "delegation"])
def test_only_notes_the_user_may_carry_come_across(lars, amina, seed_document, visibility):
    make_annotation(amina, paragraph(seed_document, "pp8"), "Nigeria's", visibility=visibility)
    revision = issue(revised(deleting=["Underlining the importance"]), of=seed_document)
    assert carry(lars, seed_document, revision).copied == 0
