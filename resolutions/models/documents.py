"""Documents (drafts, revisions, adopted resolutions), their paragraphs, footnotes,
citations and sponsor lists."""

import copy
import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from resolutions.models.agenda import AgendaItem, AgendaListing
from resolutions.models.states import MemberState
from resolutions.rendering import Highlight, Link, Marker, render_text
from resolutions.un.paragraph_labels import display_label
from resolutions.un.parsing import find_citations
from resolutions.un.symbols import session_title, slug_for_symbol, undocs_url

# The ids of a document's versions (see ``DocumentQuerySet.in_version_chain``); the table is
# named here as Django names it, rather than formatted in, so the text is a constant.
_VERSION_CHAIN = """
    WITH RECURSIVE earlier(id, revision_of_id) AS (
        SELECT id, revision_of_id FROM resolutions_document WHERE id = %s
        UNION
        SELECT d.id, d.revision_of_id FROM resolutions_document d
        JOIN earlier ON d.id = earlier.revision_of_id
    ), later(id) AS (
        SELECT id FROM resolutions_document WHERE id = %s
        UNION
        SELECT d.id FROM resolutions_document d JOIN later ON d.revision_of_id = later.id
    )
    SELECT id FROM earlier UNION SELECT id FROM later
"""


class DocumentQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("agenda_listing__agenda_item").annotate(
            paragraph_count=models.Count("paragraphs", distinct=True)
        )

    def with_adoption(self):
        """Each document with the resolution adopted from it, when the workbench holds one:
        ``adopted_as_symbol`` and ``adopted_as_on`` (None otherwise), read in the same query
        as the document (see ``Document.adopted_as``)."""
        adoptions = Document.objects.filter(
            revision_of=OuterRef("pk"), kind=Document.Kind.RESOLUTION
        ).order_by("date", "pk")
        return self.annotate(
            adopted_as_symbol=Subquery(adoptions.values("symbol")[:1]),
            adopted_as_on=Subquery(adoptions.values("adopted_on")[:1]),
        )

    def with_later_revision(self):
        """Each document with the revision that superseded it, when the workbench holds one:
        ``revised_as_symbol`` (None otherwise), read in the same query as the document (see
        ``Document.revised_as``)."""
        revisions = Document.objects.filter(
            revision_of=OuterRef("pk"), kind=Document.Kind.REVISION
        ).order_by("date", "pk")
        return self.annotate(revised_as_symbol=Subquery(revisions.values("symbol")[:1]))

    def in_version_chain(self, document: "Document"):
        """The versions of ``document``: the ones it revises or adopts, back to the first,
        and every one issued from it since (revisions, the resolution adopted from it), itself
        included. One query however long the chain: a recursive SQL query walks
        ``revision_of`` both ways (``UNION`` stops it, should the data ever hold a loop)."""
        # A constant text with its values bound as parameters: nothing is formatted in.
        return self.filter(pk__in=RawSQL(_VERSION_CHAIN, [document.pk, document.pk]))  # noqa: S611

    def mark_changed(self, *, notes: bool = True) -> int:
        """Give these documents a new ``cache_version`` and ``layout_version``, so that
        nothing cached of their pages under the old ones is served again. Whatever writes
        something a reading page shows beyond one paragraph's notes and proposals calls it:
        the services in ``resolutions/services/`` (sponsor lists, agenda numbers, circles,
        pen holders, statuses, revisions) and carrying notes forward, in their transaction;
        ``seed_load`` and ``restore``; and the admin, after each save or delete. A write to
        one paragraph's notes or proposals calls ``Paragraph.objects.mark_changed`` instead.

        The trackers that show these documents (their sessions, follow-ups or history) move
        on too: a document's symbol, date, adoption or text is on them. Their paragraphs
        are marked changed too, and their notes counted again (``NoteTally``,
        ``NoteListTally``), unless
        ``notes`` is false: a write that changes no note, nor who may read one, need not."""
        AgendaItem.objects.using(self.db).showing(self).mark_changed()
        changed = self.update(cache_version=uuid.uuid4(), layout_version=uuid.uuid4())
        if notes:
            Paragraph.objects.using(self.db).filter(document__in=self.values("pk")).mark_changed()
        return changed


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)


class Document(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft resolution"
        REVISION = "revision", "Revised draft resolution"
        RESOLUTION = "resolution", "Resolution"

    symbol = models.CharField(max_length=60, unique=True, help_text="e.g. A/C.1/76/L.13")
    slug = models.SlugField(max_length=80, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DRAFT)
    title = models.TextField()
    date = models.DateField(help_text="The date of issue printed on the document.")
    session = models.PositiveSmallIntegerField(help_text="The session number, e.g. 76.")
    committee = models.CharField(max_length=100, blank=True, help_text="e.g. First Committee")
    distribution = models.CharField(max_length=20, default="General", help_text="e.g. Limited")
    original_language = models.CharField(max_length=30, blank=True, default="English")
    agenda_listing = models.ForeignKey(
        AgendaListing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="The agenda item, at this document's session, it is issued under.",
    )
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The earlier version this document revises or adopts.",
    )
    pen_holders = models.ManyToManyField(
        "resolutions.Delegation",
        blank=True,
        related_name="pen_held_documents",
        help_text="The delegations that hold the pen (the main sponsor or a facilitator): "
        "they mark paragraphs agreed and accept or reject proposals. Without any, editors do.",
    )
    adoption = models.CharField(
        max_length=200,
        blank=True,
        help_text="A resolution's adoption line as printed: “Resolution adopted by the General "
        "Assembly on 15 December 2025”. Blank for drafts.",
    )
    committee_report = models.CharField(
        max_length=300,
        blank=True,
        help_text="The report it was adopted on, as printed: “[on the report of the Sixth "
        "Committee (A/80/448, para. 10)]”. Blank for drafts and for resolutions adopted "
        "without reference to a Main Committee.",
    )
    closing = models.CharField(
        max_length=200,
        blank=True,
        help_text="The lines after the last paragraph of a resolution, one per line: "
        "“64th plenary meeting” and “15 December 2025”. Blank for drafts.",
    )
    adopted_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the General Assembly adopted the resolution, read from its "
        "adoption line (or its closing lines). Empty for drafts.",
    )
    sponsors_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="The note an asterisk on the sponsor line points to: “On behalf of the "
        "States Members of the United Nations that are members of the Group of 77 and China.”",
    )
    status_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What became of the document, with its source, e.g. how it was adopted.",
    )
    cache_version = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="Changes whenever anything the document's reading page shows changes (its "
        "text, sponsors, agenda item, follow-ups or notes); the notes list is cached under it.",
    )
    layout_version = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="Changes whenever the reading page changes beyond one paragraph's notes and "
        "proposals (its text, sponsors, agenda item, follow-ups, pen holders, circles); "
        "every part of the page is cached under it, each paragraph also under its own version.",
    )

    objects = DocumentManager()

    class Meta:
        ordering = ["-date", "symbol"]

    def __str__(self):
        return self.symbol

    def save(self, *args, **kwargs):
        # The slug is the symbol in URL form; it is derived here so the two never disagree.
        self.slug = slug_for_symbol(self.symbol)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resolutions:document_detail", args=[self.slug])

    def natural_key(self):
        return (self.symbol,)

    def is_pen_holder(self, user) -> bool:
        """Whether ``user`` holds the pen on this document: a delegate of one of its pen
        holder delegations or, while none is named, an editor. One query per document object
        (two for an editor of a document without pen holders, the second asked once per
        request). The only place the rule lives; ``permissions.is_pen_holder`` asks it."""
        if not user.is_authenticated:
            return False
        named = self.pen_holder_ids
        if named:
            return user.delegation_id in named
        return bool(user.is_editor)

    @cached_property
    def pen_holder_ids(self) -> frozenset[int]:
        """The pen holder delegations' ids, read once per document object (none when a
        ``prefetch_related("pen_holders")`` already holds them)."""
        return frozenset(delegation.pk for delegation in self.pen_holders.all())

    @property
    def session_title(self) -> str:
        return session_title(self.session)

    @property
    def undocs_url(self) -> str:
        return undocs_url(self.symbol)

    @property
    def is_resolution(self) -> bool:
        return self.kind == self.Kind.RESOLUTION

    @property
    def resolution_number(self) -> str:
        """The number an adopted resolution prints before its title: "80/46" for
        A/RES/80/46; "" for drafts and for symbols of another shape."""
        prefix = "A/RES/"
        if not self.is_resolution or not self.symbol.upper().startswith(prefix):
            return ""
        return self.symbol[len(prefix) :]

    @property
    def closing_lines(self) -> list[str]:
        return [line.strip() for line in self.closing.splitlines() if line.strip()]

    def rendered_committee_report(self) -> SafeString:
        """The committee report line with the report's symbol linked to the UN document
        system: "[on the report of the Sixth Committee (<a>A/80/448</a>, para. 10)]"."""
        return render_text(
            self.committee_report,
            links=[
                Link(c.start, c.end, c.url, c.symbol) for c in find_citations(self.committee_report)
            ],
        )

    @property
    def adopted_from(self) -> "Document | None":
        """The draft (or revised draft) this resolution was adopted from, when held; None
        for a draft, and for a resolution that revises another resolution."""
        earlier = self.revision_of if self.is_resolution else None
        return earlier if earlier is not None and not earlier.is_resolution else None

    @property
    def adopted_as(self) -> "Adoption | None":
        """The resolution adopted from this draft, when the workbench holds it; needs the
        queryset's ``with_adoption()``."""
        symbol = getattr(self, "adopted_as_symbol", None)
        if not symbol or self.is_resolution:
            return None
        return Adoption(symbol, getattr(self, "adopted_as_on", None))

    @property
    def revised_as(self) -> "LaterVersion | None":
        """The revision issued from this version, when the workbench holds it; needs the
        queryset's ``with_later_revision()``."""
        symbol = getattr(self, "revised_as_symbol", None)
        return LaterVersion(symbol) if symbol else None


@dataclass(frozen=True)
class LaterVersion:
    """The revision that superseded a version, as the earlier version's page names it:
    "Revised as A/C.1/76/L.13/Rev.1"."""

    symbol: str

    @property
    def slug(self) -> str:
        return slug_for_symbol(self.symbol)

    def get_absolute_url(self) -> str:
        return reverse("resolutions:document_detail", args=[self.slug])


@dataclass(frozen=True)
class Adoption:
    """The resolution a draft became, as a draft's page names it: "Adopted as A/RES/80/46
    on 1 December 2025"."""

    symbol: str
    on: datetime.date | None

    @property
    def slug(self) -> str:
        return slug_for_symbol(self.symbol)

    def get_absolute_url(self) -> str:
        return reverse("resolutions:document_detail", args=[self.slug])


HEADING_SHAPE = '[{"number": "I", "title": "Legislative activities"}]'


def validate_headings(value) -> None:
    """A paragraph's headings: a list of ``{"number": ..., "title": ...}``, each with a
    number or a title."""
    if not isinstance(value, list):
        raise ValidationError(f"Write the headings as a list, like {HEADING_SHAPE}.")
    for heading in value:
        if (
            not isinstance(heading, dict)
            or set(heading) - {"number", "title"}
            or not all(isinstance(part, str) for part in heading.values())
            or not any(part.strip() for part in heading.values())
        ):
            raise ValidationError(
                f"Each heading has a number, a title or both, like {HEADING_SHAPE}."
            )


class ParagraphQuerySet(models.QuerySet):
    def for_reading(self, document):
        """The document's paragraphs in reading order, with their citations and footnotes,
        in three queries whatever the size of the document."""
        return self.filter(document=document).prefetch_related("citations", "footnotes")

    def mark_changed(self, *, notes: bool = True) -> int:
        """Move these paragraphs' ``version`` on, and their documents' ``cache_version``
        (not their ``layout_version``): a note or proposal on them was written, so the
        reading page renders these paragraphs again and keeps the others as cached; and,
        unless ``notes`` is false (a proposal written, a note resolved or added to its
        tally by its service), count their notes again for the margins and the notes
        list (``NoteTally.objects.recount``, ``NoteListTally.objects.recount``), once their
        rows are locked by the update. Called in the transaction of the write, by the
        services of notes and proposals, and by ``Document.objects.mark_changed``."""
        # Imported here: the notes' module imports this one for ``Paragraph``.
        from resolutions.models.annotations import NoteListTally, NoteTally

        with transaction.atomic(using=self.db, savepoint=False):
            Document.objects.using(self.db).filter(paragraphs__in=self).update(
                cache_version=uuid.uuid4()
            )
            changed = self.update(version=models.F("version") + 1)
            if notes:
                NoteTally.objects.using(self.db).recount(self)
                NoteListTally.objects.using(self.db).recount(self)
        return changed


class ParagraphManager(models.Manager.from_queryset(ParagraphQuerySet)):
    def get_by_natural_key(self, symbol, label):
        return self.get(document__symbol=symbol, label=label)


class Paragraph(models.Model):
    class Part(models.TextChoices):
        PREAMBULAR = "preambular", "Preambular"
        OPERATIVE = "operative", "Operative"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    part = models.CharField(max_length=20, choices=Part.choices)
    label = models.CharField(
        max_length=20,
        help_text="Stable id within the document: pp3, op6, op6-a; used in permalinks.",
    )
    number = models.CharField(
        max_length=10, blank=True, help_text='As printed: "1", "(a)"; blank in the preamble.'
    )
    order = models.PositiveIntegerField(help_text="Reading order within the document.")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subparagraphs"
    )
    lead = models.CharField(
        max_length=100,
        blank=True,
        help_text="The opening phrase printed in italics (Recalling, Decides); a prefix of text.",
    )
    text = models.TextField(help_text="The text as issued, without footnote markers.")
    headings = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_headings],
        help_text="The section headings printed just before this paragraph, outermost first: "
        '[{"number": "I", "title": "Legislative activities"}].',
    )

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AGREED_AD_REF = "agreed_ad_ref", "Agreed ad ref"
        AGREED = "agreed", "Agreed"

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        help_text="Where the negotiation of the paragraph stands, as the pen holder marks it.",
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Moves on whenever the paragraph's notes or proposals change; the reading "
        "page caches the paragraph under it.",
    )

    objects = ParagraphManager()

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="paragraph_label_unique"),
            models.UniqueConstraint(fields=["document", "order"], name="paragraph_order_unique"),
        ]

    def __str__(self):
        return f"{self.document.symbol} {self.display_label}"

    def get_absolute_url(self):
        return f"{self.document.get_absolute_url()}#{self.label}"

    def natural_key(self):
        return (*self.document.natural_key(), self.label)

    natural_key.dependencies = ["resolutions.document"]

    @property
    def heading(self) -> str:
        """The section headings printed just before the paragraph, on one line: "I
        Legislative activities"; "" where none is."""
        return " · ".join(
            " ".join(part for part in (heading["number"], heading["title"]) if part)
            for heading in self.headings
        )

    @property
    def display_label(self) -> str:
        """The label a delegate quotes in a meeting: PP3, OP6, OP6(a), OP2(b)(i)."""
        return display_label(self.label)

    @property
    def is_subparagraph(self) -> bool:
        return self.parent_id is not None

    @property
    def printed_number(self) -> str:
        """The number as printed before the text: "6." for a paragraph, "(d)" or "(i)" for
        a sub-paragraph at any depth; blank in the preamble."""
        return f"{self.number}." if self.number.isdigit() else self.number

    def own_copy(self) -> "Paragraph":
        """This row as a copy that shares nothing it could change with it: Django's copy
        of a model has its own ``_state`` (a related row read through it stays on it), and
        here its own dict of prefetched rows too. The reading page draws one reader's
        margins on such a copy while the process keeps the original for every reader
        (``pages.reading.document_as_issued``)."""
        copied = copy.copy(self)
        prefetched = getattr(self, "_prefetched_objects_cache", None)
        if prefetched is not None:
            copied._prefetched_objects_cache = dict(prefetched)
        return copied

    def rendered(self, highlights: Iterable[Highlight] = ()) -> SafeString:
        """The text as HTML: italic opening phrase, citation links, footnote markers, and
        the words of ``highlights`` marked (see ``render_text``).

        Uses the prefetched ``citations`` and ``footnotes`` (see ``for_reading``).
        """
        return render_text(
            self.text,
            lead=self.lead,
            links=[
                Link(c.start, c.end, c.url, c.symbol)
                for c in self.citations.all()
                if c.footnote_id is None
            ],
            markers=[Marker(f.position, f.number) for f in self.footnotes.all()],
            highlights=highlights,
            highlight_ids=f"quote-tip-{self.label}",
        )


class FootnoteManager(models.Manager):
    def get_by_natural_key(self, symbol, number):
        return self.get(document__symbol=symbol, number=number)


class Footnote(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="footnotes")
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="footnotes",
        help_text="The paragraph that carries the footnote's marker.",
    )
    number = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField(
        help_text="Where the marker stands in the paragraph's text (a character offset)."
    )
    text = models.TextField()

    objects = FootnoteManager()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="footnote_number_unique")
        ]

    def __str__(self):
        return f"{self.document.symbol} footnote {self.number}"

    def natural_key(self):
        return (*self.document.natural_key(), self.number)

    natural_key.dependencies = ["resolutions.document", "resolutions.paragraph"]

    def rendered(self, citations) -> SafeString:
        """The footnote's text with its citations linked; ``citations`` are its own."""
        return render_text(
            self.text, links=[Link(c.start, c.end, c.url, c.symbol) for c in citations]
        )


class CitationManager(models.Manager):
    def get_by_natural_key(self, symbol, label, footnote_number, start):
        citations = self.filter(
            paragraph__document__symbol=symbol, paragraph__label=label, start=start
        )
        if footnote_number:
            return citations.get(footnote__number=footnote_number)
        return citations.get(footnote__isnull=True)


class Citation(models.Model):
    """A resolution, decision or report cited in a paragraph or in one of its footnotes."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "Resolution"
        DECISION = "decision", "Decision"
        REPORT = "report", "Report"

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="citations")
    footnote = models.ForeignKey(
        Footnote,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="Set when the citation stands in a footnote; offsets are then in its text.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=60, help_text='As it stands in the text: "43/78 H".')
    symbol = models.CharField(max_length=60, help_text="The UN symbol: A/RES/43/78H.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    objects = CitationManager()

    class Meta:
        ordering = ["paragraph", "footnote", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "start"],
                condition=models.Q(footnote__isnull=True),
                name="citation_in_paragraph_unique",
            ),
            models.UniqueConstraint(
                fields=["footnote", "start"],
                condition=models.Q(footnote__isnull=False),
                name="citation_in_footnote_unique",
            ),
        ]

    def __str__(self):
        return self.symbol

    def natural_key(self):
        footnote_number = self.footnote.number if self.footnote_id else 0
        return (*self.paragraph.natural_key(), footnote_number, self.start)

    natural_key.dependencies = ["resolutions.paragraph", "resolutions.footnote"]

    @property
    def url(self) -> str:
        return undocs_url(self.symbol)


class SponsorListManager(models.Manager):
    def get_by_natural_key(self, symbol, label):
        return self.get(document__symbol=symbol, label=label)


class SponsorList(models.Model):
    """A document's sponsor list at one moment: as printed, or announced later."""

    PRINTED_LABEL = "As printed"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sponsor_lists")
    label = models.CharField(max_length=100, default=PRINTED_LABEL)
    as_of = models.DateField(help_text="The date the list was current.")
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the list comes from: a symbol or an address."
    )

    objects = SponsorListManager()

    class Meta:
        ordering = ["document", "as_of", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="sponsor_list_label_unique")
        ]

    def __str__(self):
        return f"{self.document.symbol}: {self.label}"

    def natural_key(self):
        return (*self.document.natural_key(), self.label)

    natural_key.dependencies = ["resolutions.document"]


class SponsorshipQuerySet(models.QuerySet):
    def printed_for(self, document):
        """The sponsor list as the document prints it, in its order, with the states."""
        return self.filter(
            sponsor_list__document=document, sponsor_list__label=SponsorList.PRINTED_LABEL
        ).select_related("state")


class SponsorshipManager(models.Manager.from_queryset(SponsorshipQuerySet)):
    def get_by_natural_key(self, symbol, label, state_name):
        return self.get(
            sponsor_list__document__symbol=symbol,
            sponsor_list__label=label,
            state__name=state_name,
        )


class Sponsorship(models.Model):
    sponsor_list = models.ForeignKey(
        SponsorList, on_delete=models.CASCADE, related_name="sponsorships"
    )
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="sponsorships")
    position = models.PositiveSmallIntegerField(help_text="1-based place in the list as printed.")
    name_as_printed = models.CharField(
        max_length=100, help_text='The name as the document prints it, e.g. "Netherlands".'
    )

    objects = SponsorshipManager()

    class Meta:
        ordering = ["sponsor_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor_list", "state"], name="sponsor_once_per_list"),
            models.UniqueConstraint(
                fields=["sponsor_list", "position"], name="sponsor_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name_as_printed} ({self.sponsor_list})"

    def natural_key(self):
        return (*self.sponsor_list.natural_key(), self.state.name)

    natural_key.dependencies = ["resolutions.sponsorlist", "resolutions.memberstate"]
