"""Notes as a page shows them to one reader: each with its tag names, what the reader may do
with it, and (for a thread) its visible replies. Shared by the reading page's margins, the
thread page, the notes list and the briefing; the queries stay fixed whatever the data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from resolutions.models import Annotation


@dataclass
class NoteView:
    """One note for one reader. ``replies`` (oldest first) and ``earlier_replies`` (how many
    older ones the thread page has) are filled for a thread's opening note only."""

    annotation: Annotation
    tags: list[str]
    can_edit: bool
    can_resolve: bool
    replies: list[NoteView] = field(default_factory=list)
    earlier_replies: int = 0

    @property
    def pk(self) -> int:
        return self.annotation.pk


def tag_names(which: Q) -> dict[int, list[str]]:
    """The tag names of the notes whose tag links ``which`` selects (a condition on the
    many-to-many table), by note id, in one query."""
    names: dict[int, list[str]] = {}
    links = Annotation.tags.through.objects.filter(which).select_related("tag")
    for link in links.order_by("tag__name"):
        names.setdefault(link.annotation_id, []).append(link.tag.name)
    return names


def note_views(annotations: Iterable[Annotation], user, tags: dict[int, list[str]]):
    """Each note with its tags and what ``user`` may do with it, in order."""
    return [
        NoteView(
            annotation,
            tags.get(annotation.pk, []),
            can_edit=annotation.editable_by(user),
            can_resolve=annotation.resolvable_by(user),
        )
        for annotation in annotations
    ]


def threads_with_replies(
    threads: list[Annotation], user, *, thread_ids=None, latest: int | None = None
) -> list[NoteView]:
    """The threads with their replies ``user`` may see (oldest first) and every note's
    tags, in two queries.

    ``thread_ids`` may be a subquery selecting the threads' ids; by default their pks. With
    ``latest``, only that many of the newest replies are kept, and ``earlier_replies`` says
    how many more the thread page has.
    """
    if thread_ids is None:
        thread_ids = [thread.pk for thread in threads]
    replies_query = (
        Annotation.objects.visible_to(user)
        .filter(reply_to__in=thread_ids)
        .select_related("author", "delegation", "paragraph__document")
    )
    if latest is not None:
        by_thread_newest = {
            "partition_by": [F("reply_to_id")],
            "order_by": [F("created_at").desc(), F("pk").desc()],
        }
        replies_query = replies_query.annotate(
            rank=Window(RowNumber(), **by_thread_newest),
            in_thread=Window(Count("pk"), partition_by=[F("reply_to_id")]),
        ).filter(rank__lte=latest)
    replies = list(replies_query.order_by("created_at", "pk"))
    tags = tag_names(Q(annotation__in=thread_ids) | Q(annotation__reply_to__in=thread_ids))
    by_thread: dict[int, list[Annotation]] = {}
    for reply in replies:
        by_thread.setdefault(reply.reply_to_id, []).append(reply)
    views = note_views(threads, user, tags)
    for view in views:
        shown = by_thread.get(view.pk, [])
        view.replies = note_views(shown, user, tags)
        view.earlier_replies = shown[0].in_thread - len(shown) if latest and shown else 0
    return views


def note_view(annotation: Annotation, user) -> NoteView:
    """One note as the thread page or an in-place swap shows it: a thread with all its
    replies, or a reply alone."""
    if annotation.reply_to_id is None:
        return threads_with_replies([annotation], user)[0]
    return note_views([annotation], user, tag_names(Q(annotation=annotation)))[0]
