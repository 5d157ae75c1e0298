"""The briefing a delegate prints before a meeting: what the draft says, who is behind it,
what their delegation thinks of each paragraph, and what comes next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone
from django.utils.safestring import SafeString

from resolutions.models import Annotation, Document
from resolutions.models.follow_up import FollowUp, FollowUpAction, Milestone
from resolutions.pages.notes import orphan_blocks, tag_names
from resolutions.pages.reading import (
    ReadingParagraph,
    ReadingText,
    cited_documents,
    place_orphans,
    reading_text,
)
from resolutions.pages.sponsors import SponsorOverview, sponsor_overview
from resolutions.rendering import (
    PrintedNote,
    css_string,
    paragraph_note_items,
    printed_day,
    printed_note_html,
    printed_note_items,
)


@dataclass
class Endnote:
    number: int
    annotation: Annotation
    tags: list[str]
    replies: list[Annotation]
    # The note and its replies as printed (``printed_note_html``).
    html: SafeString


def _byline(note: Annotation, zone: datetime.tzinfo) -> str:
    """Who wrote a note, for whom and when, as its printed line says it: "lars, Norway · my
    delegation · 30 Nov 2026"; the audience as a phrase (its first letter lower-cased, a
    circle's name kept as written), the day in ``zone`` (the current time zone, looked up
    once for thousands of notes). Needs the note read through ``_printing``, and a reply's
    thread."""
    who = note.author_username
    if note.delegation_name is not None:
        who = f"{who}, {note.delegation_name}"
    audience = note.audience_label
    day = printed_day(note.created_at.astimezone(zone).date())
    return f"{who} · {audience[:1].lower()}{audience[1:]} · {day}"


# What a note's printed line and its place in the text read of it: the rest (the quote's
# surroundings, when it was edited, its version...) is left in the database, each field
# read costing its conversion for each of thousands of notes.
_PRINTED_FIELDS = (
    "paragraph_id",
    "author_id",
    "delegation_id",
    "body",
    "quote",
    "visibility",
    "reply_to_id",
    "circle",
    "resolved",
    "orphaned_since",
    "orphan_reason",
    "orphan_label",
    "orphan_text",
    "orphan_before",
    "created_at",
)


def _printing(notes):
    """The notes with what their printed line names: the author's username and the
    delegation's name (read as two columns, not as a user and a delegation for each note)
    and the circle; only the fields the briefing prints or places them by."""
    return (
        notes.annotate(author_username=F("author__username"), delegation_name=F("delegation__name"))
        .select_related("circle")
        .only(*_PRINTED_FIELDS)
    )


def _printed(number: int, thread: Annotation, tags, replies, zone, *, at_end: bool) -> SafeString:
    """The endnote ``number`` as printed: headed by its number under its paragraph, or by
    where it stands (its paragraph, or the place of an orphan's old paragraph) at the end."""
    if not at_end:
        heading = f"Note {number}"
    elif thread.is_orphan:
        heading = f"{thread.orphan_heading} ({thread.get_orphan_reason_display().lower()})"
    else:
        heading = thread.paragraph.display_label
    byline = _byline(thread, zone) + (" · resolved" if thread.resolved else "")
    return printed_note_html(
        PrintedNote(
            heading=heading,
            byline=byline,
            quote=thread.quote,
            body=thread.body,
            tags=tags,
            replies=[(_byline(reply, zone), reply.body) for reply in replies],
        )
    )


@dataclass
class Briefing:
    document: Document
    sections: set[str]
    printed_on: datetime.date
    delegation_name: str
    text: ReadingText | None = None
    endnotes: list[Endnote] = field(default_factory=list)
    endnotes_by_paragraph: dict[int, list[int]] = field(default_factory=dict)
    overview: SponsorOverview | None = None
    own_group: tuple | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    actions: list[FollowUpAction] = field(default_factory=list)
    citations: list = field(default_factory=list)
    # How it prints: notes under their paragraph (or at the end), and the documents cited as
    # symbols only (or with their addresses).
    notes_at_end: bool = False
    addresses: bool = False
    # The text's paragraphs in reading order, each with the notes printed under it (their
    # list items, ``items_html``).
    preamble: list[tuple[ReadingParagraph, SafeString]] = field(default_factory=list)
    operative: list[tuple[ReadingParagraph, SafeString]] = field(default_factory=list)

    def items_html(self, notes: list[Endnote]) -> SafeString:
        """``notes`` as the list items printed under their paragraph; none when the notes
        print at the end."""
        return paragraph_note_items([] if self.notes_at_end else notes)

    @property
    def endnotes_html(self) -> SafeString:
        """Every note as the list items printed at the end."""
        return printed_note_items(
            ((note.number, note.html) for note in self.endnotes), "endnote", around="\n    "
        )

    @property
    def notes_under_paragraphs(self) -> bool:
        return bool(self.endnotes) and not self.notes_at_end

    @property
    def running_header(self) -> str:
        """The document symbol as a CSS string for the printed page header."""
        return css_string(f"{self.document.symbol} · Briefing")


def scope_filter(user, scopes: set[str]) -> Q:
    """Which thread-opening notes the chosen scopes include, within what ``user`` sees. The
    four scopes do not overlap: the user's own notes; other members of their delegation's;
    other delegations' notes shared with the user's circles; and public notes of everyone
    else."""
    not_mine = ~Q(author=user)
    own_delegation = Q(delegation_id=user.delegation_id) if user.delegation_id else Q(pk__in=[])
    categories = {
        "mine": Q(author=user),
        "delegation": not_mine & own_delegation,
        "circles": not_mine & ~own_delegation & Q(visibility=Annotation.Visibility.CIRCLE),
        "public": not_mine & ~own_delegation & Q(visibility=Annotation.Visibility.PUBLIC),
    }
    wanted = Q(pk__in=[])
    for scope in scopes:
        wanted |= categories[scope]
    return wanted


def build_briefing(
    document: Document,
    user,
    sections: set[str],
    scopes: set[str],
    tag: str,
    *,
    notes_at_end: bool = False,
    addresses: bool = False,
):
    """Compose the briefing in a fixed number of queries whatever the number of notes."""
    delegation = getattr(user, "delegation", None) if user.is_authenticated else None
    briefing = Briefing(
        document=document,
        sections=sections,
        printed_on=timezone.localdate(),
        delegation_name=delegation.name if delegation else "",
        notes_at_end=notes_at_end,
        addresses=addresses,
    )
    if "facts" in sections or "cover" in sections:
        briefing.overview = sponsor_overview(document)
        if delegation and delegation.state_id:
            own_group = next(
                (
                    entry
                    for entry in briefing.overview.not_sponsoring
                    if entry[0] == delegation.state.regional_group
                ),
                None,
            )
            briefing.own_group = own_group
    if "text" in sections:
        briefing.text = reading_text(document)
        briefing.citations = cited_documents(briefing.text)
        if user.is_authenticated and scopes:
            _add_endnotes(briefing, document, user, scopes, tag)
        by_paragraph: dict[int, list[Endnote]] = {}
        for note in briefing.endnotes:
            if not note.annotation.is_orphan:  # printed in its block, where its paragraph was
                by_paragraph.setdefault(note.annotation.paragraph_id, []).append(note)
        briefing.preamble = [
            (item, briefing.items_html(by_paragraph.get(item.paragraph.pk, [])))
            for item in briefing.text.preamble_in_order
        ]
        briefing.operative = [
            (item, briefing.items_html(by_paragraph.get(item.paragraph.pk, [])))
            for item in briefing.text.operative_in_order
        ]
    if "follow-up" in sections and document.agenda_listing_id:
        item_id = document.agenda_listing.agenda_item_id
        briefing.follow_ups = list(
            FollowUp.objects.filter(agenda_item_id=item_id).select_related("paragraph")
        )
        briefing.milestones = list(
            Milestone.objects.filter(agenda_item_id=item_id, start_date__gte=briefing.printed_on)[
                :6
            ]
        )
        briefing.actions = list(
            FollowUpAction.objects.visible_to(user)
            .filter(agenda_item_id=item_id)
            .pending()
            .for_display()
        )
    return briefing


def _add_endnotes(briefing, document, user, scopes, tag) -> None:
    visible = Annotation.objects.visible_to(user).on_document(document)
    roots = visible.filter(reply_to__isnull=True).filter(scope_filter(user, scopes))
    if tag:
        roots = roots.filter(tags__name=tag)
    # The text's own paragraphs (and their document) stand for each note's: read once, not
    # once for every note.
    paragraphs = {item.paragraph.pk: item.paragraph for item in briefing.text.all_paragraphs()}
    for paragraph in paragraphs.values():
        paragraph.document = document
    threads = _in_reading_order(
        _with_paragraphs(
            _printing(roots).order_by("paragraph__order", "created_at", "pk"),
            paragraphs,
        )
    )
    # The threads' ids go on as one parameter (``in_ids``): as a sub-query, each query would
    # pick the threads among the visible notes again, and as ``__in`` thousands of
    # placeholders cost more to write out than the query takes to run.
    thread_ids = [thread.pk for thread in threads]
    by_id = {thread.pk: thread for thread in threads}
    replies = list(
        _printing(visible.filter(reply_to__in_ids=thread_ids)).order_by("created_at", "pk")
    )
    tags = tag_names(Q(annotation__in_ids=thread_ids))
    by_thread: dict[int, list[Annotation]] = {}
    for reply in replies:
        reply.reply_to = by_id[reply.reply_to_id]  # the thread, read above
        by_thread.setdefault(reply.reply_to_id, []).append(reply)
    zone = timezone.get_current_timezone()
    for number, thread in enumerate(threads, start=1):
        thread_tags, thread_replies = tags.get(thread.pk, []), by_thread.get(thread.pk, [])
        html = _printed(
            number, thread, thread_tags, thread_replies, zone, at_end=briefing.notes_at_end
        )
        note = Endnote(number, thread, thread_tags, thread_replies, html)
        briefing.endnotes.append(note)
        if not thread.is_orphan:
            briefing.endnotes_by_paragraph.setdefault(thread.paragraph_id, []).append(number)
    items = list(briefing.text.all_paragraphs())
    for item in items:
        item.endnote_numbers = briefing.endnotes_by_paragraph.get(item.paragraph.pk, [])
    place_orphans(items, orphan_blocks((note.annotation, note) for note in briefing.endnotes))


def _with_paragraphs(notes, paragraphs: dict) -> list[Annotation]:
    """The notes, each with its paragraph from ``paragraphs`` (by id)."""
    notes = list(notes)
    for note in notes:
        note.paragraph = paragraphs[note.paragraph_id]
    return notes


def _in_reading_order(threads) -> list[Annotation]:
    """The threads as the text reads: paragraph by paragraph, each paragraph's own notes
    between the notes carried from an earlier version that stay before it and those that
    stay after it (see ``Annotation.is_orphan``), the notes of one old paragraph together."""
    threads = list(threads)
    first_of_place: dict[tuple, int] = {}
    for index, thread in enumerate(threads):
        place = (thread.orphaned_since, thread.orphan_label, thread.orphan_reason)
        first_of_place.setdefault(place, index)

    def reading_order(thread: Annotation) -> tuple:
        side = 1 if not thread.is_orphan else 0 if thread.orphan_before else 2
        place = (thread.orphaned_since, thread.orphan_label, thread.orphan_reason)
        return thread.paragraph.order, side, first_of_place[place]

    return sorted(threads, key=reading_order)
