"""General Assembly agenda items and their listing session by session."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

from resolutions.un.symbols import session_title


class AgendaItemQuerySet(models.QuerySet):
    def showing(self, documents: models.QuerySet):
        """The items whose tracker shows any of ``documents``: listed under one of the item's
        sessions, holding a paragraph the item follows up, or named in the item's history
        (which links the app's copy of a document it holds)."""
        return self.filter(
            Q(listings__documents__in=documents)
            | Q(follow_ups__paragraph__document__in=documents)
            | Q(timeline__symbol__in=documents.values("symbol"))
        )

    def mark_changed(self) -> int:
        """Give these items a new ``cache_version``, so that nothing cached of their trackers
        under the old one is served again. Whatever writes something the shared parts of a
        tracker show calls it, in its transaction: the milestone and session services,
        ``Document.objects.mark_changed`` (for the documents a tracker lists), importing a
        document, the admin, ``seed_load`` and ``restore``."""
        return self.update(cache_version=uuid.uuid4())


class AgendaItemManager(models.Manager.from_queryset(AgendaItemQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class AgendaItem(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=500, unique=True)
    cache_version = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="Changes whenever anything the tracker shows every reader changes (its "
        "sessions and their documents, history, milestones, follow-ups); those parts of the "
        "tracker are cached under it.",
    )

    objects = AgendaItemManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resolutions:agenda_item_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class AgendaListingManager(models.Manager):
    def get_by_natural_key(self, item_slug, session):
        return self.get(agenda_item__slug=item_slug, session=session)


class AgendaListing(models.Model):
    """An agenda item at one session: its number there, when it is known."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="listings")
    session = models.PositiveSmallIntegerField(help_text="The session number, e.g. 76.")
    item_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="As printed: “78”, “99 (y)”, “98 (a) and 98 (b)”. Blank while not yet known.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the item came to this session, e.g. the paragraph that put it there.",
    )

    objects = AgendaListingManager()

    class Meta:
        ordering = ["agenda_item", "session"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "session"], name="one_listing_per_item_and_session"
            )
        ]

    def __str__(self):
        number = f"item {self.item_number}" if self.item_number else "item number not yet known"
        return f"{self.agenda_item} — session {self.session}, {number}"

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.session)

    natural_key.dependencies = ["resolutions.agendaitem"]

    @property
    def session_title(self) -> str:
        return session_title(self.session)
