"""Circles of delegations: create one, invite delegations, accept or decline, leave.

A circle's notes reach the delegations in it now (``AnnotationQuerySet.visible_to``), so
joining or leaving changes what its members' pages show: each of these writes moves every
document's cache version on (``Document.objects.mark_changed``), in its transaction, as the
admin does. Every document, deliberately: the note form of every reading page offers the
delegation's circles, and joins and departures are rare.
"""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils import timezone

from resolutions.models import Circle, CircleMembership, Delegation, Document, MemberState, User
from resolutions.services.notifications import circle_invitation_notify
from resolutions.services.submissions import create_once
from resolutions.un.symbols import normalise_space

MAX_NAME = cast(int, Circle._meta.get_field("name").max_length)
NO_DELEGATION = (
    "Your account belongs to no delegation, so it cannot take part in circles. Ask an "
    "administrator to add you to your delegation."
)


class CircleRefused(ValueError):
    """A circle operation refused, nothing saved: ``message`` says why in a delegate's
    words, ``field`` which form field it is about (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def circle_name_refusal(name: str) -> str:
    """Why ``name`` (white space already normalised) cannot name a circle; empty if it can."""
    if not name:
        return "Give the circle a name, e.g. “Nordic group” or “Core group on ICT”."
    if len(name) > MAX_NAME:
        return f"A circle’s name can be at most {MAX_NAME} characters (this one has {len(name)})."
    return ""


def _delegation_of(user: User) -> int:
    if user.delegation_id is None:
        raise CircleRefused(NO_DELEGATION)
    return user.delegation_id


def require_member(user: User, circle: Circle, *, doing: str) -> None:
    """Refuse (``CircleRefused``) unless ``user``'s delegation is in ``circle`` now;
    ``doing`` ends the sentence: "share a note with it"."""
    delegation_id = _delegation_of(user)
    if (
        not CircleMembership.objects.active()
        .filter(circle=circle, delegation_id=delegation_id)
        .exists()
    ):
        raise CircleRefused(f"Your delegation is not in {circle.name}, so you cannot {doing}.")


def _circles_changed() -> None:
    # Who is in a circle is read with the notes, never kept with their tallies.
    Document.objects.mark_changed(notes=False)


@transaction.atomic
def circle_create(*, creator: User, name: str, submission_key: str = "") -> Circle:
    """A new circle called ``name``, with ``creator``'s delegation in it at once.

    Refused: a delegate with no delegation, an empty or too long name, and a name the
    delegation already has a circle by (in any case). The same form sent twice
    (``submission_key``) makes one circle."""
    delegation_id = _delegation_of(creator)
    name = normalise_space(name)
    refusal = circle_name_refusal(name)
    if refusal:
        raise CircleRefused(refusal, "name")

    def create(key: str) -> Circle:
        if Circle.objects.of_delegation(delegation_id).filter(name__iexact=name).exists():
            raise CircleRefused(f"Your delegation is already in a circle called {name}.", "name")
        circle = Circle.objects.create(name=name, created_by=creator, submission_key=key)
        now = timezone.now()
        CircleMembership.objects.create(
            circle=circle,
            delegation_id=delegation_id,
            invited_by=creator,
            invited_at=now,
            joined_at=now,
        )
        _circles_changed()
        return circle

    circle, _ = create_once(
        Circle.objects.filter(created_by=creator),
        "submission_key",
        submission_key,
        same=lambda earlier: earlier.name == name,
        create=create,
    )
    return circle


def find_delegation(name: str) -> Delegation:
    """The delegation called ``name``, or the one of the Member State called so (its
    short and former names too: "Turkey" finds Türkiye), made when the state has none
    yet, so that it finds its invitation when its first delegate comes. Refuses a name
    that is neither, suggesting the closest."""
    name = normalise_space(name)
    if not name:
        raise CircleRefused(
            "Write the name of the delegation to invite, e.g. Iceland.", "delegation"
        )
    delegation = Delegation.objects.filter(name__iexact=name).first()
    if delegation is not None:
        return delegation
    matcher = MemberState.objects.name_matcher()
    iso3 = matcher.match(name)
    if iso3 is None:
        closest = matcher.suggest(name)
        listed = " or ".join(
            [", ".join(closest[:-1]), closest[-1]] if len(closest) > 1 else closest
        )
        hint = f" Did you mean {listed}?" if closest else ""
        raise CircleRefused(
            f"No delegation or Member State is called “{name}”.{hint}", "delegation"
        )
    state = MemberState.objects.get(iso3=iso3)
    delegation, _ = Delegation.objects.get_or_create(state=state, defaults={"name": state.name})
    return delegation


@transaction.atomic
def circle_invite(
    *, circle: Circle, inviter: User, delegation_name: str, submission_key: str = ""
) -> CircleMembership:
    """Invite the delegation called ``delegation_name`` into ``circle``; any member of the
    circle may. It joins when one of its delegates accepts. A delegation that declined or
    left may be invited again.

    Refused: an inviter whose delegation is not in the circle, a name that is no
    delegation or Member State, and a delegation already in the circle or already invited
    (unless it is this same form sent twice: the invitation it made is the answer)."""
    require_member(inviter, circle, doing="invite delegations to it")
    delegation = find_delegation(delegation_name)
    membership = (
        CircleMembership.objects.select_for_update()
        .filter(circle=circle, delegation=delegation)
        .first()
    )
    if membership is not None:
        if membership.state == CircleMembership.State.MEMBER:
            raise CircleRefused(f"{delegation.name} is already in {circle.name}.", "delegation")
        if membership.state == CircleMembership.State.INVITED:
            if submission_key and membership.submission_key == submission_key:
                return membership
            raise CircleRefused(
                f"{delegation.name} is already invited to {circle.name}: it joins when one "
                "of its delegates accepts.",
                "delegation",
            )
        # Declined or left: invited afresh.
        membership.invited_by = inviter
        membership.invited_at = timezone.now()
        membership.joined_at = membership.declined_at = membership.left_at = None
        membership.submission_key = ""
        membership.save()
        circle_invitation_notify(membership, actor=inviter)
        return membership
    membership, created = create_once(
        CircleMembership.objects.filter(invited_by=inviter),
        "submission_key",
        submission_key,
        same=lambda earlier: (
            earlier.circle_id == circle.pk and earlier.delegation_id == delegation.pk
        ),
        create=lambda key: CircleMembership.objects.create(
            circle=circle, delegation=delegation, invited_by=inviter, submission_key=key
        ),
    )
    if created:
        circle_invitation_notify(membership, actor=inviter)
    return membership


def _own_membership(user: User, circle: Circle) -> CircleMembership | None:
    """``user``'s delegation's place in ``circle``, locked until the transaction ends, so
    that two answers sent at once are taken one after the other."""
    return (
        CircleMembership.objects.select_for_update()
        .filter(circle=circle, delegation_id=_delegation_of(user))
        .first()
    )


def _no_invitation(circle: Circle) -> CircleRefused:
    return CircleRefused(f"Your delegation has no open invitation to {circle.name}.")


@transaction.atomic
def circle_invitation_accept(*, user: User, circle: Circle) -> CircleMembership:
    """``user``'s delegation accepts its invitation to ``circle`` and joins it: its
    delegates see the circle's notes from now on. Accepting again changes nothing.

    Refused: a delegate with no delegation, and a delegation with no open invitation (never
    invited, someone else's invitation, declined, or left since)."""
    membership = _own_membership(user, circle)
    if membership is None:
        raise _no_invitation(circle)
    if membership.state == CircleMembership.State.MEMBER:
        return membership
    if membership.state != CircleMembership.State.INVITED:
        raise _no_invitation(circle)
    membership.joined_at = timezone.now()
    membership.save(update_fields=["joined_at"])
    _circles_changed()
    return membership


@transaction.atomic
def circle_invitation_decline(*, user: User, circle: Circle) -> CircleMembership:
    """``user``'s delegation declines its invitation to ``circle``; a member may invite it
    again. Declining again changes nothing.

    Refused: a delegate with no delegation, a delegation already in the circle (it leaves
    instead), and one with no open invitation."""
    membership = _own_membership(user, circle)
    if membership is None:
        raise _no_invitation(circle)
    if membership.state == CircleMembership.State.DECLINED:
        return membership
    if membership.state == CircleMembership.State.MEMBER:
        raise CircleRefused(
            f"Your delegation is already in {circle.name}: leave the circle instead."
        )
    if membership.state != CircleMembership.State.INVITED:
        raise _no_invitation(circle)
    membership.declined_at = timezone.now()
    membership.save(update_fields=["declined_at"])
    return membership


@transaction.atomic
def circle_leave(*, user: User, circle: Circle) -> CircleMembership:
    """``user``'s delegation leaves ``circle``: from the next request on its delegates see
    nothing of the circle's notes, replies and their history, their own notes aside. Leaving
    again (the same button sent twice) changes nothing.

    Refused: a delegate with no delegation, and a delegation not in the circle (only
    invited: it declines instead)."""
    membership = _own_membership(user, circle)
    state = membership.state if membership else None
    if state == CircleMembership.State.INVITED:
        raise CircleRefused(
            f"Your delegation is not in {circle.name} yet: decline the invitation instead."
        )
    if membership is None or state not in (
        CircleMembership.State.MEMBER,
        CircleMembership.State.LEFT,
    ):
        raise CircleRefused(f"Your delegation is not in {circle.name}.")
    if state == CircleMembership.State.LEFT:
        return membership
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    _circles_changed()
    return membership
