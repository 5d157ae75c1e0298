"""The filters of the annotations page, read from the query string."""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from resolutions.forms import AnnotationFilterForm
from resolutions.models import Annotation, NoteState, Paragraph
from resolutions.pages.notes import (
    NoteCount,
    NoteView,
    for_reader,
    note_count,
    note_views,
    tag_names,
)
from resolutions.pages.reading import notes_cache_key

PAGE_SIZE = 50
# Replaced as soon as the document's notes change; this only frees memory now and then.
FACETS_SECONDS = 60 * 60
# The filter sets whose counts are kept for each reader and document; the oldest goes first.
FILTERS_CACHED = 20


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    query: str  # the query string that selects this value (or drops it, when active)
    active: bool


FACET_TITLES = {
    "notes": "Notes",
    "paragraph": "Paragraph",
    "tag": "Tag",
    "visibility": "Visible to",
    "delegation": "Delegation",
    "author": "Author",
}


def _of_thread(name: str) -> Case:
    """A field of the note that opens the thread: the note's own, or its thread's."""
    return Case(When(reply_to__isnull=False, then=F(f"reply_to__{name}")), default=F(name))


def _side_of_paragraph() -> Case:
    """0 for a note that stays before its paragraph, 1 for a note on it, 2 after it."""
    orphan = Q(orphan_reason__gt="") | Q(reply_to__orphan_reason__gt="")
    before = Q(orphan_before=True) | Q(reply_to__orphan_before=True)
    return Case(
        When(orphan & before, then=Value(0)),
        When(orphan, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


class NotesPaginator(Paginator):
    """A paginator over notes that knows how many are threads and how many replies
    (``note_count``, "2 notes, 3 replies"), counted in the one query it would make anyway."""

    def __init__(self, object_list, per_page: int, note_count: NoteCount) -> None:
        super().__init__(object_list, per_page)
        self.note_count = note_count

    @property
    def count(self) -> int:
        return self.note_count.total


def fold_resolved_threads(rows: list[NoteView]) -> list[NoteView]:
    """The rows with the replies of a resolved thread on the same page moved into it, so
    that the thread folds to one line with them inside."""
    folded = {row.pk: row for row in rows if row.folded}
    listed = []
    for row in rows:
        thread = folded.get(row.annotation.reply_to_id)
        if thread is None:
            listed.append(row)
        else:
            thread.replies.append(row)
    return listed


class AnnotationFilter:
    """Applies the query-string filters to the notes ``user`` can see on ``document``.

    Unknown values do not fail the page: the filter is ignored and ``errors`` says why.
    """

    def __init__(self, document, user, params):
        self.document = document
        self.user = user
        self.form = AnnotationFilterForm(params)
        self.values = self.form.cleaned_data if self.form.is_valid() else {}
        self.errors = [error for errors in self.form.errors.values() for error in errors]
        self.page_number = params.get("page", 1)

    def base(self):
        return Annotation.objects.visible_to(self.user).on_document(self.document)

    def queryset(self):
        annotations = self.base()
        values = self.values
        if values.get("tag"):
            annotations = annotations.filter(tags__name=values["tag"])
        if values.get("author"):
            annotations = annotations.filter(author__username=values["author"])
        if values.get("delegation"):
            annotations = annotations.filter(delegation__name=values["delegation"])
        if values.get("visibility"):
            # Who reads each note now: a reply's thread may have been widened or narrowed.
            annotations = annotations.with_audience().filter(audience_value=values["visibility"])
        if values.get("paragraph"):
            annotations = annotations.filter(paragraph__label=values["paragraph"])
        if values.get("notes"):
            annotations = annotations.in_state(values["notes"])
        # Paragraph by paragraph, newest thread first, each reply right after its note; the
        # notes carried from an earlier version that stay where their paragraph was come
        # before or after the paragraph they stay by, those of one old paragraph together.
        thread = Coalesce("reply_to_id", "id")
        return (
            annotations.for_display()
            .select_related("reply_to__author")
            .order_by(
                "paragraph__order",
                _side_of_paragraph(),
                _of_thread("orphaned_since"),
                _of_thread("orphan_label"),
                thread.desc(),
                "created_at",
                "pk",
            )
        )

    def page(self) -> Page:
        """One page of notes, in three queries whatever the data: the count (of threads and
        of replies), the page's rows and their tags; a resolved thread's replies on the page
        inside it. (A Paginator's own slice of an empty list runs no query, and the
        tags' prefetch is then skipped too, so the count would vary with the data.)"""
        annotations = for_reader(self.queryset().prefetch_related(None), self.user)
        paginator = NotesPaginator(annotations, PAGE_SIZE, note_count(annotations))
        try:
            number = paginator.validate_number(self.page_number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = paginator.num_pages
        offset = (number - 1) * PAGE_SIZE
        window = annotations[offset : offset + PAGE_SIZE]
        rows = note_views(window, self.user, tag_names(Q(annotation__in=window.values("pk"))))
        return Page(fold_resolved_threads(rows), number, paginator)

    @property
    def active(self) -> dict[str, str]:
        return {name: value for name, value in self.values.items() if value}

    def facets(self) -> dict[str, list[tuple[str, str, int]]]:
        """Counts for each filter value among the notes the current filters select:
        ``{"tag": [(value, label, count), ...], ...}``. One query per facet (one for the
        three states of the notes), each reading every note selected; so they are cached
        until the document's notes change (``Document.cache_version``).

        The filters come from the address, which the reader writes as they like: the counts
        for all of them share one cache entry per reader and document, holding the last
        ``FILTERS_CACHED`` filter sets asked for. A reader trying filter after filter makes
        their own entry no bigger and pushes no one else's page out of the cache."""
        key = f"facets.{notes_cache_key(self.document, self.user)}"
        active = urlencode(sorted(self.active.items()))
        filters = hashlib.sha256(active.encode()).hexdigest()[:16]
        cached = cache.get(key) or {}
        if filters in cached:
            return cached[filters]
        counts = self._count_facets()
        cached = {**cached, filters: counts}
        for oldest in list(cached)[: max(len(cached) - FILTERS_CACHED, 0)]:
            del cached[oldest]
        cache.set(key, cached, FACETS_SECONDS)
        return counts

    def _count_facets(self) -> dict[str, list[tuple[str, str, int]]]:
        selected = self.queryset().with_audience().order_by()

        def counted(*fields, order_by):
            return (
                selected.values_list(*fields)
                .annotate(n=Count("id", distinct=True))
                .order_by(order_by)
            )

        visibility_labels = dict(Annotation.Visibility.choices)
        states = selected.state_counts()
        return {
            "notes": [
                (state.value, state.label, states[state.value])
                for state in NoteState
                if states[state.value]
            ],
            "paragraph": [
                (label, Paragraph(label=label).display_label, n)
                for label, _, n in counted(
                    "paragraph__label", "paragraph__order", order_by="paragraph__order"
                )
            ],
            "tag": [
                (name, name, n) for name, n in counted("tags__name", order_by="tags__name") if name
            ],
            "visibility": [
                (value, visibility_labels[value], n)
                for value, n in counted("audience_value", order_by="audience_value")
            ],
            "delegation": [
                (name, name, n)
                for name, n in counted("delegation__name", order_by="delegation__name")
                if name
            ],
            "author": [
                (name, name, n)
                for name, n in counted("author__username", order_by="author__username")
            ],
        }

    def facet_groups(self) -> list[tuple[str, list[FacetLink]]]:
        """Each filter with its values as links that toggle them, keeping the others."""
        groups = []
        for name, rows in self.facets().items():
            links = []
            for value, label, count in rows:
                active = self.active.get(name) == value
                params = {k: v for k, v in self.active.items() if k != name}
                if not active:
                    params[name] = value
                links.append(FacetLink(label, count, urlencode(params), active))
            groups.append((FACET_TITLES[name], links))
        return groups

    def export_query(self) -> str:
        return urlencode(self.active)
