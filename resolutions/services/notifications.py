"""Telling delegates what happened: called by the services that make it happen, inside
their transaction, so that a note is never saved without its notifications and a note
rolled back leaves none behind.

Nobody is told what they did themselves, and nobody is told twice of one thing: a mention
in a reply to your thread is one notification, of kind mention. Recipients are found in a
query or two however many there are, and saved in one ``bulk_create``; only mentions are
checked one by one against the visibility rules (``Annotation.objects.visible_to``,
``Proposal.objects.visible_to``), and a text names at most ``MENTIONS_CHECKED`` people.

Those who asked to be told of a kind by e-mail at once are e-mailed once the transaction
commits (``services.mail``); a cause rolled back e-mails no one."""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from resolutions.models import (
    DEFAULT_DELIVERY,
    Annotation,
    CircleMembership,
    Delivery,
    Document,
    Notification,
    NotificationPreference,
    Proposal,
    Stance,
    User,
)
from resolutions.services import events
from resolutions.services.mail import notifications_email_soon
from resolutions.un.mentions import mentioned_usernames

Kind = Notification.Kind

# More names than this in one text is a list, not a mention: the rest are not told.
MENTIONS_CHECKED = 20


def _send(
    kind: str, recipient_ids: Iterable[int], actor: User | None, **about: models.Model
) -> set[int]:
    """Save one notification of ``kind`` about ``about`` for each recipient but the actor;
    returns who was told."""
    told = set(recipient_ids) - {actor.pk if actor else None}
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, kind=kind, actor=actor, **about) for pk in sorted(told)],
        # Every delegate told of a revision: in parts, within the values one query may send.
        batch_size=1000,
    )
    notifications_email_soon(created)
    events.inbox_changed(told)
    return told


def _named(text: str, *, before: str = "") -> QuerySet:
    """The users ``text`` mentions that ``before`` (the words as they were) did not."""
    already = {name.casefold() for name in mentioned_usernames(before)}
    names = [name for name in mentioned_usernames(text) if name.casefold() not in already]
    return User.objects.filter(username__in=names[:MENTIONS_CHECKED], is_active=True)


def note_mentions_notify(note: Annotation, *, actor: User, before: str = "") -> set[int]:
    """Tell the people ``note`` newly mentions (those ``before`` did not) and who may read
    it: a mention never shows a note to someone outside its audience."""
    readers = [
        user.pk
        for user in _named(note.body, before=before)
        if Annotation.objects.visible_to(user).filter(pk=note.pk).exists()
    ]
    return _send(Kind.MENTION, readers, actor, annotation=note)


def note_created_notify(note: Annotation, *, actor: User) -> None:
    """A new note or reply: the people it mentions, then (for a reply) everyone else who
    wrote in its thread."""
    told = note_mentions_notify(note, actor=actor)
    if note.reply_to_id is None:
        return
    thread = Annotation.objects.filter(
        Q(pk=note.reply_to_id) | Q(reply_to_id=note.reply_to_id), deleted_at__isnull=True
    )
    writers = set(thread.values_list("author_id", flat=True)) - told
    _send(Kind.REPLY, writers, actor, annotation=note)


def proposal_mentions_notify(proposal: Proposal, *, actor: User, before: str = "") -> set[int]:
    """Tell the people the proposal's wording or reason newly mentions (those ``before``
    did not), who may see it and were not told of a mention in it yet. Tabling a draft
    passes no ``before``: those a draft named without showing it to them are told now that
    they see it."""
    text = f"{proposal.text}\n{proposal.reason}"
    told = Notification.objects.filter(kind=Kind.MENTION, proposal=proposal)
    readers = [
        user.pk
        for user in _named(text, before=before).exclude(pk__in=told.values("recipient_id"))
        if Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
    ]
    return _send(Kind.MENTION, readers, actor, proposal=proposal)


def _paragraph_followers(paragraph_id: int) -> QuerySet:
    """The delegates who have a stake in a paragraph: the members of every delegation that
    shared a note on it or made a proposal on it, and the authors of the notes on it (a
    private note tells its author alone)."""
    notes = Annotation.objects.filter(paragraph_id=paragraph_id, deleted_at__isnull=True)
    shared = notes.exclude(visibility=Annotation.Visibility.PRIVATE).exclude(
        delegation__isnull=True
    )
    proposing = Proposal.objects.filter(paragraph_id=paragraph_id)
    return User.objects.filter(
        Q(delegation__in=shared.values("delegation_id"))
        | Q(delegation__in=proposing.values("delegation_id"))
        | Q(pk__in=notes.values("author_id")),
        is_active=True,
    ).values_list("pk", flat=True)


PROPOSAL_EVENTS = {
    Proposal.State.TABLED: Kind.PROPOSAL_TABLED,
    Proposal.State.ACCEPTED: Kind.PROPOSAL_ACCEPTED,
    Proposal.State.REJECTED: Kind.PROPOSAL_REJECTED,
}


def proposal_event_notify(
    proposal: Proposal, *, actor: User, told: Iterable[int] = frozenset()
) -> None:
    """The proposal was tabled, accepted or rejected (its state says which): tell those
    with a stake in its paragraph (``_paragraph_followers``), but those already ``told``
    (mentioned in it)."""
    kind = PROPOSAL_EVENTS[Proposal.State(proposal.state)]
    recipients = set(_paragraph_followers(proposal.paragraph_id)) - set(told)
    _send(kind, recipients, actor, proposal=proposal)


def stance_notify(stance: Stance, *, actor: User) -> None:
    """Tell the delegation whose proposal it is that another took a stance on it."""
    members = User.objects.filter(
        delegation_id=stance.proposal.delegation_id, is_active=True
    ).values_list("pk", flat=True)
    _send(Kind.STANCE, members, actor, proposal=stance.proposal)


def revision_notify(revision: Document, *, actor: User | None) -> None:
    """Tell everyone who wrote a note on the version ``revision`` replaces."""
    if revision.revision_of_id is None:
        return
    authors = (
        Annotation.objects.filter(
            paragraph__document_id=revision.revision_of_id, deleted_at__isnull=True
        )
        .values_list("author_id", flat=True)
        .distinct()
    )
    _send(Kind.REVISION, authors, actor, document=revision)


def circle_invitation_notify(membership: CircleMembership, *, actor: User) -> None:
    """Tell the members of the invited delegation."""
    members = User.objects.filter(
        delegation_id=membership.delegation_id, is_active=True
    ).values_list("pk", flat=True)
    _send(Kind.CIRCLE_INVITATION, members, actor, circle=membership.circle)


def inbox_mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications read, or (without ``notification_id``) all of
    them; returns how many were unread. Another user's notification is none of theirs."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def notification_preferences_set(user: User, deliveries: dict[str, str]) -> None:
    """Save how ``user`` is told of each kind in ``deliveries``, in one transaction; a
    choice equal to the default is kept as no row, so a later change of default reaches
    those who never chose."""
    with transaction.atomic():
        for kind, delivery in deliveries.items():
            if delivery == DEFAULT_DELIVERY.get(kind, Delivery.INBOX):
                NotificationPreference.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"delivery": delivery}
                )
