"""Writing notes: create (a reply too), edit with history and optimistic locking, delete
and restore, resolve a thread. Each moves its paragraph's version and the document's cache
version on in the same transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from resolutions.models import (
    AUDIENCES,
    Annotation,
    AnnotationRevision,
    Circle,
    NoteListTally,
    NoteTally,
    Paragraph,
    Proposal,
    Tag,
    User,
    is_wider,
)
from resolutions.models.annotations import reaches_others
from resolutions.services import events
from resolutions.services.circles import CircleRefused, require_member
from resolutions.services.notifications import note_created_notify, note_mentions_notify
from resolutions.services.submissions import create_once
from resolutions.un.anchoring import QuoteSelector, describe, locate


class EditConflict(Exception):
    """Someone saved the annotation since the editor loaded it."""

    def __init__(self, current: Annotation):
        super().__init__(f"Annotation {current.pk} is at version {current.version}")
        self.current = current


# How a write changes the margins' and the notes list's counts (``NoteTally``,
# ``NoteListTally``): see ``_mark_changed``.
CountChange = Literal["recount", "add", "remove", "keep"]


def _mark_changed(
    annotation: Annotation,
    *,
    before: events.Audience | None = None,
    counts: CountChange = "recount",
) -> None:
    """The reading page caches each paragraph under its version: a write to a note moves
    its paragraph's on (and its document's cache version, for the notes list), and the
    pages open on the paragraph are told (those who may read it now, and ``before``: those
    who could). The margins' and the notes list's counts (``NoteTally``,
    ``NoteListTally``), as ``counts`` says: a note written or a reply restored is added to
    its tallies, a reply deleted taken from them; a thread's audience changed, or a thread
    deleted or restored (its replies go and come with it), counts the paragraph's notes
    again ("recount"); an edit that keeps the audience, a thread resolved or opened again,
    or a deletion of a note already deleted changes no margin's count ("keep": what such a
    write changes of the list's counts, its service moves itself, ``NoteListTally.objects.
    retag`` and ``resolve``)."""
    paragraph = Paragraph.objects.filter(pk=annotation.paragraph_id)
    paragraph.mark_changed(notes=counts == "recount")
    if counts in ("add", "remove"):
        by = 1 if counts == "add" else -1
        NoteTally.objects.add(annotation, by=by)
        NoteListTally.objects.add(annotation, by=by)
    events.note_changed(annotation, before=before)


def _counts_after(annotation: Annotation, changed: int, *, restored: bool) -> CountChange:
    """How a deletion (or a restoration) changes the counts (``_mark_changed``): not at all
    when the note already was deleted (restored); by one for a reply; for a thread, its
    replies go (or come back) with it."""
    if not changed:
        return "keep"
    if annotation.reply_to_id is not None:
        return "add" if restored else "remove"
    return "recount"


def _circle_for(author: User, visibility: str, circle: Circle | None) -> Circle | None:
    """The circle a note by ``author`` is shared with: ``circle`` for a circle note, which
    the author's delegation must be in (``CircleRefused`` otherwise), none for any other."""
    if visibility != Annotation.Visibility.CIRCLE:
        return None
    if circle is None:
        raise CircleRefused("Choose which of your circles can see the note.", "circle")
    require_member(author, circle, doing="share a note with it")
    return circle


def quote_selector(paragraph: Paragraph, quote: str, near: int | None = None) -> QuoteSelector:
    """The selectors of ``quote`` in ``paragraph``: the words as the paragraph prints them,
    their context and where they start (of several places with these words, the one
    starting nearest ``near``, the offset of the delegate's selection when the browser sent
    it, or else the first). A quote that is not in the paragraph (the form refuses one) is
    kept as written, without context or position."""
    if not quote:
        return QuoteSelector("")
    span = locate(quote, paragraph.text, near=near)
    if span is None:
        return QuoteSelector(quote)
    return describe(paragraph.text, *span)


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
    author: User,
    paragraph: Paragraph,
    body: str,
    visibility: str = Annotation.Visibility.DELEGATION,
    circle: Circle | None = None,
    tags: Sequence[str] = (),
    quote: str = "",
    quote_start: int | None = None,
    reply_to: Annotation | None = None,
    proposal: Proposal | None = None,
    submission_key: str = "",
) -> Annotation:
    """Create a note, or a reply: it takes its thread's paragraph, and is written for the
    thread's present audience, its circle included (the ``visibility`` and ``circle`` asked
    for are not used).

    A ``quote`` is kept with its selectors (see ``quote_selector``; ``quote_start`` is
    where the delegate's selection started, when known).

    A note shared with a circle (``visibility`` "circle") names it in ``circle``; it is
    refused (``CircleRefused``, nothing saved) unless the author's delegation is in it. A
    note with a ``proposal`` opens that proposal's discussion (``services.proposal_discuss``).

    The people it mentions who may read it, and (for a reply) those who wrote in its thread,
    are told in the same transaction (``services.notifications``).

    ``submission_key`` is the key of the form it was sent from: when ``author`` already
    saved a note with the same words from that form (a double click, a request the browser
    sent again), that note is the answer and nothing new is saved. Words that differ are a
    new note (the form came back from the browser's history and was used again).
    """
    if reply_to is not None:
        paragraph = reply_to.paragraph
        visibility = reply_to.visibility
        circle = reply_to.circle
    else:
        circle = _circle_for(author, visibility, circle)
    selector = quote_selector(paragraph, quote, near=quote_start)
    annotation, created = create_once(
        Annotation.objects.filter(author=author),
        "submission_key",
        submission_key,
        same=lambda earlier: earlier.body == body,
        create=lambda key: Annotation.objects.create(
            paragraph=paragraph,
            author=author,
            delegation_id=author.delegation_id,
            body=body,
            quote=selector.exact,
            quote_prefix=selector.prefix,
            quote_suffix=selector.suffix,
            quote_start=selector.start,
            visibility=visibility,
            circle=circle,
            reply_to=reply_to,
            proposal=proposal,
            submission_key=key,
        ),
    )
    if not created:
        return annotation
    if tags:
        annotation.tags.set(_tag_objects(list(tags)))
    note_created_notify(annotation, actor=author)
    _mark_changed(annotation, counts="add")
    return annotation


@dataclass(frozen=True)
class AnnotationEdit:
    """An edit as sent: who made it, to which version, and what it says."""

    editor: User
    version: int
    body: str
    visibility: str | None  # None, or a reply's: the audience is not changed
    circle_id: int | None
    quote: str
    tags: list[str]

    def saved_in(self, current: Annotation) -> bool:
        """Whether ``current`` is this very edit, saved by an earlier copy of the request:
        the version after ours, made by our editor, with the same words, audience (when the
        edit could change it) and tags."""
        keeps_audience = self.visibility is None or current.reply_to_id is not None
        return (
            current.deleted_at is None
            and current.version == self.version + 1
            and (current.body, current.quote) == (self.body, self.quote)
            and (
                keeps_audience
                or (current.visibility, current.circle_id) == (self.visibility, self.circle_id)
            )
            and sorted(tag.name.casefold() for tag in current.tags.all())
            == sorted(tag.casefold() for tag in self.tags)
            and current.revisions.filter(version=self.version, edited_by=self.editor).exists()
        )


@transaction.atomic
def annotation_update(
    annotation: Annotation,
    *,
    editor: User,
    version: int,
    body: str,
    tags: list[str],
    quote: str,
    quote_start: int | None = None,
    visibility: str | None = None,
    circle: Circle | None = None,
    show_earlier_versions: bool = False,
) -> Annotation:
    """Save an edit made to ``version`` of the annotation, keeping that version as history
    with the audience it was written for.

    ``visibility`` (with ``circle`` for a circle note) changes who sees a note that opens a
    thread (``None`` keeps it); a reply keeps the audience it was written for whatever is
    asked. A note is shared with a circle only by an author whose delegation is in it
    (``CircleRefused`` otherwise, nothing saved). When the note reaches new people (a wider
    audience, or another circle), its earlier versions stay with the audiences they were
    written for unless ``show_earlier_versions``; when it is narrowed, earlier versions
    shown to a wider audience are withdrawn to the new one. Others' replies keep the
    audience they were written for (``AnnotationQuerySet.visible_to``); the author's own
    replies follow the thread.

    The quote is kept with its selectors, found again in the paragraph (see
    ``quote_selector``; ``quote_start`` is where the delegate's selection started, when
    known).

    Raises ``EditConflict`` (saving nothing) when someone else saved a newer version first:
    the conditional update below lets exactly one edit per version through, on every
    database, without holding a lock while the delegate types. The same edit sent twice (a
    double click) is no conflict: the second finds it saved and answers with the note.
    """
    annotation.refresh_from_db()
    was, was_circle = annotation.visibility, annotation.circle_id
    heard_before = events.note_audience(annotation)
    if visibility is None or annotation.reply_to_id is not None:
        visibility, circle_id = was, was_circle
        keeps_audience = True
    else:
        keeps_audience = False
        circle_id = circle.pk if circle and visibility == Annotation.Visibility.CIRCLE else None
    # A quote left as it was stays on the same words, of several alike.
    near = quote_start if quote_start is not None else annotation.quote_start
    if annotation.is_orphan and quote == annotation.quote:
        # Kept where its paragraph was: its words are in no paragraph of this version.
        selector = annotation.quote_selector or quote_selector(annotation.paragraph, quote)
    else:
        selector = quote_selector(annotation.paragraph, quote, near=near)
    edit = AnnotationEdit(editor, version, body, visibility, circle_id, selector.exact, tags)
    if annotation.version != version or annotation.deleted_at is not None:
        if edit.saved_in(annotation):
            return annotation
        raise EditConflict(annotation)
    if not keeps_audience:
        _circle_for(editor, visibility, circle)
    widened = reaches_others(visibility, circle_id, was, was_circle)
    narrowed = is_wider(was, visibility)
    tagged_before = list(annotation.tags.all())
    previous_tags = ", ".join(tag.name for tag in tagged_before)
    previous = {
        "body": annotation.body,
        "quote": annotation.quote,
        "visibility": was,
        "circle_id": was_circle,
    }
    updated = Annotation.objects.filter(
        pk=annotation.pk, version=version, deleted_at__isnull=True
    ).update(
        body=body,
        visibility=visibility,
        circle_id=circle_id,
        quote=selector.exact,
        quote_prefix=selector.prefix,
        quote_suffix=selector.suffix,
        quote_start=selector.start,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        current = Annotation.objects.get(pk=annotation.pk)
        if edit.saved_in(current):
            return current
        raise EditConflict(current)
    AnnotationRevision.objects.create(
        annotation=annotation,
        version=version,
        edited_by=editor,
        tags=previous_tags,
        **previous,
    )
    now_shown_to = {"shown_to": visibility, "shown_to_circle_id": circle_id}
    if widened and show_earlier_versions:
        annotation.revisions.update(**now_shown_to)
    elif narrowed:
        wider_than_now = [level for level in AUDIENCES if is_wider(level, visibility)]
        annotation.revisions.filter(shown_to__in=wider_than_now).update(**now_shown_to)
    if annotation.reply_to_id is None and (visibility, circle_id) != (was, was_circle):
        annotation.replies.filter(author=annotation.author_id).update(
            visibility=visibility, circle_id=circle_id
        )
    annotation.refresh_from_db()
    tagged = _tag_objects(tags)
    annotation.tags.set(tagged)
    note_mentions_notify(annotation, actor=editor, before=str(previous["body"]))
    audience_changed = (visibility, circle_id) != (was, was_circle)
    _mark_changed(annotation, before=heard_before, counts="recount" if audience_changed else "keep")
    if not audience_changed:
        # Counted again whole when the audience changed; else the note only changes tags.
        NoteListTally.objects.retag(
            annotation,
            before={tag.pk for tag in tagged_before},
            after={tag.pk for tag in tagged},
        )
    return annotation


@transaction.atomic
def annotation_delete(annotation: Annotation) -> None:
    """Soft delete: the note disappears for everyone but can be restored by its author."""
    deleted = Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now()
    )
    _mark_changed(annotation, counts=_counts_after(annotation, deleted, restored=False))


@transaction.atomic
def annotation_restore(annotation: Annotation) -> None:
    restored = Annotation.objects.filter(pk=annotation.pk, deleted_at__isnull=False).update(
        deleted_at=None
    )
    _mark_changed(annotation, counts=_counts_after(annotation, restored, restored=True))


@transaction.atomic
def thread_set_resolved(annotation: Annotation, resolved: bool) -> None:
    changed = (
        Annotation.objects.filter(pk=annotation.pk)
        .exclude(resolved=resolved)
        .update(resolved=resolved)
    )
    _mark_changed(annotation, counts="keep")
    if changed and annotation.reply_to_id is None:
        # A thread's state is its replies' too (a reply's own flag is read by no one).
        NoteListTally.objects.resolve(annotation, resolved)
