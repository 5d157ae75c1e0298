"""Carrying a delegation's notes from one version of a document to the next: onto the
aligned paragraphs, their quotes found again; a note whose paragraph is gone or whose quoted
words changed stays where its paragraph was, with the paragraph's old words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from resolutions.models import Annotation, Document, Paragraph, User
from resolutions.pages.text_comparison import compare_documents
from resolutions.services import events
from resolutions.un.anchoring import QuoteSelector, anchor, describe
from resolutions.un.symbols import normalise_space
from resolutions.un.text_comparison import comparable_text

OrphanReason = Annotation.OrphanReason


@dataclass
class CarryResult:
    landed: list[Annotation] = field(default_factory=list)
    orphaned: list[Annotation] = field(default_factory=list)
    already_there: int = 0

    @property
    def copied(self) -> int:
        return len(self.landed) + len(self.orphaned)


@dataclass(frozen=True)
class Placement:
    """Where a copy goes: on ``paragraph`` with ``selector`` (its quote found again), or,
    for an orphan (``reason`` set), after ``paragraph`` (before it when ``before``)."""

    paragraph: Paragraph
    selector: QuoteSelector | None = None
    reason: str = ""
    before: bool = False


@transaction.atomic
def annotations_carry_forward(*, user: User, source: Document, target: Document) -> CarryResult:
    """Copy the notes ``user`` may carry (see ``AnnotationQuerySet.carried_by``) from ``source`` to
    ``target``, a later version of it, with their tags and their delegation's replies.

    A copy lands on the paragraph aligned with the note's paragraph when that paragraph is
    unchanged, or when the note's quoted words are still in it: found by the quote's
    selectors (``un.anchoring.anchor``: its words read as the comparison reads them, of
    several places the one whose surrounding words agree), which the copy keeps for where
    they are now. A note is never silently moved onto other words: when its paragraph was
    deleted, its quoted words changed, or (a note without a quote) its paragraph was
    reworded, the copy is an orphan (``Annotation.is_orphan``) that stays where the
    paragraph was (after the paragraph aligned with the nearest earlier one that has a
    counterpart, or before the first) with the reason and the paragraph's label and words,
    for the delegate to check. An orphan carried again stays an orphan, with the words it
    was written on. A note already copied (same author, body and quote on the target) is
    not copied again, so carrying twice changes nothing.
    """
    notes = list(
        Annotation.objects.carried_by(user, source)
        .select_related("paragraph")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    result = CarryResult()
    if not notes:
        return result
    comparison = compare_documents(source, target)
    target_paragraphs = comparison.b_paragraphs
    if not target_paragraphs:
        return result
    aligned = {pair.a: pair for pair in comparison.result.pairs if pair.a is not None}
    source_order = list(comparison.a_paragraphs)
    existing = {
        _sameness(author_id, body, quote, reply_to_id)
        for author_id, body, quote, reply_to_id in Annotation.objects.on_document(target)
        .filter(deleted_at__isnull=True)
        .values_list("author_id", "body", "quote", "reply_to_id")
    }

    def counterpart(label: str) -> Paragraph | None:
        pair = aligned.get(label)
        return target_paragraphs[pair.b] if pair is not None and pair.b is not None else None

    def stays_after(label: str, *, itself: bool) -> Paragraph | None:
        """The target paragraph aligned with the nearest source paragraph before ``label``
        (``label`` itself first when ``itself``) that has one."""
        index = source_order.index(label)
        for earlier in range(index if itself else index - 1, -1, -1):
            found = counterpart(source_order[earlier])
            if found is not None:
                return found
        return None

    def orphan(note: Annotation, reason: str, *, itself: bool = False) -> Placement:
        after = stays_after(note.paragraph.label, itself=itself)
        if after is None:
            return Placement(next(iter(target_paragraphs.values())), reason=reason, before=True)
        return Placement(after, reason=reason)

    def placement(note: Annotation) -> Placement:
        if note.is_orphan:
            # It stays by the paragraph it stayed by in the source: before or after it.
            if note.orphan_before:
                found = counterpart(note.paragraph.label)
                if found is not None:
                    return Placement(found, reason=note.orphan_reason, before=True)
            return orphan(note, note.orphan_reason, itself=not note.orphan_before)
        pair = aligned.get(note.paragraph.label)
        if pair is None or pair.b is None:
            return orphan(note, OrphanReason.PARAGRAPH_DELETED)
        paragraph = target_paragraphs[pair.b]
        selector = note.quote_selector
        if selector is None:
            if pair.similarity == 1.0:  # unchanged, or moved without a word changed
                return Placement(paragraph)
            return orphan(note, OrphanReason.PARAGRAPH_CHANGED)
        span = anchor(selector, paragraph.text)
        if span is None:
            return orphan(note, OrphanReason.QUOTE_CHANGED)
        return Placement(paragraph, describe(paragraph.text, *span))

    copies: dict[int, Annotation] = {}
    for note in notes:
        if note.reply_to_id is not None:
            continue
        if _sameness(note.author_id, note.body, note.quote, None) in existing:
            result.already_there += 1
            continue
        place = placement(note)
        copy = _copy(note, place, source)
        copies[note.pk] = copy
        (result.orphaned if copy.is_orphan else result.landed).append(copy)
    for note in notes:
        thread_copy = copies.get(note.reply_to_id) if note.reply_to_id else None
        if thread_copy is not None:
            _copy_reply(note, thread_copy)
    if copies:
        Document.objects.filter(pk=target.pk).mark_changed()
        events.notes_changed(copies.values())
    return result


def _sameness(author_id: int, body: str, quote: str, reply_to_id: int | None) -> tuple:
    """What tells a copy already made: its author, words and quote (read as the comparison
    reads them, since a copy's quote is the revision's printing of the words), and whether
    it opens a thread."""
    return (author_id, normalise_space(body), comparable_text(quote), reply_to_id is None)


def _copy(note: Annotation, place: Placement, source: Document) -> Annotation:
    selector = place.selector or note.quote_selector or QuoteSelector("")
    if place.reason and not note.is_orphan:
        orphan = {
            "orphaned_since": source.symbol,
            "orphan_label": note.paragraph.display_label,
            "orphan_text": note.paragraph.text,
        }
    elif note.is_orphan:
        # Carried again: it still speaks of the paragraph it was written on.
        orphan = {
            "orphaned_since": note.orphaned_since,
            "orphan_label": note.orphan_label,
            "orphan_text": note.orphan_text,
        }
    else:
        orphan = {}
    copy = Annotation.objects.create(
        paragraph=place.paragraph,
        author_id=note.author_id,
        delegation_id=note.delegation_id,
        body=note.body,
        quote=selector.exact,
        quote_prefix=selector.prefix,
        quote_suffix=selector.suffix,
        quote_start=selector.start,
        visibility=note.visibility,
        circle_id=note.circle_id,
        resolved=note.resolved,
        orphan_reason=place.reason,
        orphan_before=place.before,
        **orphan,
    )
    _copy_tags(note, copy)
    return copy


def _copy_reply(reply: Annotation, thread_copy: Annotation) -> Annotation:
    copy = Annotation.objects.create(
        paragraph_id=thread_copy.paragraph_id,
        author_id=reply.author_id,
        delegation_id=reply.delegation_id,
        body=reply.body,
        quote=reply.quote,
        visibility=reply.visibility,
        circle_id=reply.circle_id,
        resolved=reply.resolved,
        reply_to=thread_copy,
    )
    _copy_tags(reply, copy)
    return copy


def _copy_tags(note: Annotation, copy: Annotation) -> None:
    tags = list(note.tags.all())
    if tags:
        copy.tags.set(tags)
