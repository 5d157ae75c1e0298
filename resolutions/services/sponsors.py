"""Recording a document's sponsor list."""

import datetime

from django.db import IntegrityError, transaction

from resolutions.models import Document, MemberState, SponsorList, Sponsorship


def label_taken(label: str) -> str:
    """What an editor is told when the document already has a list under ``label``."""
    return f"This document already has a sponsor list called “{label}”."


class SponsorListLabelTaken(ValueError):
    """The document has a sponsor list under this label already: recorded meanwhile by
    someone else, since the form checked. ``message`` says so in a delegate's words."""

    def __init__(self, label: str):
        self.message = label_taken(label)
        super().__init__(self.message)


@transaction.atomic
def sponsor_list_record(
    *,
    document: Document,
    label: str,
    as_of: datetime.date,
    source: str,
    names: list[tuple[str, str]],
    additional: bool,
) -> SponsorList:
    """Record a sponsor list of ``document``: ``names`` are (name as printed, ISO3) pairs.

    With ``additional`` the names join the document's latest list, which is copied first, so
    every stored list is complete and the page can show when each state joined. Raises
    ``SponsorListLabelTaken``, and records nothing, when the document already has a list
    called ``label`` (the form checks first; two editors saving at once pass that check
    together, and the database's unique constraint decides between them).
    """
    states = {
        state.iso3: state for state in MemberState.objects.filter(iso3__in=[k for _, k in names])
    }
    entries: list[tuple[str, MemberState]] = []
    if additional:
        latest = document.sponsor_lists.order_by("as_of", "pk").last()
        if latest is not None:
            entries = [
                (s.name_as_printed, s.state)
                for s in latest.sponsorships.select_related("state").order_by("position")
            ]
    present = {state.pk for _, state in entries}
    for name, iso3 in names:
        state = states[iso3]
        if state.pk not in present:
            entries.append((name, state))
            present.add(state.pk)
    try:
        # A savepoint of its own, as a database error caught inside a transaction needs;
        # the refusal then rolls the whole transaction back.
        with transaction.atomic():
            sponsor_list = SponsorList.objects.create(
                document=document, label=label, as_of=as_of, source=source
            )
    except IntegrityError as error:
        raise SponsorListLabelTaken(label) from error
    Sponsorship.objects.bulk_create(
        Sponsorship(sponsor_list=sponsor_list, state=state, position=i, name_as_printed=name)
        for i, (name, state) in enumerate(entries, start=1)
    )
    Document.objects.filter(pk=document.pk).mark_changed(notes=False)
    return sponsor_list
