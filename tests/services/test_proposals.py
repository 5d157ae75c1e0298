"""Proposals, stances and the pen holder's decisions: every rule of services/proposals.py,
each refusal with its message and nothing saved, and who sees a proposal and its history."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from resolutions import services
from resolutions.models import (
    Annotation,
    CircleMembership,
    Document,
    Paragraph,
    Proposal,
    ProposalRevision,
    Stance,
)
from tests.factories import make_circle, make_delegate, make_document, make_proposal

pytestmark = pytest.mark.django_db

CALLS_UPON = "Calls upon Member States"


@pytest.fixture
def op3(seed_document):
    return Paragraph.objects.get(document=seed_document, label="op3")


@pytest.fixture
def kofi(db):
    """A delegate of Ghana (African Group)."""
    return make_delegate("kofi", "Ghana")


@pytest.fixture
def hiro(db):
    """A delegate of Japan (Asia-Pacific Group)."""
    return make_delegate("hiro", "Japan")


@pytest.fixture
def editor(db):
    """An editor of Canada: the pen holder of every document while none is named."""
    return make_delegate("claire", "Canada", editor=True)


def amended(paragraph: Paragraph, old: str = "Calls upon", new: str = "Encourages") -> str:
    assert old in paragraph.text
    return paragraph.text.replace(old, new, 1)


def version_of(document: Document):
    return Document.objects.get(pk=document.pk).cache_version


# Proposing ----------------------------------------------------------------------------------


def test_a_draft_is_its_delegations_with_the_paragraphs_words_kept(lars, op3):
    before = version_of(op3.document)
    proposal = services.proposal_create(
        author=lars,
        paragraph=op3,
        kind="amend",
        text="  " + amended(op3) + "\n",
        reason=" Closer to the 2021 consensus ",
        state="draft",
    )
    proposal.refresh_from_db()
    assert (proposal.document, proposal.delegation, proposal.state) == (
        op3.document,
        lars.delegation,
        Proposal.State.DRAFT,
    )
    assert proposal.text == amended(op3)
    assert proposal.reason == "Closer to the 2021 consensus"
    assert proposal.base_text == op3.text
    assert proposal.tabled_at is None
    assert proposal.heading == "Amend OP3"
    assert version_of(op3.document) != before


def test_tabling_at_once_records_when(lars, op3):
    proposal = make_proposal(lars, op3, amended(op3), state="tabled")
    assert proposal.state == Proposal.State.TABLED
    assert proposal.tabled_at is not None


def test_a_deletion_has_no_wording_and_a_new_paragraph_is_bis(lars, op3):
    deletion = make_proposal(lars, op3, "whatever was typed", kind="delete")
    assert (deletion.kind, deletion.text, deletion.heading) == ("delete", "", "Delete OP3")
    assert [(run.op, run.text) for run in deletion.word_changes()] == [("delete", op3.text)]
    insertion = make_proposal(lars, op3, "Decides to remain seized of the matter.", kind="insert")
    assert insertion.display_label == "OP3 bis"
    assert insertion.heading == "Insert OP3 bis"
    assert [(run.op, run.text) for run in insertion.word_changes()] == [
        ("insert", "Decides to remain seized of the matter.")
    ]


def test_an_amendment_is_a_word_by_word_change_of_the_paragraph(lars, op3):
    proposal = make_proposal(lars, op3, amended(op3))
    runs = [(run.op, run.text) for run in proposal.word_changes()]
    assert runs[:3] == [("delete", "Calls upon"), ("insert", "Encourages"), runs[2]]
    assert runs[2][0] == "equal"
    assert runs[2][1].startswith("Member States")


def test_on_behalf_of_a_circle_the_delegation_has_joined(lars, amina, op3):
    nordics = make_circle("Nordic group", lars, lars.delegation)
    proposal = make_proposal(lars, op3, amended(op3), on_behalf_of=nordics, state="draft")
    assert proposal.on_behalf_of == nordics
    invited_only = make_circle("Core group", amina, lars.delegation, joined=False)
    theirs = make_circle("African Group", amina, amina.delegation)
    for circle in (invited_only, theirs):
        with pytest.raises(services.NotAllowed, match="not a member of"):
            make_proposal(lars, op3, amended(op3, new="Urges"), on_behalf_of=circle)
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("amend", "", "Write the new wording of OP3"),
        ("amend", " \n\t ", "Write the new wording of OP3"),
        ("amend", None, "This wording is OP3 as it stands"),
        ("insert", "", "Write the new paragraph to insert after OP3"),
        ("insert", None, "repeats OP3 word for word"),
        ("replace", "Anything", "Choose whether to amend the paragraph"),
    ],
)
def test_bad_wording_is_refused_and_nothing_is_saved(lars, op3, kind, text, message):
    before = version_of(op3.document)
    with pytest.raises(services.ProposalRefused, match=message) as refused:
        make_proposal(lars, op3, op3.text if text is None else text, kind=kind)
    assert refused.value.field in {"text", "kind"}
    assert not Proposal.objects.exists()
    assert version_of(op3.document) == before


def test_an_amendment_that_differs_only_in_typography_is_the_same_text(lars, op3):
    """What a delegate cannot see is no amendment: line breaks, double and non-breaking
    spaces, curly quotes for straight ones."""
    paragraph = Paragraph.objects.create(
        document=op3.document,
        part=op3.part,
        label="op99",
        number="99",
        order=999,
        text="Decides to include the item entitled “Developments in the field”.",
    )
    retyped = 'Decides  to include\nthe item\u00a0entitled "Developments in the field".'
    with pytest.raises(services.ProposalRefused, match="as it stands"):
        make_proposal(lars, paragraph, retyped)
    assert not Proposal.objects.exists()


def test_a_delegate_of_no_delegation_may_not_propose(op3):
    from resolutions.models import User

    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    with pytest.raises(services.NotAllowed, match="belongs to no delegation"):
        make_proposal(loner, op3, amended(op3))
    assert not Proposal.objects.exists()


def test_a_superseded_version_takes_no_new_proposal(lars, op3):
    make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=op3.document)
    with pytest.raises(services.ProposalRefused, match="superseded by A/C.1/76/L.13/Rev.1"):
        make_proposal(lars, op3, amended(op3))
    assert not Proposal.objects.exists()


def test_a_state_other_than_draft_or_tabled_is_refused(lars, op3):
    with pytest.raises(services.ProposalRefused, match="as a draft"):
        make_proposal(lars, op3, amended(op3), state="accepted")
    assert not Proposal.objects.exists()


def test_the_same_form_sent_twice_saves_once(lars, op3):
    first = make_proposal(lars, op3, amended(op3), submission_key="form-1")
    again = make_proposal(lars, op3, amended(op3), submission_key="form-1")
    assert again.pk == first.pk
    # The form used again with other words (from the browser's history) is a new proposal.
    other = make_proposal(lars, op3, amended(op3, new="Urges"), submission_key="form-1")
    assert other.pk != first.pk
    assert Proposal.objects.count() == 2


# Editing a draft ------------------------------------------------------------------------------


def edit(proposal, editor, version, text, **fields):
    return services.proposal_update(
        proposal,
        editor=editor,
        version=version,
        kind=fields.pop("kind", "amend"),
        text=text,
        reason=fields.pop("reason", ""),
        **fields,
    )


def test_a_colleague_edits_the_draft_and_the_history_keeps_the_earlier_words(lars, ingrid, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft", reason="first")
    before = version_of(op3.document)
    edited = edit(draft, ingrid, 1, amended(op3, new="Urges"), reason="second")
    assert (edited.version, edited.text, edited.reason) == (2, amended(op3, new="Urges"), "second")
    assert list(ProposalRevision.objects.values_list("version", "text", "reason", "state")) == [
        (1, amended(op3), "first", "draft")
    ]
    assert ProposalRevision.objects.get().edited_by == ingrid
    assert version_of(op3.document) != before


def test_an_edit_of_an_older_version_is_a_conflict_and_saves_nothing(lars, ingrid, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    edit(draft, ingrid, 1, amended(op3, new="Urges"))
    with pytest.raises(services.ProposalEditConflict) as conflict:
        edit(draft, lars, 1, amended(op3, new="Requests"))
    assert conflict.value.current.text == amended(op3, new="Urges")
    draft.refresh_from_db()
    assert (draft.version, draft.text) == (2, amended(op3, new="Urges"))
    assert ProposalRevision.objects.count() == 1


def test_the_same_edit_sent_twice_is_no_conflict(lars, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    edit(draft, lars, 1, amended(op3, new="Urges"))
    again = edit(draft, lars, 1, amended(op3, new="Urges"))
    assert again.version == 2
    assert ProposalRevision.objects.count() == 1


def test_an_edit_that_changes_nothing_makes_no_new_version(lars, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    assert edit(draft, lars, 1, amended(op3)).version == 1
    assert not ProposalRevision.objects.exists()


def test_an_edit_can_table_the_draft(lars, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    tabled = edit(draft, lars, 1, amended(op3, new="Urges"), state="tabled")
    assert tabled.state == Proposal.State.TABLED
    assert tabled.tabled_at is not None
    assert ProposalRevision.objects.get().state == Proposal.State.DRAFT


def test_another_delegation_may_not_edit_and_a_tabled_proposal_is_not_edited(lars, amina, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    with pytest.raises(services.NotAllowed, match=r"Only the delegation .*\(Norway\) may edit"):
        edit(draft, amina, 1, amended(op3, new="Urges"))
    tabled = make_proposal(lars, op3, amended(op3, new="Requests"))
    with pytest.raises(services.ProposalRefused, match="can no longer be changed"):
        edit(tabled, lars, 1, amended(op3, new="Urges"))
    assert not ProposalRevision.objects.exists()


def test_an_edit_is_checked_as_a_new_proposal_is(lars, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    with pytest.raises(services.ProposalRefused, match="as it stands"):
        edit(draft, lars, 1, op3.text)
    with pytest.raises(services.ProposalRefused, match="Write the new wording"):
        edit(draft, lars, 1, "")
    draft.refresh_from_db()
    assert (draft.version, draft.text) == (1, amended(op3))


# Tabling and withdrawing ------------------------------------------------------------------------


def test_tabling_a_draft_keeps_it_in_the_history(lars, ingrid, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    tabled = services.proposal_table(draft, user=ingrid)
    assert (tabled.state, tabled.version) == ("tabled", 2)
    assert ProposalRevision.objects.get().state == "draft"
    assert services.proposal_table(draft, user=ingrid).version == 2  # again: nothing new


def test_only_the_delegation_tables_its_draft(lars, amina, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    with pytest.raises(services.NotAllowed, match="may table it"):
        services.proposal_table(draft, user=amina)
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_delegation_withdraws_its_tabled_proposal(lars, ingrid, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    withdrawn = services.proposal_withdraw(tabled, user=ingrid)
    assert withdrawn.state == "withdrawn"
    assert withdrawn.closed_at is not None
    assert ProposalRevision.objects.get().state == "tabled"
    assert services.proposal_withdraw(tabled, user=ingrid).version == withdrawn.version


def test_withdrawing_is_refused_for_a_draft_another_delegation_or_a_decided_proposal(
    lars, amina, editor, op3
):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    with pytest.raises(services.ProposalRefused, match="nothing to withdraw"):
        services.proposal_withdraw(draft, user=lars)
    tabled = make_proposal(lars, op3, amended(op3, new="Urges"))
    with pytest.raises(services.NotAllowed, match="may withdraw it"):
        services.proposal_withdraw(tabled, user=amina)
    services.proposal_decide(tabled, user=editor, decision="accept")
    with pytest.raises(services.ProposalRefused, match="already accepted"):
        services.proposal_withdraw(tabled, user=lars)
    assert set(Proposal.objects.values_list("state", flat=True)) == {"draft", "accepted"}


# Stances ------------------------------------------------------------------------------------


def test_a_delegation_has_one_stance_and_may_change_it(lars, amina, op3):
    colleague = make_delegate("chidi", "Nigeria")
    tabled = make_proposal(lars, op3, amended(op3))
    before = version_of(op3.document)
    services.stance_record(tabled, user=amina, position="supports")
    services.stance_record(tabled, user=colleague, position="objects")
    stance = Stance.objects.get()
    assert (stance.delegation, stance.position, stance.recorded_by) == (
        amina.delegation,
        "objects",
        colleague,
    )
    assert version_of(op3.document) != before


@pytest.mark.parametrize("position", ["supports", "can_accept", "objects"])
def test_no_stance_on_ones_own_proposal(lars, ingrid, op3, position):
    tabled = make_proposal(lars, op3, amended(op3))
    with pytest.raises(services.NotAllowed, match="no stance on its own proposal"):
        services.stance_record(tabled, user=ingrid, position=position)
    assert not Stance.objects.exists()


def test_no_stance_from_a_delegate_of_no_delegation(lars, op3):
    from resolutions.models import User

    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    tabled = make_proposal(lars, op3, amended(op3))
    with pytest.raises(services.NotAllowed, match="belongs to no delegation"):
        services.stance_record(tabled, user=loner, position="supports")
    assert not Stance.objects.exists()


def test_no_stance_on_a_draft_or_a_closed_proposal(lars, amina, op3):
    circle = make_circle("Cross-regional", lars, lars.delegation, amina.delegation)
    draft = make_proposal(lars, op3, amended(op3), state="draft", on_behalf_of=circle)
    with pytest.raises(services.ProposalRefused, match="stances are taken once it is tabled"):
        services.stance_record(draft, user=amina, position="supports")
    withdrawn = services.proposal_withdraw(
        make_proposal(lars, op3, amended(op3, new="Urges")), user=lars
    )
    with pytest.raises(services.ProposalRefused, match="Norway has withdrawn"):
        services.stance_record(withdrawn, user=amina, position="objects")
    with pytest.raises(services.ProposalRefused, match="supports, can accept or objects"):
        services.stance_record(withdrawn, user=amina, position="abstains")
    assert not Stance.objects.exists()


def test_no_stance_on_a_superseded_version(lars, amina, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=op3.document)
    with pytest.raises(services.ProposalRefused, match="superseded"):
        services.stance_record(tabled, user=amina, position="supports")
    assert not Stance.objects.exists()


# The pen holder -------------------------------------------------------------------------------


def test_editors_hold_the_pen_until_pen_holders_are_named(lars, amina, editor, seed_document):
    assert seed_document.is_pen_holder(editor)
    assert not seed_document.is_pen_holder(lars)
    assert not seed_document.is_pen_holder(AnonymousUser())
    services.pen_holders_set(seed_document, editor=editor, delegations=[lars.delegation])
    assert seed_document.is_pen_holder(lars)
    assert not seed_document.is_pen_holder(editor)
    assert not seed_document.is_pen_holder(amina)


def test_only_editors_name_pen_holders(lars, seed_document):
    with pytest.raises(services.NotAllowed, match="Only editors"):
        services.pen_holders_set(seed_document, editor=lars, delegations=[lars.delegation])
    assert not seed_document.pen_holders.exists()


def test_the_pen_holder_accepts_and_rejects_with_a_reason(lars, amina, editor, op3):
    first = make_proposal(lars, op3, amended(op3))
    second = make_proposal(amina, op3, amended(op3, new="Urges"))
    accepted = services.proposal_decide(first, user=editor, decision="accept")
    assert (accepted.state, accepted.decided_by, accepted.decision_reason) == (
        "accepted",
        editor,
        "",
    )
    rejected = services.proposal_decide(
        second, user=editor, decision="reject", reason=" Goes beyond the mandate. "
    )
    assert (rejected.state, rejected.decision_reason) == ("rejected", "Goes beyond the mandate.")
    assert rejected.closed_at is not None
    assert ProposalRevision.objects.filter(state="tabled").count() == 2


def test_a_rejection_needs_a_reason(lars, editor, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    with pytest.raises(services.ProposalRefused, match="Say why") as refused:
        services.proposal_decide(tabled, user=editor, decision="reject", reason="  ")
    assert refused.value.field == "reason"
    tabled.refresh_from_db()
    assert tabled.state == "tabled"


def test_only_the_pen_holders_decide(lars, amina, editor, seed_document, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    with pytest.raises(services.NotAllowed, match="Only the pen holders of A/C.1/76/L.13"):
        services.proposal_decide(tabled, user=amina, decision="accept")
    services.pen_holders_set(seed_document, editor=editor, delegations=[amina.delegation])
    with pytest.raises(services.NotAllowed, match="Only the pen holders"):
        services.proposal_decide(tabled, user=editor, decision="accept")
    assert services.proposal_decide(tabled, user=amina, decision="accept").state == "accepted"


@pytest.mark.parametrize(
    ("first", "second"), [("amend", "amend"), ("amend", "delete"), ("delete", "amend")]
)
def test_two_conflicting_proposals_on_one_paragraph_are_never_both_accepted(
    lars, amina, editor, op3, first, second
):
    one = make_proposal(lars, op3, amended(op3), kind=first)
    other = make_proposal(amina, op3, amended(op3, new="Urges"), kind=second)
    services.proposal_decide(one, user=editor, decision="accept")
    what = "deletion" if first == "delete" else "amendment"
    with pytest.raises(
        services.ProposalRefused, match=f"OP3 already has an accepted {what} \\(Norway's\\)"
    ):
        services.proposal_decide(other, user=editor, decision="accept")
    other.refresh_from_db()
    assert other.state == "tabled"
    # It may still be rejected.
    services.proposal_decide(other, user=editor, decision="reject", reason="Superseded")


def test_a_new_paragraph_does_not_conflict_with_an_amendment(lars, amina, editor, op3):
    amendment = make_proposal(lars, op3, amended(op3))
    insertion = make_proposal(amina, op3, "Decides to remain seized of the matter.", kind="insert")
    services.proposal_decide(amendment, user=editor, decision="accept")
    assert services.proposal_decide(insertion, user=editor, decision="accept").state == "accepted"


def test_a_decision_is_final_and_only_for_tabled_proposals(lars, editor, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    services.proposal_decide(tabled, user=editor, decision="accept")
    again = services.proposal_decide(tabled, user=editor, decision="accept")  # a double click
    assert again.state == "accepted"
    with pytest.raises(services.ProposalRefused, match="already accepted"):
        services.proposal_decide(tabled, user=editor, decision="reject", reason="Changed my mind")
    own_draft = make_proposal(editor, op3, amended(op3, new="Urges"), state="draft")
    with pytest.raises(services.ProposalRefused, match="decided on once it is tabled"):
        services.proposal_decide(own_draft, user=editor, decision="accept")


def test_the_pen_holder_marks_paragraphs(lars, editor, seed_document):
    before = version_of(seed_document)
    changed = services.paragraph_status_set(
        seed_document,
        user=editor,
        statuses={"pp1": "agreed_ad_ref", "pp2": "agreed", "op1": "open"},
    )
    assert [p.label for p in changed] == ["pp1", "pp2"]
    pp1 = Paragraph.objects.get(document=seed_document, label="pp1")
    assert (pp1.status, pp1.status_changed_by) == ("agreed_ad_ref", editor)
    assert pp1.status_changed_at is not None
    assert Paragraph.objects.get(document=seed_document, label="op1").status_changed_by is None
    assert version_of(seed_document) != before


def test_paragraph_status_refusals(lars, editor, seed_document):
    with pytest.raises(services.NotAllowed, match="Only the pen holders"):
        services.paragraph_status_set(seed_document, user=lars, statuses={"pp1": "agreed"})
    with pytest.raises(services.ProposalRefused, match="Choose open, agreed ad ref or agreed"):
        services.paragraph_status_set(
            seed_document, user=editor, statuses={"pp1": "agreed", "pp2": "settled"}
        )
    with pytest.raises(services.ProposalRefused, match="has no paragraph op99"):
        services.paragraph_status_set(seed_document, user=editor, statuses={"op99": "agreed"})
    assert set(seed_document.paragraphs.values_list("status", flat=True)) == {"open"}


# The discussion ---------------------------------------------------------------------------------


def test_the_first_words_open_the_discussion_and_the_rest_reply(lars, amina, op3):
    tabled = make_proposal(lars, op3, amended(op3))
    opening = services.proposal_discuss(tabled, author=amina, body="Why drop “calls upon”?")
    assert (opening.proposal, opening.reply_to, opening.visibility, opening.paragraph) == (
        tabled,
        None,
        "public",
        op3,
    )
    reply = services.proposal_discuss(tabled, author=lars, body="To bring more on board.")
    assert (reply.reply_to, reply.proposal) == (opening, None)
    # Everyone logged in reads it, as the proposal.
    assert set(Annotation.objects.visible_to(make_delegate("hiro", "Japan"))) == {opening, reply}


def test_a_draft_has_no_discussion_and_an_empty_word_is_refused(lars, op3):
    draft = make_proposal(lars, op3, amended(op3), state="draft")
    with pytest.raises(services.ProposalRefused, match="opens when the proposal is tabled"):
        services.proposal_discuss(draft, author=lars, body="Internal")
    tabled = make_proposal(lars, op3, amended(op3, new="Urges"))
    with pytest.raises(services.ProposalRefused, match="Write something"):
        services.proposal_discuss(tabled, author=lars, body="  ")
    assert not Annotation.objects.exists()


# Who sees what ------------------------------------------------------------------------------


def test_a_draft_is_seen_by_its_delegation_and_its_circle_now(lars, ingrid, amina, kofi, op3):
    hiro = make_delegate("hiro", "Japan")
    circle = make_circle("Core group", lars, lars.delegation, amina.delegation)
    CircleMembership.objects.create(circle=circle, delegation=kofi.delegation)  # invited only
    own = make_proposal(lars, op3, amended(op3), state="draft")
    for_circle = make_proposal(
        lars, op3, amended(op3, new="Urges"), state="draft", on_behalf_of=circle
    )

    def seen(user):
        return set(Proposal.objects.visible_to(user))

    assert seen(lars) == seen(ingrid) == {own, for_circle}
    assert seen(amina) == {for_circle}
    assert seen(kofi) == seen(hiro) == set()
    assert seen(AnonymousUser()) == set()
    # Leaving the circle ends it at once.
    CircleMembership.objects.filter(delegation=amina.delegation).update(left_at=timezone.now())
    assert seen(amina) == set()


@pytest.mark.parametrize("state", ["tabled", "withdrawn", "accepted", "rejected"])
def test_a_tabled_proposal_is_seen_by_every_logged_in_user_whatever_became_of_it(
    lars, amina, op3, state
):
    from resolutions.models import User

    proposal = make_proposal(lars, op3, amended(op3))
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    for user in (lars, amina, loner):
        assert list(Proposal.objects.visible_to(user)) == [proposal]
    assert not Proposal.objects.visible_to(AnonymousUser()).exists()


def test_tabling_shows_what_the_proposal_says_not_the_drafts_before(lars, amina, op3):
    draft = make_proposal(lars, op3, amended(op3, new="Demands"), state="draft")
    edit(draft, lars, 1, amended(op3, new="Urges"), state="tabled")
    services.proposal_withdraw(draft, user=lars)
    theirs = ProposalRevision.objects.visible_to(amina)
    assert [(r.version, r.state) for r in theirs.order_by("version")] == [(2, "tabled")]
    ours = ProposalRevision.objects.visible_to(lars)
    assert [(r.version, r.state) for r in ours.order_by("version")] == [
        (1, "draft"),
        (2, "tabled"),
    ]
    assert not ProposalRevision.objects.visible_to(AnonymousUser()).exists()
