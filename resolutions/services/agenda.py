"""Recording an agenda item's number at a session."""

from django.db import transaction

from resolutions.models import AgendaItem, AgendaListing, Document


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
    Document.objects.filter(agenda_listing=listing).mark_changed()
    return listing, created
