"""The notes list's groups counted from the notes themselves, their threads and their tags:
what the list's tallies (``NoteListTally``) must always add up to."""

from collections import Counter

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from resolutions.models import Annotation, NoteListTally, NoteState

GROUPED_BY = (
    "paragraph__label",
    "paragraph__order",
    "audience_value",
    "delegation__name",
    "author__username",
    *(f"in_{state.value}" for state in NoteState),
    "is_reply",
)


def groups_of(annotations, *also: str):
    """The notes grouped as the list's groups are (``NoteGroup``, and the fields ``also``
    names), with the number in each, counted from the notes and their threads."""
    return (
        annotations.with_audience()
        .with_states()
        .annotate(
            is_reply=ExpressionWrapper(Q(reply_to__isnull=False), output_field=BooleanField())
        )
        .values_list(*GROUPED_BY, *also)
        .annotate(n=Count("id"))
        .order_by()
    )


def listed(reader, paragraphs) -> tuple[Counter, Counter]:
    """What the notes list counts on ``paragraphs`` for ``reader``, from the tallies: the
    groups, and the groups by tag."""
    tallies = NoteListTally.objects.visible_to(reader).filter(paragraph__in=paragraphs)
    return _counted(tallies.groups(False)), _counted(tallies.groups(True))


def listed_directly(reader, paragraphs) -> tuple[Counter, Counter]:
    """The same, counted from every note ``reader`` may see."""
    notes = Annotation.objects.visible_to(reader).filter(paragraph__in=paragraphs)
    return (
        _counted(groups_of(notes, "paragraph_id")),
        _counted(groups_of(notes.filter(tags__isnull=False), "paragraph_id", "tags__name")),
    )


def _counted(rows) -> Counter:
    counts: Counter = Counter()
    for *group, n in rows:
        counts[tuple(group)] += n
    return counts
