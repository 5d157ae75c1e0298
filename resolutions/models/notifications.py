"""What a delegate is told: a mention, a reply in their thread, a proposal's fate, a stance,
a new revision, an invitation. Each row names what it is about; its line is written from
that object when it is read, and only while the recipient may still see it."""

from functools import lru_cache

from django.conf import settings
from django.db import connections, models
from django.db.models import OuterRef, Q, Subquery

from resolutions.models.accounts import User
from resolutions.models.annotations import Annotation
from resolutions.models.documents import Document
from resolutions.models.negotiation import Circle, Proposal


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """``user``'s own notifications about what they may still see: a note or a reply
        they can read now (``Annotation.objects.visible_to``), a proposal they can read
        now (``Proposal.objects.visible_to``), a circle they are in or invited to
        (``Circle.objects.visible_to``). A notification about a note since narrowed away
        from them, or deleted, is not shown, and not counted. The rules are the querysets'
        own, as sub-queries: one query however many notifications there are."""
        if not user.is_authenticated:
            return self.none()

        # Each notification's note, proposal or circle is looked up by its id, in a
        # correlated sub-query per notification: as ``IN`` or ``EXISTS`` sub-queries,
        # PostgreSQL listed every note the user may read (a hashed sub-plan) to check a few
        # hundred notifications, 75 ms at 100,000 notes, on every page for the header's
        # count. A scalar sub-query with ``LIMIT 1`` is never hashed.
        def readable(queryset, field: str):
            return Subquery(queryset.filter(pk=OuterRef(field)).values("pk")[:1])

        return (
            self.filter(recipient=user)
            .alias(
                readable_note=readable(Annotation.objects.visible_to(user), "annotation_id"),
                readable_proposal=readable(Proposal.objects.visible_to(user), "proposal_id"),
                readable_circle=readable(Circle.objects.visible_to(user), "circle_id"),
            )
            .filter(
                Q(annotation__isnull=True) | Q(readable_note__isnull=False),
                Q(proposal__isnull=True) | Q(readable_proposal__isnull=False),
                Q(circle__isnull=True) | Q(readable_circle__isnull=False),
            )
        )

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_display(self):
        return self.select_related(
            "actor",
            "actor__delegation",
            "annotation__paragraph__document",
            "annotation__reply_to",
            "proposal__paragraph",
            "proposal__document",
            "proposal__delegation",
            "document",
            "circle",
        )


@lru_cache(maxsize=4096)
def unread_count_sql(user_id: int, delegation_id: int | None, alias: str) -> tuple[str, tuple]:
    """The SQL that counts a reader's unread notifications they may still see
    (``visible_to``), and its parameters, for the database ``alias``: built once per
    reader and process.

    Every page a delegate opens shows the count, and building the query (the visibility
    rules of notes, proposals and circles) took some 6 ms of Python, more than running it;
    building and running it were 70% of the login form's time. The query depends on
    nothing but the reader's id and delegation, both in the key; circle memberships are
    sub-queries in it, read afresh each time it runs."""
    reader = User(pk=user_id, delegation_id=delegation_id)
    query = Notification.objects.visible_to(reader).unread().order_by().values("pk").query
    sql, params = query.get_compiler(using=alias).as_sql()
    # Django's own SQL for the query, its values kept apart as parameters.
    return f"SELECT COUNT(*) FROM ({sql}) unread", tuple(params)  # noqa: S608


class NotificationManager(models.Manager.from_queryset(NotificationQuerySet)):
    def unread_count(self, user) -> int:
        """How many of ``user``'s notifications are unread and about what they may still
        see (``unread_count_sql``); none for a visitor."""
        if not user.is_authenticated:
            return 0
        sql, params = unread_count_sql(user.pk, user.delegation_id, self.db)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]


class Notification(models.Model):
    """One thing ``recipient`` is told about, once."""

    class Kind(models.TextChoices):
        MENTION = "mention", "Mention"
        REPLY = "reply", "Reply"
        PROPOSAL_TABLED = "proposal_tabled", "Proposal tabled"
        PROPOSAL_ACCEPTED = "proposal_accepted", "Proposal accepted"
        PROPOSAL_REJECTED = "proposal_rejected", "Proposal rejected"
        STANCE = "stance", "Stance"
        REVISION = "revision", "New revision"
        CIRCLE_INVITATION = "circle_invitation", "Circle invitation"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it; none for an import.",
    )
    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was e-mailed on its own, as its recipient asked: no digest lists it.",
    )
    digest = models.ForeignKey(
        "Digest",
        # A digest is never deleted while its notifications stand: they would be sent again.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="The daily digest that lists it, claimed before the digest is sent.",
    )

    objects = NotificationManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient}"

    def get_absolute_url(self) -> str:
        """The exact place it is about: a note's paragraph, a reply in its thread, the
        proposal on the proposals page, the revision, the circle."""
        note = self.annotation
        if note is not None and note.reply_to_id is None and not note.is_orphan:
            return note.paragraph.get_absolute_url()
        if note is not None:
            return f"{note.get_absolute_url()}#annotation-{note.pk}"
        if self.proposal_id is not None:
            return self.proposal.get_absolute_url()
        if self.document_id is not None:
            return self.document.get_absolute_url()
        if self.circle_id is not None:
            return self.circle.get_absolute_url()
        return ""

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def line(self) -> str:
        """What happened, in a sentence written now from the object (needs
        ``for_display``): "lars (Norway) mentioned you in a note on OP6 of
        A/C.1/76/L.13"."""
        who = _who(self.actor)
        Kind = self.Kind
        if self.annotation_id is not None:
            note = self.annotation
            where = f"{note.paragraph.display_label} of {note.paragraph.document.symbol}"
            what = "a reply" if note.reply_to_id else "a note"
            if self.kind == Kind.MENTION:
                return f"{who} mentioned you in {what} on {where}"
            return f"{who} replied in your thread on {where}"
        if self.proposal_id is not None:
            proposal = self.proposal
            what = (
                f"{proposal.delegation}'s proposal on {proposal.display_label} of "
                f"{proposal.document.symbol}"
            )
            if self.kind == Kind.MENTION:
                return f"{who} mentioned you in {what}"
            if self.kind == Kind.PROPOSAL_TABLED:
                return f"{who} tabled {what}"
            if self.kind == Kind.PROPOSAL_ACCEPTED:
                return f"{who} accepted {what}"
            if self.kind == Kind.PROPOSAL_REJECTED:
                return f"{who} rejected {what}"
            if self.kind == Kind.STANCE:
                return f"{who} took a stance on {what}"
        if self.document_id is not None:
            return f"{self.document.symbol} was issued: a new version of a document you annotated"
        if self.circle_id is not None:
            return f"{who} invited your delegation to the circle {self.circle.name}"
        return self.get_kind_display()


class Delivery(models.TextChoices):
    """How a delegate is told of one kind of notification."""

    INBOX = "inbox", "In the inbox only"
    EMAIL = "email", "Also by e-mail, at once"
    DIGEST = "digest", "Also by e-mail, in a daily digest"


# What a delegate is told by e-mail before they choose: what is addressed to them by name
# (a mention) or to their delegation (an invitation) at once; the rest waits in the inbox.
DEFAULT_DELIVERY: dict[str, str] = {
    Notification.Kind.MENTION: Delivery.EMAIL,
    Notification.Kind.CIRCLE_INVITATION: Delivery.EMAIL,
}


# Each kind in a delegate's words, for the preferences page and the e-mails.
TOLD_OF = {
    Notification.Kind.MENTION: "mentions of you in a note, a reply or a proposal",
    Notification.Kind.REPLY: "replies in a thread you wrote in",
    Notification.Kind.PROPOSAL_TABLED: "proposals tabled on paragraphs your delegation follows",
    Notification.Kind.PROPOSAL_ACCEPTED: "proposals accepted on paragraphs your delegation follows",
    Notification.Kind.PROPOSAL_REJECTED: "proposals rejected on paragraphs your delegation follows",
    Notification.Kind.STANCE: "stances on your delegation's proposals",
    Notification.Kind.REVISION: "new revisions of a document you annotated",
    Notification.Kind.CIRCLE_INVITATION: "invitations of your delegation to a circle",
}


class NotificationPreferenceQuerySet(models.QuerySet):
    def deliveries_for(self, user_ids) -> dict[int, dict[str, str]]:
        """For each of ``user_ids``, how they are told of every kind: their choice where
        they made one, else the default. One query."""
        chosen: dict[int, dict[str, str]] = {pk: {} for pk in user_ids}
        for pk, kind, delivery in self.filter(user_id__in=chosen).values_list(
            "user_id", "kind", "delivery"
        ):
            chosen[pk][kind] = delivery
        return {
            pk: {
                kind: own.get(kind, DEFAULT_DELIVERY.get(kind, Delivery.INBOX))
                for kind in Notification.Kind.values
            }
            for pk, own in chosen.items()
        }


class NotificationPreference(models.Model):
    """A delegate's choice, for one kind of notification, that differs from the default
    (``DEFAULT_DELIVERY``): a row is kept only for a kind they changed."""

    Delivery = Delivery

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} {self.get_delivery_display().lower()}"


class Digest(models.Model):
    """One e-mail listing a delegate's notifications. It is saved, and its notifications
    point to it, before it is sent: a notification is never in two e-mails. A digest still
    "sending" when the next run starts was interrupted: it may or may not have gone, and is
    never sent again."""

    class State(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        UNCERTAIN = "uncertain", "May not have been sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="digest_state")]

    def __str__(self):
        return f"Digest for {self.recipient} ({self.get_state_display().lower()})"


def _who(user) -> str:
    if user is None:
        return "Someone"
    if user.delegation_id is not None:
        return f"{user.get_username()} ({user.delegation})"
    return user.get_username()
