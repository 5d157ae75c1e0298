"""Operations that span several models or must happen together."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import (
    AgendaListing,
    Annotation,
    AnnotationRevision,
    Document,
    MemberState,
    Paragraph,
    SponsorList,
    Sponsorship,
    Tag,
)


class EditConflict(Exception):
    """Someone saved the annotation since the editor loaded it."""

    def __init__(self, current: Annotation):
        super().__init__(f"Annotation {current.pk} is at version {current.version}")
        self.current = current


def _mark_changed(annotation: Annotation) -> None:
    """What the reading page caches is kept under the document's cache version; a write to
    a note moves it on."""
    Document.objects.filter(paragraphs__annotations=annotation).mark_changed()


def _tag_objects(names: list[str]) -> list[Tag]:
    existing = {tag.name.casefold(): tag for tag in Tag.objects.filter(name__in=names)}
    missing = [name for name in names if name.casefold() not in existing]
    for name in missing:
        tag, _ = Tag.objects.get_or_create(name=name)
        existing[name.casefold()] = tag
    return [existing[name.casefold()] for name in names]


@transaction.atomic
def annotation_create(
    *,
    author,
    paragraph: Paragraph,
    body: str,
    visibility: str = Annotation.Visibility.DELEGATION,
    tags: list[str] = (),
    quote: str = "",
    reply_to: Annotation | None = None,
) -> Annotation:
    """Create a note (or a reply, which takes its thread's paragraph and audience)."""
    if reply_to is not None:
        paragraph = reply_to.paragraph
        visibility = reply_to.visibility
    annotation = Annotation.objects.create(
        paragraph=paragraph,
        author=author,
        delegation_id=author.delegation_id,
        body=body,
        quote=quote,
        visibility=visibility,
        reply_to=reply_to,
    )
    if tags:
        annotation.tags.set(_tag_objects(list(tags)))
    _mark_changed(annotation)
    return annotation


@transaction.atomic
def annotation_update(
    annotation: Annotation,
    *,
    editor,
    version: int,
    body: str,
    visibility: str,
    tags: list[str],
    quote: str,
) -> Annotation:
    """Save an edit made to ``version`` of the annotation, keeping that version as history.

    Raises ``EditConflict`` (saving nothing) when someone else saved a newer version first:
    the conditional update below lets exactly one edit per version through, on every
    database, without holding a lock while the delegate types.
    """
    annotation.refresh_from_db()
    if annotation.version != version or annotation.deleted_at is not None:
        raise EditConflict(annotation)
    previous_tags = ", ".join(tag.name for tag in annotation.tags.all())
    previous = {
        "body": annotation.body,
        "quote": annotation.quote,
        "visibility": annotation.visibility,
    }
    updated = Annotation.objects.filter(
        pk=annotation.pk, version=version, deleted_at__isnull=True
    ).update(
        body=body,
        visibility=visibility,
        quote=quote,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise EditConflict(Annotation.objects.get(pk=annotation.pk))
    AnnotationRevision.objects.create(
        annotation=annotation,
        version=version,
        edited_by=editor,
        tags=previous_tags,
        **previous,
    )
    annotation.refresh_from_db()
    annotation.tags.set(_tag_objects(tags))
    if annotation.reply_to_id is None:
        # Replies are read by the thread's audience; keep them in step with it.
        annotation.replies.update(visibility=visibility)
    _mark_changed(annotation)
    return annotation


@transaction.atomic
def annotation_delete(annotation: Annotation) -> None:
    """Soft delete: the note disappears for everyone but can be restored by its author."""
    Annotation.objects.filter(pk=annotation.pk).update(deleted_at=timezone.now())
    _mark_changed(annotation)


@transaction.atomic
def annotation_restore(annotation: Annotation) -> None:
    Annotation.objects.filter(pk=annotation.pk).update(deleted_at=None)
    _mark_changed(annotation)


@transaction.atomic
def thread_set_resolved(annotation: Annotation, resolved: bool) -> None:
    Annotation.objects.filter(pk=annotation.pk).update(resolved=resolved)
    _mark_changed(annotation)


@transaction.atomic
def sponsor_list_record(
    *, document, label: str, as_of, source: str, names: list[tuple[str, str]], additional: bool
):
    """Record a sponsor list of ``document``: ``names`` are (name as printed, ISO3) pairs.

    With ``additional`` the names join the document's latest list, which is copied first, so
    every stored list is complete and the page can show when each state joined.
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
    sponsor_list = SponsorList.objects.create(
        document=document, label=label, as_of=as_of, source=source
    )
    Sponsorship.objects.bulk_create(
        Sponsorship(sponsor_list=sponsor_list, state=state, position=i, name_as_printed=name)
        for i, (name, state) in enumerate(entries, start=1)
    )
    Document.objects.filter(pk=document.pk).mark_changed()
    return sponsor_list


@transaction.atomic
def agenda_listing_record(*, agenda_item, session: int, item_number: str, note: str):
    """Record the item at a session, or change the number and note it has there; returns
    ``(listing, created)``. The documents issued under it print the number in their header."""
    listing, created = AgendaListing.objects.update_or_create(
        agenda_item=agenda_item,
        session=session,
        defaults={"item_number": item_number, "note": note},
    )
    Document.objects.filter(agenda_listing=listing).mark_changed()
    return listing, created
