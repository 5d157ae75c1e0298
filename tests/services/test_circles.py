"""Circles of delegations: creating one, inviting, accepting, declining and leaving, each
refused in a delegate's words when it makes no sense, with nothing half-saved; and notes
shared with a circle."""

import pytest

from resolutions import services
from resolutions.models import (
    Annotation,
    AnnotationRevision,
    Circle,
    CircleMembership,
    Delegation,
    Document,
    Paragraph,
    User,
)
from resolutions.services import CircleRefused
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_document


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def state_of(circle: Circle, delegation: Delegation) -> str:
    return CircleMembership.objects.get(circle=circle, delegation=delegation).state


def joined(circle: Circle, user: User) -> Circle:
    """``user``'s delegation invited into ``circle`` by its creator, and accepting."""
    services.circle_invite(
        circle=circle, inviter=circle.created_by, delegation_name=user.delegation.name
    )
    services.circle_invitation_accept(user=user, circle=circle)
    return circle


def refusal(call) -> str:
    with pytest.raises(CircleRefused) as refused:
        call()
    return refused.value.message


# Creating ---------------------------------------------------------------------------------


def test_the_creators_delegation_is_in_the_circle_at_once(lars, ingrid):
    circle = services.circle_create(creator=lars, name="  Nordic \n group ")
    assert circle.name == "Nordic group"
    assert state_of(circle, lars.delegation) == "member"
    # The whole delegation, not only its creator.
    assert list(Circle.objects.visible_to(ingrid)) == [circle]
    assert list(Circle.objects.of_delegation(ingrid.delegation_id)) == [circle]


def test_a_new_circle_moves_every_documents_cache_version_on(lars):
    """The note form on every reading page offers the delegation's circles."""
    other = make_document(paragraphs=1)
    before = dict(Document.objects.values_list("pk", "cache_version"))
    services.circle_create(creator=lars, name="Nordic group")
    after = dict(Document.objects.values_list("pk", "cache_version"))
    assert all(after[pk] != version for pk, version in before.items())
    assert other.pk in after


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the circle a name, e.g. “Nordic group” or “Core group on ICT”."),
        ("  \n\t ", "Give the circle a name, e.g. “Nordic group” or “Core group on ICT”."),
        ("x" * 101, "A circle’s name can be at most 100 characters (this one has 101)."),
    ],
)
def test_a_circle_needs_a_name_of_reasonable_length(lars, name, message):
    assert refusal(lambda: services.circle_create(creator=lars, name=name)) == message
    assert not Circle.objects.exists()
    assert not CircleMembership.objects.exists()


def test_a_delegate_with_no_delegation_cannot_make_a_circle(db):
    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    message = refusal(lambda: services.circle_create(creator=loner, name="Nordic group"))
    assert message.startswith("Your account belongs to no delegation")
    assert not Circle.objects.exists()


def test_a_delegation_has_one_circle_by_a_name(lars, ingrid, nordic):
    message = refusal(lambda: services.circle_create(creator=ingrid, name="NORDIC GROUP"))
    assert message == "Your delegation is already in a circle called NORDIC GROUP."
    assert Circle.objects.count() == 1
    # Another delegation may have its own circle by that name.
    amina = make_delegate("amina-2", "Nigeria")
    assert services.circle_create(creator=amina, name="Nordic group") != nordic


def test_a_create_form_sent_twice_makes_one_circle(lars):
    first = services.circle_create(creator=lars, name="Nordic group", submission_key="k1")
    again = services.circle_create(creator=lars, name="Nordic group", submission_key="k1")
    assert again == first
    assert Circle.objects.count() == 1
    assert CircleMembership.objects.count() == 1
    # The same form, back from the browser's history with another name, is a new circle.
    other = services.circle_create(creator=lars, name="Core group", submission_key="k1")
    assert other != first
    assert Circle.objects.count() == 2


# Inviting ---------------------------------------------------------------------------------


def test_any_member_may_invite_a_delegation_by_its_name(lars, sven, nordic):
    joined(nordic, sven)
    invitation = services.circle_invite(circle=nordic, inviter=sven, delegation_name=" iceland ")
    assert invitation.delegation.name == "Iceland"
    assert invitation.invited_by == sven
    assert invitation.state == "invited"


def test_a_member_states_other_name_finds_its_delegation(lars, nordic):
    """Türkiye has no delegate yet: its delegation is made, so that its first delegate finds
    the invitation waiting."""
    invitation = services.circle_invite(circle=nordic, inviter=lars, delegation_name="Turkey")
    assert invitation.delegation.name == "Türkiye"
    newcomer = make_delegate("deniz", "Türkiye")
    assert list(Circle.objects.visible_to(newcomer)) == [nordic]


def test_an_unknown_name_is_refused_with_the_closest_names(lars, nordic):
    message = refusal(
        lambda: services.circle_invite(circle=nordic, inviter=lars, delegation_name="Swedn")
    )
    assert message.startswith("No delegation or Member State is called “Swedn”. Did you mean")
    assert "Sweden" in message
    empty = refusal(lambda: services.circle_invite(circle=nordic, inviter=lars, delegation_name=""))
    assert empty == "Write the name of the delegation to invite, e.g. Iceland."
    assert CircleMembership.objects.count() == 1


def test_inviting_a_delegation_already_in_or_invited_is_refused(lars, sven, nordic):
    message = refusal(
        lambda: services.circle_invite(circle=nordic, inviter=lars, delegation_name="Norway")
    )
    assert message == "Norway is already in Nordic group."
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    message = refusal(
        lambda: services.circle_invite(circle=nordic, inviter=lars, delegation_name="sweden")
    )
    assert message == (
        "Sweden is already invited to Nordic group: it joins when one of its delegates accepts."
    )
    assert CircleMembership.objects.count() == 2


def test_an_invite_form_sent_twice_invites_once(lars, nordic):
    first = services.circle_invite(
        circle=nordic, inviter=lars, delegation_name="Sweden", submission_key="k1"
    )
    again = services.circle_invite(
        circle=nordic, inviter=lars, delegation_name="Sweden", submission_key="k1"
    )
    assert again == first
    assert nordic.memberships.count() == 2


def test_only_a_member_may_invite(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    for outsider in (sven, amina):  # only invited; not invited at all
        message = refusal(
            lambda outsider=outsider: services.circle_invite(
                circle=nordic, inviter=outsider, delegation_name="Iceland"
            )
        )
        assert message == (
            "Your delegation is not in Nordic group, so you cannot invite delegations to it."
        )
    assert not nordic.memberships.filter(delegation__name="Iceland").exists()


def test_a_delegation_that_declined_or_left_may_be_invited_again(lars, sven, amina, nordic):
    joined(nordic, sven)
    services.circle_leave(user=sven, circle=nordic)
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Nigeria")
    services.circle_invitation_decline(user=amina, circle=nordic)
    for delegation in ("Sweden", "Nigeria"):
        again = services.circle_invite(circle=nordic, inviter=lars, delegation_name=delegation)
        assert again.state == "invited"
        assert (again.joined_at, again.declined_at, again.left_at) == (None, None, None)
    services.circle_invitation_accept(user=sven, circle=nordic)
    assert state_of(nordic, sven.delegation) == "member"


# Answering --------------------------------------------------------------------------------


def test_accepting_joins_the_whole_delegation(lars, sven, nordic):
    colleague = make_delegate("stina", "Sweden")
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    assert list(Circle.objects.of_delegation(sven.delegation_id)) == []
    before = Document.objects.get(slug=SEED_SLUG).cache_version
    services.circle_invitation_accept(user=colleague, circle=nordic)
    assert list(Circle.objects.of_delegation(sven.delegation_id)) == [nordic]
    assert Document.objects.get(slug=SEED_SLUG).cache_version != before
    # Accepting again (the button sent twice) changes nothing.
    joined_at = CircleMembership.objects.get(circle=nordic, delegation=sven.delegation).joined_at
    services.circle_invitation_accept(user=sven, circle=nordic)
    assert (
        CircleMembership.objects.get(circle=nordic, delegation=sven.delegation).joined_at
        == joined_at
    )


def test_no_one_accepts_another_delegations_invitation(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    message = refusal(lambda: services.circle_invitation_accept(user=amina, circle=nordic))
    assert message == "Your delegation has no open invitation to Nordic group."
    assert state_of(nordic, sven.delegation) == "invited"
    assert not nordic.memberships.filter(delegation=amina.delegation).exists()
    assert list(Circle.objects.visible_to(amina)) == []


def test_a_declined_invitation_cannot_be_accepted(lars, sven, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invitation_decline(user=sven, circle=nordic)
    assert list(Circle.objects.visible_to(sven)) == []
    # Declining again changes nothing.
    assert services.circle_invitation_decline(user=sven, circle=nordic).state == "declined"
    message = refusal(lambda: services.circle_invitation_accept(user=sven, circle=nordic))
    assert message == "Your delegation has no open invitation to Nordic group."
    assert state_of(nordic, sven.delegation) == "declined"


def test_a_member_leaves_rather_than_declines(lars, nordic):
    message = refusal(lambda: services.circle_invitation_decline(user=lars, circle=nordic))
    assert message == "Your delegation is already in Nordic group: leave the circle instead."
    assert state_of(nordic, lars.delegation) == "member"


# Leaving ----------------------------------------------------------------------------------


def test_leaving_ends_the_access_at_once(lars, ingrid, sven, nordic, op6):
    joined(nordic, sven)
    note = make_annotation(lars, op6, "For the Nordics", visibility="circle", circle=nordic)
    assert Annotation.objects.visible_to(sven).filter(pk=note.pk).exists()
    before = Document.objects.get(slug=SEED_SLUG).cache_version
    services.circle_leave(user=sven, circle=nordic)
    # The same user object, in the same request: the rule reads the memberships afresh.
    assert not Annotation.objects.visible_to(sven).filter(pk=note.pk).exists()
    assert list(Circle.objects.visible_to(sven)) == []
    assert Document.objects.get(slug=SEED_SLUG).cache_version != before
    # Leaving again (the button sent twice) changes nothing.
    assert services.circle_leave(user=sven, circle=nordic).state == "left"
    assert Annotation.objects.visible_to(ingrid).filter(pk=note.pk).exists()


def test_leaving_a_circle_one_is_not_in_is_refused(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    message = refusal(lambda: services.circle_leave(user=sven, circle=nordic))
    assert message == "Your delegation is not in Nordic group yet: decline the invitation instead."
    assert state_of(nordic, sven.delegation) == "invited"
    message = refusal(lambda: services.circle_leave(user=amina, circle=nordic))
    assert message == "Your delegation is not in Nordic group."
    assert not nordic.memberships.filter(delegation=amina.delegation).exists()


def test_a_delegate_with_no_delegation_answers_nothing(lars, nordic):
    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    for service in (
        services.circle_invitation_accept,
        services.circle_invitation_decline,
        services.circle_leave,
    ):
        message = refusal(lambda service=service: service(user=loner, circle=nordic))
        assert message.startswith("Your account belongs to no delegation")
    assert refusal(
        lambda: services.circle_invite(circle=nordic, inviter=loner, delegation_name="Sweden")
    ).startswith("Your account belongs to no delegation")
    assert nordic.memberships.count() == 1


# Notes shared with a circle ---------------------------------------------------------------


def test_a_note_is_shared_only_with_a_circle_of_the_authors_delegation(lars, sven, nordic, op6):
    note = make_annotation(lars, op6, "For the Nordics", visibility="circle", circle=nordic)
    assert (note.visibility, note.circle) == ("circle", nordic)
    message = refusal(
        lambda: make_annotation(sven, op6, "Not theirs", visibility="circle", circle=nordic)
    )
    assert message == "Your delegation is not in Nordic group, so you cannot share a note with it."
    message = refusal(lambda: make_annotation(lars, op6, "Which one?", visibility="circle"))
    assert message == "Choose which of your circles can see the note."
    assert Annotation.objects.count() == 1


def test_a_circle_given_with_another_audience_is_not_kept(lars, nordic, op6):
    note = make_annotation(lars, op6, "For Norway", visibility="delegation", circle=nordic)
    assert note.circle is None


def test_a_reply_is_written_for_its_threads_circle(lars, sven, nordic, op6):
    joined(nordic, sven)
    thread = make_annotation(lars, op6, "For the Nordics", visibility="circle", circle=nordic)
    reply = make_annotation(sven, op6, "Agreed", reply_to=thread, visibility="public")
    assert (reply.visibility, reply.circle) == ("circle", nordic)


def edit(note, **fields):
    data = {"body": note.body, "tags": [], "quote": ""} | fields
    return services.annotation_update(note, editor=note.author, version=note.version, **data)


def test_an_edit_cannot_share_a_note_with_a_circle_the_delegation_is_not_in(
    lars, sven, nordic, op6
):
    elsewhere = services.circle_create(creator=sven, name="Baltic and Nordic")
    note = make_annotation(lars, op6, "For Norway")
    message = refusal(lambda: edit(note, body="Now?", visibility="circle", circle=elsewhere))
    assert message == (
        "Your delegation is not in Baltic and Nordic, so you cannot share a note with it."
    )
    note.refresh_from_db()
    assert (note.body, note.visibility, note.version) == ("For Norway", "delegation", 1)
    assert not AnnotationRevision.objects.exists()
    # Shared with its own circle, it is.
    edit(note, visibility="circle", circle=nordic)
    note.refresh_from_db()
    assert (note.visibility, note.circle, note.version) == ("circle", nordic, 2)


def test_moving_a_note_to_another_circle_keeps_its_history_with_the_first(
    lars, sven, amina, nordic, op6
):
    """The first version was written for the Nordic group: the new circle's delegations
    read the note, not what it said before (unless the author shows it to them)."""
    joined(nordic, sven)
    core = services.circle_create(creator=lars, name="Core group")
    joined(core, amina)
    note = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    own_reply = make_annotation(lars, op6, "My own follow-up", reply_to=note)
    swedish_reply = make_annotation(sven, op6, "Swedish reply", reply_to=note)
    edit(note, body="Core line", visibility="circle", circle=core)
    revision = AnnotationRevision.objects.get(annotation=note)
    assert (revision.visibility, revision.circle) == ("circle", nordic)
    assert not AnnotationRevision.objects.visible_to(amina).exists()
    assert not AnnotationRevision.objects.visible_to(sven).exists()  # not in the new circle
    assert Annotation.objects.visible_to(amina).filter(pk=own_reply.pk).exists()
    assert not Annotation.objects.visible_to(amina).filter(pk=swedish_reply.pk).exists()
    # Shown to the new circle when the author says so.
    edit(note, body="Core line, v3", visibility="circle", circle=nordic)
    edit(note, body="Core line, v4", visibility="circle", circle=core, show_earlier_versions=True)
    assert AnnotationRevision.objects.visible_to(amina).count() == 3


def test_narrowing_to_a_circle_withdraws_versions_shown_to_everyone(lars, sven, amina, nordic, op6):
    joined(nordic, sven)
    note = make_annotation(lars, op6, "v1 for Norway")
    edit(note, body="v2 for everyone", visibility="public", show_earlier_versions=True)
    assert AnnotationRevision.objects.visible_to(amina).count() == 1
    edit(note, body="v3 for the Nordics", visibility="circle", circle=nordic)
    assert not AnnotationRevision.objects.visible_to(amina).exists()
    assert AnnotationRevision.objects.visible_to(sven).count() == 2
    shown = AnnotationRevision.objects.get(annotation=note, version=1)
    assert (shown.shown_to, shown.shown_to_circle) == ("circle", nordic)


def test_a_delegation_that_left_loses_the_circles_notes_replies_and_history(
    lars, sven, nordic, op6
):
    """Its own authors keep their own notes and replies; nothing else of the circle."""
    colleague = make_delegate("stina", "Sweden")
    joined(nordic, sven)
    thread = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    edit(thread, body="Nordic line, edited", visibility="circle", circle=nordic)
    reply = make_annotation(sven, op6, "Swedish reply", reply_to=thread)
    own = make_annotation(sven, op6, "Swedish note", visibility="circle", circle=nordic)
    services.circle_leave(user=colleague, circle=nordic)
    assert set(Annotation.objects.visible_to(colleague)) == set()
    assert set(Annotation.objects.visible_to(sven)) == {reply, own}
    assert not AnnotationRevision.objects.visible_to(sven).exists()
    # The circle still reads what Sweden wrote while it was in.
    assert set(Annotation.objects.visible_to(lars)) == {thread, reply, own}


def test_notes_carried_to_a_revision_keep_their_circle(lars, sven, nordic, op6):
    joined(nordic, sven)
    note = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    make_annotation(lars, op6, "More", reply_to=note)
    revision = make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=op6.document)
    services.annotations_carry_forward(user=lars, source=op6.document, target=revision)
    copies = Annotation.objects.on_document(revision)
    assert {(copy.visibility, copy.circle_id) for copy in copies} == {("circle", nordic.pk)}
    assert copies.count() == 2
    assert set(Annotation.objects.visible_to(sven).on_document(revision)) == set(copies)
