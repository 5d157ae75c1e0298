"""General Assembly agenda items and their listing session by session."""

from django.db import models
from django.urls import reverse

from resolutions.un.symbols import session_title


class AgendaItemManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class AgendaItem(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=500, unique=True)

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
