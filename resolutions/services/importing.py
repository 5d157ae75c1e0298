"""Importing a UN draft or resolution from its text.

The flow is the same for the import page and the ``import_resolution`` command:

1. ``text_from_bytes`` / ``check_text`` refuse what cannot be a resolution's text (empty,
   binary, not UTF-8, over 1 MB);
2. ``prepare_import`` parses the text and decides everything the save will do (symbol,
   dates, agenda item, which sponsors match which Member State), without writing: the
   preview shows this plan, and the command prints it;
3. ``import_document`` saves the plan in one transaction, or saves nothing.

``document_rows`` is the one mapping from a parsed text to model fields; the fixture builder
uses it too, so the seed fixture and an imported text have the same shape by construction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q
from django.utils.text import slugify

from resolutions.models import (
    AgendaItem,
    AgendaListing,
    Citation,
    Document,
    Footnote,
    MemberState,
    Paragraph,
    SponsorList,
    Sponsorship,
)
from resolutions.rendering import indent_level
from resolutions.services import events
from resolutions.services.notifications import revision_notify
from resolutions.un.adoption import (
    adoption_date,
    comparable_title,
    reporting_committee,
    same_agenda_item,
)
from resolutions.un.dates import date_refusal
from resolutions.un.parsing import Citation as ParsedCitation
from resolutions.un.parsing import ParsedDocument, ParseError, SectionHeading, parse_resolution
from resolutions.un.symbols import normalise_space, slug_for_symbol

#: The largest text accepted, in bytes of UTF-8. The longest General Assembly resolutions
#: run to a few hundred kilobytes; anything larger is not one document's text.
MAX_TEXT_BYTES = 1_000_000

_SYMBOL = re.compile(r"^[A-Z]{1,4}(?:/[A-Za-z0-9.\-]+)+$")
_SESSION_IN_SYMBOL = re.compile(r"/(\d{1,3})/")
# Control characters that never occur in a text file; tab, newline, carriage return and
# form feed (a page break in text extracted from PDFs) do.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class ImportRefused(ValueError):
    """The text cannot be imported; the message says why, in a delegate's words.

    ``field`` names the form field the delegate can change to fix it, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Checking the input ------------------------------------------------------------------------


def text_from_bytes(data: bytes) -> str:
    """The text of an uploaded or read file; refuses binary files, anything that is not
    UTF-8, and files over ``MAX_TEXT_BYTES``."""
    if len(data) > MAX_TEXT_BYTES:
        raise ImportRefused(too_long(len(data)), field="upload")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data:
            raise ImportRefused(BINARY_MESSAGE, field="upload") from error
        raise ImportRefused(
            "The file is not UTF-8 text. Open it in a text editor and save it as “UTF-8”, "
            "or copy the text and paste it instead.",
            field="upload",
        ) from error
    return check_text(text, field="upload")


def check_text(text: str, field: str = "text") -> str:
    """``text`` if it may be a resolution's text: not empty, not binary, at most 1 MB."""
    if not text or not text.strip():
        raise ImportRefused(
            "The text is empty: paste or upload the full text of the document.", field=field
        )
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise ImportRefused(too_long(size), field=field)
    if _BINARY.search(text):
        raise ImportRefused(BINARY_MESSAGE, field=field)
    return text


BINARY_MESSAGE = (
    "This is not a text file (it looks like a PDF, a Word document or an image). Save the "
    "document as plain text (.txt, UTF-8), or copy its text and paste it."
)


def too_long(size: int) -> str:
    return (
        f"The text is too long ({size / 1_000_000:.1f} MB); a resolution is well under 1 MB. "
        "Check that you chose the right file, and import one document at a time."
    )


def normalise_symbol(symbol: str) -> str:
    """The symbol as UN documents print it, without spaces: " A/C.1/76/ L.13 " → A/C.1/76/L.13."""
    return re.sub(r"\s+", "", symbol or "")


def check_symbol(symbol: str, field: str = "symbol") -> str:
    symbol = normalise_symbol(symbol)
    longest = column_limit(Document._meta.get_field("symbol"))
    if not _SYMBOL.match(symbol) or len(symbol) > longest:
        raise ImportRefused(
            f"“{symbol[:longest]}” is not a UN document symbol. Write it as printed on the "
            "document, e.g. A/C.1/76/L.13 or A/RES/76/19.",
            field=field,
        )
    return symbol


def column_limit(model_field: models.Field) -> int:
    """The most the field's column holds: the ``max_length`` of a text column, the largest
    number of an integer one, as the model declares it; 0 for a column without a limit.
    PostgreSQL refuses a longer value when saving (an error, not a message) and SQLite keeps
    it silently, so what comes from a text is measured against this before anything is
    saved."""
    if model_field.max_length is not None:
        return model_field.max_length
    bounds = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
    return bounds[1] if bounds else 0


# --- From parsed text to model fields ----------------------------------------------------------


@dataclass
class DocumentRows:
    """A parsed text as the field values of the rows it becomes, with references between
    rows by paragraph label and footnote number rather than by database id."""

    document: dict
    sponsors: list[str]  # names as printed, in order
    paragraphs: list[dict]  # part, label, number, order, parent_label, lead, text, headings
    footnotes: list[dict]  # paragraph_label, number, position, text
    citations: list[dict]  # paragraph_label, footnote_number (None in text), kind, text, ...
    # Headings whose paragraph is not in the text: nothing to print them before.
    unplaced_headings: list[SectionHeading] = field(default_factory=list)


def document_rows(parsed: ParsedDocument) -> DocumentRows:
    """The rows a parsed text becomes. Footnotes whose marker was not found have no
    paragraph to belong to and are left out, and so are section headings whose paragraph
    was not found (the preview says so). Each paragraph keeps the headings printed just
    before it, in order."""
    labels = {paragraph.label for paragraph in parsed.paragraphs}
    headings: dict[str, list[dict]] = {}
    unplaced = []
    for heading in parsed.sections:
        if heading.before not in labels:
            unplaced.append(heading)
            continue
        headings.setdefault(heading.before, []).append(
            {"number": normalise_space(heading.number), "title": normalise_space(heading.title)}
        )
    paragraphs = [
        {
            "part": paragraph.part,
            "label": paragraph.label,
            "number": paragraph.number,
            "order": paragraph.order,
            "parent_label": paragraph.parent_label,
            "lead": paragraph.lead,
            "text": paragraph.text,
            "headings": headings.get(paragraph.label, []),
        }
        for paragraph in parsed.paragraphs
    ]
    citations = [
        _citation_row(paragraph.label, None, citation)
        for paragraph in parsed.paragraphs
        for citation in paragraph.citations
    ]
    footnotes = []
    for footnote in parsed.footnotes:
        if footnote.paragraph_label is None:
            continue
        footnotes.append(
            {
                "paragraph_label": footnote.paragraph_label,
                "number": footnote.number,
                "position": footnote.marker_position,
                "text": footnote.text,
            }
        )
        citations += [
            _citation_row(footnote.paragraph_label, footnote.number, citation)
            for citation in footnote.citations
        ]
    closing = "\n".join(
        normalise_space(line) for line in parsed.closing.splitlines() if line.strip()
    )
    adoption = normalise_space(parsed.adoption)
    return DocumentRows(
        document={
            "kind": parsed.kind,
            "title": parsed.title,
            "date": parsed.date,
            "session": parsed.session,
            # A resolution names its committee only in the report line it was adopted on.
            "committee": parsed.committee or reporting_committee(parsed.committee_report),
            "distribution": parsed.distribution,
            "original_language": parsed.original_language,
            "adoption": adoption,
            "committee_report": normalise_space(parsed.committee_report),
            "closing": closing,
            "adopted_on": adoption_date(adoption, closing),
            "sponsors_note": normalise_space(parsed.sponsors_note),
        },
        sponsors=list(parsed.sponsors),
        paragraphs=paragraphs,
        footnotes=footnotes,
        citations=citations,
        unplaced_headings=unplaced,
    )


def _citation_row(label: str, footnote_number: int | None, citation: ParsedCitation) -> dict:
    return {
        "paragraph_label": label,
        "footnote_number": footnote_number,
        "kind": citation.kind,
        "text": citation.text,
        "symbol": citation.symbol,
        "start": citation.start,
        "end": citation.end,
    }


# --- The plan: what an import will save --------------------------------------------------------


@dataclass
class SponsorMatch:
    position: int
    name: str  # as printed
    state: MemberState | None
    suggestions: list[str] = field(default_factory=list)
    duplicate: bool = False  # the same state was already named earlier in the list

    @property
    def saved(self) -> bool:
        return self.state is not None and not self.duplicate


@dataclass
class OutlineRow:
    label: str
    display_label: str
    depth: int  # 1 for a paragraph, 2 for its (a), 3 for an (i) under that (a), ...
    number: str  # as printed: "6.", "(a)", "(i)"
    lead: str
    opening: str  # the words after the lead, cut short
    footnotes: list[int]
    citations: list[str]  # as printed: "43/78 H", "A/65/201"
    headings: list[dict] = field(default_factory=list)  # printed just before it

    @property
    def is_subparagraph(self) -> bool:
        return self.depth > 1

    @property
    def indent(self) -> int:
        return indent_level(self.depth)

    @property
    def citations_shown(self) -> list[str]:
        return self.citations[:CITATIONS_SHOWN]

    @property
    def citations_more(self) -> int:
        return max(len(self.citations) - CITATIONS_SHOWN, 0)


OPENING_WORDS = 14
CITATIONS_SHOWN = 4


def _opening(text: str, lead: str) -> str:
    rest = text[len(lead) :] if lead and text.startswith(lead) else text
    words = rest.split()
    cut = " ".join(words[:OPENING_WORDS])
    return cut + " …" if len(words) > OPENING_WORDS else cut


@dataclass
class ImportPlan:
    """Everything an import will save, decided before anything is written."""

    text: str
    parsed: ParsedDocument
    rows: DocumentRows
    symbol: str
    date: datetime.date
    session: int
    agenda_listing: AgendaListing | None
    revision_of: Document | None
    sponsors: list[SponsorMatch]
    warnings: list[str]
    # True when ``revision_of`` is the held draft the import proposes this resolution was
    # adopted from (same session, agenda item and title), not one the delegate chose.
    revision_proposed: bool = False
    # For a draft: the held resolution adopted from it, imported before it and naming no
    # draft yet; saving the draft names it as that resolution's draft.
    adopted_as: Document | None = None

    @property
    def slug(self) -> str:
        return slug_for_symbol(self.symbol)

    @property
    def document(self) -> Document:
        """The document as it will be saved (unsaved): the preview shows its lines as the
        reading page will."""
        return Document(symbol=self.symbol, **self.rows.document)

    @property
    def is_resolution(self) -> bool:
        return self.rows.document["kind"] == Document.Kind.RESOLUTION

    @property
    def section_count(self) -> int:
        return sum(len(row["headings"]) for row in self.rows.paragraphs)

    @property
    def kind_display(self) -> str:
        return Document.Kind(self.rows.document["kind"]).label

    @property
    def preambular(self) -> list[dict]:
        return [p for p in self.rows.paragraphs if p["part"] == Paragraph.Part.PREAMBULAR]

    @property
    def operative(self) -> list[dict]:
        return [
            p
            for p in self.rows.paragraphs
            if p["part"] == Paragraph.Part.OPERATIVE and not p["parent_label"]
        ]

    @property
    def subparagraphs(self) -> list[dict]:
        return [p for p in self.rows.paragraphs if p["parent_label"]]

    @property
    def matched_sponsors(self) -> list[SponsorMatch]:
        return [s for s in self.sponsors if s.saved]

    @property
    def unmatched_sponsors(self) -> list[SponsorMatch]:
        return [s for s in self.sponsors if not s.saved]

    @property
    def citation_count(self) -> int:
        return len(self.rows.citations)

    def outline(self) -> list[OutlineRow]:
        """Each paragraph as the preview lists it: label, opening words, notes, citations."""
        notes: dict[str, list[int]] = {}
        for footnote in self.rows.footnotes:
            notes.setdefault(footnote["paragraph_label"], []).append(footnote["number"])
        cited: dict[str, list[str]] = {}
        for citation in self.rows.citations:
            if citation["footnote_number"] is None:
                cited.setdefault(citation["paragraph_label"], []).append(citation["text"])
        depths: dict[str | None, int] = {None: 0}
        for row in self.rows.paragraphs:  # parents come before their sub-paragraphs
            depths[row["label"]] = depths.get(row["parent_label"], 0) + 1
        return [
            OutlineRow(
                label=row["label"],
                display_label=Paragraph(label=row["label"]).display_label,
                depth=depths[row["label"]],
                number=Paragraph(number=row["number"]).printed_number,
                lead=row["lead"],
                opening=_opening(row["text"], row["lead"]),
                footnotes=notes.get(row["label"], []),
                citations=cited.get(row["label"], []),
                headings=row["headings"],
            )
            for row in self.rows.paragraphs
        ]

    def footnotes_with_labels(self) -> list[dict]:
        return [
            {**row, "display_label": Paragraph(label=row["paragraph_label"]).display_label}
            for row in self.rows.footnotes
        ]

    def summary(self) -> str:
        """One line for the command's output and the confirmation message."""
        counts = [
            (len(self.preambular), "preambular paragraph"),
            (len(self.operative), "operative paragraph"),
            (len(self.subparagraphs), "sub-paragraph"),
            (self.section_count, "section heading"),
            (len(self.rows.footnotes), "footnote"),
            (self.citation_count, "citation"),
            (len(self.matched_sponsors), "sponsor"),
        ]
        parts = ", ".join(
            f"{n} {noun}{'' if n == 1 else 's'}"
            for n, noun in counts
            if n or noun != "section heading"
        )
        return f"{self.symbol} ({self.kind_display.lower()}): {parts}"


def prepare_import(
    text: str,
    *,
    symbol: str | None = None,
    date: datetime.date | None = None,
    revision_of: Document | None = None,
    propose_draft: bool = True,
) -> ImportPlan:
    """Read ``text`` and decide what importing it would save; writes nothing.

    ``symbol`` and ``date`` are used when the text does not print them (drafts often do
    not print their symbol). Raises ``ImportRefused`` when the text cannot be imported:
    unreadable, no paragraphs, no symbol, or already in the workbench. See ``plan_import``
    for ``revision_of`` and ``propose_draft``.
    """
    check_text(text)
    typed_symbol = check_symbol(symbol) if symbol and symbol.strip() else None
    try:
        parsed = parse_resolution(text, symbol=typed_symbol)
    except ParseError as error:
        raise ImportRefused(str(error), field="text") from error
    return plan_import(
        text, parsed, date=date, revision_of=revision_of, propose_draft=propose_draft
    )


def plan_import(
    text: str,
    parsed: ParsedDocument,
    *,
    date: datetime.date | None = None,
    revision_of: Document | None = None,
    propose_draft: bool = True,
) -> ImportPlan:
    """What importing ``parsed`` (read from ``text``) would save; writes nothing.

    ``revision_of`` is the earlier version the delegate named. When they named none, the
    text is an adopted resolution and ``propose_draft`` is on, the plan proposes the held
    draft it was adopted from (``adopted_from_candidate``) and says so
    (``revision_proposed``); the delegate confirms or changes it in the preview, whose
    second step passes ``propose_draft=False`` so that "none" stays none.
    """
    if not parsed.symbol:
        raise ImportRefused(
            "The text does not print its symbol (drafts often don't). Type it in the Symbol "
            "field as printed on the document, e.g. A/C.1/76/L.13.",
            field="symbol",
        )
    document_symbol = check_symbol(parsed.symbol)
    document_date = parsed.date or date
    if document_date is None:
        raise ImportRefused(
            "The text has no date of issue in its heading. Enter the date printed on the "
            "document in the Date field.",
            field="date",
        )
    in_heading = parsed.date is not None
    refusal = date_refusal(
        document_date, "the date of issue in the heading" if in_heading else "the date of issue"
    )
    if refusal:
        raise ImportRefused(refusal, field="text" if in_heading else "date")
    session = parsed.session or _session_from_symbol(document_symbol)
    if session is None:
        raise ImportRefused(
            "Neither the heading nor the symbol says which session the document belongs to; "
            "check that the whole text, heading included, was pasted.",
            field="text",
        )
    refuse_if_already_imported(document_symbol, parsed)

    rows = document_rows(parsed)
    rows.document.update(date=document_date, session=session)
    if not rows.document["title"]:
        rows.document["title"] = f"{document_symbol} (no title found in the text)"
    warnings = list(parsed.warnings)
    adopted_on = rows.document["adopted_on"]
    adoption_refused = adopted_on and date_refusal(adopted_on, "the date of adoption")
    if adoption_refused:
        rows.document["adopted_on"] = None
        warnings.append(f"{adoption_refused} The adoption line is kept as printed.")
    sponsors = match_sponsors(parsed.sponsors)
    for sponsor in sponsors:
        if sponsor.duplicate:
            warnings.append(f"{sponsor.name} is named twice in the sponsor list; it is saved once.")
        elif sponsor.state is None:
            hint = (
                f" Did you mean {' or '.join(sponsor.suggestions)}?" if sponsor.suggestions else ""
            )
            warnings.append(
                f"“{sponsor.name}” matches no Member State and will not be in the sponsor "
                f"list.{hint} Correct the name in the text to include it."
            )
    for footnote in parsed.footnotes:
        if footnote.paragraph_label is None:
            warnings.append(
                f"Footnote {footnote.number} (“{_excerpt(footnote.text)}”) will not be saved: "
                "its marker was not found in any paragraph."
            )
    for heading in rows.unplaced_headings:
        warnings.append(
            f"The heading “{heading.text}” will not be saved: the paragraph after it "
            f"({heading.before}) was not found."
        )
    if revision_of is not None and revision_of.symbol == document_symbol:
        raise ImportRefused("A document cannot be a revision of itself.", field="revision_of")
    proposed = adopted_as = None
    if revision_of is None and propose_draft and parsed.kind == Document.Kind.RESOLUTION:
        proposed = adopted_from_candidate(rows.document["title"], session, parsed.agenda_item)
    if propose_draft and parsed.kind in (Document.Kind.DRAFT, Document.Kind.REVISION):
        adopted_as = adopted_as_candidate(rows.document["title"], session, parsed.agenda_item)
    plan = ImportPlan(
        text=text,
        parsed=parsed,
        rows=rows,
        symbol=document_symbol,
        date=document_date,
        session=session,
        agenda_listing=_agenda_listing(session, parsed.agenda_item),
        revision_of=revision_of or proposed,
        sponsors=sponsors,
        warnings=warnings,
        revision_proposed=proposed is not None,
        adopted_as=adopted_as,
    )
    refuse_what_does_not_fit(plan)
    return plan


def _excerpt(text: str, words: int = 12) -> str:
    """The first words of ``text``, to name it in a warning."""
    cut = text.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


def adopted_from_candidate(title: str, session: int, agenda_item: str) -> Document | None:
    """The held draft a resolution with this title, session and agenda item was adopted
    from: a draft or revision of the same session, under the same agenda item number, whose
    title reads the same but for typography, and not already adopted as another resolution.
    Of a draft and its revisions, the latest version (the one no other revises)."""
    wanted = comparable_title(title)
    candidates = [
        draft
        for draft in Document.objects.filter(
            session=session, kind__in=[Document.Kind.DRAFT, Document.Kind.REVISION]
        )
        .exclude(revisions__kind=Document.Kind.RESOLUTION)
        .select_related("agenda_listing")
        if comparable_title(draft.title) == wanted
        and same_agenda_item(
            draft.agenda_listing.item_number if draft.agenda_listing else "", agenda_item
        )
    ]
    revised = {draft.revision_of_id for draft in candidates}
    latest = [draft for draft in candidates if draft.pk not in revised]
    return max(latest, key=lambda draft: (draft.date, draft.pk), default=None)


def adopted_as_candidate(title: str, session: int, agenda_item: str) -> Document | None:
    """The held resolution a draft with this title, session and agenda item became, when
    the resolution was imported first and names no draft: the same session and agenda item
    number, the same title but for typography."""
    wanted = comparable_title(title)
    return next(
        (
            resolution
            for resolution in Document.objects.filter(
                session=session, kind=Document.Kind.RESOLUTION, revision_of__isnull=True
            )
            .select_related("agenda_listing")
            .order_by("date", "pk")
            if comparable_title(resolution.title) == wanted
            and same_agenda_item(
                resolution.agenda_listing.item_number if resolution.agenda_listing else "",
                agenda_item,
            )
        ),
        None,
    )


# How a delegate names each value of a text that is saved in a column with a limit; {place}
# is the paragraph or footnote it stands in. Any other is named by the field's verbose name.
_CALLED = {
    (Document, "distribution"): "The distribution line",
    (Document, "original_language"): "The original language",
    (Document, "committee"): "The committee's name",
    (Document, "adoption"): "The adoption line",
    (Document, "committee_report"): "The committee report line",
    (Document, "closing"): "The closing lines",
    (Document, "sponsors_note"): "The note on the sponsor line",
    (AgendaListing, "item_number"): "The agenda item number",
    (AgendaItem, "title"): "The agenda item's title",
    (Paragraph, "label"): "The label of {place}",
    (Paragraph, "number"): "The number of {place}",
    (Paragraph, "lead"): "The italic opening of {place}",
    (Footnote, "number"): "A footnote's number",
    (Citation, "text"): "A document cited in {place}",
    (Citation, "symbol"): "The symbol of a document cited in {place}",
    (Sponsorship, "name_as_printed"): "A sponsor's name",
    (Sponsorship, "position"): "A sponsor's place in the list",
}


def _saved_values(plan: ImportPlan) -> Iterator[tuple[type[models.Model], dict, str]]:
    """Each row the plan saves, as (model, values by field name, where it is in the text)."""
    rows = plan.rows
    yield Document, rows.document, "the heading"
    number, title = plan.parsed.agenda_item, plan.parsed.agenda_title.strip()
    if plan.agenda_listing is None and number and title:
        yield AgendaListing, {"item_number": number}, "the heading"
        yield AgendaItem, {"title": title}, "the heading"
    for sponsor in plan.matched_sponsors:
        values = {"name_as_printed": sponsor.name, "position": sponsor.position}
        yield Sponsorship, values, "the sponsor list"
    places = {row["label"]: Paragraph(label=row["label"]).display_label for row in rows.paragraphs}
    for row in rows.paragraphs:
        yield Paragraph, row, places[row["label"]]
    for row in rows.footnotes:
        yield Footnote, row, "the footnotes"
    for row in rows.citations:
        place = places[row["paragraph_label"]]
        if row["footnote_number"]:
            place = f"footnote {row['footnote_number']}"
        yield Citation, row, place


def refuse_what_does_not_fit(plan: ImportPlan) -> None:
    """Raises ``ImportRefused`` when a value the plan saves is longer (or a number larger)
    than its column holds, naming it in a delegate's words: "The distribution line is 240
    characters long; the workbench keeps at most 20. Check the heading of the text."."""
    for model, values, place in _saved_values(plan):
        for name, value in values.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # a reference between rows ("parent_label"), not a column
            if not isinstance(model_field, models.Field):
                continue
            limit = column_limit(model_field)
            if not limit or not isinstance(value, str | int):
                continue
            size = len(value) if isinstance(value, str) else value
            if size <= limit:
                continue
            called = _CALLED.get((model, name), f"The {model_field.verbose_name}")
            what = called.format(place=place)
            measured = f"{size} characters long" if isinstance(value, str) else f"{size}"
            raise ImportRefused(
                f"{what} is {measured}; the workbench keeps at most {limit}. "
                f"Check {place} of the text.",
                field="text",
            )


def _session_from_symbol(symbol: str) -> int | None:
    match = _SESSION_IN_SYMBOL.search(symbol + "/")
    return int(match.group(1)) if match else None


def _agenda_listing(session: int, item_number: str) -> AgendaListing | None:
    """The tracked agenda item the document is issued under, when the workbench follows it."""
    if not item_number:
        return None
    return (
        AgendaListing.objects.filter(session=session, item_number=item_number)
        .select_related("agenda_item")
        .first()
    )


def _new_agenda_listing(plan: ImportPlan) -> AgendaListing | None:
    """The listing of an agenda item the workbench does not follow yet, created with the
    document, so that its header keeps the item and the item gets a tracker of its own."""
    number, title = plan.parsed.agenda_item, plan.parsed.agenda_title.strip()
    if not number or not title:
        return None
    agenda_item = AgendaItem.objects.filter(title=title).first()
    if agenda_item is None:
        base = slugify(title)[:90] or "agenda-item"
        slug, suffix = base, 2
        while AgendaItem.objects.filter(slug=slug).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        # Another document under the same new item may be imported at the same moment: the
        # item is then the one it made, not a refusal of this import.
        agenda_item, _ = AgendaItem.objects.get_or_create(title=title, defaults={"slug": slug})
    listing, _ = AgendaListing.objects.get_or_create(
        agenda_item=agenda_item,
        session=plan.session,
        defaults={
            "item_number": number,
            "note": f"Agenda item {number} as printed on {plan.symbol}.",
        },
    )
    return listing


def _symbol_taken(existing: Document) -> ImportRefused:
    return ImportRefused(
        f"{existing.symbol} is already in the workbench, so nothing was imported. To "
        "import a revision, use the revision's own symbol (e.g. …/Rev.1).",
        field="symbol",
    )


def refuse_if_already_imported(symbol: str, parsed: ParsedDocument) -> None:
    """Raises ``ImportRefused`` when the symbol (or its URL form) is taken, or when the
    same text is already in under another symbol: same title, date, sponsors as printed
    and paragraphs (a revision that changes only its sponsors is a different document)."""
    existing = Document.objects.filter(Q(symbol=symbol) | Q(slug=slug_for_symbol(symbol))).first()
    if existing is not None:
        raise _symbol_taken(existing)
    texts = [paragraph.text for paragraph in parsed.paragraphs]
    for candidate in Document.objects.filter(title=parsed.title, date=parsed.date):
        if list(candidate.paragraphs.values_list("text", flat=True)) != texts:
            continue
        printed = Sponsorship.objects.printed_for(candidate).values_list(
            "name_as_printed", flat=True
        )
        if set(printed) == set(parsed.sponsors):
            if candidate.symbol == symbol:
                # Imported by someone else since the symbol was looked for.
                raise _symbol_taken(candidate)
            raise ImportRefused(
                f"This text is already in the workbench as {candidate.symbol}, so nothing "
                "was imported.",
                field="text",
            )


def match_sponsors(names: list[str]) -> list[SponsorMatch]:
    """Each name in the sponsor list with the Member State it names (or suggestions)."""
    if not names:
        return []
    matcher = MemberState.objects.name_matcher()
    keys = [matcher.match(name) for name in names]
    states = MemberState.objects.in_bulk([key for key in keys if key], field_name="iso3")
    matches = []
    seen: set[str] = set()
    for position, (name, key) in enumerate(zip(names, keys, strict=True), start=1):
        if key is None:
            matches.append(SponsorMatch(position, name, None, matcher.suggest(name)))
            continue
        matches.append(SponsorMatch(position, name, states[key], duplicate=key in seen))
        seen.add(key)
    return matches


# --- Saving ------------------------------------------------------------------------------------


def import_document(plan: ImportPlan) -> Document:
    """Save the planned document with its sponsor list, paragraphs (each with the section
    headings printed before it), footnotes and citations, all or nothing. Raises
    ``ImportRefused`` if the symbol was taken meanwhile."""
    try:
        with transaction.atomic():
            refuse_if_already_imported(plan.symbol, plan.parsed)
            document = Document.objects.create(
                symbol=plan.symbol,
                agenda_listing=plan.agenda_listing or _new_agenda_listing(plan),
                revision_of=plan.revision_of,
                **plan.rows.document,
            )
            _save_sponsors(document, plan)
            paragraphs = _save_paragraphs(document, plan.rows.paragraphs)
            footnotes = _save_footnotes(document, plan.rows.footnotes, paragraphs)
            _save_citations(plan.rows.citations, paragraphs, footnotes)
            # The tracker of its agenda item lists it, and one whose history names it links it.
            AgendaItem.objects.showing(Document.objects.filter(pk=document.pk)).mark_changed()
            if plan.adopted_as is not None:
                # The resolution held before its draft now names it ("Adopted from ..."),
                # unless someone named its draft meanwhile.
                Document.objects.filter(pk=plan.adopted_as.pk, revision_of__isnull=True).update(
                    revision_of=document
                )
            if plan.revision_of is not None or plan.adopted_as is not None:
                # Every version's page names the others and the latest ("Superseded by
                # ...", "Adopted as ..."), so all of them change.
                Document.objects.in_version_chain(document).mark_changed(notes=False)
                for version in Document.objects.in_version_chain(document):
                    events.document_changed(version)
            revision_notify(document, actor=None)
    except IntegrityError as error:
        # Someone imported the same symbol between the check and the save.
        raise ImportRefused(
            f"{plan.symbol} was imported by someone else a moment ago, so nothing was imported.",
            field="symbol",
        ) from error
    return document


def _save_sponsors(document: Document, plan: ImportPlan) -> None:
    sponsor_list = SponsorList.objects.create(
        document=document, label=SponsorList.PRINTED_LABEL, as_of=plan.date, source=plan.symbol
    )
    Sponsorship.objects.bulk_create(
        [
            Sponsorship(
                sponsor_list=sponsor_list,
                state=sponsor.state,
                position=sponsor.position,
                name_as_printed=sponsor.name,
            )
            for sponsor in plan.sponsors
            if sponsor.saved
        ]
    )


def _save_paragraphs(document: Document, rows: list[dict]) -> dict[str, Paragraph]:
    # One at a time: a sub-paragraph needs its parent's id, and parents come first.
    paragraphs: dict[str, Paragraph] = {}
    for row in rows:
        fields = {key: value for key, value in row.items() if key != "parent_label"}
        parent = paragraphs[row["parent_label"]] if row["parent_label"] else None
        paragraphs[row["label"]] = Paragraph.objects.create(
            document=document, parent=parent, **fields
        )
    return paragraphs


def _save_footnotes(
    document: Document, rows: list[dict], paragraphs: dict[str, Paragraph]
) -> dict[int, Footnote]:
    return {
        row["number"]: Footnote.objects.create(
            document=document,
            paragraph=paragraphs[row["paragraph_label"]],
            number=row["number"],
            position=row["position"],
            text=row["text"],
        )
        for row in rows
    }


def _save_citations(
    rows: list[dict], paragraphs: dict[str, Paragraph], footnotes: dict[int, Footnote]
) -> None:
    Citation.objects.bulk_create(
        [
            Citation(
                paragraph=paragraphs[row["paragraph_label"]],
                footnote=footnotes[row["footnote_number"]] if row["footnote_number"] else None,
                kind=row["kind"],
                text=row["text"],
                symbol=row["symbol"],
                start=row["start"],
                end=row["end"],
            )
            for row in rows
        ]
    )
