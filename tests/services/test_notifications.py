"""Notifications: each cause tells the right people once, never the one who acted, never
someone a mention would show a note they may not read; and a note rolled back leaves no
notification behind."""

import pytest
from django.db import transaction

from resolutions import services
from resolutions.models import Annotation, Notification, Paragraph
from resolutions.services.revising import issue_revision
from tests.conftest import SEED_SLUG, load_seed_fixtures
from tests.factories import (
    make_annotation,
    make_circle_of_delegates,
    make_delegate,
    make_proposal,
)

Kind = Notification.Kind


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def told(user) -> list[tuple[str, int | None]]:
    """What ``user`` was told: (kind, the note or proposal it is about)."""
    return [
        (n.kind, n.annotation_id or n.proposal_id or n.document_id or n.circle_id)
        for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


# Mentions ---------------------------------------------------------------------------------


def test_a_mention_in_a_delegation_note_tells_a_colleague(lars, ingrid, op6):
    note = make_annotation(lars, op6, "@ingrid can you check the figures?")
    assert told(ingrid) == [(Kind.MENTION, note.pk)]
    assert told(lars) == []  # nobody is told what they did themselves


def test_a_mention_never_shows_a_private_note(lars, ingrid, op6):
    make_annotation(lars, op6, "Ask @ingrid later", visibility="private")
    assert told(ingrid) == []


def test_a_mention_of_another_delegation_in_a_delegation_note_tells_no_one(lars, amina, op6):
    make_annotation(lars, op6, "@amina will object")
    assert told(amina) == []


def test_a_mention_in_a_public_note_tells_another_delegation(lars, amina, op6):
    note = make_annotation(lars, op6, "@amina, your view?", visibility="public")
    assert told(amina) == [(Kind.MENTION, note.pk)]


def test_a_mention_in_a_circle_note_tells_the_circles_members_only(lars, amina, sven, op6):
    circle = make_circle_of_delegates("Friends of OP6", lars, amina)
    note = make_annotation(lars, op6, "@amina @sven agreed?", visibility="circle", circle=circle)
    assert told(amina) == [(Kind.MENTION, note.pk)]
    assert told(sven) == []


def test_an_email_address_mentions_no_one(lars, ingrid, op6):
    make_annotation(lars, op6, "Write to ingrid@norway.example")
    assert told(ingrid) == []


def test_an_edit_tells_only_the_people_it_newly_mentions(lars, ingrid, op6):
    erik = make_delegate("erik", "Norway")
    note = make_annotation(lars, op6, "@ingrid first")
    services.annotation_update(
        note, editor=lars, version=1, body="@ingrid and @erik", tags=[], quote=""
    )
    assert told(ingrid) == [(Kind.MENTION, note.pk)]
    assert told(erik) == [(Kind.MENTION, note.pk)]


# Replies ----------------------------------------------------------------------------------


def test_a_reply_tells_everyone_who_wrote_in_the_thread(lars, ingrid, amina, op6):
    thread = make_annotation(lars, op6, "Too strong?", visibility="public")
    make_annotation(amina, op6, "Agreed", reply_to=thread)
    reply = make_annotation(ingrid, op6, "We can live with it", reply_to=thread)
    assert told(lars)[-1] == (Kind.REPLY, reply.pk)
    assert told(amina) == [(Kind.REPLY, reply.pk)]
    assert (Kind.REPLY, reply.pk) not in told(ingrid)


def test_a_mention_in_a_reply_to_your_thread_is_one_notification(lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Too strong?")
    reply = make_annotation(ingrid, op6, "@lars I think so", reply_to=thread)
    assert told(lars) == [(Kind.MENTION, reply.pk)]


# Proposals and stances --------------------------------------------------------------------


def test_tabling_tells_the_delegations_that_annotated_the_paragraph(lars, ingrid, amina, op6):
    make_annotation(ingrid, op6, "Watch this paragraph")
    proposal = make_proposal(amina, op6)
    assert told(lars) == [(Kind.PROPOSAL_TABLED, proposal.pk)]
    assert told(ingrid) == [(Kind.PROPOSAL_TABLED, proposal.pk)]
    assert told(amina) == []


def test_a_private_note_tells_its_author_alone(lars, ingrid, amina, op6):
    make_annotation(ingrid, op6, "Mine", visibility="private")
    proposal = make_proposal(amina, op6)
    assert told(ingrid) == [(Kind.PROPOSAL_TABLED, proposal.pk)]
    assert told(lars) == []


def test_a_draft_tells_no_one_until_it_is_tabled(lars, amina, op6):
    make_annotation(lars, op6, "Watch this")
    draft = make_proposal(amina, op6, state="draft")
    assert told(lars) == []
    services.proposal_table(draft, user=amina)
    assert told(lars) == [(Kind.PROPOSAL_TABLED, draft.pk)]


def test_accepting_and_rejecting_tell_the_proposing_delegation(lars, amina, op6):
    editor = make_delegate("chair", "Sweden", editor=True)
    colleague = make_delegate("tunde", "Nigeria")
    accepted = make_proposal(amina, op6)
    rejected = make_proposal(amina, op6, kind="insert", text="New paragraph on capacity.")
    services.proposal_decide(accepted, user=editor, decision="accept")
    services.proposal_decide(rejected, user=editor, decision="reject", reason="Out of scope")
    assert told(colleague)[-2:] == [
        (Kind.PROPOSAL_ACCEPTED, accepted.pk),
        (Kind.PROPOSAL_REJECTED, rejected.pk),
    ]


def test_a_stance_tells_the_proposing_delegation_once(lars, amina, op6):
    colleague = make_delegate("tunde", "Nigeria")
    proposal = make_proposal(amina, op6)
    services.stance_record(proposal, user=lars, position="objects")
    services.stance_record(proposal, user=lars, position="objects")  # sent twice
    # Told of the tabling too: their delegation proposed on the paragraph.
    assert told(colleague) == [(Kind.PROPOSAL_TABLED, proposal.pk), (Kind.STANCE, proposal.pk)]
    assert told(amina) == [(Kind.STANCE, proposal.pk)]


def test_a_mention_in_a_draft_tells_only_those_who_may_read_it(lars, ingrid, amina, op6):
    draft = make_proposal(
        lars, op6, state="draft", reason="@ingrid please check; @amina will object"
    )
    assert told(ingrid) == [(Kind.MENTION, draft.pk)]
    assert told(amina) == []


def test_tabling_a_draft_tells_those_it_named_once_they_may_read_it(lars, ingrid, amina, op6):
    draft = make_proposal(lars, op6, state="draft", reason="@ingrid @amina please check")
    services.proposal_table(draft, user=ingrid)
    assert told(amina) == [(Kind.MENTION, draft.pk)]
    assert told(ingrid) == [(Kind.MENTION, draft.pk)]  # told with the draft, not again
    assert told(lars) == [(Kind.PROPOSAL_TABLED, draft.pk)]  # his colleague tabled it


# Revisions and circles --------------------------------------------------------------------


def test_a_revision_tells_everyone_who_annotated_the_version_it_replaces(lars, amina, op6):
    editor = make_delegate("chair", "Sweden", editor=True)
    make_annotation(lars, op6, "Note")
    make_annotation(amina, op6, "Mine", visibility="private")
    revision = issue_revision(op6.document, editor, "A/C.1/76/L.13/Rev.1").document
    assert told(lars) == [(Kind.REVISION, revision.pk)]
    assert told(amina) == [(Kind.REVISION, revision.pk)]
    assert told(editor) == []


def test_an_invitation_tells_the_invited_delegation(lars, amina, db):
    colleague = make_delegate("tunde", "Nigeria")
    circle = services.circle_create(creator=lars, name="Friends of OP6")
    services.circle_invite(circle=circle, inviter=lars, delegation_name="Nigeria")
    assert told(amina) == [(Kind.CIRCLE_INVITATION, circle.pk)]
    assert told(colleague) == [(Kind.CIRCLE_INVITATION, circle.pk)]
    assert told(lars) == []


# Visibility at read time ------------------------------------------------------------------


def test_a_note_narrowed_after_the_mention_leaves_the_inbox(lars, amina, op6):
    note = make_annotation(lars, op6, "@amina your view?", visibility="public")
    assert Notification.objects.visible_to(amina).count() == 1
    services.annotation_update(
        note, editor=lars, version=1, body=note.body, tags=[], quote="", visibility="delegation"
    )
    assert Notification.objects.visible_to(amina).count() == 0


def test_a_deleted_note_leaves_the_inbox(lars, ingrid, op6):
    note = make_annotation(lars, op6, "@ingrid look")
    services.annotation_delete(note)
    assert Notification.objects.visible_to(ingrid).count() == 0


def test_marking_read_touches_only_ones_own(lars, ingrid, amina, op6):
    make_annotation(lars, op6, "@ingrid @amina look", visibility="public")
    mine = Notification.objects.get(recipient=ingrid)
    assert services.inbox_mark_read(amina, mine.pk) == 0
    assert services.inbox_mark_read(ingrid, mine.pk) == 1
    assert services.inbox_mark_read(amina) == 1
    assert Notification.objects.unread().count() == 0


# One transaction --------------------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.fixture
def committed(transactional_db):
    """Real commits and rollbacks (the database is emptied after the test, which runs
    last): the seed, and lars and ingrid of Norway."""
    load_seed_fixtures()
    lars, ingrid = make_delegate("lars", "Norway"), make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    return lars, ingrid, op6


def test_a_note_rolled_back_leaves_no_notification(committed):
    lars, ingrid, op6 = committed

    def note_then_failure():
        with transaction.atomic():
            make_annotation(lars, op6, "@ingrid look")
            assert Notification.objects.filter(recipient=ingrid).count() == 1
            raise Boom

    with pytest.raises(Boom):
        note_then_failure()
    assert not Annotation.objects.filter(author=lars).exists()
    assert not Notification.objects.exists()


def test_a_notification_that_cannot_be_saved_saves_no_note(committed, monkeypatch):
    from resolutions.services import notifications

    lars, ingrid, op6 = committed

    def failing_send(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(notifications, "_send", failing_send)
    with pytest.raises(Boom):
        make_annotation(lars, op6, "@ingrid look")
    assert not Annotation.objects.filter(author=lars).exists()
