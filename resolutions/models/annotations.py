"""Delegates' notes on paragraphs: who may see them, their threads and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from resolutions.models.accounts import Delegation
from resolutions.models.documents import Paragraph


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The annotations ``user`` may see; the only place the visibility rules live.

        - ``private``: the author alone;
        - ``delegation``: every member of the author's delegation;
        - ``public``: every logged-in user.

        Anonymous users see none. A reply is seen by exactly those who see its thread, and a
        deleted annotation (or a reply in a deleted thread) by no one.
        """
        if not user.is_authenticated:
            return self.none()

        def rules(prefix: str) -> Q:
            allowed = Q(**{f"{prefix}visibility": Annotation.Visibility.PUBLIC}) | Q(
                **{f"{prefix}author": user}
            )
            if user.delegation_id:
                allowed |= Q(
                    **{
                        f"{prefix}visibility": Annotation.Visibility.DELEGATION,
                        f"{prefix}delegation_id": user.delegation_id,
                    }
                )
            return allowed & Q(**{f"{prefix}deleted_at__isnull": True})

        thread_root = Q(reply_to__isnull=True) & rules("")
        reply = Q(reply_to__isnull=False, deleted_at__isnull=True) & rules("reply_to__")
        return self.filter(thread_root | reply)

    def on_document(self, document):
        return self.filter(paragraph__document=document)

    def counts_by_paragraph(self) -> dict[int, int]:
        """Annotation counts keyed by paragraph id, in one aggregate query."""
        return dict(
            self.order_by()
            .values("paragraph_id")
            .annotate(n=Count("id"))
            .values_list("paragraph_id", "n")
        )

    def carried_by(self, user, document):
        """The notes ``user`` may bring from ``document`` to its revision: the notes they
        can see that belong to their delegation, whatever their visibility (their
        delegation's shared notes, the public notes its members wrote, and the user's own
        private notes; nobody else's private notes are visible to them in the first place).
        A user without a delegation brings only their own notes. Notes of other delegations
        stay where they are: those delegations bring them across themselves."""
        own = Q(delegation_id=user.delegation_id) if user.delegation_id else Q(author=user)
        return self.visible_to(user).on_document(document).filter(own)

    def for_display(self):
        return self.select_related(
            "author", "delegation", "paragraph", "paragraph__document"
        ).prefetch_related("tags")


class Annotation(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        DELEGATION = "delegation", "My delegation"
        PUBLIC = "public", "Everyone logged in"

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
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.DELEGATION
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    resolved = models.BooleanField(default=False, help_text="The thread is settled.")
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every edit; an edit based on an older version conflicts."
    )
    orphaned_since = models.CharField(
        max_length=60,
        blank=True,
        help_text="Set when a note carried to a revision found no matching paragraph there.",
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
        ]
        constraints = [
            # Made without a form (a command, the admin), a note has no key to repeat.
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="annotation_submitted_once",
            )
        ]

    def __str__(self):
        return f"Note {self.pk} on {self.paragraph}"

    def get_absolute_url(self):
        return reverse("resolutions:annotation_detail", args=[self.pk])

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


class AnnotationRevision(models.Model):
    """An annotation as it stood before an edit."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    quote = models.TextField(blank=True)
    tags = models.CharField(max_length=1100, blank=True, help_text="Comma-separated.")
    visibility = models.CharField(max_length=20, choices=Annotation.Visibility.choices)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "version"], name="one_revision_per_version"
            )
        ]

    def __str__(self):
        return f"{self.annotation} v{self.version}"
