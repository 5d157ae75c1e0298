"""Telling open pages that something changed, in the transaction that changed it.

An event names a place and nothing of what is there: "paragraph op3 of A/C.1/76/L.13
changed", "your inbox changed". The page then asks for the changed part through the normal
views, where the visibility rules are enforced as always. Still, an event about a note goes
only to those who may read the note: that a delegation is writing on OP3 is itself news.

Each event is saved (a ``LiveEvent`` row, for a reader who reconnects) and announced on
commit: through PostgreSQL's ``NOTIFY``, which the database delivers to every app server
listening when, and only if, the transaction commits; on SQLite, to the process's own
streams, from ``transaction.on_commit``. A note rolled back announces nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from resolutions import live
from resolutions.models import (
    Annotation,
    CircleMembership,
    Document,
    LiveEvent,
    Paragraph,
    Proposal,
    User,
)
from resolutions.models.annotations import Visibility

# NOTIFY carries at most 8,000 bytes; an inbox event for more people than fit is split.
USERS_PER_EVENT = 500
# Events older than ``live.KEPT`` are forgotten once every so many events.
PRUNE_EVERY = 1000


@dataclass(frozen=True)
class Audience:
    """Who may hear of a change: ``anyone`` (visitors too), ``members`` (everyone logged
    in), the members of ``delegations``, and ``users`` by id."""

    anyone: bool = False
    members: bool = False
    delegations: frozenset[int] = field(default_factory=frozenset)
    users: frozenset[int] = field(default_factory=frozenset)

    def __or__(self, other: Audience) -> Audience:
        return Audience(
            anyone=self.anyone or other.anyone,
            members=self.members or other.members,
            delegations=self.delegations | other.delegations,
            users=self.users | other.users,
        )

    def as_json(self) -> dict:
        return {
            "anyone": self.anyone,
            "members": self.members,
            "delegations": sorted(self.delegations),
            "users": sorted(self.users),
        }


ANYONE = Audience(anyone=True)
MEMBERS = Audience(members=True)


def _principals(
    visibility: str, delegation_id: int | None, author_id: int, circle_id: int | None
) -> Audience:
    """The audience ``_in_audience`` describes, from the note's side: everyone logged in,
    or the author and the members of the delegation, or of the delegations in the circle
    now."""
    if visibility == Visibility.PUBLIC:
        return MEMBERS
    author = frozenset({author_id})
    if visibility == Visibility.DELEGATION and delegation_id is not None:
        return Audience(delegations=frozenset({delegation_id}), users=author)
    if visibility == Visibility.CIRCLE and circle_id is not None:
        members = CircleMembership.objects.active().filter(circle_id=circle_id)
        delegations = frozenset(members.values_list("delegation_id", flat=True))
        return Audience(delegations=delegations, users=author)
    return Audience(users=author)


def _both(a: Audience, b: Audience, delegation_of: dict[int, int | None]) -> Audience:
    """Those in ``a`` and in ``b``; ``delegation_of`` gives the delegation of each user
    named."""
    if a.members:
        return b
    if b.members:
        return a

    def within(users: frozenset[int], other: Audience) -> set[int]:
        return {
            user
            for user in users
            if user in other.users or delegation_of.get(user) in other.delegations
        }

    return Audience(
        delegations=a.delegations & b.delegations,
        users=frozenset(within(a.users, b) | within(b.users, a)),
    )


def note_audience(note: Annotation) -> Audience:
    """Those who may read ``note`` now, as ``Annotation.objects.visible_to`` decides (a test
    holds the two together): a thread's audience, or, for a reply, its author and those in
    both the audience it was written for and its thread's present one."""
    thread = note.reply_to
    if thread is None:
        return _principals(note.visibility, note.delegation_id, note.author_id, note.circle_id)
    written_for = _principals(
        note.visibility, thread.delegation_id, thread.author_id, note.circle_id
    )
    present = _principals(
        thread.visibility, thread.delegation_id, thread.author_id, thread.circle_id
    )
    both = _both(written_for, present, {thread.author_id: thread.delegation_id})
    return both | Audience(users=frozenset({note.author_id}))


def proposal_audience(proposal: Proposal) -> Audience:
    """Those who may see ``proposal`` now (``Proposal.objects.visible_to``): a draft, its
    delegation and the delegations of the circle it is made for; anything else, everyone
    logged in."""
    if proposal.state != Proposal.State.DRAFT:
        return MEMBERS
    delegations = {proposal.delegation_id}
    if proposal.on_behalf_of_id is not None:
        delegations |= set(
            CircleMembership.objects.active()
            .filter(circle_id=proposal.on_behalf_of_id)
            .values_list("delegation_id", flat=True)
        )
    return Audience(delegations=frozenset(delegations))


def _publish(document_id: int | None, name: str, audience: Audience) -> None:
    if not (audience.anyone or audience.members or audience.delegations or audience.users):
        return
    event = LiveEvent.objects.create(
        document_id=document_id, name=name, audience=audience.as_json()
    )
    if event.pk % PRUNE_EVERY == 0:
        live.prune()
    message = live.Message.from_event(event)
    if connection.vendor == "postgresql":
        payload = json.dumps(message.as_json())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [live.CHANNEL, payload])
    else:
        transaction.on_commit(lambda: live.hub.dispatch(message))


def note_changed(note: Annotation, *, before: Audience | None = None) -> None:
    """A note or reply was written, edited, moved to another audience, resolved, deleted or
    restored: tell its paragraph's readers who may read it, and those who could before."""
    audience = note_audience(note) | (before or Audience())
    paragraph = note.paragraph
    _publish(paragraph.document_id, paragraph.label, audience)


def notes_changed(notes: Iterable[Annotation]) -> None:
    """Many notes written at once (carried to a new version): one event per paragraph, for
    everyone who may read any of its new notes."""
    by_place: dict[tuple[int, str], Audience] = {}
    for note in notes:
        place = (note.paragraph.document_id, note.paragraph.label)
        by_place[place] = by_place.get(place, Audience()) | note_audience(note)
    for (document_id, label), audience in by_place.items():
        _publish(document_id, label, audience)


def proposal_changed(proposal: Proposal, *, before: Audience | None = None) -> None:
    """A proposal was made, edited, tabled, withdrawn, decided, discussed or took a stance."""
    audience = proposal_audience(proposal) | (before or Audience())
    label = proposal.paragraph.label if proposal.paragraph_id else "document"
    _publish(proposal.document_id, label, audience)


def paragraph_changed(paragraph: Paragraph) -> None:
    """A paragraph's status changed (agreed ad ref, ...): anyone reading it may know."""
    _publish(paragraph.document_id, paragraph.label, ANYONE)


def document_changed(document: Document) -> None:
    """A new version of ``document`` was issued or imported: its pages say so."""
    _publish(document.pk, "document", ANYONE)


def inbox_changed(user_ids: Iterable[int]) -> None:
    """Something reached these users' inboxes."""
    users = sorted(set(user_ids))
    for start in range(0, len(users), USERS_PER_EVENT):
        _publish(None, "inbox", Audience(users=frozenset(users[start : start + USERS_PER_EVENT])))


def logged_out(user: User, session_key: str) -> None:
    """``user`` logged out of the session ``session_key``: its streams close (the event
    names the session only by a digest of its key)."""
    audience = Audience(users=frozenset({user.pk}))
    _publish(None, live.logout_event_name(session_key), audience)
