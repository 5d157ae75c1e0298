"""The version comparison page: two versions of a document aligned paragraph by paragraph,
each row with its word diff, the counts, the sponsors added and withdrawn, and whether the
reader may bring their notes across. Two queries for the paragraphs and one for the
sponsors, whatever the documents' length."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString

from resolutions.models import Annotation, Document, Paragraph
from resolutions.pages.sponsors import SponsorChanges, sponsor_changes
from resolutions.rendering import indent_level, word_diff_html
from resolutions.un.sections import Heading, arrange_headings
from resolutions.un.text_comparison import (
    STATUSES,
    ParagraphVersion,
    TextComparison,
    compare_versions,
)

STATUS_LABELS = {
    "unchanged": "Unchanged",
    "changed": "Changed",
    "added": "Added",
    "removed": "Removed",
    "moved": "Moved",
}


@dataclass
class DocumentComparison:
    """Two versions of a document, their paragraphs by label, and how they align."""

    a: Document
    b: Document
    a_paragraphs: dict[str, Paragraph]
    b_paragraphs: dict[str, Paragraph]
    result: TextComparison
    depths: dict[int, int]  # paragraph id: 1 for a paragraph, 2 for its (a), 3 for an (i)...


def compare_documents(a: Document, b: Document) -> DocumentComparison:
    """Paragraph-by-paragraph comparison of ``a`` (the earlier version) with ``b``, in two
    queries: every paragraph and sub-paragraph of each, in reading order."""
    a_paragraphs = {p.label: p for p in Paragraph.objects.filter(document=a).order_by("order")}
    b_paragraphs = {p.label: p for p in Paragraph.objects.filter(document=b).order_by("order")}
    result = compare_versions(
        [ParagraphVersion(p.label, p.text) for p in a_paragraphs.values()],
        [ParagraphVersion(p.label, p.text) for p in b_paragraphs.values()],
    )
    depths: dict[int, int] = {}
    for paragraph in [*a_paragraphs.values(), *b_paragraphs.values()]:
        # In reading order a parent comes before its sub-paragraphs.
        depths[paragraph.pk] = depths.get(paragraph.parent_id, 0) + 1
    return DocumentComparison(a, b, a_paragraphs, b_paragraphs, result, depths)


@dataclass
class ComparedParagraph:
    """One row of the comparison: a paragraph of A, of B, or both, and the word diff."""

    status: str
    a: Paragraph | None
    b: Paragraph | None
    html: SafeString
    depth: int = 1  # of the paragraph shown: 1 for a paragraph, 2 for its (a), 3 for an (i)
    part_heading: str = ""  # set on the first row of the preamble and of the operative part
    # The later version's section headings that start with this row (or, when the rows
    # between were left out, the headings of the section this row is in).
    headings: list[Heading] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.status == "unchanged" and self.renumbered:
            # Same words, new number: a delegate quoting the old number would be wrong.
            return "Renumbered"
        return STATUS_LABELS[self.status]

    @property
    def renumbered(self) -> bool:
        return self.a is not None and self.b is not None and self.a.label != self.b.label

    @property
    def paragraph(self) -> Paragraph:
        """The later version's paragraph, or the earlier one's when it was removed."""
        paragraph = self.b or self.a
        assert paragraph is not None  # every aligned pair has at least one side
        return paragraph

    @property
    def is_subparagraph(self) -> bool:
        return self.depth > 1

    @property
    def indent(self) -> int:
        """The level the page indents the row to (the stylesheet's ``level-<n>``)."""
        return indent_level(self.depth)

    @property
    def anchor(self) -> str:
        """The row's id: the later version's label, as on its reading page; a removed
        paragraph's is its earlier label after "removed-", which no label starts with."""
        return self.b.label if self.b is not None else f"removed-{self.paragraph.label}"

    @property
    def number(self) -> str:
        return self.paragraph.printed_number


def compared_rows(comparison: DocumentComparison, *, only_changes: bool) -> list[ComparedParagraph]:
    """The rows to show, in the later version's reading order, each part headed once, and
    each section of the later version headed where its first shown row stands."""
    rows = []
    part = None
    later = comparison.b_paragraphs
    placed = dict(zip(later, arrange_headings(p.headings for p in later.values()), strict=True))
    # The headings the reader is under, outermost first, and those last shown.
    section: list[Heading] = []
    shown: list[Heading] = []
    for pair in comparison.result.pairs:
        for heading in placed.get(pair.b, []):
            section = [*(h for h in section if h.level < heading.level), heading]
        if only_changes and pair.status == "unchanged" and pair.a == pair.b:
            continue
        a = comparison.a_paragraphs.get(pair.a) if pair.a else None
        b = comparison.b_paragraphs.get(pair.b) if pair.b else None
        text = (b or a).text
        html = escape(text) if pair.status == "unchanged" else word_diff_html(pair.words)
        row = ComparedParagraph(pair.status, a, b, html, comparison.depths[(b or a).pk])
        if row.paragraph.part != part:
            part = row.paragraph.part
            row.part_heading = (
                "Preamble" if part == Paragraph.Part.PREAMBULAR else "Operative paragraphs"
            )
        if section != shown:
            kept = 0
            while kept < min(len(section), len(shown)) and section[kept] == shown[kept]:
                kept += 1
            row.headings = section[kept:]
            shown = section
        rows.append(row)
    return rows


@dataclass
class TextComparisonPage:
    """What the comparison page shows of ``a`` against ``b`` to one reader."""

    a: Document
    b: Document
    rows: list[ComparedParagraph]
    only_changes: bool
    summary: list[tuple[str, str, int]]  # (status, label, count), in STATUSES order
    total: int
    renumbered: int
    can_carry: bool
    notes_to_carry: int
    sponsors: SponsorChanges


def text_comparison_page(
    a: Document, b: Document, user, *, only_changes: bool
) -> TextComparisonPage:
    """The rows, the counts by status, and, when ``b`` revises ``a`` and the reader is
    logged in, how many of their delegation's threads they could bring across."""
    comparison = compare_documents(a, b)
    pairs = comparison.result.pairs
    can_carry = user.is_authenticated and b.revision_of_id == a.pk
    return TextComparisonPage(
        a=a,
        b=b,
        rows=compared_rows(comparison, only_changes=only_changes),
        only_changes=only_changes,
        summary=[
            (status, STATUS_LABELS[status], comparison.result.summary[status])
            for status in STATUSES
        ],
        total=len(pairs),
        renumbered=sum(1 for pair in pairs if pair.a and pair.b and pair.a != pair.b),
        can_carry=can_carry,
        notes_to_carry=(
            Annotation.objects.carried_by(user, a).filter(reply_to__isnull=True).count()
            if can_carry
            else 0
        ),
        sponsors=sponsor_changes(a, b),
    )
