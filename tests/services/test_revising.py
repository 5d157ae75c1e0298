"""Issuing the next revision from the accepted proposals: the text with each change applied,
numbered again as the UN would, with its footnotes, citations, headings and sponsors; the
open proposals left on the version they were made on; all or nothing."""

import datetime

import pytest
from django.utils import timezone

from resolutions import services
from resolutions.models import (
    Annotation,
    Citation,
    Delegation,
    Document,
    Footnote,
    Paragraph,
    Proposal,
    SponsorList,
    Sponsorship,
)
from resolutions.pages.text_comparison import compare_documents
from resolutions.services import revising
from resolutions.services.revising import RevisionRefused, issue_revision, plan_revision
from tests.factories import make_annotation, make_delegate, make_document, make_proposal_on

SEED_SYMBOL = "A/C.1/76/L.13"
REV1 = "A/C.1/76/L.13/Rev.1"


@pytest.fixture
def seed(db):
    return Document.objects.get(symbol=SEED_SYMBOL)


@pytest.fixture
def pen_holder(db):
    return make_delegate("facilitator", "Mexico", editor=True)


def paragraph(document: Document, label: str) -> Paragraph:
    return Paragraph.objects.get(document=document, label=label)


def propose(document, label, kind, text="", *, by=None, **fields):
    """A proposal on ``label``, accepted unless ``state`` says otherwise (the proposal
    services are tested on their own)."""
    author = by or make_delegate(f"delegate{Proposal.objects.count()}", "Norway")
    return make_proposal_on(document, label, kind, text, by=author, **fields)


def texts(document: Document) -> dict[str, str]:
    return dict(Paragraph.objects.filter(document=document).values_list("label", "text"))


def issue(document, user, symbol=REV1, **options):
    return issue_revision(document, user, symbol, **options).document


# The document ----------------------------------------------------------------------------


def test_the_revision_is_a_new_document_revising_the_current_one(seed, pen_holder):
    mexico = Delegation.objects.get(name="Mexico")
    seed.pen_holders.add(mexico)
    revision = issue(seed, pen_holder)
    revision.refresh_from_db()
    assert revision.symbol == REV1
    assert revision.slug == "a-c1-76-l13-rev1"
    assert revision.kind == Document.Kind.REVISION
    assert revision.revision_of == seed
    assert revision.date == timezone.localdate()
    for name in ("title", "session", "committee", "agenda_listing_id", "distribution"):
        assert getattr(revision, name) == getattr(seed, name), name
    assert list(revision.pen_holders.all()) == [mexico]


def test_with_nothing_accepted_the_revision_reads_as_the_current_text(seed, pen_holder):
    plan = plan_revision(seed)
    assert plan.nothing_accepted
    revision = issue(seed, pen_holder)
    assert texts(revision) == texts(seed)
    keep = ("label", "part", "number", "order", "lead", "headings")
    assert list(Paragraph.objects.filter(document=revision).values_list(*keep)) == list(
        Paragraph.objects.filter(document=seed).values_list(*keep)
    )
    comparison = compare_documents(seed, revision).result
    assert comparison.summary["unchanged"] == 22


# Each kind of change ---------------------------------------------------------------------


def test_an_accepted_amendment_gives_the_paragraph_its_new_words(seed, pen_holder):
    new = "Encourages Member States to be guided in their use of information technologies;"
    propose(seed, "op3", Proposal.Kind.AMEND, new)
    revision = issue(seed, pen_holder)
    op3 = paragraph(revision, "op3")
    assert (op3.text, op3.lead, op3.number) == (new, "Encourages", "3")
    before, after = texts(seed), texts(revision)
    assert {label for label in before if before[label] != after[label]} == {"op3"}


def test_an_amendment_that_keeps_the_opening_phrase_keeps_its_italics(seed, pen_holder):
    propose(seed, "op3", Proposal.Kind.AMEND, "Calls upon all Member States to act;")
    revision = issue(seed, pen_holder)
    assert paragraph(revision, "op3").lead == "Calls upon"


def test_an_accepted_deletion_removes_the_paragraph_and_moves_the_later_ones_up(seed, pen_holder):
    op5_before = paragraph(seed, "op5").text
    propose(seed, "op5", Proposal.Kind.DELETE)
    revision = issue(seed, pen_holder)
    after = texts(revision)
    before = texts(seed)
    assert op5_before not in after.values()
    assert after["op5"] == before["op6"]
    assert after["op5-a"] == before["op6-a"]
    assert after["op5-b"] == before["op6-b"]
    assert after["op6"] == before["op7"]
    assert "op7" not in after
    op5 = paragraph(revision, "op5")
    assert op5.number == "5"
    assert [(p.label, p.number) for p in op5.subparagraphs.order_by("order")] == [
        ("op5-a", "(a)"),
        ("op5-b", "(b)"),
    ]


def test_an_accepted_insertion_after_op3_becomes_op4(seed, pen_holder):
    new = "Encourages Member States to share their national views on the use of technologies;"
    propose(seed, "op3", Proposal.Kind.INSERT, new)
    revision = issue(seed, pen_holder)
    after, before = texts(revision), texts(seed)
    assert after["op4"] == new
    assert paragraph(revision, "op4").lead == "Encourages"
    assert after["op5"] == before["op4"]
    assert after["op7-b"] == before["op6-b"]
    assert after["op8"] == before["op7"]
    assert [p.order for p in Paragraph.objects.filter(document=revision)] == list(range(1, 24))


def test_an_insertion_after_the_last_paragraph_ends_the_text(seed, pen_holder):
    propose(seed, "op7", Proposal.Kind.INSERT, "Decides to remain seized of the matter.")
    revision = issue(seed, pen_holder)
    last = Paragraph.objects.filter(document=revision).last()
    assert (last.label, last.number, last.text) == (
        "op8",
        "8",
        "Decides to remain seized of the matter.",
    )


def test_sub_paragraphs_are_lettered_again_within_their_parent(seed, pen_holder):
    b_text = paragraph(seed, "op6-b").text
    propose(seed, "op6-a", Proposal.Kind.DELETE)
    propose(seed, "op6-b", Proposal.Kind.INSERT, "The protection of critical infrastructure;")
    revision = issue(seed, pen_holder)
    op6 = paragraph(revision, "op6")
    subs = [(p.label, p.number, p.text, p.lead) for p in op6.subparagraphs.order_by("order")]
    assert subs == [
        ("op6-a", "(a)", b_text, ""),
        ("op6-b", "(b)", "The protection of critical infrastructure;", ""),
    ]


def test_every_paragraph_of_the_revision_is_open(seed, pen_holder):
    Paragraph.objects.filter(document=seed).update(status=Paragraph.Status.AGREED_AD_REF)
    revision = issue(seed, pen_holder)
    assert set(Paragraph.objects.filter(document=revision).values_list("status", flat=True)) == {
        Paragraph.Status.OPEN
    }


# What comes across -----------------------------------------------------------------------


def test_footnotes_follow_their_paragraphs_and_are_numbered_again(seed, pen_holder):
    propose(seed, "op1", Proposal.Kind.DELETE)  # carries footnote 2
    propose(
        seed,
        "op2",
        Proposal.Kind.AMEND,
        "Welcomes with appreciation the consensus final report of the United Nations Group of "
        "Governmental Experts on Advancing Responsible State Behaviour in the Context of "
        "International Security;",
    )
    revision = issue(seed, pen_holder)
    footnotes = [
        (f.number, f.paragraph.label, f.text)
        for f in Footnote.objects.filter(document=revision).select_related("paragraph")
    ]
    assert footnotes == [(1, "pp13", "A/65/201, A/68/98 and A/70/174."), (2, "op1", "A/76/135.")]
    moved = Footnote.objects.get(document=revision, number=2)
    assert moved.paragraph.text[: moved.position].endswith("International Security;")
    # The footnotes' own citations came with them.
    assert list(
        Citation.objects.filter(footnote__document=revision)
        .order_by("footnote__number", "start")
        .values_list("footnote__number", "symbol")
    ) == [(1, "A/65/201"), (1, "A/68/98"), (1, "A/70/174"), (2, "A/76/135")]


def test_citations_are_found_again_in_new_words_and_kept_elsewhere(seed, pen_holder):
    propose(
        seed,
        "op3",
        Proposal.Kind.AMEND,
        "Calls upon Member States to be guided by resolution 75/240 and decision 72/512;",
    )
    revision = issue(seed, pen_holder)
    op3 = paragraph(revision, "op3")
    assert [(c.text, c.symbol, op3.text[c.start : c.end]) for c in op3.citations.all()] == [
        ("75/240", "A/RES/75/240", "75/240"),
        ("72/512", "A/DEC/72/512", "72/512"),
    ]

    def in_text(document):
        return list(
            Citation.objects.filter(paragraph__document=document, footnote__isnull=True)
            .exclude(paragraph__label="op3")
            .order_by("paragraph__order", "start")
            .values_list("paragraph__label", "symbol", "start", "end")
        )

    assert in_text(revision) == in_text(seed)
    assert len(in_text(revision)) > 20


def test_section_headings_stay_with_their_paragraphs(db, pen_holder):
    document = make_document(paragraphs=3)
    section = [{"number": "II", "title": "Follow-up"}]
    Paragraph.objects.filter(document=document, label="op2").update(headings=section)
    propose(document, "op1", Proposal.Kind.INSERT, "Urges Member States to act;")
    revision = issue(document, pen_holder, document.symbol + "/Rev.1")
    assert dict(Paragraph.objects.filter(document=revision).values_list("label", "headings")) == {
        "pp1": [],
        "pp2": [],
        "pp3": [],
        "op1": [],
        "op2": [],
        "op3": section,
        "op4": [],
    }


def test_the_sponsors_come_across_in_their_printed_order(seed, pen_holder):
    revision = issue(seed, pen_holder)
    printed = SponsorList.objects.get(document=revision)
    assert printed.label == SponsorList.PRINTED_LABEL
    assert printed.as_of == revision.date

    def names(document):
        return list(
            Sponsorship.objects.printed_for(document).values_list("position", "name_as_printed")
        )

    assert names(revision) == names(seed)
    assert len(names(revision)) == 55


def test_sponsors_who_joined_later_are_printed_on_the_revision(seed, pen_holder):
    services.sponsor_list_record(
        document=seed,
        label="Additional sponsors at action",
        as_of=datetime.date(2021, 11, 3),
        source="A/C.1/76/PV.25",
        names=[("Ghana", "GHA")],
        additional=True,
    )
    revision = issue(seed, pen_holder)
    printed = list(
        Sponsorship.objects.printed_for(revision).values_list("name_as_printed", flat=True)
    )
    assert len(printed) == 56
    assert printed[-1] == "Ghana"


# What stays on the current version -------------------------------------------------------


def test_open_proposals_and_decisions_stay_on_the_version_they_were_made_on(seed, pen_holder):
    accepted = propose(seed, "op3", Proposal.Kind.AMEND, "Calls upon States to act;")
    tabled = propose(
        seed, "op4", Proposal.Kind.DELETE, state=Proposal.State.TABLED, tabled_at=timezone.now()
    )
    draft = propose(seed, "op5", Proposal.Kind.AMEND, "Underlines;", state=Proposal.State.DRAFT)
    rejected = propose(seed, "op2", Proposal.Kind.DELETE, state=Proposal.State.REJECTED)
    plan = plan_revision(seed)
    assert plan.open_proposals == 1  # the tabled one; a delegation's draft is its own business
    revision = issue(seed, pen_holder)
    for proposal, state in [
        (accepted, Proposal.State.ACCEPTED),
        (tabled, Proposal.State.TABLED),
        (draft, Proposal.State.DRAFT),
        (rejected, Proposal.State.REJECTED),
    ]:
        proposal.refresh_from_db()
        assert (proposal.document_id, proposal.state) == (seed.pk, state)
    assert not Proposal.objects.filter(document=revision).exists()
    after = texts(revision)
    assert after["op4"] == texts(seed)["op4"]  # the tabled deletion was not applied
    assert "op2" in after  # nor the rejected one


def test_the_comparison_shows_the_amended_paragraph_changed_and_the_rest_unchanged(
    seed, pen_holder
):
    op3 = paragraph(seed, "op3").text
    propose(
        seed,
        "op3",
        Proposal.Kind.AMEND,
        op3.replace("to be guided", "to be guided, as appropriate,"),
    )
    revision = issue(seed, pen_holder)
    pairs = compare_documents(seed, revision).result.pairs
    assert [(p.a, p.b, p.status) for p in pairs if p.status != "unchanged"] == [
        ("op3", "op3", "changed")
    ]
    assert sum(1 for p in pairs if p.status == "unchanged" and p.a == p.b) == 21


def test_the_comparison_shows_an_insertion_as_added_and_the_rest_renumbered(seed, pen_holder):
    propose(seed, "op3", Proposal.Kind.INSERT, "Encourages regional organizations to contribute;")
    revision = issue(seed, pen_holder)
    pairs = compare_documents(seed, revision).result.pairs
    assert [(p.a, p.b) for p in pairs if p.status == "added"] == [(None, "op4")]
    assert ("op4", "op5", "unchanged") in [(p.a, p.b, p.status) for p in pairs]


def test_both_versions_pages_are_rebuilt(seed, pen_holder):
    version = seed.cache_version
    revision = issue(seed, pen_holder)
    seed.refresh_from_db()
    assert seed.cache_version != version
    assert revision.cache_version is not None


# Notes ------------------------------------------------------------------------------------


def test_the_issuing_delegation_may_bring_its_notes_across(seed, pen_holder, lars, amina):
    colleague = make_delegate("colleague", "Mexico")
    make_annotation(colleague, paragraph(seed, "op4"), "Our line on OP4")
    make_annotation(lars, paragraph(seed, "op4"), "Norway's note", visibility="public")
    propose(seed, "op3", Proposal.Kind.INSERT, "Encourages all to act;", by=amina)
    issued = issue_revision(seed, pen_holder, REV1, carry_notes=True)
    copied = Annotation.objects.filter(paragraph__document=issued.document)
    assert [(n.body, n.paragraph.label) for n in copied] == [("Our line on OP4", "op5")]
    assert issued.carried.copied == 1
    # Norway brings its own across, as after an import.
    services.annotations_carry_forward(user=lars, source=seed, target=issued.document)
    assert copied.all().count() == 2


def test_without_asking_no_note_comes_across(seed, pen_holder):
    make_annotation(pen_holder, paragraph(seed, "op4"), "Ours")
    issued = issue_revision(seed, pen_holder, REV1)
    assert issued.carried is None
    assert not Annotation.objects.filter(paragraph__document=issued.document).exists()


def test_a_proposals_discussion_stays_with_the_proposal(seed, pen_holder):
    proposal = propose(seed, "op3", Proposal.Kind.AMEND, "Calls upon States;", by=pen_holder)
    Annotation.objects.create(
        paragraph=proposal.paragraph,
        author=pen_holder,
        delegation=pen_holder.delegation,
        body="Can we live with this?",
        proposal=proposal,
    )
    make_annotation(pen_holder, paragraph(seed, "op1"), "A plain note")
    issued = issue_revision(seed, pen_holder, REV1, carry_notes=True)
    assert list(
        Annotation.objects.filter(paragraph__document=issued.document).values_list(
            "body", flat=True
        )
    ) == ["A plain note"]


# Refusals: nothing half-saved ------------------------------------------------------------


def nothing_issued(symbol=REV1) -> bool:
    return not Document.objects.filter(symbol=symbol).exists()


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        ("", "Give the revision its symbol"),
        ("   ", "Give the revision its symbol"),
        ("Rev.1 of L.13", "is not a UN document symbol"),
        ("A/C.1/76/L.13/" + "X" * 60, "is not a UN document symbol"),
    ],
)
def test_an_empty_or_malformed_symbol_is_refused(seed, pen_holder, symbol, message):
    with pytest.raises(RevisionRefused) as refused:
        issue_revision(seed, pen_holder, symbol)
    assert message in refused.value.message
    assert refused.value.field == "symbol"
    assert Document.objects.count() == 1


def test_a_symbol_held_by_another_document_is_refused(seed, pen_holder):
    make_document(symbol=REV1)
    with pytest.raises(RevisionRefused) as refused:
        issue_revision(seed, pen_holder, "A/C.1/76/L.13/Rev.1")
    assert refused.value.message == (
        "A/C.1/76/L.13/Rev.1 is already in the workbench. Give the revision another symbol."
    )
    # Spelt differently, the same address.
    with pytest.raises(RevisionRefused):
        issue_revision(seed, pen_holder, "a/c.1/76/l.13/rev.1")


def test_the_suggested_symbol_is_the_next_free_revision_number(seed):
    assert plan_revision(seed).suggested_symbol == REV1
    make_document(symbol=REV1)
    assert plan_revision(seed).suggested_symbol == "A/C.1/76/L.13/Rev.2"


def test_a_version_is_revised_once(seed, pen_holder):
    revision = issue(seed, pen_holder)
    with pytest.raises(RevisionRefused) as refused:
        issue_revision(seed, pen_holder, "A/C.1/76/L.13/Rev.9")
    assert refused.value.message == (
        "A/C.1/76/L.13 has already been superseded by A/C.1/76/L.13/Rev.1: issue the next "
        "revision from A/C.1/76/L.13/Rev.1."
    )
    assert nothing_issued("A/C.1/76/L.13/Rev.9")
    # The revision itself is revised into Rev.2.
    assert plan_revision(revision).suggested_symbol == "A/C.1/76/L.13/Rev.2"
    assert issue(revision, pen_holder, "A/C.1/76/L.13/Rev.2").revision_of == revision


def test_an_adopted_resolution_is_not_revised(db, pen_holder):
    resolution = make_document(symbol="A/RES/99/1", kind=Document.Kind.RESOLUTION)
    with pytest.raises(RevisionRefused) as refused:
        issue_revision(resolution, pen_holder, "A/RES/99/1/Rev.1")
    assert "is an adopted resolution" in refused.value.message


def test_accepted_proposals_that_cannot_both_stand_are_refused(seed, pen_holder):
    propose(seed, "op3", Proposal.Kind.AMEND, "Calls upon States to act;")
    propose(seed, "op3", Proposal.Kind.DELETE)
    with pytest.raises(RevisionRefused) as refused:
        issue_revision(seed, pen_holder, REV1)
    assert "OP3 is both amended and deleted" in refused.value.message
    assert "Reject one of them" in refused.value.message
    assert nothing_issued()


def test_a_failure_half_way_saves_nothing(seed, pen_holder, monkeypatch):
    """The sponsors are saved after the text: a failure there leaves no document, paragraph,
    footnote or citation behind, and the current version's page as it was."""
    propose(seed, "op3", Proposal.Kind.INSERT, "Encourages all to act;")
    version = seed.cache_version
    counts = [model.objects.count() for model in (Paragraph, Footnote, Citation, SponsorList)]

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(revising, "_save_sponsors", fail)
    with pytest.raises(RuntimeError):
        issue_revision(seed, pen_holder, REV1)
    assert nothing_issued()
    assert [model.objects.count() for model in (Paragraph, Footnote, Citation, SponsorList)] == (
        counts
    )
    seed.refresh_from_db()
    assert seed.cache_version == version


def test_the_plan_costs_the_same_whatever_the_number_of_proposals(seed, django_assert_num_queries):
    with django_assert_num_queries(8):
        plan_revision(seed)
    for label in ("op1", "op2", "op3", "op4", "op5"):
        propose(seed, label, Proposal.Kind.INSERT, f"Inserted after {label};")
    with django_assert_num_queries(8):
        plan = plan_revision(seed)
    assert plan.inserted == 5
    assert plan.renumbered[:3] == [("OP2", "OP3"), ("OP3", "OP5"), ("OP4", "OP7")]
