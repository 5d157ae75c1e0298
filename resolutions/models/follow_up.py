"""The follow-up of an agenda item: its history, its milestones, what the draft's operative
paragraphs ask for, each delegation's own actions, and private calendar feeds."""

import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from resolutions.models.accounts import Delegation
from resolutions.models.agenda import AgendaItem
from resolutions.models.documents import Document, Paragraph
from resolutions.un.symbols import undocs_url

# A UN document symbol standing alone on a line: A/80/257, A/RES/80/16, A/AC.292/2025/INF/5.
_SYMBOL = re.compile(r"^[A-Z]+(?:/[A-Za-z0-9.\-]+)+$")


@dataclass(frozen=True)
class Source:
    """One source of a fact, as shown to a delegate: a label and, when there is one, a link."""

    label: str
    url: str = ""


def parse_sources(text: str) -> list[Source]:
    """Each non-empty line of ``text`` is a source: a web address (shown by its host), a UN
    document symbol (linked to the UN document system) or plain words."""
    sources = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("https://", "http://")):
            sources.append(Source(urlsplit(line).netloc.removeprefix("www."), line))
        elif _SYMBOL.match(line):
            sources.append(Source(line, f"https://undocs.org/{line}"))
        else:
            sources.append(Source(line))
    return sources


def _day_month(day) -> str:
    return f"{day.day} {day:%B}"


def date_range(start, end=None) -> str:
    """One date, or a span of days with what the two ends share said once."""
    if end is None or end == start:
        return f"{_day_month(start)} {start.year}"
    if start.year != end.year:
        return f"{_day_month(start)} {start.year} – {_day_month(end)} {end.year}"
    if start.month != end.month:
        return f"{_day_month(start)} – {_day_month(end)} {end.year}"
    return f"{start.day}–{_day_month(end)} {end.year}"


class ItemChildManager(models.Manager):
    """Rows that belong to an agenda item and are named by a key within it."""

    def get_by_natural_key(self, item_slug, key):
        return self.get(agenda_item__slug=item_slug, key=key)


class TimelineEntryQuerySet(models.QuerySet):
    def with_document_slug(self):
        """Each entry with ``document_slug``: the slug of the document the app holds under
        the entry's symbol, or None; a subquery, so the count of queries stays one."""
        held = Document.objects.filter(symbol=OuterRef("symbol")).values("slug")[:1]
        return self.annotate(document_slug=Subquery(held))


class TimelineEntryManager(models.Manager.from_queryset(TimelineEntryQuerySet)):
    def get_by_natural_key(self, item_slug, symbol):
        return self.get(agenda_item__slug=item_slug, symbol=symbol)


class TimelineEntry(models.Model):
    """A resolution, decision or draft in the history of an agenda item, with its date."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "Resolution"
        DECISION = "decision", "Decision"
        DRAFT = "draft", "Draft resolution"

    class Stage(models.TextChoices):
        RECALLED = "recalled", "Recalled in the draft"
        DRAFT = "draft", "The draft"
        FOLLOWING = "following", "What followed"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="timeline")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    symbol = models.CharField(max_length=60, help_text="The UN symbol: A/RES/43/78H.")
    text = models.CharField(
        max_length=60, help_text='How documents print it: "43/78 H", "A/C.1/76/L.13".'
    )
    date = models.DateField(help_text="The date of adoption (or of issue, for a draft).")
    summary = models.CharField(max_length=500, blank=True)
    reported = models.BooleanField(
        default=False,
        help_text="The link to this item is reported by a secondary source, not stated in a "
        "UN document.",
    )
    source = models.CharField(
        max_length=300, help_text='Where the date comes from, e.g. "A/C.1/76/L.13, PP1".'
    )
    source_url = models.CharField(
        max_length=300,
        blank=True,
        help_text="A web address for the source, when it is not a paragraph the app holds.",
    )
    source_paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The paragraph that recalls the entry, when the app holds it.",
    )

    objects = TimelineEntryManager()

    class Meta:
        ordering = ["agenda_item", "date", "symbol"]
        verbose_name_plural = "timeline entries"
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "symbol"], name="timeline_symbol_once_per_item"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.text} ({self.date.day} {self.date:%B %Y})"

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.symbol)

    natural_key.dependencies = ["resolutions.agendaitem", "resolutions.paragraph"]

    @property
    def undocs_url(self) -> str:
        return undocs_url(self.symbol)


def new_key() -> str:
    return uuid.uuid4().hex[:12]


class Milestone(models.Model):
    """A dated event in the follow-up (a session of the working group, a report), always
    with its source. Shared: editors add and change them."""

    class Kind(models.TextChoices):
        EVENT = "event", "Meeting or event"
        WORKING_GROUP_SESSION = "working-group-session", "Working group session"
        REPORT_DUE = "report-due", "Report due"
        SPONSORSHIP_DEADLINE = "sponsorship-deadline", "Sponsorship deadline"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(
        max_length=30,
        choices=Kind.choices,
        default=Kind.EVENT,
        help_text="What the date is: a deadline (to join the sponsors, for a report) or a meeting.",
    )
    key = models.SlugField(
        max_length=80, default=new_key, help_text="Stable name within the item (fixtures)."
    )
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Empty for a one-day event.")
    place = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    sources = models.TextField(
        help_text="Where the fact comes from: one web address or UN document symbol per line."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = ItemChildManager()

    class Meta:
        ordering = ["agenda_item", "start_date", "end_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "key"], name="milestone_key_per_item")
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date})"

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.key)

    natural_key.dependencies = ["resolutions.agendaitem"]

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def date_range(self) -> str:
        """The dates as a delegate writes them: "13–17 December 2021", "28 March – 1 April
        2022", "11 July 2025"."""
        return date_range(self.start_date, self.end_date)

    @property
    def source_list(self) -> list[Source]:
        return parse_sources(self.sources)


class FollowUpManager(ItemChildManager):
    def by_paragraph(self, document) -> dict[int, list["FollowUp"]]:
        """The follow-up entries tied to ``document``'s paragraphs, keyed by paragraph id;
        one query."""
        entries: dict[int, list[FollowUp]] = {}
        for entry in self.filter(paragraph__document=document).select_related("agenda_item"):
            entries.setdefault(entry.paragraph_id, []).append(entry)
        return entries


class FollowUp(models.Model):
    """What one operative paragraph asks for, shown on the tracker and beside the paragraph."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="follow_ups")
    key = models.SlugField(max_length=80)
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        # Nullable only so that fixtures may name a paragraph loaded after them.
        null=True,
        related_name="follow_ups",
    )
    title = models.CharField(max_length=200)
    asks = models.TextField(help_text="What the paragraph asks for, in a delegate's words.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = FollowUpManager()

    class Meta:
        ordering = ["agenda_item", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "key"], name="follow_up_key_per_item")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.agenda_item.get_absolute_url()}#follow-up-{self.key}"

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.key)

    natural_key.dependencies = ["resolutions.agendaitem", "resolutions.paragraph"]


class FollowUpActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The actions ``user`` may see: their own delegation's, and no one else's. The only
        place this rule lives; anonymous users and users outside a delegation see none."""
        if not user.is_authenticated or user.delegation_id is None:
            return self.none()
        return self.filter(delegation_id=user.delegation_id)

    def pending(self):
        return self.exclude(status=FollowUpAction.Status.DONE)

    def for_display(self):
        return self.select_related("owner", "paragraph__document", "agenda_item")

    def for_export(self):
        """In the order of the delegation's downloads: by agenda item, then due date."""
        return (
            self.for_display()
            .select_related("created_by")
            .order_by("agenda_item__title", "due_date", "pk")
        )


class FollowUpAction(models.Model):
    """Something a delegation must do for the item: send views, brief capital, attend."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="follow_up_actions"
    )
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        help_text="A member of the delegation who sees to it.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        help_text="The paragraph the action answers, in a document under the agenda item.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The key of the form the action was added from: sent twice, it adds one.",
    )

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["delegation", "agenda_item", "due_date"])]
        constraints = [
            # Made without a form (a command, the admin), an action has no key to repeat.
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="action_submitted_once",
            )
        ]

    def __str__(self):
        return f"{self.title} (due {self.due_date})"

    def get_absolute_url(self):
        return f"{self.agenda_item.get_absolute_url()}#action-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class CalendarFeedManager(models.Manager):
    def reset_for(self, user) -> "CalendarFeed":
        """Give ``user`` a new secret feed address; the old one stops working at once."""
        feed, _ = self.update_or_create(user=user, defaults={"token": new_token()})
        return feed

    def rotate_for(self, user) -> None:
        """Give ``user``'s secret feed address, if they have one, a new secret: the old
        address stops working at once. A user without one is given none."""
        self.filter(user=user).update(token=new_token(), issued_at=timezone.now())


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's secret calendar address: whoever holds it reads that user's calendar, so a
    calendar app can subscribe without logging in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    issued_at = models.DateTimeField(auto_now=True, help_text="When the address was last made.")

    objects = CalendarFeedManager()

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def url_for(self, agenda_item: AgendaItem) -> str:
        return reverse("resolutions:agenda_calendar_feed", args=[agenda_item.slug, self.token])
