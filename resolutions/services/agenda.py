"""Recording an agenda item's number at a session; adding a delegation's action or a shared
milestone, once however often its form is sent, and changing a milestone.

Sessions and milestones are shared parts of the tracker, cached under the item's
``cache_version``: each write here that changes them moves it on, in its transaction."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from resolutions.models import (
    AgendaItem,
    AgendaListing,
    Delegation,
    Document,
    FollowUpAction,
    Milestone,
    User,
)
from resolutions.services.submissions import create_once


@transaction.atomic
def agenda_listing_record(
    *, agenda_item: AgendaItem, session: int, item_number: str, note: str
) -> tuple[AgendaListing, bool]:
    """Record the item at a session, or change the number and note it has there; returns
    ``(listing, created)``. The documents issued under it print the number in their header."""
    listing, created = AgendaListing.objects.update_or_create(
        agenda_item=agenda_item,
        session=session,
        defaults={"item_number": item_number, "note": note},
    )
    Document.objects.filter(agenda_listing=listing).mark_changed(notes=False)
    AgendaItem.objects.filter(pk=agenda_item.pk).mark_changed()
    return listing, created


@transaction.atomic
def action_create(
    *,
    agenda_item: AgendaItem,
    delegation: Delegation,
    created_by: User,
    submission_key: str = "",
    **fields: Any,
) -> FollowUpAction:
    """Add an action to ``delegation``'s list for ``agenda_item``, by ``created_by`` (one of
    its members); ``fields`` are the action form's (title, due date, status, owner,
    paragraph, note).

    ``submission_key`` is the key of the form it was sent from: when ``created_by`` already
    added an action with the same title from that form (a double click, a request the
    browser sent again), that action is the answer and nothing new is added. Another title
    is a new action (the form came back from the browser's history and was used again).
    """
    action, _ = create_once(
        FollowUpAction.objects.filter(created_by=created_by),
        "submission_key",
        submission_key,
        same=lambda earlier: earlier.title == fields["title"],
        create=lambda key: FollowUpAction.objects.create(
            agenda_item=agenda_item,
            delegation=delegation,
            created_by=created_by,
            submission_key=key,
            **fields,
        ),
    )
    return action


@transaction.atomic
def milestone_create(
    *, agenda_item: AgendaItem, updated_by: User, submission_key: str = "", **fields: Any
) -> Milestone:
    """Add a shared milestone to ``agenda_item``; ``fields`` are the milestone form's.

    The form's ``submission_key`` becomes the milestone's key (random, as the default one
    is): sent twice, the form finds the milestone it added instead of adding another, unless
    the title differs (the form came back from the browser's history and was used again).
    """
    milestone, _ = create_once(
        Milestone.objects.filter(agenda_item=agenda_item),
        "key",
        submission_key,
        same=lambda earlier: earlier.title == fields["title"],
        # Without a key of the form's, the milestone gets its own random one.
        create=lambda key: Milestone.objects.create(
            agenda_item=agenda_item,
            updated_by=updated_by,
            updated_at=timezone.now(),
            **({"key": key} if key else {}),
            **fields,
        ),
    )
    AgendaItem.objects.filter(pk=agenda_item.pk).mark_changed()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, updated_by: User) -> Milestone:
    """Save the changes made to ``milestone`` (by its form), by ``updated_by``."""
    milestone.updated_by = updated_by
    milestone.updated_at = timezone.now()
    milestone.save()
    AgendaItem.objects.filter(pk=milestone.agenda_item_id).mark_changed()
    return milestone
