"""Carrying a delegation's notes from one version of a document to the next: onto the
aligned paragraphs, marking the notes it could not place with certainty."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from resolutions.models import Annotation, Document, Paragraph, User
from resolutions.pages.text_comparison import compare_documents
from resolutions.un.symbols import normalise_space
from resolutions.un.text_comparison import AlignedPair, comparable_text


@dataclass
class CarryResult:
    landed: list[Annotation] = field(default_factory=list)
    orphaned: list[Annotation] = field(default_factory=list)
    already_there: int = 0

    @property
    def copied(self) -> int:
        return len(self.landed) + len(self.orphaned)


@transaction.atomic
def annotations_carry_forward(*, user: User, source: Document, target: Document) -> CarryResult:
    """Copy the notes ``user`` may carry (see ``AnnotationQuerySet.carried_by``) from ``source`` to
    ``target``, a later version of it, with their tags and their delegation's replies.

    A copy lands on the paragraph aligned with the note's paragraph when that paragraph is
    unchanged or the note's quoted words are still in it (both read as the comparison reads
    them: a hyphen, space or quote look-alike is the plain character). Otherwise the note is never
    silently re-attached: it goes to the closest aligned paragraph (the aligned paragraph
    itself, or the nearest earlier or later one that has a counterpart, or the first
    paragraph) and is marked ``orphaned_since`` the source's symbol for the delegate to
    check. A note already copied (same author, body and quote on the target) is not copied
    again, so carrying twice changes nothing.
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
        (author_id, normalise_space(body), normalise_space(quote), reply_to_id is None)
        for author_id, body, quote, reply_to_id in Annotation.objects.on_document(target)
        .filter(deleted_at__isnull=True)
        .values_list("author_id", "body", "quote", "reply_to_id")
    }

    copies: dict[int, Annotation] = {}
    for note in notes:
        key = (note.author_id, normalise_space(note.body), normalise_space(note.quote))
        if note.reply_to_id is not None:
            continue
        if (*key, True) in existing:
            result.already_there += 1
            continue
        pair = aligned.get(note.paragraph.label)
        target_label, lands = _placement(note, pair, target_paragraphs)
        if target_label is None:
            target_label = _closest_label(note.paragraph.label, source_order, aligned)
        placed = target_paragraphs.get(target_label) if target_label is not None else None
        paragraph = placed or next(iter(target_paragraphs.values()))
        copy = _copy(note, paragraph, orphaned_since="" if lands else source.symbol)
        copies[note.pk] = copy
        (result.landed if lands else result.orphaned).append(copy)
    for note in notes:
        thread_copy = copies.get(note.reply_to_id) if note.reply_to_id else None
        if thread_copy is not None:
            _copy(note, thread_copy.paragraph, reply_to=thread_copy)
    if copies:
        Document.objects.filter(pk=target.pk).mark_changed()
    return result


def _placement(
    note: Annotation, pair: AlignedPair | None, target_paragraphs: dict[str, Paragraph]
) -> tuple[str | None, bool]:
    """(label of the aligned paragraph in the target or None, whether the note lands)."""
    if pair is None or pair.b is None:
        return None, False
    if pair.similarity == 1.0:  # unchanged, or moved without a word changed
        return pair.b, True
    # Read as the comparison reads them: a quote taken from the draft's "non-State" is still
    # there when the resolution prints "non‑State" (U+2011).
    quote = comparable_text(note.quote)
    return pair.b, bool(quote) and quote in comparable_text(target_paragraphs[pair.b].text)


def _closest_label(
    label: str, source_order: list[str], aligned: dict[str, AlignedPair]
) -> str | None:
    """The target label of the nearest source paragraph (earlier first) that has one."""
    index = source_order.index(label)
    for distance in range(1, len(source_order)):
        for neighbour in (index - distance, index + distance):
            if 0 <= neighbour < len(source_order):
                pair = aligned.get(source_order[neighbour])
                if pair is not None and pair.b is not None:
                    return pair.b
    return None


def _copy(
    note: Annotation,
    paragraph: Paragraph,
    *,
    orphaned_since: str = "",
    reply_to: Annotation | None = None,
) -> Annotation:
    copy = Annotation.objects.create(
        paragraph=paragraph,
        author_id=note.author_id,
        delegation_id=note.delegation_id,
        body=note.body,
        quote=note.quote,
        visibility=note.visibility,
        circle_id=note.circle_id,
        resolved=note.resolved,
        reply_to=reply_to,
        orphaned_since=orphaned_since,
    )
    tags = list(note.tags.all())
    if tags:
        copy.tags.set(tags)
    return copy
