"""The search page: the paragraphs and the notes that hold the words typed, by document.

Two queries whatever the data: the best-matching paragraphs and the best-matching notes
the reader may see (``Annotation.objects.visible_to``), each with how many match in all
(a window count, in the same query). A visitor who is not logged in searches the text only:
``visible_to`` gives them no note.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Window
from django.urls import reverse
from django.utils.safestring import SafeString

from resolutions.forms import SearchForm
from resolutions.models import Annotation, Document, NoteState, Paragraph
from resolutions.rendering import highlighted
from resolutions.search import SHOWN, Search, backend_for, excerpt_bounds, highlight_spans

PARAGRAPH_EXCERPT = 400
NOTE_EXCERPT = 240


@dataclass(frozen=True)
class SearchHit:
    """A paragraph, or a note on one, with the words found marked."""

    paragraph: Paragraph
    excerpt: SafeString
    url: str
    note: Annotation | None = None

    @property
    def is_note(self) -> bool:
        return self.note is not None

    @property
    def thread(self) -> Annotation | None:
        """A note's thread: the note itself, or the note a reply answers."""
        return None if self.note is None else (self.note.reply_to or self.note)


@dataclass
class DocumentHits:
    document: Document
    hits: list[SearchHit] = field(default_factory=list)


@dataclass
class SearchResults:
    """What the search page shows: the form (what was typed, or why it cannot be searched)
    and, for a search, the hits by document with the totals."""

    form: SearchForm
    search: Search | None = None
    notes_state: str = ""
    documents: list[DocumentHits] = field(default_factory=list)
    paragraph_total: int = 0
    note_total: int = 0
    notes_searched: bool = False

    @property
    def text(self) -> str:
        """What was typed, as it stays in the search boxes."""
        return self.form.data.get("q", "")

    @property
    def problems(self) -> list[str]:
        return [error for errors in self.form.errors.values() for error in errors]

    @property
    def total(self) -> int:
        return self.paragraph_total + self.note_total

    @property
    def state_label(self) -> str:
        return NoteState(self.notes_state).label.lower() if self.notes_state else ""

    @property
    def paragraphs_cut(self) -> bool:
        return self.paragraph_total > SHOWN

    @property
    def notes_cut(self) -> bool:
        return self.note_total > SHOWN

    @property
    def shown(self) -> int:
        return SHOWN


def search_results(user, params) -> SearchResults:
    """The search ``params`` ask for (``q``, and ``notes``: open, resolved or orphaned to
    show only such notes), for ``user``."""
    form = SearchForm(params)
    if not form.is_valid():
        state = form.cleaned_data.get("notes", "")
        return SearchResults(form, notes_state=state, notes_searched=user.is_authenticated)
    search: Search = form.cleaned_data["q"]
    state = form.cleaned_data["notes"]
    results = SearchResults(form, search, state, notes_searched=user.is_authenticated)
    if search.is_empty:
        return results
    backend = backend_for(connection)
    total = Window(Count("id"))
    paragraphs: list[Paragraph] = []
    if not state:
        paragraphs = list(
            backend.matching(Paragraph.objects.all(), search.terms)
            .select_related("document")
            .annotate(total=total)
            .order_by("-search_rank", "document__symbol", "order")[:SHOWN]
        )
    notes = backend.matching(Annotation.objects.visible_to(user), search.terms)
    if state:
        notes = notes.in_state(state)
    found_notes: list[Annotation] = list(
        notes.select_related("paragraph__document", "author", "delegation", "reply_to")
        .annotate(total=total)
        .order_by("-search_rank", "-created_at", "-pk")[:SHOWN]
    )
    results.paragraph_total = paragraphs[0].total if paragraphs else 0
    results.note_total = found_notes[0].total if found_notes else 0
    results.documents = _by_document(search, paragraphs, found_notes)
    return results


def _by_document(
    search: Search, paragraphs: list[Paragraph], notes: list[Annotation]
) -> list[DocumentHits]:
    """The hits under their documents: the documents with the most hits first (the newest
    of those with as many), and in each the paragraphs in reading order, each paragraph's
    text before the notes on it."""
    by_document: dict[int, DocumentHits] = {}
    ordered = [((p.order, 0, 0.0), p.document, _paragraph_hit(search, p)) for p in paragraphs]
    ordered += [
        (
            (n.paragraph.order, 1, n.created_at.timestamp()),
            n.paragraph.document,
            _note_hit(search, n),
        )
        for n in notes
    ]
    for _, document, hit in sorted(ordered, key=lambda row: row[0]):
        by_document.setdefault(document.pk, DocumentHits(document)).hits.append(hit)

    def most_hits_then_newest(group: DocumentHits) -> tuple:
        return (-len(group.hits), -group.document.date.toordinal(), group.document.symbol)

    return sorted(by_document.values(), key=most_hits_then_newest)


def _paragraph_hit(search: Search, paragraph: Paragraph) -> SearchHit:
    spans = highlight_spans(paragraph.text, search.terms)
    start, end = excerpt_bounds(paragraph.text, spans, PARAGRAPH_EXCERPT)
    return SearchHit(
        paragraph, highlighted(paragraph.text, spans, start, end), paragraph.get_absolute_url()
    )


def _note_hit(search: Search, note: Annotation) -> SearchHit:
    spans = highlight_spans(note.body, search.terms)
    start, end = excerpt_bounds(note.body, spans, NOTE_EXCERPT)
    url = reverse("resolutions:annotation_detail", args=[note.pk]) + f"#annotation-{note.pk}"
    return SearchHit(note.paragraph, highlighted(note.body, spans, start, end), url, note)
