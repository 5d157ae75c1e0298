"""Delegates' notes on paragraphs: who may see them, their threads and their history."""

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from resolutions.models.accounts import Delegation, User
from resolutions.models.documents import Paragraph
from resolutions.models.negotiation import Circle, CircleMembership
from resolutions.un.anchoring import QuoteSelector


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    DELEGATION = "delegation", "My delegation"
    CIRCLE = "circle", "My circle"
    PUBLIC = "public", "Everyone logged in"


# From the narrowest audience to the widest: each holds the one before it (a note is shared
# with a circle only by a delegation that is in it).
AUDIENCES = [Visibility.PRIVATE, Visibility.DELEGATION, Visibility.CIRCLE, Visibility.PUBLIC]


def is_wider(visibility: str, than: str) -> bool:
    """Whether ``visibility`` reaches more people than ``than`` (on the same note). A value
    that is no visibility (a damaged row) counts as the narrowest, as ``visible_to`` reads
    it: its author alone."""
    return _rank(visibility) > _rank(than)


def _rank(visibility: str) -> int:
    return AUDIENCES.index(visibility) if visibility in AUDIENCES else 0


def reaches_others(
    visibility: str, circle_id: int | None, than: str, than_circle_id: int | None
) -> bool:
    """Whether the audience (``visibility``, ``circle_id``) holds people the audience
    (``than``, ``than_circle_id``) does not: a wider one, or another circle."""
    if visibility == than == Visibility.CIRCLE:
        return circle_id != than_circle_id
    return is_wider(visibility, than)


# A reply's audience, said from any reader's side (the note's own labels speak for its
# author: "Only me", "My delegation").
REPLY_AUDIENCE_LABELS = {
    Visibility.PRIVATE: "Only the thread's author",
    Visibility.DELEGATION: "The thread's delegation",
    Visibility.CIRCLE: "The thread's circle",
    Visibility.PUBLIC: "Everyone logged in",
}
NARROWEST = REPLY_AUDIENCE_LABELS[Visibility.PRIVATE]
# The audiences in words, read once: ``get_visibility_display()`` works the choices out anew
# on every call, and a reading page names the audience of three hundred notes.
VISIBILITY_LABELS = dict(Visibility.choices)


# An earlier version's audience, said from any reader's side.
REVISION_AUDIENCE_LABELS = {
    Visibility.PRIVATE: "its author only",
    Visibility.DELEGATION: "the delegation",
    Visibility.CIRCLE: "the circle",
    Visibility.PUBLIC: "everyone logged in",
}


def _with_circle(label: str, circle: Circle | None) -> str:
    """``label`` with the circle's name: "My circle: Nordic group"."""
    return f"{label}: {circle.name}" if circle is not None else label


def _circle_named_exactly_for(visibility: str, circle: str) -> Q:
    """The rule of a check constraint: ``circle`` is set when, and only when, ``visibility``
    is 'circle'."""
    return Q(**{visibility: Visibility.CIRCLE, f"{circle}__isnull": False}) | (
        ~Q(**{visibility: Visibility.CIRCLE}) & Q(**{f"{circle}__isnull": True})
    )


class OrphanReason(models.TextChoices):
    """Why a note carried to a revision stays where its paragraph was."""

    PARAGRAPH_DELETED = "paragraph_deleted", "Paragraph deleted"
    QUOTE_CHANGED = "quote_changed", "Quoted words changed"
    PARAGRAPH_CHANGED = "paragraph_changed", "Paragraph changed"


# What happened to the paragraph, said after its label: "PP12 of A/C.1/76/L.13 — deleted in
# A/C.1/76/L.13/Rev.1".
ORPHAN_HAPPENINGS = {
    OrphanReason.PARAGRAPH_DELETED: "deleted",
    OrphanReason.QUOTE_CHANGED: "quoted words changed",
    OrphanReason.PARAGRAPH_CHANGED: "changed",
}

# Why the notes are not on a paragraph, in the delegate's words.
ORPHAN_EXPLANATIONS = {
    OrphanReason.PARAGRAPH_DELETED: "The paragraph was deleted; the notes stay where it stood.",
    OrphanReason.QUOTE_CHANGED: "The words the notes quote are no longer in the paragraph.",
    OrphanReason.PARAGRAPH_CHANGED: "The paragraph was reworded; check the notes against its "
    "new words.",
}


def orphan_heading(label: str, symbol: str, reason: str, now_in: str) -> str:
    """ "PP12 of A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1"."""
    happened = ORPHAN_HAPPENINGS.get(reason, "changed")
    return f"{label} of {symbol} — {happened} in {now_in}"


class NoteState(models.TextChoices):
    """Where a note's thread stands, for filtering: open or resolved (a reply is as its
    thread is), and orphaned (carried to a revision that has no paragraph matching its
    own; a reply goes with its thread)."""

    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    ORPHANED = "orphaned", "Orphaned"


def _in_state(state: str) -> Q:
    """The rule of ``AnnotationQuerySet.in_state``: the one place it lives."""
    thread = Q(reply_to__isnull=True)
    reply = Q(reply_to__isnull=False)
    if state == NoteState.RESOLVED:
        return (thread & Q(resolved=True)) | (reply & Q(reply_to__resolved=True))
    if state == NoteState.OPEN:
        return (thread & Q(resolved=False)) | (reply & Q(reply_to__resolved=False))
    if state == NoteState.ORPHANED:
        return (thread & ~Q(orphaned_since="")) | (reply & ~Q(reply_to__orphaned_since=""))
    raise ValueError(f"No note state {state!r}.")


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def _in_audience(user, *, visibility: str, delegation: str, author: str, circle: str) -> Q:
    """Whether ``user`` is in the audience the named fields describe: everyone logged in
    for ``public``, the members of ``circle`` (the delegations in it now) for ``circle``,
    the members of ``delegation`` for ``delegation``, and ``author`` whatever the
    visibility (an author always reads what they wrote). An anonymous visitor is in no
    audience.

    The user's circles are a sub-query, read with the rows: a delegation that leaves a
    circle loses it in the very next query, whoever holds the user object."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    allowed = Q(**{visibility: Visibility.PUBLIC}) | Q(**{author: user})
    if user.delegation_id:
        allowed |= Q(**{visibility: Visibility.DELEGATION, delegation: user.delegation_id})
        circles = CircleMembership.objects.active().filter(delegation_id=user.delegation_id)
        allowed |= Q(
            **{visibility: Visibility.CIRCLE, f"{circle}__in": circles.values("circle_id")}
        )
    return allowed


def audience_members(author, visibility: str, circle_id: int | None = None):
    """The delegates who would read a note ``author`` writes now for ``visibility`` (and
    ``circle_id``, a circle the author's delegation is in), as ``_in_audience`` decides
    seen from the note's side: everyone active for ``public``, the members of the
    delegations in the circle now for ``circle``, the author's delegation for
    ``delegation``, and the author alone for ``private`` (or a circle the delegation is not
    in). Whom the note form offers to mention; a test holds it to ``visible_to``."""
    users = User.objects.filter(is_active=True)
    itself = Q(pk=author.pk)
    if visibility == Visibility.PUBLIC:
        return users
    if visibility == Visibility.DELEGATION and author.delegation_id:
        return users.filter(itself | Q(delegation_id=author.delegation_id))
    if visibility == Visibility.CIRCLE and author.delegation_id and circle_id:
        members = CircleMembership.objects.active().filter(circle_id=circle_id)
        if members.filter(delegation_id=author.delegation_id).exists():
            return users.filter(itself | Q(delegation__in=members.values("delegation_id")))
    return users.filter(itself)


def _readers(
    visibility: str, delegation_id: int | None, author_id: int, circle_id: int | None
) -> Q:
    """The users in the audience these fields describe, as ``_in_audience`` decides, seen
    from the note's side."""
    if visibility == Visibility.PUBLIC:
        # Not an empty Q: combined with ``|``, an empty Q would drop out, not stand for all.
        return Q(pk__isnull=False)
    readers = Q(pk=author_id)
    if visibility == Visibility.DELEGATION and delegation_id:
        readers |= Q(delegation_id=delegation_id)
    if visibility == Visibility.CIRCLE and circle_id:
        members = CircleMembership.objects.active().filter(circle_id=circle_id)
        readers |= Q(delegation__in=members.values("delegation_id"))
    return readers


def note_readers(note):
    """The active delegates who may read ``note`` as it stands, as ``visible_to`` decides
    seen from the note's side: for a note that opens a thread, its audience; for a reply,
    its author and those in both the audience it was written for and its thread's present
    one (a new reply is written for its thread's, so the thread's readers are the reply's);
    for a deleted note, or a reply in a deleted thread, no one. Whom a reply or an edit
    offers to mention; a test holds it to ``visible_to``. A reply needs its thread."""
    users = User.objects.filter(is_active=True)
    if note.deleted_at is not None:
        return users.none()
    if note.reply_to_id is None:
        return users.filter(
            _readers(note.visibility, note.delegation_id, note.author_id, note.circle_id)
        )
    thread = note.reply_to
    if thread.deleted_at is not None:
        return users.none()
    in_thread = _readers(
        thread.visibility, thread.delegation_id, thread.author_id, thread.circle_id
    )
    written_for = _readers(note.visibility, thread.delegation_id, thread.author_id, note.circle_id)
    return users.filter(Q(pk=note.author_id) | (in_thread & written_for))


#: Where a note keeps its audience, and where it finds its thread's.
_NOTE = {
    "visibility": "visibility",
    "delegation": "delegation_id",
    "author": "author",
    "circle": "circle_id",
}
_NOTES_THREAD = {
    "visibility": "reply_to__visibility",
    "delegation": "reply_to__delegation_id",
    "author": "reply_to__author",
    "circle": "reply_to__circle_id",
}
#: The same, as a tally of notes keeps them (``NoteTally``).
_TALLY = {
    "visibility": "visibility",
    "delegation": "delegation",
    "author": "author",
    "circle": "circle",
}
_TALLYS_THREAD = {
    "visibility": "thread_visibility",
    "delegation": "thread_delegation",
    "author": "thread_author",
    "circle": "thread_circle",
}


def audience_of(*, is_thread: Q, visibility: str, thread_visibility: str) -> Case:
    """Who reads a note now, as a visibility (``Annotation.audience``), in the database: a
    thread's own, and for a reply the narrower of its own and its thread's, on rows where
    ``is_thread`` tells threads apart and the two named columns hold the visibilities."""
    # From the widest down: a reply is public only when it and its thread both are.
    both_at_least = [
        When(
            Q(
                **{
                    f"{visibility}__in": AUDIENCES[rank:],
                    f"{thread_visibility}__in": AUDIENCES[rank:],
                }
            ),
            then=Value(AUDIENCES[rank]),
        )
        for rank in range(len(AUDIENCES) - 1, 0, -1)
    ]
    return Case(
        When(is_thread, then=F(visibility)),
        *both_at_least,
        default=Value(Visibility.PRIVATE),
        output_field=models.CharField(),
    )


def _thread_audience(user) -> Q:
    """Whether ``user`` is in the present audience of a reply's thread."""
    return _in_audience(user, **_NOTES_THREAD)


def _in_margin_of(
    user, *, thread: Q, reply: Q, own: dict[str, str], its_thread: dict[str, str]
) -> Q:
    """Whether ``user`` sees a note, or a tally of notes, in a margin: ``AnnotationQuerySet.
    visible_to``'s rule, on rows where ``thread`` and ``reply`` tell the two kinds apart,
    ``own`` names the columns of the row's own audience and ``its_thread`` those of its
    thread's (``_in_audience``'s keywords). A thread is seen by its audience; a reply by its
    author, and by those in both its thread's audience now and the audience it was written
    for (its own visibility and circle, its thread's delegation and author)."""
    written_for = _in_audience(
        user,
        visibility=own["visibility"],
        delegation=its_thread["delegation"],
        author=its_thread["author"],
        circle=own["circle"],
    )
    return (thread & _in_audience(user, **own)) | (
        reply & (Q(**{own["author"]: user}) | (_in_audience(user, **its_thread) & written_for))
    )


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The annotations ``user`` may see; the only place the visibility rules live (the
        margins' and the notes list's counts read the same rule, ``_in_margin_of``, off the
        notes' tallies: ``TallyQuerySet.visible_to``).

        A note that opens a thread is seen by its audience:

        - ``private``: the author alone;
        - ``delegation``: every member of the author's delegation;
        - ``circle``: every member of the delegations in the note's ``circle`` now (those
          that accepted and have not left; a delegation that leaves sees nothing of it any
          more, its own authors' notes aside);
        - ``public``: every logged-in user.

        A reply keeps the audience it was written for (its ``visibility`` and ``circle``:
        the thread's when it was written) and is seen by those who are in both that audience
        and the thread's present one. So widening a thread shows others' replies to no one
        new, and narrowing it hides them from those left out. A reply's author always sees
        their own reply, even in a thread they can no longer see (``with_thread_seen``
        says which), and a thread's author sees every reply to it.

        Anonymous users see none. A deleted annotation, or a reply in a deleted thread, is
        seen by no one.
        """
        if not user.is_authenticated:
            return self.none()
        seen = _in_margin_of(
            user,
            thread=Q(reply_to__isnull=True),
            reply=Q(reply_to__isnull=False, reply_to__deleted_at__isnull=True),
            own=_NOTE,
            its_thread=_NOTES_THREAD,
        )
        return self.filter(seen, deleted_at__isnull=True)

    def with_thread_seen(self, user):
        """Each note with ``thread_seen``: false for a reply whose thread ``user`` cannot
        see (their own reply in a thread since narrowed), true otherwise."""
        seen = Q(reply_to__isnull=True) | _thread_audience(user)
        return self.annotate(thread_seen=ExpressionWrapper(seen, output_field=BooleanField()))

    def with_history_seen(self, user):
        """Each note with ``history_seen``: whether ``user`` may read any of its earlier
        versions (see ``AnnotationRevisionQuerySet.in_audience_of``)."""
        earlier = AnnotationRevision.objects.in_audience_of(user).filter(annotation=OuterRef("pk"))
        return self.annotate(history_seen=Exists(earlier))

    def with_audience(self):
        """Each note with ``audience_value``: who reads it now, as a visibility (see
        ``Annotation.audience``), for filtering and counting in the database."""
        if "audience_value" in self.query.annotations:
            return self
        return self.annotate(
            audience_value=audience_of(
                is_thread=Q(reply_to__isnull=True),
                visibility="visibility",
                thread_visibility="reply_to__visibility",
            )
        )

    def on_document(self, document):
        return self.filter(paragraph__document=document)

    def in_margin(self):
        """Without the notes that stay where a deleted or changed paragraph was (see
        ``Annotation.is_orphan``) and the replies to them: what a paragraph's margin holds."""
        return self.filter(orphan_reason="").filter(
            Q(reply_to__isnull=True) | Q(reply_to__orphan_reason="")
        )

    def orphans(self):
        """Only the notes that stay where a deleted or changed paragraph was, with the
        replies to them."""
        return self.filter(Q(orphan_reason__gt="") | Q(reply_to__orphan_reason__gt=""))

    def in_state(self, state: str):
        """The notes whose thread is ``state`` (a ``NoteState``): open, resolved or
        orphaned."""
        return self.filter(_in_state(state))

    def with_states(self):
        """Each note with ``in_open``, ``in_resolved`` and ``in_orphaned``: whether it is in
        each ``NoteState``, for grouping and counting in the database."""
        return self.annotate(
            **{
                f"in_{state.value}": ExpressionWrapper(
                    _in_state(state), output_field=BooleanField()
                )
                for state in NoteState
            }
        )

    def state_counts(self) -> dict[str, int]:
        """How many of these notes are in each ``NoteState``, in one query."""
        counts = {
            state.value: Count("id", filter=_in_state(state), distinct=True) for state in NoteState
        }
        return self.order_by().aggregate(**counts)

    def counts_by_paragraph(self) -> dict[int, tuple[int, int]]:
        """How many threads and how many replies, keyed by paragraph id, in one aggregate
        query: ``{paragraph_id: (threads, replies)}``."""
        rows = (
            self.order_by()
            .values("paragraph_id")
            .annotate(
                threads=Count("id", filter=Q(reply_to__isnull=True)),
                replies=Count("id", filter=Q(reply_to__isnull=False)),
            )
            .values_list("paragraph_id", "threads", "replies")
        )
        return {paragraph_id: (threads, replies) for paragraph_id, threads, replies in rows}

    def carried_by(self, user, document):
        """The notes ``user`` may bring from ``document`` to its revision: the notes they
        can see that belong to their delegation, whatever their visibility (their
        delegation's shared notes, the public notes its members wrote, and the user's own
        private notes; nobody else's private notes are visible to them in the first place).
        A user without a delegation brings only their own notes. Notes of other delegations
        stay where they are: those delegations bring them across themselves. A proposal's
        discussion stays with the proposal, on the version it was made on."""
        own = Q(delegation_id=user.delegation_id) if user.delegation_id else Q(author=user)
        return self.visible_to(user).on_document(document).filter(own, proposal__isnull=True)

    def written_by_delegation_of(self, user):
        """The notes ``user`` may see that their delegation wrote (their own, private ones
        included, and their colleagues' shared with the delegation or with everyone),
        document by document: what the delegation downloads as its own."""
        written = Q(author=user)
        if user.delegation_id:
            written |= Q(delegation_id=user.delegation_id)
        return (
            self.visible_to(user)
            .filter(written)
            .for_display()
            .order_by("paragraph__document__symbol", "paragraph__order", "created_at", "pk")
        )

    def for_display(self):
        """With what a note is shown with: its author, delegation, paragraph and document,
        a reply's thread and the circle (for its audience) and the tags."""
        return self.select_related(
            "author",
            "delegation",
            "paragraph",
            "paragraph__document",
            "circle",
            "reply_to",
        ).prefetch_related("tags")


class Annotation(models.Model):
    Visibility = Visibility
    OrphanReason = OrphanReason

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        help_text="The author's delegation when the note was written.",
    )
    body = models.TextField()
    quote = models.TextField(blank=True, help_text="The words of the paragraph the note is about.")
    # The quote as a W3C Web Annotation TextQuoteSelector (quote, prefix, suffix) and
    # TextPositionSelector (start; the end is start + len(quote)), as Hypothesis keeps one:
    # see resolutions.un.anchoring, which finds the words again in a revised paragraph.
    quote_prefix = models.TextField(
        blank=True, help_text="Up to 32 characters of the paragraph just before the quote."
    )
    quote_suffix = models.TextField(
        blank=True, help_text="Up to 32 characters of the paragraph just after the quote."
    )
    quote_start = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Where the quote starts in the paragraph's text, in characters.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    visibility = models.CharField(
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.DELEGATION,
        help_text="Who may see the note. For a reply: the audience it was written for (its "
        "thread's when it was written); see AnnotationQuerySet.visible_to.",
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        help_text="The circle a note shared 'with my circle' reaches; a reply's is its "
        "thread's when it was written. Set exactly when the visibility is 'circle'.",
    )
    proposal = models.ForeignKey(
        "resolutions.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussion",
        help_text="The proposal a thread discusses; replies hang under it as under a note.",
    )
    resolved = models.BooleanField(default=False, help_text="The thread is settled.")
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every edit; an edit based on an older version conflicts."
    )
    orphaned_since = models.CharField(
        max_length=60,
        blank=True,
        help_text="The symbol of the version a note was carried from when it found no "
        "paragraph to stand on in this one.",
    )
    # A note carried to a revision whose paragraph was deleted, or changed beyond its quote,
    # stays where its paragraph was: after ``paragraph`` (before it when ``orphan_before``,
    # the old paragraph having come first), shown with the old paragraph's label and words.
    orphan_reason = models.CharField(
        max_length=20,
        choices=OrphanReason.choices,
        blank=True,
        help_text="Why a note carried to a revision stays where its paragraph was.",
    )
    orphan_label = models.CharField(
        max_length=40,
        blank=True,
        help_text="The label of the paragraph it was on, as printed (PP12, OP6(a)), in the "
        "version named by orphaned_since.",
    )
    orphan_text = models.TextField(blank=True, help_text="The words of the paragraph it was on.")
    orphan_before = models.BooleanField(
        default=False,
        help_text="It stays before its paragraph (nothing preceded the one it was on), "
        "not after it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The key of the form the note was sent from: sent twice, it saves once.",
    )

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["paragraph", "visibility"]),
            models.Index(fields=["delegation", "visibility"]),
            # The notes carried from an earlier version that stay by a paragraph: a few in
            # a paragraph of thousands, found without reading the others.
            models.Index(
                fields=["paragraph"],
                condition=~models.Q(orphan_reason=""),
                name="annotation_orphans",
            ),
            # A margin's newest threads, in the order it reads them (newest first).
            models.Index(
                models.F("paragraph"),
                models.F("created_at").desc(),
                models.F("id").desc(),
                condition=models.Q(reply_to__isnull=True, deleted_at__isnull=True),
                name="annotation_newest_threads",
            ),
        ]
        constraints = [
            # Made without a form (a command, the admin), a note has no key to repeat.
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="annotation_submitted_once",
            ),
            # A circle note names its circle (without one it would reach no one), and no
            # other note names one (it would read as shared with a circle it is not).
            models.CheckConstraint(
                condition=_circle_named_exactly_for("visibility", "circle"),
                name="annotation_circle_with_circle_visibility",
            ),
        ]

    def __str__(self):
        return f"Note {self.pk} on {self.paragraph}"

    def get_absolute_url(self):
        return reverse("resolutions:annotation_detail", args=[self.pk])

    @property
    def quote_selector(self) -> QuoteSelector | None:
        """The quote with its context and position, or None for a note without one."""
        if not self.quote:
            return None
        return QuoteSelector(self.quote, self.quote_prefix, self.quote_suffix, self.quote_start)

    @property
    def is_orphan(self) -> bool:
        """Carried to a revision where its paragraph was deleted or changed beyond its
        quote: it stays where the paragraph was, not in ``paragraph``'s margin."""
        return bool(self.orphan_reason)

    @property
    def orphan_heading(self) -> str:
        """ "PP12 of A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1" (needs the paragraph
        and its document)."""
        return orphan_heading(
            self.orphan_label,
            self.orphaned_since,
            self.orphan_reason,
            self.paragraph.document.symbol,
        )

    @property
    def orphan_explanation(self) -> str:
        return ORPHAN_EXPLANATIONS.get(self.orphan_reason, "")

    def editable_by(self, user) -> bool:
        """Only the author edits or deletes a note."""
        return self.author_id == user.pk

    def resolvable_by(self, user) -> bool:
        """The author, or anyone of the author's delegation, marks a thread resolved."""
        return self.editable_by(user) or (
            user.delegation_id is not None and self.delegation_id == user.delegation_id
        )

    @property
    def is_reply(self) -> bool:
        return self.reply_to_id is not None

    @property
    def audience_circle(self) -> Circle | None:
        """The circle that names the note's present audience: its own, when it is shared
        with one (a reply's is its thread's when it was written). A reply written for a
        wider audience in a thread since narrowed to a circle names none: its author may
        not be in that circle, and is not told which it is. Needs ``circle`` loaded, and a
        reply's thread (``for_display``)."""
        if self.audience != Visibility.CIRCLE or self.visibility != Visibility.CIRCLE:
            return None
        return self.circle

    @property
    def audience(self) -> str:
        """Who reads the note now, as a visibility: its own; for a reply the narrower of
        the audience it was written for and its thread's present one (``visible_to``).
        A reply needs its thread loaded (``select_related("reply_to")``)."""
        if self.reply_to_id is None:
            return self.visibility
        thread = self.reply_to.visibility
        return self.visibility if is_wider(thread, self.visibility) else thread

    @property
    def audience_label(self) -> str:
        """The audience in words: "My circle: Nordic group"; on a reply "Everyone logged in
        (the thread's audience)"."""
        if self.reply_to_id is None:
            label = VISIBILITY_LABELS.get(self.visibility, self.visibility)
            return _with_circle(label, self.audience_circle)
        thread = self.reply_to
        if self.visibility == thread.visibility == Visibility.CIRCLE and (
            self.circle_id != thread.circle_id
        ):
            # Written for one circle, in a thread since moved to another: those in both.
            return (
                f"The delegations in {self.circle.name} that also see the thread (written "
                "before the thread moved to another circle)"
            )
        who = _with_circle(
            REPLY_AUDIENCE_LABELS.get(self.audience, NARROWEST), self.audience_circle
        )
        if is_wider(thread.visibility, self.visibility):
            return f"{who} (written before the thread was widened)"
        return f"{who} (the thread's audience)"


class AnnotationRevisionQuerySet(models.QuerySet):
    def in_audience_of(self, user):
        """The earlier versions ``user`` may read of notes they can see: each is read by
        those it was written for (its ``visibility``) and those its author chose to show
        it to when widening the note (``shown_to``); the note's author reads them all.
        Anonymous users read none."""
        if not user.is_authenticated:
            return self.none()
        # A reply's "delegation" is its thread's, as in Annotation.objects.visible_to.
        delegation = Coalesce("annotation__reply_to__delegation_id", "annotation__delegation_id")

        def audience(field: str, circle: str) -> Q:
            return _in_audience(
                user,
                visibility=field,
                delegation="delegation_of_note",
                author="annotation__author",
                circle=circle,
            )

        allowed = audience("visibility", "circle_id") | audience("shown_to", "shown_to_circle_id")
        return self.alias(delegation_of_note=delegation).filter(allowed)

    def visible_to(self, user):
        """The earlier versions ``user`` may read: of a note they can see, and in its
        audience (``in_audience_of``)."""
        return self.in_audience_of(user).filter(
            annotation__in=Annotation.objects.visible_to(user).values("pk")
        )


class AnnotationRevision(models.Model):
    """An annotation as it stood before an edit, with the audience it was written for."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    quote = models.TextField(blank=True)
    tags = models.CharField(max_length=1100, blank=True, help_text="Comma-separated.")
    visibility = models.CharField(
        max_length=20,
        choices=Visibility.choices,
        help_text="Who could see the note when this version was current.",
    )
    shown_to = models.CharField(
        max_length=20,
        choices=Visibility.choices,
        blank=True,
        help_text="A wider audience the author chose to show this version to when they "
        "widened the note; empty: only those it was written for.",
    )
    circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The circle the version was written for, when its visibility is 'circle'.",
    )
    shown_to_circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The circle the version was shown to, when ``shown_to`` is 'circle'.",
    )
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnotationRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["annotation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "version"], name="one_revision_per_version"
            ),
            models.CheckConstraint(
                condition=_circle_named_exactly_for("visibility", "circle"),
                name="annotation_revision_circle_with_circle_visibility",
            ),
            models.CheckConstraint(
                condition=_circle_named_exactly_for("shown_to", "shown_to_circle"),
                name="annotation_revision_shown_to_circle_with_circle",
            ),
        ]

    def __str__(self):
        return f"{self.annotation} v{self.version}"

    @property
    def audience_label(self) -> str:
        """Who the version was written for (and shown to), said from any reader's side:
        "Written for the circle Nordic group; shown to everyone logged in when the note was
        widened". Needs ``circle`` and ``shown_to_circle`` loaded."""
        labels = REVISION_AUDIENCE_LABELS
        written_for = labels.get(self.visibility, labels[Visibility.PRIVATE])
        if self.visibility == Visibility.CIRCLE:
            written_for = f"{written_for} {self.circle.name if self.circle else ''}".strip()
        written = f"Written for {written_for}"
        if self.shown_to in labels and reaches_others(
            self.shown_to, self.shown_to_circle_id, self.visibility, self.circle_id
        ):
            shown = labels[self.shown_to]
            if self.shown_to == Visibility.CIRCLE and self.shown_to_circle:
                shown = f"{shown} {self.shown_to_circle.name}"
            return f"{written}; shown to {shown} when the note was widened"
        return written


#: What a tally keeps of a note and its thread: each of its fields, from the note's field
#: as ``values()`` reads it.
_TALLIED = {
    "paragraph_id": "paragraph_id",
    "author_id": "author_id",
    "visibility": "visibility",
    "delegation_id": "delegation_id",
    "circle_id": "circle_id",
    "thread_visibility": "reply_to__visibility",
    "thread_delegation_id": "reply_to__delegation_id",
    "thread_author_id": "reply_to__author_id",
    "thread_circle_id": "reply_to__circle_id",
}


def _tally_key(row: dict) -> dict:
    """The fields of the tally that counts the note (or group of notes) ``row`` reads:
    ``_TALLIED``'s, and whether it is a reply (every thread has an author)."""
    key = {field: row[source] for field, source in _TALLIED.items()}
    key["thread_visibility"] = key["thread_visibility"] or ""
    key["is_reply"] = key["thread_author_id"] is not None
    return key


class TallyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tallies of the notes ``user`` may see: ``AnnotationQuerySet.visible_to``'s
        rule (``_in_margin_of``), read off the columns each tally keeps of its notes and
        their thread (deleted notes, and replies in deleted threads, are never tallied). A
        test holds the two to the same counts for every kind of reader and note."""
        if not user.is_authenticated:
            return self.none()
        seen = _in_margin_of(
            user,
            thread=Q(is_reply=False),
            reply=Q(is_reply=True),
            own=_TALLY,
            its_thread=_TALLYS_THREAD,
        )
        return self.filter(seen)


class NoteTallyQuerySet(TallyQuerySet):
    def counts_by_paragraph(self, paragraphs) -> dict[int, tuple[int, int]]:
        """How many threads and how many replies these tallies hold on ``paragraphs`` (ids),
        keyed by paragraph id, in one query: ``{paragraph_id: (threads, replies)}``, as
        ``AnnotationQuerySet.counts_by_paragraph`` counts the notes themselves."""
        return dict_of_counts(self.sums_by_paragraph(paragraphs))

    def sums_by_paragraph(self, paragraphs):
        """``counts_by_paragraph``'s query: rows of paragraph id, threads and replies."""
        return (
            self.filter(paragraph__in_ids=paragraphs)
            .order_by()
            .values("paragraph_id")
            .annotate(
                threads=Coalesce(Sum("notes", filter=Q(is_reply=False)), 0),
                replies=Coalesce(Sum("notes", filter=Q(is_reply=True)), 0),
            )
            .values_list("paragraph_id", "threads", "replies")
        )

    def add(self, note: Annotation, *, by: int = 1) -> None:
        """Count ``note`` into its tally: written or restored (``by`` 1), one more in the
        tally of its kind, or a new tally; a reply deleted (``by`` -1), one less, and a
        tally brought to none removed. Called by the service that wrote it once its
        paragraph's row is locked (``Paragraph.objects.mark_changed``), so no other write on
        the paragraph counts meanwhile. The note and its thread are read again under that
        lock: what a tally keeps of them may have changed since the caller read them (a
        thread's audience changed changes its author's replies). A note the margin does not
        show (a reply in a deleted thread, or one carried to stay where an earlier version's
        paragraph was) is not counted."""
        row = (
            Annotation.objects.using(self.db)
            .filter(pk=note.pk)
            .values(
                *_TALLIED.values(),
                "orphan_reason",
                "reply_to__deleted_at",
                "reply_to__orphan_reason",
            )
            .get()
        )
        key = _tally_key(row)
        if row["orphan_reason"] or (
            key["is_reply"] and (row["reply_to__deleted_at"] or row["reply_to__orphan_reason"])
        ):
            return
        if not self.filter(**key).update(notes=F("notes") + by) and by > 0:
            self.create(**key, notes=by)
        if by < 0:
            # A tally of none would give its paragraph a count, and open its margin.
            self.filter(**key, notes=0).delete()

    def recount(self, paragraphs: models.QuerySet[Paragraph]) -> None:
        """Count the margins' notes on ``paragraphs`` again, in the transaction of the write
        that changed them (an edit, a deletion, notes carried forward; a new note is added
        to its tally: ``add``). ``Paragraph.objects.mark_changed`` calls it, once it has
        moved the paragraphs' versions on: that locks their rows, so two writes on one
        paragraph recount one after the other, the second seeing what the first saved (a
        write that saved its note before the lock was free counts after it).

        The notes are grouped by what decides who reads them: a paragraph of thousands of
        notes keeps a few hundred tallies."""
        db = self.db
        held = paragraphs.values("pk")
        self.filter(paragraph__in=held).delete()
        groups = (
            Annotation.objects.using(db)
            .filter(paragraph__in=held, deleted_at__isnull=True)
            .in_margin()
            .filter(Q(reply_to__isnull=True) | Q(reply_to__deleted_at__isnull=True))
            .order_by()
            .values(*_TALLIED.values())
            .annotate(notes=Count("pk"))
        )
        self.bulk_create(
            (NoteTally(**_tally_key(group), notes=group["notes"]) for group in groups),
            batch_size=500,
        )


def _tallied(to, **options) -> models.ForeignKey:
    """A column of a tally naming a row of ``to``. Tallies are only ever read a paragraph
    at a time, so no index of its own: one would cost every write and serve no query (the
    author is indexed with the paragraph, for the writes: ``AbstractTally.Meta``)."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, null=True, related_name="+", db_index=False, **options
    )


def dict_of_counts(rows) -> dict[int, tuple[int, int]]:
    """``NoteTallyQuerySet.sums_by_paragraph``'s rows as ``{paragraph_id: (threads, replies)}``."""
    return {paragraph_id: (threads, replies) for paragraph_id, threads, replies in rows}


class AbstractTally(models.Model):
    """How many of a paragraph's notes share everything that decides who reads them: their
    author, visibility, delegation and circle and, for replies, their thread's; the
    columns ``TallyQuerySet.visible_to`` reads the visibility rule off."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    is_reply = models.BooleanField()
    author = _tallied(settings.AUTH_USER_MODEL)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    delegation = _tallied(Delegation)
    circle = _tallied(Circle)
    thread_visibility = models.CharField(
        max_length=20, choices=Visibility.choices, blank=True, help_text="Empty for a thread."
    )
    thread_delegation = _tallied(Delegation)
    thread_author = _tallied(settings.AUTH_USER_MODEL)
    thread_circle = _tallied(Circle)
    notes = models.PositiveIntegerField()

    class Meta:
        abstract = True
        # Every write finds the tally of its note among the paragraph's (1,500–3,300 of
        # them on a paragraph of 10,000 notes) by all these columns: the paragraph and the
        # author narrow them to a few dozen. The pages read a paragraph's tallies whole,
        # through the paragraph's own index, the smaller.
        indexes = [models.Index(fields=["paragraph", "author"], name="%(class)s_para_author")]


class NoteTally(AbstractTally):
    """A tally of the notes a margin shows. A reading page counts each margin's notes from
    these (``NoteTally.objects.visible_to``), a few hundred rows, instead of every note and
    its thread; every write to a paragraph's notes keeps its tallies, in the write's
    transaction (``add``, ``recount``). Only the notes a margin shows are tallied: not
    deleted ones, replies in deleted threads or notes that stay where an earlier version's
    paragraph was."""

    objects = NoteTallyQuerySet.as_manager()

    def __str__(self):
        kind = "replies" if self.is_reply else "threads"
        return f"{self.notes} {kind} on paragraph {self.paragraph_id}"


#: Where a note stands, as the notes list counts it (``NoteState``), from
#: ``AnnotationQuerySet.with_states``.
_STATES = tuple(f"in_{state.value}" for state in NoteState)


class NoteListTallyQuerySet(TallyQuerySet):
    """Every method that changes tallies is called by the service that wrote the notes, in
    its transaction, once their paragraph's row is locked (``Paragraph.objects.
    mark_changed``): the notes are read again under that lock, and no other write on the
    paragraph moves its tallies meanwhile (``NoteTallyQuerySet.add`` says why)."""

    def add(self, note: Annotation, *, by: int = 1) -> None:
        """Count ``note`` into its tallies (``by`` 1, written or a reply restored) or out of
        them (``by`` -1, a reply deleted): the tally of its kind, and that of its kind under
        each of its tags, the note read with its tags in one query. A reply in a deleted
        thread is not counted."""
        rows = self._rows_of(note, "tags")
        if rows:
            tags = [row["tags"] for row in rows if row["tags"] is not None]
            self._move(_list_tally_key(rows[0]), [None, *tags], by)

    def retag(self, note: Annotation, *, before: set[int], after: set[int]) -> None:
        """Move ``note`` from the tallies of the tags it lost to those of the tags it gained
        (tags' ids): an edit that changes nothing else the list counts."""
        rows = self._rows_of(note)
        if rows:
            key = _list_tally_key(rows[0])
            self._move(key, sorted(before - after), -1)
            self._move(key, sorted(after - before), 1)

    def resolve(self, thread: Annotation, resolved: bool) -> None:
        """Move the notes of ``thread`` (a thread whose ``resolved`` has just been set to
        ``resolved``, from the other value) and its replies from the tallies of the state
        they left to those of the state they are in: a group of them at a time."""
        of_thread = Q(pk=thread.pk) | Q(reply_to=thread.pk)
        for now, tag, n in self._tallied_groups(of_thread):
            left = {**now, "in_open": resolved, "in_resolved": not resolved}
            self._move(left, [tag], -n)
            self._move(now, [tag], n)

    def _tallied_groups(self, notes: Q) -> list[tuple[dict, int | None, int]]:
        """The counted notes ``notes`` selects (not deleted, nor replies in a deleted
        thread) grouped as tallies keep them: each tally's key, its tag (None for the notes
        themselves) and how many, in two queries."""
        counted = (
            Annotation.objects.using(self.db)
            .filter(notes, deleted_at__isnull=True)
            .filter(Q(reply_to__isnull=True) | Q(reply_to__deleted_at__isnull=True))
            .with_states()
            .order_by()
        )
        fields = (*_TALLIED.values(), *_STATES)
        untagged = counted.values(*fields).annotate(n=Count("pk"))
        tagged = counted.filter(tags__isnull=False).values(*fields, "tags").annotate(n=Count("pk"))
        return [
            *((_list_tally_key(group), None, group["n"]) for group in untagged),
            *((_list_tally_key(group), group["tags"], group["n"]) for group in tagged),
        ]

    def _rows_of(self, note: Annotation, *also: str) -> list[dict]:
        """What a tally keeps of ``note`` (and ``also``), one row per value of ``also``;
        none for a reply in a deleted thread, which is not counted."""
        rows = list(
            Annotation.objects.using(self.db)
            .filter(pk=note.pk)
            .with_states()
            .values(*_TALLIED.values(), *_STATES, "reply_to__deleted_at", *also)
        )
        return [] if rows[0]["reply_to__deleted_at"] else rows

    def _move(self, key: dict, tags: list[int | None], by: int) -> None:
        """The tallies of ``key``, of the notes themselves (``None`` among ``tags``) and
        under each tag (its id), moved by ``by``: those missing made when counting in, and
        those brought to none removed (a tally of none would count for nothing, and keep
        its name among the filters). One query when they are all there, whatever their
        number; one or two more to make or remove some."""
        if not tags:
            return
        named = [tag for tag in tags if tag is not None]
        held = self.filter(**key).filter(
            Q(tag__in=named) | (Q(tag__isnull=True) if None in tags else Q(pk__in=[]))
        )
        if held.update(notes=F("notes") + by) < len(tags) and by > 0:
            there = set(held.values_list("tag_id", flat=True))
            self.bulk_create(
                NoteListTally(**key, tag_id=tag, notes=by) for tag in tags if tag not in there
            )
        if by < 0:
            held.filter(notes=0).delete()

    def recount(self, paragraphs: models.QuerySet[Paragraph]) -> None:
        """Count the notes on ``paragraphs`` again, as ``NoteTallyQuerySet.recount`` does
        for the margins, in the same places and under the same lock."""
        held = paragraphs.values("pk")
        self.filter(paragraph__in=held).delete()
        self.bulk_create(
            (
                NoteListTally(**key, tag_id=tag, notes=n)
                for key, tag, n in self._tallied_groups(Q(paragraph__in=held))
            ),
            batch_size=500,
        )

    def groups(self, by_tag: bool):
        """These tallies as the notes list's groups (``NoteGroup`` and the paragraph's id,
        and with ``by_tag`` the tag's name): the notes alike in their paragraph, audience
        as the list shows it, delegation, author, state and kind, and how many."""
        tallies = self.filter(tag__isnull=not by_tag).annotate(
            audience_value=audience_of(
                is_thread=Q(is_reply=False),
                visibility="visibility",
                thread_visibility="thread_visibility",
            )
        )
        return (
            tallies.values_list(
                "paragraph__label",
                "paragraph__order",
                "audience_value",
                "delegation__name",
                "author__username",
                *_STATES,
                "is_reply",
                "paragraph_id",
                *(("tag__name",) if by_tag else ()),
            )
            .annotate(n=Sum("notes"))
            .order_by()
        )


def _list_tally_key(row: dict) -> dict:
    """The fields of the list's tally that counts the note (or group of notes) ``row``
    reads: the margin's (``_tally_key``) and the states of its thread."""
    return {**_tally_key(row), **{state: row[state] for state in _STATES}}


class NoteListTally(AbstractTally):
    """A tally of the notes the notes list counts: every note a reader may see, the notes
    that stay where an earlier version's paragraph was included, by where its thread
    stands (``NoteState``) as well; with a ``tag``, the notes of the kind that carry that
    tag. The list's counts and filters' choices are added up from these
    (``NoteListTally.objects.visible_to``), a few hundred rows a paragraph, instead of
    every note, its thread and its tags; every write to a paragraph's notes keeps them, in
    the write's transaction (``add``, ``recount``)."""

    in_open = models.BooleanField()
    in_resolved = models.BooleanField()
    in_orphaned = models.BooleanField()
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )

    objects = NoteListTallyQuerySet.as_manager()

    def __str__(self):
        kind = "replies" if self.is_reply else "threads"
        return f"{self.notes} {kind} on paragraph {self.paragraph_id} in the notes list"
