"""Notes as a page shows them to one reader: each with its tag names, what the reader may do
with it, and (for a thread) its visible replies. Shared by the reading page's margins, the
thread page, the notes list and the briefing; the queries stay fixed whatever the data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.safestring import SafeString

from resolutions.models import Annotation, AnnotationRevision
from resolutions.models.annotations import ORPHAN_EXPLANATIONS, orphan_heading
from resolutions.prepared import READER, PreparedQuery, reader, reader_ids
from resolutions.rendering import paragraph_note_items, word_diff_html
from resolutions.un.text_comparison import word_diff


@dataclass(frozen=True)
class NoteCount:
    """How many notes a reader sees somewhere, told apart as a delegate counts them:
    threads opened ("notes") and the replies in them. ``str()`` reads "2 notes, 3 replies",
    "1 note" when there is no reply."""

    threads: int = 0
    replies: int = 0

    @property
    def total(self) -> int:
        return self.threads + self.replies

    def __bool__(self) -> bool:
        return self.total > 0

    def __str__(self) -> str:
        notes = f"{self.threads} note{'' if self.threads == 1 else 's'}"
        if not self.replies:
            return notes
        return f"{notes}, {self.replies} repl{'y' if self.replies == 1 else 'ies'}"


def note_count(annotations: QuerySet[Annotation]) -> NoteCount:
    """The threads and replies among ``annotations``, in one query."""
    counts = annotations.order_by().aggregate(
        threads=Count("pk", filter=Q(reply_to__isnull=True)),
        replies=Count("pk", filter=Q(reply_to__isnull=False)),
    )
    return NoteCount(counts["threads"], counts["replies"])


# A resolved thread folds to one line that starts with this many of its words.
FOLDED_WORDS = 8


@dataclass
class NoteView:
    """One note for one reader. ``replies`` (oldest first) and ``earlier_replies`` (how many
    older ones the thread page has) are filled for a thread's opening note only.
    ``history_seen``: the reader may read an earlier version (the "edited" link);
    ``thread_seen``: false for the reader's own reply in a thread they can no longer see."""

    annotation: Annotation
    tags: list[str]
    can_edit: bool
    can_resolve: bool
    history_seen: bool = False
    thread_seen: bool = True
    replies: list[NoteView] = field(default_factory=list)
    earlier_replies: int = 0

    @property
    def pk(self) -> int:
        return self.annotation.pk

    @property
    def folded(self) -> bool:
        """A resolved thread shows as one line, to be opened."""
        return self.annotation.resolved and not self.annotation.is_reply

    @property
    def reply_count(self) -> int:
        """The replies in the thread the reader sees, the earlier ones the margin leaves
        out included."""
        return len(self.replies) + self.earlier_replies

    @property
    def first_words(self) -> str:
        """The note's first words, for its folded line: "Keep the reference to the
        Secretary-General's …"."""
        words = self.annotation.body.split()
        if len(words) <= FOLDED_WORDS:
            return " ".join(words)
        return " ".join(words[:FOLDED_WORDS]) + " …"

    @property
    def fold_summary(self) -> str:
        """The folded line of a resolved thread: "Resolved: <first words> — lars (Norway),
        3 replies"."""
        annotation = self.annotation
        who = annotation.author.get_username()
        if annotation.delegation_id:
            who = f"{who} ({annotation.delegation.name})"
        count = self.reply_count
        replies = "no replies" if not count else f"{count} repl{'y' if count == 1 else 'ies'}"
        return f"Resolved: {self.first_words} — {who}, {replies}"

    @property
    def place(self) -> NotePlace:
        """Where the note stands in the document, as the notes list groups it: on its
        paragraph, or (for a note carried to a revision whose paragraph was deleted or
        changed beyond its quote, and the replies to it) where that paragraph was."""
        note = self.annotation
        thread = note.reply_to if note.reply_to_id else note
        if not thread.orphan_reason:
            return NotePlace(note.paragraph.display_label, note.paragraph.label)
        return NotePlace(
            orphan_heading(
                thread.orphan_label,
                thread.orphaned_since,
                thread.orphan_reason,
                note.paragraph.document.symbol,
            ),
            note.paragraph.label,
            reason=Annotation.OrphanReason(thread.orphan_reason).label,
            explanation=ORPHAN_EXPLANATIONS.get(thread.orphan_reason, ""),
            old_text=thread.orphan_text,
        )


@dataclass(frozen=True)
class NotePlace:
    """A paragraph (``heading`` its label) or, for an orphan, the place a deleted or changed
    paragraph had (``heading`` "PP8 of A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1", with
    the reason and the paragraph's old words). ``label`` is the paragraph to link to: the
    note's own, or the one the orphan stays by."""

    heading: str
    label: str
    reason: str = ""
    explanation: str = ""
    old_text: str = ""

    @property
    def is_orphan(self) -> bool:
        return bool(self.reason)


@dataclass
class OrphanBlock:
    """Notes carried to a revision that stay where their paragraph was: after the paragraph
    ``paragraph_id`` (before it when ``before``), under ``heading`` ("PP8 of A/C.1/76/L.13
    — deleted in A/C.1/76/L.13/Rev.1") with the reason and the paragraph's old words. The
    reading page shows the ``threads``; the briefing prints its ``endnotes`` (under the
    block, or as numbers referring to the notes at the end)."""

    paragraph_id: int
    before: bool
    heading: str
    reason: str
    explanation: str
    old_text: str
    anchor: str  # the block's id in the page
    threads: list[NoteView] = field(default_factory=list)
    endnotes: list[Any] = field(default_factory=list)  # the briefing's ``Endnote``s

    @property
    def endnote_numbers(self) -> list[int]:
        return [note.number for note in self.endnotes]

    @property
    def endnotes_html(self) -> SafeString:
        """The briefing's notes printed under the block, as under a paragraph."""
        return paragraph_note_items(self.endnotes)


def orphan_blocks(notes: Iterable[tuple[Annotation, Any]]) -> list[OrphanBlock]:
    """The orphans among ``notes`` (thread-opening notes, each with its view on the reading
    page or its briefing ``Endnote``), gathered in blocks, one for each paragraph they were
    on and reason, in the order the notes come. Needs each note's paragraph and document."""
    blocks: dict[tuple, OrphanBlock] = {}
    for note, shown in notes:
        if not note.is_orphan:
            continue
        key = (
            note.paragraph_id,
            note.orphan_before,
            note.orphaned_since,
            note.orphan_label,
            note.orphan_text,
            note.orphan_reason,
        )
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = OrphanBlock(
                paragraph_id=note.paragraph_id,
                before=note.orphan_before,
                heading=note.orphan_heading,
                reason=note.get_orphan_reason_display(),
                explanation=note.orphan_explanation,
                old_text=note.orphan_text,
                anchor=f"orphaned-{note.pk}",
            )
        if isinstance(shown, NoteView):
            block.threads.append(shown)
        else:
            block.endnotes.append(shown)
    return list(blocks.values())


def tag_names(which: Q) -> dict[int, list[str]]:
    """The tag names of the notes whose tag links ``which`` selects (a condition on the
    many-to-many table), by note id, in one query."""
    names: dict[int, list[str]] = {}
    links = Annotation.tags.through.objects.filter(which).order_by("tag__name")
    for annotation_id, name in links.values_list("annotation_id", "tag__name"):
        names.setdefault(annotation_id, []).append(name)
    return names


def for_reader(annotations: QuerySet[Annotation], user) -> QuerySet[Annotation]:
    """Notes as ``note_views`` shows them to ``user``: with whether the reader may read an
    earlier version and whether they see the thread, a reply's thread and the circles (for
    its audience), in the same query."""
    return (
        annotations.with_history_seen(user)
        .with_thread_seen(user)
        .select_related("circle", "reply_to")
    )


def note_views(annotations: Iterable[Annotation], user, tags: dict[int, list[str]]):
    """Each note (read through ``for_reader``) with its tags and what ``user`` may do with
    it, in order."""
    return [
        NoteView(
            annotation,
            tags.get(annotation.pk, []),
            can_edit=annotation.editable_by(user),
            can_resolve=annotation.resolvable_by(user),
            history_seen=annotation.history_seen,
            thread_seen=annotation.thread_seen,
        )
        for annotation in annotations
    ]


def threads_with_replies(
    threads: list[Annotation], user, *, thread_ids=None, latest: int | None = None
) -> list[NoteView]:
    """The threads (read through ``for_reader``) with their replies ``user`` may see
    (oldest first) and every note's tags, in two queries.

    ``thread_ids`` is a list of the threads' ids (the callers give ``[0]`` for none, so
    that the queries run whatever the data); by default their pks. With
    ``latest``, only that many of the newest replies are kept, and ``earlier_replies`` says
    how many more the thread page has.
    """
    if thread_ids is None:
        thread_ids = [thread.pk for thread in threads]
    replies = (
        REPLIES((latest,), Annotation.objects.db, **reader_ids(user), threads=thread_ids)
        if user.is_authenticated
        else []
    )
    # The tags of the notes shown, by their ids: through the replies' thread instead, the
    # database joined every note it holds to find them (30 ms at 100,000 notes).
    tags = tag_names(Q(annotation__in=[*thread_ids, *(reply.pk for reply in replies)]))
    by_thread: dict[int, list[Annotation]] = {}
    for reply in replies:
        by_thread.setdefault(reply.reply_to_id, []).append(reply)
    views = note_views(threads, user, tags)
    for view in views:
        shown = by_thread.get(view.pk, [])
        view.replies = note_views(shown, user, tags)
        view.earlier_replies = shown[0].in_thread - len(shown) if latest and shown else 0
    return views


def _replies(latest: int | None, *, reader_pk: int, delegation_id: int | None, threads: list[int]):
    """The replies to ``threads`` the reader may see, oldest first; with ``latest``, only
    that many of each thread's newest, each with ``in_thread``, how many the thread has."""
    user = reader(reader_pk, delegation_id)
    replies = for_reader(
        Annotation.objects.visible_to(user)
        .filter(reply_to__in_ids=threads)
        .select_related("author", "delegation", "paragraph__document"),
        user,
    )
    if latest is not None:
        by_thread_newest = {
            "partition_by": [F("reply_to_id")],
            "order_by": [F("created_at").desc(), F("pk").desc()],
        }
        replies = replies.annotate(
            rank=Window(RowNumber(), **by_thread_newest),
            in_thread=Window(Count("pk"), partition_by=[F("reply_to_id")]),
        ).filter(rank__lte=latest)
    return replies.order_by("created_at", "pk")


# Prepared once per process (``PreparedQuery``): the margins ask for replies on every view.
REPLIES = PreparedQuery(_replies, values=READER, ids=("threads",))


def note_view(pk: int, user) -> NoteView:
    """One note as the thread page or an in-place swap shows it: a thread with all its
    replies, or a reply alone. The note is one ``user`` may see."""
    annotation = for_reader(Annotation.objects.for_display(), user).get(pk=pk)
    if annotation.reply_to_id is None:
        return threads_with_replies([annotation], user)[0]
    return note_views([annotation], user, tag_names(Q(annotation=annotation)))[0]


@dataclass
class NoteVersion:
    """One version of a note on its history page, its words marked (``<ins>``, ``<del>``)
    against the version before it that the reader may read, ``compared_with``; nothing
    is marked on the earliest they may read (``compared_with`` is None).
    ``revision`` is None for the note as it stands now."""

    version: int
    body: SafeString
    quote: SafeString
    tags: SafeString
    compared_with: int | None
    revision: AnnotationRevision | None = None


@dataclass
class NoteHistory:
    """The history page: the note now and the earlier versions of it the reader may read
    (newest first), each as a word diff against the one before it, and how many more there
    are that were written for an audience they are not in."""

    annotation: Annotation
    now: NoteVersion
    versions: list[NoteVersion]
    hidden: int


def _marked(old: str | None, new: str) -> SafeString:
    """``new`` with the words changed since ``old`` marked; as it is when there is no
    ``old`` to compare with."""
    return word_diff_html(word_diff(new if old is None else old, new))


def _tag_line(tags: list[str]) -> str:
    """Tags as the history compares them, word by word: "dates · support"."""
    return " · ".join(tag.strip() for tag in tags if tag.strip())


def _as_compared(
    version: int, texts: tuple[str, str, str], older: tuple[int, tuple[str, str, str]] | None
) -> NoteVersion:
    """A version's body, quote and tags marked against ``older`` (its number and texts)."""
    compared_with, old_texts = older if older else (None, (None, None, None))
    body, quote, tags = (_marked(old, new) for old, new in zip(old_texts, texts, strict=True))
    return NoteVersion(version, body, quote, tags, compared_with)


def note_history(annotation: Annotation, user) -> NoteHistory:
    """The history of ``annotation`` (a note ``user`` may see), in three queries. A version
    is compared only with versions the reader may read, so no word of a hidden one shows."""
    revisions = list(
        AnnotationRevision.objects.visible_to(user)
        .filter(annotation=annotation)
        .select_related("edited_by", "circle", "shown_to_circle")
        .order_by("-version")
    )
    hidden = annotation.revisions.count() - len(revisions)
    tags = tag_names(Q(annotation=annotation)).get(annotation.pk, [])
    texts = [(annotation.version, (annotation.body, annotation.quote, _tag_line(tags)))] + [
        (revision.version, (revision.body, revision.quote, _tag_line(revision.tags.split(","))))
        for revision in revisions
    ]
    older = texts[1:] + [None]
    compared = [
        _as_compared(version, text, before)
        for (version, text), before in zip(texts, older, strict=True)
    ]
    for version, revision in zip(compared[1:], revisions, strict=True):
        version.revision = revision
    return NoteHistory(annotation, compared[0], compared[1:], hidden)


@dataclass
class EditAudience:
    """What the edit form says about who will see a note: for a reply, the audience it
    keeps; for a note that opens a thread, how many replies others wrote (they keep the
    audience they were written for) and how many the author wrote (they follow the note)."""

    annotation: Annotation
    replies_by_others: int = 0
    own_replies: int = 0

    @property
    def can_widen(self) -> bool:
        return self.annotation.visibility != Annotation.Visibility.PUBLIC

    @property
    def can_narrow(self) -> bool:
        return self.annotation.visibility != Annotation.Visibility.PRIVATE


def edit_audience(annotation: Annotation) -> EditAudience:
    """For the edit form of ``annotation``, in one query."""
    if annotation.is_reply:
        return EditAudience(annotation)
    mine = Q(author=annotation.author_id)
    counts = annotation.replies.filter(deleted_at__isnull=True).aggregate(
        others=Count("pk", filter=~mine), own=Count("pk", filter=mine)
    )
    return EditAudience(annotation, counts["others"], counts["own"])
