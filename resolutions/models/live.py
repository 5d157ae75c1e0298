"""What changed, for the pages open on it: "paragraph op3 of this document changed", "your
inbox changed". A row is kept so that a reader whose connection dropped can be told what
they missed (``Last-Event-ID``); it names no content, only the place and who may hear of it.
"""

from django.db import models

from resolutions.models.documents import Document


class LiveEventQuerySet(models.QuerySet):
    def for_stream(self, document_id: int | None):
        """The events a stream about ``document_id`` carries: the document's, and every
        inbox's (whose they are is the audience's to say)."""
        about = models.Q(document__isnull=True)
        if document_id is not None:
            about |= models.Q(document_id=document_id)
        return self.filter(about)


class LiveEvent(models.Model):
    """One change, named as the pages listen for it: a paragraph's label (``op3``),
    ``document`` (a new version, the text's status) or ``inbox``."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=40)
    audience = models.JSONField(
        help_text="Who may hear of it: anyone, everyone logged in, delegations, users."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = LiveEventQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} changed"
