"""The filters of the annotations page, read from the query string."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from resolutions.forms import AnnotationFilterForm
from resolutions.models import Annotation, NoteListTally, NoteState, Paragraph
from resolutions.pages.notes import (
    NoteCount,
    NoteView,
    for_reader,
    note_views,
    tag_names,
)
from resolutions.pages.reading import (
    Place,
    notes_cache_key,
    paragraph_key,
    places,
    reading_page_key,
)
from resolutions.prepared import READER, PreparedQuery, reader, reader_ids
from resolutions.rendering import rendered_html

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


# Paragraph by paragraph, newest thread first, each reply right after its note; the notes
# carried from an earlier version that stay where their paragraph was come before or after
# the paragraph they stay by, those of one old paragraph together.
_LISTED_ORDER = (
    "paragraph__order",
    _side_of_paragraph(),
    _of_thread("orphaned_since"),
    _of_thread("orphan_label"),
    Coalesce("reply_to_id", "id").desc(),
    "created_at",
    "pk",
)


def _shown(annotations):
    """The notes with what the list shows each with."""
    return annotations.for_display().select_related("reply_to__author")


@dataclass(frozen=True)
class ListCounts:
    """What the notes list counts among the notes the filters select: the threads and
    replies (``notes``) and each filter's values with their counts (``facets``)."""

    notes: NoteCount
    facets: dict[str, list[tuple[str, str, int]]]


class NotesPaginator(Paginator):
    """A paginator over notes that knows how many are threads and how many replies
    (``note_count``, "2 notes, 3 replies"), counted with the counts beside the filters. It
    pages by that count alone: the notes of a page are read by their ids
    (``AnnotationFilter._notes_of``), never sliced from a list of its own."""

    def __init__(self, per_page: int, note_count: NoteCount) -> None:
        super().__init__((), per_page)
        self.note_count = note_count

    @property
    def count(self) -> int:
        return self.note_count.total


class NotesPage(Page):
    """A page of the notes list, with its notes as the list shows them (``html``): rendered
    from the notes read for it, which it holds (``object_list``), or served as the cache
    kept it, with no notes read (``kept``: ``object_list`` is empty)."""

    html: SafeString

    @classmethod
    def rendered(
        cls,
        notes: list[NoteView],
        number: int,
        paginator: NotesPaginator,
        render: Callable[[Page], str],
    ) -> NotesPage:
        page = cls(notes, number, paginator)
        page.html = rendered_html(render(page))
        return page

    @classmethod
    def kept(cls, html: str, number: int, paginator: NotesPaginator) -> NotesPage:
        page = cls([], number, paginator)
        page.html = rendered_html(html)
        return page


@dataclass(frozen=True)
class ListedNotes:
    """A page of the list as it was rendered for a reader and filters (``filters``, their
    digest): ``html``, and the paragraphs it depends on (``through``), each ``(id,
    version)``: those its notes are on and every paragraph before them, which hold the
    notes listed ahead of them; with one paragraph chosen, that paragraph. The ``last``
    page depends too on every later paragraph having no note to list: one there would join
    it."""

    filters: str
    through: tuple[tuple[int, int], ...]
    last: bool
    html: str

    def holds(self, filters: str, versions: tuple[tuple[int, int], ...], noted: set[int]) -> bool:
        """Whether this page is still the one to show for ``filters``, the paragraphs at
        ``versions`` and those of them with notes to list (``noted``, ids)."""
        if self.filters != filters or not set(self.through) <= set(versions):
            return False
        shown = {pk for pk, _ in self.through}
        return not self.last or not any(pk in noted for pk, _ in versions if pk not in shown)


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


class NoteGroup(NamedTuple):
    """Notes alike in everything the list filters and counts by, and how many they are. A
    tuple: a paragraph's groups come out of the cache thousands at a time, and tuples are
    read back several times faster than objects."""

    label: str
    order: int
    audience: str
    delegation: str | None
    author: str
    in_open: bool
    in_resolved: bool
    in_orphaned: bool
    is_reply: bool
    n: int


# Each state (``NoteState``), and where a group says whether its notes are in it.
_STATE_PLACES = tuple(
    (state.value, NoteGroup._fields.index(f"in_{state.value}")) for state in NoteState
)
# The filters a group answers, and the group's field each compares with.
FILTERED_FIELDS = {
    "paragraph": "label",
    "visibility": "audience",
    "delegation": "delegation",
    "author": "author",
}
# Replaced as soon as the paragraph's notes change (its version is in the key).
GROUPS_SECONDS = 60 * 60
# Not served once a paragraph it depends on changes (``ListedNotes``); this frees memory.
LISTED_SECONDS = 60 * 60
# The pages kept for a reader and document: the first few of the list with no filter, and
# of each filtered list, whose filter sets share a few places (a set taking the place of
# another drops its pages): the filters come from the address, which a reader writes as
# they like, and a reader paging through thousands of notes or trying filter after filter
# makes no more entries than these, and pushes no one else's page out of the cache.
KEPT_PAGES = 3
FILTERED_PLACES = 5


def _paragraphs_groups(
    by_tag: bool, *, reader_pk: int, delegation_id: int | None, document_pk: int, paragraphs
):
    """The groups (``NoteListTallyQuerySet.groups``) of the notes the reader sees on
    ``paragraphs``, each with its paragraph's id; ``by_tag``, of the tagged notes, by tag
    too (a note counted once under each of its tags). Read off the notes' tallies, a few
    hundred rows a paragraph, whatever the number of notes."""
    return (
        NoteListTally.objects.visible_to(reader(reader_pk, delegation_id))
        .filter(paragraph__document_id=document_pk, paragraph__in_ids=paragraphs)
        .groups(by_tag)
    )


def _listed(*, reader_pk: int, delegation_id: int | None, notes):
    """The rows of the notes ``notes`` names (a page of the list, chosen by the reader's
    visibility already), as the list shows them."""
    return for_reader(
        _shown(Annotation.objects.filter(pk__in_ids=notes)).order_by(*_LISTED_ORDER),
        reader(reader_pk, delegation_id),
    ).prefetch_related(None)


# Built and compiled once per process (``PreparedQuery``): after a note, the list counts
# one paragraph's notes again and reads a page of fifty, and building and compiling these
# queries took longer than running them.
PARAGRAPHS_GROUPS = PreparedQuery(
    _paragraphs_groups, values=(*READER, "document_pk"), ids=("paragraphs",)
)
LISTED = PreparedQuery(_listed, values=READER, ids=("notes",))


def _listed_on(user, document):
    """Every note the list shows ``user`` on ``document`` (a document or its id), before
    any filter."""
    return Annotation.objects.visible_to(user).on_document(document)


def _window(offset: int, *, reader_pk: int, delegation_id: int | None, document_pk: int):
    """The ids of the notes on the page of the list that starts at ``offset``, no filter
    chosen: what ``AnnotationFilter.queryset`` selects then, in its order."""
    listed = _listed_on(reader(reader_pk, delegation_id), document_pk)
    return listed.order_by(*_LISTED_ORDER).values_list("pk", flat=True)[offset : offset + PAGE_SIZE]


# The list as it opens, with no filter, prepared too (by page: an offset is written into
# the SQL); a page of a filtered list is built each time.
WINDOW = PreparedQuery(_window, values=(*READER, "document_pk"))


@dataclass
class Tally:
    """What the notes list counts, added up group by group: threads and replies, and the
    notes by paragraph, audience, delegation, author, state and tag."""

    threads: int = 0
    replies: int = 0
    paragraphs: Counter = field(default_factory=Counter)  # by (order, label)
    audiences: Counter = field(default_factory=Counter)
    delegations: Counter = field(default_factory=Counter)
    authors: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)
    tags: Counter = field(default_factory=Counter)

    def add(self, groups: list[NoteGroup], tagged: list[tuple[NoteGroup, str]]) -> Tally:
        # Thousands of groups after a change: each state is read by its place in the
        # tuple, worked out once (``_STATE_PLACES``).
        states = self.states
        for group in groups:
            n = group.n
            if group.is_reply:
                self.replies += n
            else:
                self.threads += n
            self.paragraphs[group.order, group.label] += n
            self.audiences[group.audience] += n
            if group.delegation:
                self.delegations[group.delegation] += n
            self.authors[group.author] += n
            for state, at in _STATE_PLACES:
                if group[at]:
                    states[state] += n
        for group, tag in tagged:
            self.tags[tag] += group.n
        return self

    def merge(self, other: Tally) -> Tally:
        self.threads += other.threads
        self.replies += other.replies
        for name in ("paragraphs", "audiences", "delegations", "authors", "states", "tags"):
            getattr(self, name).update(getattr(other, name))
        return self

    def counts(self) -> ListCounts:
        visibility_labels = dict(Annotation.Visibility.choices)
        facets = {
            "notes": [
                (state.value, state.label, self.states[state.value])
                for state in NoteState
                if self.states[state.value]
            ],
            "paragraph": [
                (label, Paragraph(label=label).display_label, n)
                for (_, label), n in sorted(self.paragraphs.items())
            ],
            "tag": [(name, name, n) for name, n in sorted(self.tags.items()) if name],
            "visibility": [
                (value, visibility_labels[value], n) for value, n in sorted(self.audiences.items())
            ],
            "delegation": [(name, name, n) for name, n in sorted(self.delegations.items())],
            "author": [(name, name, n) for name, n in sorted(self.authors.items())],
        }
        return ListCounts(NoteCount(self.threads, self.replies), facets)


def _paragraph_parts(
    document, user, kind: str, found: list[Place]
) -> tuple[dict[int, str], dict, dict, dict]:
    """The cache keys of ``document``'s paragraphs (``found``, their ``places``) for
    ``user`` (``paragraph_key``), what the cache holds of ``kind`` ("note-groups." or
    "note-sums.") under them, and for the paragraphs it lacks their groups and tallies,
    counted now and cached. Two queries, whatever is cached: the groups and the tagged
    groups of the paragraphs not cached (none stands for no paragraph, so that the count of
    queries is the same)."""
    page_key = reading_page_key(document, user)
    keys = {place.pk: paragraph_key(page_key, place) for place in found}
    cached = cache.get_many([kind + key for key in keys.values()])
    missing = [pk for pk, key in keys.items() if kind + key not in cached]
    fresh: dict[int, tuple[list, list]] = {pk: ([], []) for pk in missing}
    groups, tagged = [], []
    if user.is_authenticated:  # a visitor sees no note: nothing to count, and no query
        counted = {**reader_ids(user), "document_pk": document.pk, "paragraphs": missing or [0]}
        groups = PARAGRAPHS_GROUPS((False,), Annotation.objects.db, **counted)
        tagged = PARAGRAPHS_GROUPS((True,), Annotation.objects.db, **counted)
    for *fields, paragraph_id, n in groups:
        fresh[paragraph_id][0].append(NoteGroup(*fields, n))
    for *fields, paragraph_id, tag, n in tagged:
        fresh[paragraph_id][1].append((NoteGroup(*fields, n), tag))
    sums = {pk: Tally().add(*held) for pk, held in fresh.items()}
    cache.set_many(
        {
            **{"note-groups." + keys[pk]: held for pk, held in fresh.items()},
            **{"note-sums." + keys[pk]: tally for pk, tally in sums.items()},
        },
        GROUPS_SECONDS,
    )
    return keys, cached, fresh, sums


def paragraph_groups(
    document, user, found: list[Place]
) -> tuple[list[NoteGroup], list[tuple[NoteGroup, str]]]:
    """The groups of the notes ``user`` can see on ``document``
    (``NoteListTallyQuerySet.groups``) and the same groups by tag (a note counted once
    under each of its tags).

    Each paragraph's groups are cached under its own version (``paragraph_key``, as its
    part of the reading page is): a note written on one paragraph has only that
    paragraph's notes counted again (``_paragraph_parts``)."""
    keys, cached, fresh, _ = _paragraph_parts(document, user, "note-groups.", found)
    groups: list[NoteGroup] = []
    tagged: list[tuple[NoteGroup, str]] = []
    for pk, key in keys.items():
        held = fresh[pk] if pk in fresh else cached["note-groups." + key]
        groups += held[0]
        tagged += held[1]
    return groups, tagged


def paragraph_tallies(document, user, found: list[Place]) -> Tally:
    """What the list counts with no filter, added up from each paragraph's tally, cached
    beside its groups: 22 small tallies rather than thousands of groups read back."""
    keys, cached, _, sums = _paragraph_parts(document, user, "note-sums.", found)
    total = Tally()
    for pk, key in keys.items():
        total.merge(sums[pk] if pk in sums else cached["note-sums." + key])
    return total


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
        self._counts: ListCounts | None = None

    def base(self):
        return _listed_on(self.user, self.document)

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
        return _shown(annotations.order_by(*_LISTED_ORDER))

    @cached_property
    def places(self) -> list[Place]:
        """The document's paragraphs with their versions, read once for the counts and the
        page of notes."""
        return places(self.document)

    def page(self, render: Callable[[Page], str]) -> NotesPage:
        """One page of notes, with its notes as ``render`` writes them (``NotesPage.html``);
        the count (of threads and of replies) comes with the counts beside the filters
        (``counts``). A resolved thread's replies on the page are inside it.

        The first pages (``KEPT_PAGES``) are kept as rendered for the reader and the filters
        (in one of ``FILTERED_PLACES`` places), under the versions of the paragraphs their
        notes are on and of every paragraph before them (``ListedNotes``): the notes are
        listed paragraph by paragraph, and whether a note passes a filter depends on it and
        its thread alone, on the same paragraph; so a note written further down the
        document leaves a page as it was, and after a note on OP3 the first pages come from
        the cache, in the same number of queries whether they hold notes or none (the last
        page is kept until a note is counted after its own: ``ListedNotes.holds``).
        Otherwise the page is read in three queries whatever the data (``_notes_of``)."""
        paginator = NotesPaginator(PAGE_SIZE, self.counts().notes)
        try:
            number = paginator.validate_number(self.page_number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = paginator.num_pages
        if not self.user.is_authenticated or number > KEPT_PAGES:
            _, notes = self._notes_of(number)
            return NotesPage.rendered(notes, number, paginator, render)
        filters = self.filters_digest
        shelf = f"filtered-{int(filters, 16) % FILTERED_PLACES}" if self.active else "all"
        key = f"notes-page.{reading_page_key(self.document, self.user)}.{shelf}.{number}"
        versions = tuple((place.pk, place.version) for place in self.places)
        kept = cache.get(key)
        if kept is not None and kept.holds(filters, versions, self._noted_paragraphs()):
            return NotesPage.kept(kept.html, number, paginator)
        picked, notes = self._notes_of(number)
        page = NotesPage.rendered(notes, number, paginator, render)
        through, last = self._depends_on(versions, picked, notes)
        cache.set(key, ListedNotes(filters, through, last, str(page.html)), LISTED_SECONDS)
        return page

    def _depends_on(
        self, versions: tuple[tuple[int, int], ...], picked: int, notes: list[NoteView]
    ) -> tuple[tuple[tuple[int, int], ...], bool]:
        """What a page of ``notes`` (``picked`` of them, replies folded in included) depends
        on, as ``ListedNotes`` keeps it: the paragraphs (of ``versions``) and whether it is
        the last page."""
        if self.active.get("paragraph"):
            # The notes of one paragraph: its own version is all the page depends on.
            chosen = self.active["paragraph"]
            held = tuple(
                (place.pk, place.version) for place in self.places if place.label == chosen
            )
            return held or versions, False
        # Up to the last paragraph its notes are on (a paragraph added since the versions
        # were read counts as the last). A full page: a note written after it lands on a
        # later page. A short one is the last, as its notes say (the count, read earlier,
        # may be behind a write in between).
        index = {pk: at for at, (pk, _) in enumerate(versions)}
        on = [index.get(note.annotation.paragraph_id, len(versions)) for note in notes]
        return versions[: max(on, default=-1) + 1], picked < PAGE_SIZE or not notes

    def _noted_paragraphs(self) -> set[int]:
        """The ids of the paragraphs with notes the filters select, as counted beside them."""
        labels = {label for label, _, n in self.counts().facets["paragraph"] if n}
        return {place.pk for place in self.places if place.label in labels}

    def _notes_of(self, number: int) -> tuple[int, list[NoteView]]:
        """How many notes page ``number`` holds (replies included) and the notes as the list
        shows them, in three queries whatever the data: the page's ids, its rows and their
        tags.

        The ids are picked from the notes selected in a narrow query (the database reads no
        more of each note than the order needs, and with the paragraphs in order, often only
        the first paragraphs' notes); the rows are read whole for those fifty alone. Read
        whole in one query, every note selected was joined to its author, delegation,
        document and circle before fifty were kept; with the ids as a sub-query, PostgreSQL
        joined the whole table before keeping fifty."""
        offset = (number - 1) * PAGE_SIZE
        if not self.user.is_authenticated:
            window, rows = [], []  # a visitor sees no note
        else:
            if self.active:
                selected = self.queryset().values_list("pk", flat=True)
                window = list(selected[offset : offset + PAGE_SIZE])
            else:
                reading = {**reader_ids(self.user), "document_pk": self.document.pk}
                window = WINDOW((offset,), Annotation.objects.db, **reading)
            # Never an empty list: the rows' and the tags' queries run whatever the data.
            rows = LISTED((), Annotation.objects.db, **reader_ids(self.user), notes=window or [0])
        tags = tag_names(Q(annotation__in=window or [0]))
        return len(window), fold_resolved_threads(note_views(rows, self.user, tags))

    @property
    def active(self) -> dict[str, str]:
        return {name: value for name, value in self.values.items() if value}

    @cached_property
    def filters_digest(self) -> str:
        """The filters chosen, in a fixed order, as a short digest for cache keys: the
        address may hold anything."""
        active = urlencode(sorted(self.active.items()))
        return hashlib.sha256(active.encode()).hexdigest()[:16]

    def facets(self) -> dict[str, list[tuple[str, str, int]]]:
        """Counts for each filter value among the notes the current filters select:
        ``{"tag": [(value, label, count), ...], ...}`` (see ``counts``)."""
        return self.counts().facets

    def counts(self) -> ListCounts:
        """How many notes the current filters select (threads and replies) and the counts
        for each filter value among them, summed from each paragraph's groups of notes
        (``_count``), which are cached under the paragraph's version; the sums are cached
        too, until the document's notes change (``Document.cache_version``).

        The filters come from the address, which the reader writes as they like: the counts
        for all of them share one cache entry per reader and document, holding the last
        ``FILTERS_CACHED`` filter sets asked for. A reader trying filter after filter makes
        their own entry no bigger and pushes no one else's page out of the cache."""
        if self._counts is not None:
            return self._counts
        key = f"facets.{notes_cache_key(self.document, self.user)}"
        filters = self.filters_digest
        cached = cache.get(key) or {}
        if filters in cached:
            self._counts = cached[filters]
            return self._counts
        self._counts = counts = self._count()
        cached = {**cached, filters: counts}
        for oldest in list(cached)[: max(len(cached) - FILTERS_CACHED, 0)]:
            del cached[oldest]
        cache.set(key, cached, FACETS_SECONDS)
        return counts

    def _count(self) -> ListCounts:
        """The counts, summed from the notes' groups paragraph by paragraph
        (``paragraph_groups``; with no filter, their tallies): after a note on one
        paragraph only that paragraph's notes are counted again. With a tag chosen, the
        groups of the notes carrying it, whose tag facet is that tag alone (as counting the
        chosen notes whole gives: tests/pages/test_annotation_list.py holds the two alike)."""
        if not self.active:
            return paragraph_tallies(self.document, self.user, self.places).counts()
        groups, tagged = paragraph_groups(self.document, self.user, self.places)
        wanted = {
            attribute: self.values[name]
            for name, attribute in FILTERED_FIELDS.items()
            if self.values.get(name)
        }
        state = self.values.get("notes")

        def selected(row: NoteGroup) -> bool:
            return all(getattr(row, name) == value for name, value in wanted.items()) and (
                not state or getattr(row, f"in_{state}")
            )

        chosen_tag = self.values.get("tag")
        if chosen_tag:
            carrying = [row for row, tag in tagged if tag == chosen_tag and selected(row)]
            return Tally().add(carrying, [(row, chosen_tag) for row in carrying]).counts()
        chosen = [row for row in groups if selected(row)]
        return Tally().add(chosen, [(row, tag) for row, tag in tagged if selected(row)]).counts()

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
