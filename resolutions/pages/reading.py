"""Composes the reading page: a document's text (paragraphs nested under their parents at
any depth, and the footnotes, each already rendered to HTML), each paragraph's notes for the
reader, and the parts of the page as cached: each paragraph until its notes or proposals
change, the rest until the document changes."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connections
from django.db.models import F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString

from resolutions.forms import AnnotationForm, new_submission_key
from resolutions.models import (
    Annotation,
    Circle,
    Document,
    FollowUp,
    NoteTally,
    Paragraph,
    Sponsorship,
)
from resolutions.models.annotations import dict_of_counts
from resolutions.pages.notes import (
    NoteCount,
    NoteView,
    OrphanBlock,
    for_reader,
    orphan_blocks,
    threads_with_replies,
)
from resolutions.pages.proposals import ParagraphProposals, proposals_by_paragraph
from resolutions.pages.versions import Versions, document_versions
from resolutions.permissions import is_pen_holder
from resolutions.prepared import READER, PreparedQuery, reader, reader_ids
from resolutions.rendering import Highlight, indent_level, rendered_html
from resolutions.un.anchoring import anchor
from resolutions.un.paragraph_labels import display_label
from resolutions.un.sections import Heading, arrange_headings

# What the reading page caches stops being used as soon as what it shows changes (see
# ``Document.layout_version`` and ``Paragraph.version``), so these need not be short: they
# free memory from entries nobody asks for, and rebuild the rest now and then (timed from
# when an entry was written).
TEXT_SECONDS = 24 * 60 * 60
PAGE_SECONDS = 60 * 60


@dataclass
class ReadingParagraph:
    paragraph: Paragraph
    html: SafeString
    depth: int = 1  # 1 for a paragraph, 2 for its (a), 3 for an (i) under that (a), ...
    subparagraphs: list[ReadingParagraph] = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    notes: ParagraphNotes | None = None  # the reader's notes, for a logged-in delegate
    proposals: ParagraphProposals | None = None  # the same reader's proposals and form
    endnote_numbers: list[int] = field(default_factory=list)  # the briefing's, for its notes
    headings: list[Heading] = field(default_factory=list)  # printed just before it
    # Notes carried from an earlier version that stay where their paragraph was: just
    # before this paragraph (only ever the first), or just after it.
    orphans_before: list[OrphanBlock] = field(default_factory=list)
    orphans_after: list[OrphanBlock] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.paragraph.label

    @property
    def is_subparagraph(self) -> bool:
        return self.depth > 1

    @property
    def indent(self) -> int:
        """The level the page indents it to (the stylesheets' ``level-<n>``)."""
        return indent_level(self.depth)

    def in_reading_order(self):
        """This paragraph, then its sub-paragraphs and theirs, as the document prints them."""
        yield self
        for sub in self.subparagraphs:
            yield from sub.in_reading_order()


def place_orphans(items: Iterable[ReadingParagraph], blocks: list[OrphanBlock]) -> None:
    """Put each block of orphaned notes by the paragraph it stays by."""
    by_paragraph: dict[tuple[int, bool], list[OrphanBlock]] = {}
    for block in blocks:
        by_paragraph.setdefault((block.paragraph_id, block.before), []).append(block)
    for item in items:
        item.orphans_before = by_paragraph.get((item.paragraph.pk, True), [])
        item.orphans_after = by_paragraph.get((item.paragraph.pk, False), [])


@dataclass
class ReadingFootnote:
    number: int
    html: SafeString
    paragraph_display_label: str


@dataclass
class ReadingText:
    preambular: list[ReadingParagraph]
    operative: list[ReadingParagraph]
    footnotes: list[ReadingFootnote]

    def all_paragraphs(self):
        """Every paragraph and sub-paragraph at any depth, in reading order."""
        for top in [*self.preambular, *self.operative]:
            yield from top.in_reading_order()

    @property
    def preamble_in_order(self) -> list[ReadingParagraph]:
        """The preambular paragraphs, each followed by its sub-paragraphs at any depth."""
        return [item for top in self.preambular for item in top.in_reading_order()]

    @property
    def operative_in_order(self) -> list[ReadingParagraph]:
        """The operative paragraphs, each followed by its sub-paragraphs at any depth."""
        return [item for top in self.operative for item in top.in_reading_order()]


def reading_text(document: Document) -> ReadingText:
    """The document's text, in a fixed number of queries whatever its length; each paragraph
    carries the section headings printed before it (they are stored with it, so they cost
    no query)."""
    paragraphs = list(Paragraph.objects.for_reading(document))
    headings = arrange_headings(paragraph.headings for paragraph in paragraphs)
    by_id: dict[int, ReadingParagraph] = {}
    preambular: list[ReadingParagraph] = []
    operative: list[ReadingParagraph] = []
    footnotes: list[ReadingFootnote] = []
    for paragraph, placed in zip(paragraphs, headings, strict=True):
        item = ReadingParagraph(paragraph, paragraph.rendered(), headings=placed)
        by_id[paragraph.pk] = item
        if paragraph.parent_id:
            # Parents come first in reading order, so the parent is already placed.
            parent = by_id[paragraph.parent_id]
            item.depth = parent.depth + 1
            parent.subparagraphs.append(item)
        elif paragraph.part == Paragraph.Part.PREAMBULAR:
            preambular.append(item)
        else:
            operative.append(item)
        for footnote in paragraph.footnotes.all():
            own_citations = [c for c in paragraph.citations.all() if c.footnote_id == footnote.pk]
            footnotes.append(
                ReadingFootnote(
                    footnote.number,
                    footnote.rendered(own_citations),
                    paragraph.display_label,
                )
            )
    footnotes.sort(key=lambda footnote: footnote.number)
    return ReadingText(preambular, operative, footnotes)


Issued = tuple[ReadingText, list[Sponsorship]]

# The texts as issued this process has read, by their key in the cache (which holds the
# document's layout version), each with when it is to be read again: ``document_as_issued``.
_ISSUED: OrderedDict[str, tuple[float, Issued]] = OrderedDict()
_ISSUED_KEPT = 8
_ISSUED_LOCK = threading.Lock()


def document_as_issued(document: Document) -> Issued:
    """The document's text, each operative paragraph with the follow-up it asks for, and
    its sponsor list as printed: from the cache while the document's layout version stands
    (the paragraphs' statuses too: a status set moves it on).

    The process also keeps the last few it read, since taking one out of the cache (model
    instances unpickled) cost more than rendering the paragraph a note changed. What it
    returns is therefore shared by this process's requests and read only: the reading page
    gives its margins to copies of the paragraphs it renders (``ReadingPage._render``)."""
    key = f"reading-text.{document.pk}.{document.layout_version}"
    now = time.monotonic()
    with _ISSUED_LOCK:
        kept = _ISSUED.get(key)
        if kept is not None and kept[0] > now:
            _ISSUED.move_to_end(key)
            return kept[1]

    def work_out() -> Issued:
        text = reading_text(document)
        follow_ups = FollowUp.objects.by_paragraph(document)
        for item in text.all_paragraphs():
            item.follow_ups = follow_ups.get(item.paragraph.pk, [])
        return text, list(Sponsorship.objects.printed_for(document))

    issued = cache.get_or_set(key, work_out, TEXT_SECONDS)
    with _ISSUED_LOCK:
        _ISSUED[key] = (now + TEXT_SECONDS, issued)
        while len(_ISSUED) > _ISSUED_KEPT:
            _ISSUED.popitem(last=False)
    return issued


def _reader_copy(item: ReadingParagraph) -> ReadingParagraph:
    """``item`` for one reader's margins to be drawn on: the text is shared by this
    process's requests (``document_as_issued``), and the margins are the reader's. The
    paragraph's row is copied too (``Paragraph.own_copy``)."""
    return replace(item, paragraph=item.paragraph.own_copy())


def forget_issued_texts() -> None:
    """Drop the texts this process keeps (``document_as_issued``), as emptying the cache
    drops the cache's (``shared.forget_what_this_process_keeps``)."""
    with _ISSUED_LOCK:
        _ISSUED.clear()


def cited_documents(text: ReadingText) -> list[tuple[str, str]]:
    """Every document the text cites, once, in order of first citation: (symbol, URL)."""
    seen: dict[str, str] = {}
    for item in text.all_paragraphs():
        for citation in item.paragraph.citations.all():
            seen.setdefault(citation.symbol, citation.url)
    return list(seen.items())


def sponsor_sentence(names: list[str], document: Document) -> str:
    """The sponsor line as UN drafts print it: "Australia, Austria and Zimbabwe: draft
    resolution", with the asterisk of the sponsors' note when there is one ("Indonesia:*
    draft resolution"); empty when there are no sponsors."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    asterisk = "*" if document.sponsors_note else ""
    return f"{listed}:{asterisk} {document.get_kind_display().lower()}"


@dataclass
class ParagraphNotes:
    """What the reading page shows in a paragraph's margin for one user."""

    paragraph: Paragraph
    count: NoteCount
    threads: list[NoteView]
    form: AnnotationForm
    open: bool = False  # the notes shown, unfolded
    form_open: bool = False  # the form unfolded: it came back with errors
    saved_pk: int | None = None  # the note just saved in place, which takes the focus
    # The threads carried from an earlier version that stay by this paragraph, where their
    # own paragraph was (see ``Annotation.is_orphan``): shown beside it, not in the margin.
    orphans: list[NoteView] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.paragraph.label

    @property
    def visibility_choices(self) -> list[tuple[str, str]]:
        """The audiences the form offers: "My circle" only to a delegation in a circle."""
        return self.form.fields["visibility"].choices

    @property
    def circle_choices(self) -> list[tuple[int, str]]:
        """The delegation's circles, for a note shared with one; empty when it has none."""
        return self.form.fields["circle"].choices

    @property
    def more(self) -> int:
        """How many visible notes (replies included) the margin does not show."""
        shown = sum(1 + len(thread.replies) for thread in self.threads)
        return max(self.count.total - shown, 0)


THREADS_PER_PARAGRAPH = 5
# The margin shows the newest replies of each thread; the thread page has them all.
REPLIES_PER_THREAD = 3


def notes_by_paragraph(
    document: Document, user, paragraphs, circles: list[Circle] | None = None
) -> dict[int, ParagraphNotes]:
    """For each paragraph, the count of notes ``user`` can see in its margin, the newest
    threads with their replies, the notes carried from an earlier version that stay by it
    (every one, with their replies: see ``Annotation.is_orphan``), and an empty form
    offering the circles of the user's delegation.

    Always six queries (five for a user with no delegation, who is in no circle), whatever
    the number of notes or circles: the counts (from the notes' tallies, ``NoteTally``); the
    ids of the threads shown (each paragraph's read newest first); their rows; and replies
    and tags, fetched for those threads' ids (never an empty list, which would skip the
    query and make the count vary with the data); the circles are read once for every form
    (unless the caller has them: ``circles``).
    """
    # Only these paragraphs' notes are counted and read: the reading page asks for the
    # paragraphs it has no rendering of (after a note, one), not every note on the document.
    # Each query is built and compiled once per process and shape (``PreparedQuery``), then
    # run with the reader's values: building and compiling the visibility rule cost more
    # than running it.
    paragraph_ids = [paragraph.pk for paragraph in paragraphs]
    alias = Annotation.objects.db
    ids = reader_ids(user)
    # Counted from the notes' tallies, a few hundred rows kept with every write, not from
    # the notes themselves: every visible note and its thread (140-230 ms at 100,000).
    counts = dict_of_counts(MARGIN_COUNTS((), alias, **ids, paragraphs=paragraph_ids))
    # The ids first, as a list, in a query of their own: with them as sub-queries of the
    # rows' query, PostgreSQL expected thousands of rows and read every earlier version of
    # every note for ``history_seen`` (about 20 ms at 100,000 notes); with five ids it looks
    # up five. The list also keeps the threads' choice from being made again inside the
    # replies' and the tags' queries. No note has the id 0: it keeps the list from being
    # empty, which would make the queries that follow depend on the data.
    vendor = connections[alias].vendor
    shown = SHOWN_THREADS(
        (vendor, len(paragraph_ids) == 1),
        alias,
        **ids,
        document_pk=document.pk,
        paragraphs=paragraph_ids,
    )
    thread_ids = _thread_ids(shown, vendor) or [0]
    threads = MARGIN_THREADS((), alias, **ids, threads=thread_ids)
    views = threads_with_replies(threads, user, thread_ids=thread_ids, latest=REPLIES_PER_THREAD)
    by_paragraph: dict[int, list[NoteView]] = {}
    orphans_by_paragraph: dict[int, list[NoteView]] = {}
    for view in views:
        held = orphans_by_paragraph if view.annotation.is_orphan else by_paragraph
        held.setdefault(view.annotation.paragraph_id, []).append(view)
    if circles is None:
        circles = list(Circle.objects.of_delegation(user.delegation_id))
    return {
        paragraph.pk: ParagraphNotes(
            paragraph=paragraph,
            count=NoteCount(*counts.get(paragraph.pk, (0, 0))),
            threads=by_paragraph.get(paragraph.pk, []),
            form=AnnotationForm(
                paragraph=paragraph, circles=circles, auto_id=f"id_{paragraph.label}_%s"
            ),
            open=bool(counts.get(paragraph.pk)),
            orphans=orphans_by_paragraph.get(paragraph.pk, []),
        )
        for paragraph in paragraphs
    }


def _margin_counts(*, reader_pk: int, delegation_id: int | None, paragraphs: list[int]):
    return NoteTally.objects.visible_to(reader(reader_pk, delegation_id)).sums_by_paragraph(
        paragraphs
    )


def _margin_threads(*, reader_pk: int, delegation_id: int | None, threads: list[int]):
    # Read through the visibility rule again: a thread deleted or narrowed between the two
    # queries is not shown.
    user = reader(reader_pk, delegation_id)
    return for_reader(
        Annotation.objects.visible_to(user).filter(pk__in_ids=threads), user
    ).select_related("author", "delegation", "paragraph__document")


def _shown_threads(
    vendor: str,
    one: bool,
    *,
    reader_pk: int,
    delegation_id: int | None,
    document_pk: int,
    paragraphs: list[int],
):
    """The ids of the threads the margins of ``paragraphs`` show (``one``: there is only
    one): each paragraph's newest ``THREADS_PER_PARAGRAPH`` of the threads a reader sees in
    the margins, and every carried note that stays by them. Only ids: with whole rows, the
    database reads every visible note's text along.

    On PostgreSQL, an array of each paragraph's newest threads, read down the index
    ``annotation_newest_threads`` from the newest and stopping at the fifth the reader may
    see. Ranking them with a window function sorts every visible thread of the paragraphs
    first: 57 ms for 22 paragraphs at 100,000 notes, against 6. SQLite's planner reads such
    a sub-query by another index, every thread for each paragraph (2.9 s), so there the
    window ranks them (86 ms), and a single paragraph's are read down the index."""
    visible = (
        Annotation.objects.visible_to(reader(reader_pk, delegation_id))
        .on_document(document_pk)
        .filter(paragraph__in_ids=paragraphs)
    )
    threads = visible.in_margin().filter(reply_to__isnull=True)
    orphans = visible.filter(reply_to__isnull=True, orphan_reason__gt="")
    newest = threads.order_by("-created_at", "-pk").values("pk")
    if vendor == "postgresql":
        return (
            Paragraph.objects.filter(pk__in_ids=paragraphs)
            .order_by()
            .values_list(
                ArraySubquery(newest.filter(paragraph=OuterRef("pk"))[:THREADS_PER_PARAGRAPH]),
                ArraySubquery(orphans.filter(paragraph=OuterRef("pk")).order_by().values("pk")),
            )
        )
    if one:
        shown = Annotation.objects.filter(pk__in=newest[:THREADS_PER_PARAGRAPH])
    else:
        shown = threads.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("paragraph_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        ).filter(rank__lte=THREADS_PER_PARAGRAPH)
    shown_ids = shown.order_by().values_list("pk", flat=True)
    return shown_ids.union(orphans.order_by().values_list("pk", flat=True))


def _thread_ids(rows: list, vendor: str) -> list[int]:
    """``_shown_threads``' rows as one list of ids: PostgreSQL's are each paragraph's two
    arrays, SQLite's the ids themselves."""
    if vendor == "postgresql":
        return [pk for shown, carried in rows for pk in (*shown, *carried)]
    return list(rows)


MARGIN_COUNTS = PreparedQuery(_margin_counts, values=READER, ids=("paragraphs",))
SHOWN_THREADS = PreparedQuery(_shown_threads, values=(*READER, "document_pk"), ids=("paragraphs",))
MARGIN_THREADS = PreparedQuery(_margin_threads, values=READER, ids=("threads",))


def _first_words(body: str, words: int = 8) -> str:
    said = body.split()
    return " ".join(said[:words]) + ("…" if len(said) > words else "")


def quote_highlights(paragraph: Paragraph, threads: list[NoteView]) -> list[Highlight]:
    """The quoted words of the notes ``threads`` shows (the margin's, which the reader may
    see), where they stand in the paragraph's text now: found by their selectors
    (``un.anchoring.anchor``). A note marked orphaned, or whose words are no longer in the
    text, has no highlight: its quote is never put on other words."""
    highlights = []
    for view in threads:
        note = view.annotation
        selector = note.quote_selector
        if selector is None or note.orphaned_since:
            continue
        span = anchor(selector, paragraph.text)
        if span is None:
            continue
        author = note.author.get_username()
        if note.delegation_id:
            author = f"{author} ({note.delegation.name})"
        highlights.append(Highlight(*span, note.pk, f"{author}: {_first_words(note.body)}"))
    return highlights


def highlighted_text(paragraph: Paragraph, threads: list[NoteView]) -> SafeString:
    """The paragraph's text as HTML with the quotes of ``threads`` highlighted."""
    return paragraph.rendered(quote_highlights(paragraph, threads))


# Renders a named partial of the reading page's template with a context.
Render = Callable[[str, dict], str]


@dataclass(frozen=True)
class Place:
    """Where a paragraph stands on the page and what its rendering is cached under: read
    afresh on every view, in one query."""

    pk: int
    label: str
    part: str  # the section it is printed in: its top-level paragraph's part
    version: int

    @property
    def display_label(self) -> str:
        return display_label(self.label)


def places(document: Document) -> list[Place]:
    """The document's paragraphs in reading order, each with its section and version."""
    found: list[Place] = []
    part_of: dict[int, str] = {}
    rows = Paragraph.objects.filter(document=document).values_list(
        "pk", "parent_id", "label", "part", "version"
    )
    for pk, parent_id, label, part, version in rows:
        # Parents come first in reading order: a sub-paragraph is printed in its parent's part.
        part_of[pk] = part_of.get(parent_id, part) if parent_id else part
        found.append(Place(pk, label, part_of[pk], version))
    return found


class ReadingPage:
    """What the reading page shows of a document to one reader: the text with, for a
    logged-in delegate, each paragraph's notes and a form to add one, and the proposals on
    it with a form to propose; the sponsors; the documents cited.

    The page is put together from parts rendered by ``render`` (a named partial of the
    page's template and its context) and cached for the reader: each paragraph under its
    own version (``paragraph_key``), which a note or proposal on it moves on; the versions,
    the header and the footnotes under the document's layout version (``reading_page_key``).
    A view renders only the parts missing from the cache, and the notes and proposals are
    read for their paragraphs only, in a fixed number of queries however many are missing.

    ``bound_form`` is ``(paragraph id, form)`` when a note could not be saved without
    JavaScript: that paragraph's margin shows the form with its errors and the text typed.
    ``bound_proposal_form`` is the same for a proposal. Such a page is rendered afresh, and
    nothing of it is cached.
    """

    def __init__(
        self,
        document: Document,
        user,
        bound_form=None,
        bound_proposal_form=None,
        *,
        render: Render,
    ):
        self.document = document
        self.user = user
        self.bound_form = bound_form
        self.bound_proposal_form = bound_proposal_form
        self.render = render
        self.cached = bound_form is None and bound_proposal_form is None
        self._circles: list[Circle] | None = None

    @cached_property
    def issued(self) -> Issued:
        return document_as_issued(self.document)

    @property
    def circles(self) -> list[Circle]:
        """The reader's delegation's circles, which the note and proposal forms offer: read
        once for every margin, or found in the cache with the parts (``parts``), under the
        page's key, whose layout version any change to who is in a circle moves on."""
        if self._circles is None:
            self._circles = (
                list(Circle.objects.of_delegation(self.user.delegation_id))
                if self._in_circles
                else []
            )
        return self._circles

    @property
    def _in_circles(self) -> bool:
        """Whether the reader's delegation could be in a circle at all."""
        return bool(self.user.is_authenticated and self.user.delegation_id)

    @cached_property
    def places(self) -> list[Place]:
        return places(self.document)

    def add_margins(self, items: list[ReadingParagraph]) -> None:
        """Give each of ``items``, for a logged-in reader, their notes, the proposals on it,
        the forms, the quotes highlighted in its text and the notes carried from an earlier
        version that stay by it: a fixed number of queries however many items."""
        if not self.user.is_authenticated or not items:
            return
        circles = self.circles
        paragraphs = [item.paragraph for item in items]
        notes = notes_by_paragraph(self.document, self.user, paragraphs, circles)
        if self.bound_form is not None:
            paragraph_id, form = self.bound_form
            notes[paragraph_id].form = form
            notes[paragraph_id].open = notes[paragraph_id].form_open = True
        proposals = proposals_by_paragraph(self.document, self.user, paragraphs, circles)
        if self.bound_proposal_form is not None:
            paragraph_id, form = self.bound_proposal_form
            proposals[paragraph_id].form = form
            proposals[paragraph_id].open = True
        for item in items:
            item.notes = notes[item.paragraph.pk]
            item.proposals = proposals[item.paragraph.pk]
            # The notes in the margin are read already: their quotes cost no query.
            if any(thread.annotation.quote for thread in item.notes.threads):
                item.html = highlighted_text(item.paragraph, item.notes.threads)
        carried = ((view.annotation, view) for item in items for view in item.notes.orphans)
        place_orphans(items, orphan_blocks(carried))

    def parts(self, names: Iterable[str]) -> dict[str, SafeString]:
        """The parts ``names`` of the page as rendered for the reader: a paragraph's label
        (the paragraph with its headings and the notes carried to stay by it), "versions",
        "head" (from the top of the document to its intro) and "foot" (the footnotes and the
        documents cited). One read of the cache for all of them; the missing ones are
        rendered and cached together."""
        shared = reading_page_key(self.document, self.user)
        versions = {place.label: place for place in self.places}
        keys = {
            name: (
                paragraph_key(shared, versions[name])
                if name in versions
                else f"reading-{name}.{shared}"
            )
            for name in names
        }
        # The delegation's circles, which the margins' forms offer, are read with the parts:
        # from the cache they cost no query, and no trip of their own to a shared cache.
        circles_key = f"reading-circles.{shared}"
        asked = [*keys.values(), circles_key] if self._in_circles else [*keys.values()]
        found = cache.get_many(asked) if self.cached else {}
        if circles_key in found:
            self._circles = found[circles_key]
        missing = [name for name, key in keys.items() if key not in found]
        rendered = self._render(missing)
        if self.cached and rendered:
            fresh = {keys[name]: html for name, html in rendered.items()}
            if circles_key not in found and self._circles is not None and self._in_circles:
                fresh[circles_key] = self._circles
            cache.set_many(fresh, PAGE_SECONDS)
        return {
            name: rendered_html(found[key]) if key in found else rendered[name]
            for name, key in keys.items()
        }

    def _render(self, names: list[str]) -> dict[str, SafeString]:
        wanted = set(names)
        rendered: dict[str, SafeString] = {}
        if not wanted:
            return rendered  # all from the cache: the text is not even read
        items = [
            _reader_copy(item) for item in self.issued[0].all_paragraphs() if item.label in wanted
        ]
        self.add_margins(items)
        for item in items:
            html = self.render("paragraph", {"document": self.document, "item": item})
            rendered[item.label] = rendered_html(html)
        for part in ("versions", "head", "foot"):
            if part in wanted:
                html = self.render(f"document-{part}", {"document": self.document, "page": self})
                rendered[part] = rendered_html(html)
        return rendered

    @cached_property
    def rendered(self) -> dict[str, SafeString]:
        """Every part of the page, by name (see ``parts``)."""
        return self.parts(["versions", "head", *(place.label for place in self.places), "foot"])

    def _section(self, part: str) -> list[SafeString]:
        return [
            self.rendered[place.label]
            for place in self.places
            if place.part == part and place.label in self.rendered
        ]

    @property
    def preamble(self) -> list[SafeString]:
        """The preambular paragraphs as rendered, each followed by its sub-paragraphs."""
        return self._section(Paragraph.Part.PREAMBULAR)

    @property
    def operative(self) -> list[SafeString]:
        """The operative paragraphs as rendered, each followed by its sub-paragraphs."""
        return self._section(Paragraph.Part.OPERATIVE)

    def paragraph(self, label: str) -> SafeString | None:
        """The paragraph ``label`` as the page shows it, or None when there is none."""
        if label not in {place.label for place in self.places}:
            return None
        return self.parts([label]).get(label)

    @property
    def footnotes(self) -> list[ReadingFootnote]:
        return self.issued[0].footnotes

    @cached_property
    def sponsor_sentence(self) -> str:
        return sponsor_sentence([s.name_as_printed for s in self.issued[1]], self.document)

    @cached_property
    def cited(self) -> list[tuple[str, str]]:
        return cited_documents(self.issued[0])

    @cached_property
    def is_pen_holder(self) -> bool:
        """Whether the reader holds the pen on the document (``permissions.is_pen_holder``):
        one query, asked only while the header is rendered, never when it comes from the
        cache."""
        return is_pen_holder(self.user, self.document)

    @cached_property
    def versions(self) -> Versions:
        """The document's versions, for the banner and the list at the top: one query."""
        return document_versions(self.document)

    @cached_property
    def can_revise(self) -> bool:
        """Whether the page offers the reader to issue the next revision: they hold the pen
        on a draft that no later version (a revision, the adopted resolution) supersedes.
        Needs the document's ``with_adoption()`` and ``with_later_revision()``."""
        document = self.document
        return (
            not document.is_resolution
            and document.revised_as is None
            and document.adopted_as is None
            and self.is_pen_holder
        )


def reader_key(user) -> str:
    """Who is reading, as far as what they see of the notes goes: the reader and the
    delegation the visibility rules (``Annotation.objects.visible_to``) depend on."""
    return f"{user.pk}.{user.delegation_id}" if user.is_authenticated else "anonymous"


def reading_page_key(document: Document, user) -> str:
    """What every part of the reading page is cached under: the document's layout version
    (moved on by any write to what the page shows beyond one paragraph's notes and
    proposals: its text, sponsors, versions, pen holders, circles) and who is reading (which
    notes they see and may edit). Nothing a browser sends is part of it, so one reader has
    one entry for each version of a document however they change their cookies. What a page
    must carry new on every response, the forms' CSRF token and submission keys, is put in
    after the cache (``fresh_form_fields``)."""
    return f"{document.pk}.{document.layout_version}.{reader_key(user)}"


def paragraph_key(page_key: str, place: Place) -> str:
    """What a paragraph of the reading page is cached under: the page's key
    (``reading_page_key``) and the paragraph's own version, which a write to its notes or
    proposals moves on; the other paragraphs stay cached."""
    return f"reading-paragraph.{page_key}.{place.pk}.{place.version}"


# A form's per-response fields as the templates write them. The quotes are the template's
# own: whatever a delegate or a document says reaches the page escaped (``&quot;``), so it
# never matches.
_PER_RESPONSE_FIELD = re.compile(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]*"')


def fresh_form_fields(html: str, csrf_token: str) -> str:
    """``html`` with every form's CSRF token replaced by ``csrf_token`` and every form's
    submission key by a new one.

    A page served from the cache holds the values of the response it was cached from: a
    token masked from the CSRF secret of that day (a reader who has logged in again since
    has another secret, and the forms would be refused), and the same submission keys for
    every copy of the page (two notes typed into two tabs would count as one form sent
    twice)."""

    def fresh(match: re.Match) -> str:
        name = match[1]
        value = csrf_token if name == "csrfmiddlewaretoken" else new_submission_key()
        return f'name="{name}" value="{value}"'

    return _PER_RESPONSE_FIELD.sub(fresh, html)


#: The CSRF token htmx sends with every request, in the layout's ``<body>`` (``base.html``).
_HTMX_TOKEN = re.compile(r'(hx-headers=\'\{"X-CSRFToken": ")[^"]*(")')


def with_fresh_forms(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response`` with its forms' CSRF token and submission keys this response's own
    (``fresh_form_fields``), and the token htmx sends too: a page put together from parts
    cached for the reader (the reading page, the notes list) or kept whole for them
    (``pages.shared.reader_page``)."""
    if request.user.is_authenticated:
        token = get_token(request)
        html = fresh_form_fields(response.content.decode(), token)
        response.content = _HTMX_TOKEN.sub(lambda match: f"{match[1]}{token}{match[2]}", html)
    return response


def notes_cache_key(document: Document, user) -> str:
    """The part of a cache key that changes with what ``user`` may see of the notes on
    ``document``: its cache version (moved on by every write to a note) and the reader
    (``reader_key``)."""
    return f"{document.pk}.{document.cache_version}.{reader_key(user)}"
