"""Exports of a document: Akoma Ntoso 3.0 XML in the AKN4UN style, and the same content as
JSON.

AKN4UN models a General Assembly resolution as a ``<statement>`` (``name="resolutionDraft"``
for drafts and revisions, ``"resolution"`` once adopted) with a preface (the masthead,
symbol, session, committee, agenda item, the sponsors as ``docProponent`` with the note an
asterisk on their line points to, a resolution's adoption line and the committee report it
was adopted on, and the title), a preamble (the enacting formula "The General Assembly,"
and one container per preambular paragraph), a main body of numbered ``paragraph`` elements
whose lettered and roman sub-paragraphs nest as ``subparagraph`` at every depth: (i) of 6 (d)
is a ``subparagraph`` inside the ``subparagraph`` of (d), inside the ``paragraph`` of 6. A
paragraph with sub-paragraphs keeps its own words in ``intro``, one without in ``content``,
as the schema's ``hierarchy`` type asks. Paragraphs stand inside an
``<hcontainer name="section">`` with its ``num`` and ``heading`` where the text prints
section headings, and conclusions hold a resolution's closing lines (the meeting and its
date). Footnotes are ``authorialNote`` elements where their marker stands, citations ``ref``
elements to the UN document system, dates ``date`` elements.

Every paragraph's ``eId`` is its label ("pp3", "op6-a"), the same id the reading page gives
it, so a link into the page and a reference into the XML name the same paragraph; a
section's is its anchor on the page ("sec1").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from resolutions.models import Citation, Document, Footnote, Paragraph, Sponsorship
from resolutions.un.adoption import date_spans
from resolutions.un.parsing import find_citations
from resolutions.un.sections import Heading, arrange_headings

AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
WORKBENCH = "resolutionWorkbench"
GENERAL_ASSEMBLY = "generalAssembly"

ET.register_namespace("", AKN_NAMESPACE)


@dataclass
class ExportedDocument:
    """A document with everything the exports need."""

    document: Document
    sponsorships: list[Sponsorship]
    paragraphs: list[Paragraph]
    footnotes: list[Footnote]
    citations: list[Citation]

    @classmethod
    def load(cls, document: Document) -> ExportedDocument:
        """The parts of ``document`` (fetched with its agenda listing and the document it
        revises) in four more queries."""
        return cls(
            document=document,
            sponsorships=list(Sponsorship.objects.printed_for(document)),
            paragraphs=list(Paragraph.objects.filter(document=document).order_by("order")),
            footnotes=list(Footnote.objects.filter(document=document).order_by("number")),
            citations=list(
                Citation.objects.filter(paragraph__document=document).order_by(
                    "paragraph__order", "footnote__number", "start"
                )
            ),
        )

    def labels(self) -> dict[int, str]:
        return {paragraph.pk: paragraph.label for paragraph in self.paragraphs}

    def headings(self) -> dict[int, list[Heading]]:
        """The section headings printed before each paragraph, by paragraph id."""
        arranged = arrange_headings(paragraph.headings for paragraph in self.paragraphs)
        return {
            paragraph.pk: placed
            for paragraph, placed in zip(self.paragraphs, arranged, strict=True)
        }


# --- JSON --------------------------------------------------------------------------------------


def document_json(exported: ExportedDocument) -> dict:
    """The document as plain data: header, sponsors, paragraphs, footnotes and citations."""
    document = exported.document
    labels = exported.labels()
    footnote_numbers = {footnote.pk: footnote.number for footnote in exported.footnotes}
    listing = document.agenda_listing
    return {
        "symbol": document.symbol,
        "slug": document.slug,
        "kind": document.kind,
        "title": document.title,
        "date": document.date.isoformat(),
        "session": document.session,
        "committee": document.committee,
        "distribution": document.distribution,
        "original_language": document.original_language,
        "agenda_item": (listing.item_number or None) if listing else None,
        "revision_of": document.revision_of.symbol if document.revision_of else None,
        "adoption": document.adoption,
        "committee_report": document.committee_report,
        "adopted_on": document.adopted_on.isoformat() if document.adopted_on else None,
        "closing": document.closing_lines,
        "sponsors_note": document.sponsors_note,
        "sponsors": [
            {
                "position": sponsorship.position,
                "name_as_printed": sponsorship.name_as_printed,
                "state": sponsorship.state.name,
                "iso3": sponsorship.state.iso3,
            }
            for sponsorship in exported.sponsorships
        ],
        "paragraphs": [
            {
                "label": paragraph.label,
                "part": paragraph.part,
                "number": paragraph.number,
                "parent": labels.get(paragraph.parent_id),
                "lead": paragraph.lead,
                "text": paragraph.text,
            }
            for paragraph in exported.paragraphs
        ],
        "sections": [
            {
                "id": heading.anchor,
                "number": heading.number,
                "title": heading.title,
                "level": heading.level,
                "paragraph": labels[paragraph_id],
            }
            for paragraph_id, placed in exported.headings().items()
            for heading in placed
        ],
        "footnotes": [
            {
                "number": footnote.number,
                "paragraph": labels[footnote.paragraph_id],
                "position": footnote.position,
                "text": footnote.text,
            }
            for footnote in exported.footnotes
        ],
        "citations": [
            {
                "paragraph": labels[citation.paragraph_id],
                "footnote": footnote_numbers.get(citation.footnote_id),
                "kind": citation.kind,
                "text": citation.text,
                "symbol": citation.symbol,
                "url": citation.url,
                "start": citation.start,
                "end": citation.end,
            }
            for citation in exported.citations
        ],
    }


# --- Akoma Ntoso -------------------------------------------------------------------------------


def _tag(name: str) -> str:
    return f"{{{AKN_NAMESPACE}}}{name}"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, _tag(tag), {k: v for k, v in attributes.items() if v})
    if text:
        element.text = text
    return element


def _append_text(parent: ET.Element, text: str) -> None:
    """Add ``text`` after whatever ``parent`` holds so far (mixed content)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _fill(
    p: ET.Element,
    text: str,
    *,
    lead: str = "",
    citations: list[Citation] = (),
    notes: list[tuple[int, ET.Element]] = (),
) -> None:
    """Write ``text`` into ``p`` with the opening phrase in ``<i>``, citations as ``<ref>``
    and each note element inserted at its offset. Overlapping spans are left as plain text,
    and a note that falls inside a span goes right after it, as on the reading page."""
    spans: list[tuple[int, int, ET.Element]] = []
    if lead and text.startswith(lead):
        spans.append((0, len(lead), ET.Element(_tag("i"))))
    taken_until = spans[0][1] if spans else 0
    for citation in sorted(citations, key=lambda c: c.start):
        if (
            citation.start < taken_until
            or citation.end > len(text)
            or citation.end <= citation.start
        ):
            continue
        ref = ET.Element(_tag("ref"), {"href": citation.url})
        spans.append((citation.start, citation.end, ref))
        taken_until = citation.end
    placed: list[tuple[int, ET.Element]] = []
    for position, note in notes:
        position = min(max(position, 0), len(text))
        for start, end, _ in spans:
            if start < position < end:
                position = end
        placed.append((position, note))
    placed.sort(key=lambda item: item[0])

    cursor = 0
    pending = iter(placed)
    next_note = next(pending, None)

    def plain_until(limit: int) -> None:
        nonlocal cursor, next_note
        while next_note is not None and next_note[0] <= limit:
            _append_text(p, text[cursor : next_note[0]])
            p.append(next_note[1])
            cursor = next_note[0]
            next_note = next(pending, None)
        _append_text(p, text[cursor:limit])
        cursor = limit

    for start, end, element in spans:
        plain_until(start)
        element.text = text[start:end]
        p.append(element)
        cursor = end
    plain_until(len(text))


def document_akn(exported: ExportedDocument) -> bytes:
    """The document as an Akoma Ntoso 3.0 XML file (UTF-8, with its XML declaration)."""
    document = exported.document
    root = ET.Element(_tag("akomaNtoso"))
    name = "resolution" if document.kind == Document.Kind.RESOLUTION else "resolutionDraft"
    statement = _element(root, "statement", name=name, contains="originalVersion")
    _meta(statement, exported)
    _preface(statement, exported)

    by_paragraph: dict[int, list[Citation]] = {}
    for citation in exported.citations:
        by_paragraph.setdefault(citation.paragraph_id, []).append(citation)
    notes_by_paragraph: dict[int, list[Footnote]] = {}
    for footnote in exported.footnotes:
        notes_by_paragraph.setdefault(footnote.paragraph_id, []).append(footnote)

    def fill(p: ET.Element, paragraph: Paragraph) -> None:
        citations = by_paragraph.get(paragraph.pk, [])
        notes = [
            (footnote.position, _authorial_note(footnote, citations))
            for footnote in notes_by_paragraph.get(paragraph.pk, [])
        ]
        _fill(
            p,
            paragraph.text,
            lead=paragraph.lead,
            citations=[c for c in citations if c.footnote_id is None],
            notes=notes,
        )

    preamble = _element(statement, "preamble")
    formula = _element(preamble, "formula", name="enactingFormula")
    intro = _element(_element(formula, "p"), "i", "The General Assembly")
    intro.tail = ","
    main_body = _element(statement, "mainBody")
    children: dict[int, list[Paragraph]] = {}
    for paragraph in exported.paragraphs:
        if paragraph.parent_id:
            children.setdefault(paragraph.parent_id, []).append(paragraph)
    headings = exported.headings()

    def hierarchy(sections: _Sections, paragraph: Paragraph, tag: str) -> None:
        parent = sections.parent_for(headings[paragraph.pk])
        element = _element(parent, tag, eId=paragraph.label)
        _element(element, "num", paragraph.printed_number)
        subs = children.get(paragraph.pk, [])
        fill(_element(_element(element, "intro" if subs else "content"), "p"), paragraph)
        inner = _Sections(element)
        for sub in subs:
            hierarchy(inner, sub, "subparagraph")

    body_sections = _Sections(main_body)
    for paragraph in exported.paragraphs:
        if paragraph.parent_id:
            continue
        if paragraph.part == Paragraph.Part.PREAMBULAR:
            for heading in headings[paragraph.pk]:
                # The preamble holds no hierarchy; a heading there stands as a block.
                block = _element(preamble, "container", name="sectionHeading", eId=heading.anchor)
                _element(block, "p", heading.text)
            container = _element(
                preamble, "container", name="preambularParagraph", eId=paragraph.label
            )
            fill(_element(container, "p"), paragraph)
        else:
            hierarchy(body_sections, paragraph, "paragraph")
    if not len(main_body):
        # mainBody may not be empty; a document without operative paragraphs says so.
        _element(_element(main_body, "container", name="noOperativeParagraphs"), "p")
    if document.closing_lines:
        conclusions = _element(statement, "conclusions")
        for line in document.closing_lines:
            _fill_dates(_element(conclusions, "p"), line)

    _indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


class _Sections:
    """The section containers open while paragraphs are written into ``base``: a heading
    closes those at its level or deeper and opens its own inside the one left open."""

    def __init__(self, base: ET.Element):
        self.base = base
        self.open: list[tuple[int, ET.Element]] = []

    def parent_for(self, headings: list[Heading]) -> ET.Element:
        """Where the paragraph printed after ``headings`` goes."""
        for heading in headings:
            while self.open and self.open[-1][0] >= heading.level:
                self.open.pop()
            parent = self.open[-1][1] if self.open else self.base
            section = _element(parent, "hcontainer", name="section", eId=heading.anchor)
            if heading.number:
                _element(section, "num", heading.number)
            if heading.title:
                _element(section, "heading", heading.title)
            self.open.append((heading.level, section))
        return self.open[-1][1] if self.open else self.base


def _fill_dates(p: ET.Element, text: str) -> None:
    """Write ``text`` into ``p`` with each date written out in it as a ``<date>``."""
    cursor = 0
    for start, end, day in date_spans(text):
        _append_text(p, text[cursor:start])
        _element(p, "date", text[start:end], date=day.isoformat())
        cursor = end
    _append_text(p, text[cursor:])


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the block structure for people reading the file. Unlike ``ET.indent`` it
    stops at ``<p>``, whose whitespace is part of the text."""
    if element.tag == _tag("p") or not len(element):
        return
    inner = "\n" + " " * (level + 1)
    element.text = inner
    for child in element:
        _indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + " " * level


def _authorial_note(footnote: Footnote, citations: list[Citation]) -> ET.Element:
    note = ET.Element(
        _tag("authorialNote"),
        {"marker": str(footnote.number), "placement": "bottom", "eId": f"fn{footnote.number}"},
    )
    _fill(
        ET.SubElement(note, _tag("p")),
        footnote.text,
        citations=[c for c in citations if c.footnote_id == footnote.pk],
    )
    return note


def _work_uri(document: Document) -> str:
    return f"/akn/un/statement/deliberation/unga/{document.date.isoformat()}/{document.slug}"


def _meta(statement: ET.Element, exported: ExportedDocument) -> None:
    document = exported.document
    date = document.date.isoformat()
    work = _work_uri(document)
    expression = f"{work}/eng@"
    meta = _element(statement, "meta")
    identification = _element(meta, "identification", source=f"#{WORKBENCH}")
    for level, this, uri in (
        ("FRBRWork", f"{work}/!main", work),
        ("FRBRExpression", f"{expression}/!main", expression),
        ("FRBRManifestation", f"{expression}/!main.xml", f"{expression}.akn"),
    ):
        frbr = _element(identification, level)
        _element(frbr, "FRBRthis", value=this)
        _element(frbr, "FRBRuri", value=uri)
        if level == "FRBRWork":
            _element(frbr, "FRBRalias", name="symbol", value=document.symbol)
        _element(frbr, "FRBRdate", date=date, name="issued")
        author = WORKBENCH if level == "FRBRManifestation" else GENERAL_ASSEMBLY
        _element(frbr, "FRBRauthor", href=f"#{author}")
        if level == "FRBRWork":
            _element(frbr, "FRBRcountry", value="un")
            _element(frbr, "FRBRnumber", value=document.slug)
            _element(frbr, "FRBRname", value=document.symbol)
        if level == "FRBRExpression":
            _element(frbr, "FRBRlanguage", language="eng")
    references = _element(meta, "references", source=f"#{WORKBENCH}")
    _element(
        references,
        "TLCOrganization",
        eId=GENERAL_ASSEMBLY,
        href="/akn/ontology/organization/un/generalAssembly",
        showAs="General Assembly",
    )
    _element(
        references,
        "TLCOrganization",
        eId=WORKBENCH,
        href="/akn/ontology/organization/resolutionWorkbench",
        showAs="Resolution workbench",
    )
    for sponsorship in exported.sponsorships:
        state = sponsorship.state
        _element(
            references,
            "TLCOrganization",
            eId=_state_id(state.iso3),
            href=f"/akn/ontology/organization/un/memberState/{state.iso3.lower()}",
            showAs=state.name,
        )


def _state_id(iso3: str) -> str:
    return f"state_{iso3.lower()}"


def _preface(statement: ET.Element, exported: ExportedDocument) -> None:
    document = exported.document
    preface = _element(statement, "preface")
    masthead = _element(preface, "container", name="masthead")
    _element(
        _element(masthead, "p"), "organization", "General Assembly", refersTo="#generalAssembly"
    )
    _element(_element(masthead, "p"), "docNumber", document.symbol)
    status = _element(masthead, "p", "Distr.: ")
    _element(status, "docStatus", document.distribution)
    _element(
        _element(masthead, "p"),
        "docDate",
        f"{document.date.day} {document.date:%B %Y}",
        date=document.date.isoformat(),
    )
    if document.original_language:
        language = _element(masthead, "p", "Original: ")
        _element(language, "inline", document.original_language, name="originalLanguage")

    session = _element(preface, "container", name="session")
    _element(_element(session, "p"), "session", document.session_title, value=str(document.session))
    if document.committee:
        _element(_element(session, "p"), "docCommittee", document.committee)
    listing = document.agenda_listing
    if listing is not None and listing.item_number:
        item = _element(session, "p", "Agenda item ")
        _element(item, "inline", listing.item_number, name="agendaItem")

    if exported.sponsorships:
        sponsors = _element(_element(preface, "container", name="sponsors"), "p")
        count = len(exported.sponsorships)
        for index, sponsorship in enumerate(exported.sponsorships):
            if index:
                _append_text(sponsors, " and " if index == count - 1 else ", ")
            _element(
                sponsors,
                "docProponent",
                sponsorship.name_as_printed,
                refersTo=f"#{_state_id(sponsorship.state.iso3)}",
            )
        _append_text(sponsors, ":")
        if document.sponsors_note:
            # "Indonesia:* draft resolution", the asterisk pointing to "On behalf of ...".
            note = _element(
                sponsors, "authorialNote", marker="*", placement="bottom", eId="fn_sponsors"
            )
            _element(note, "p", document.sponsors_note)
        _append_text(sponsors, " ")
        _element(sponsors, "docType", document.get_kind_display().lower())
    if document.adoption or document.committee_report:
        adoption = _element(preface, "container", name="adoption")
        if document.adoption:
            _fill_dates(_element(adoption, "p"), document.adoption)
        if document.committee_report:
            report = document.committee_report
            _fill(_element(adoption, "p"), report, citations=find_citations(report))
    title = _element(_element(preface, "longTitle"), "p")
    if document.resolution_number:
        number = _element(
            title, "inline", f"{document.resolution_number}.", name="resolutionNumber"
        )
        number.tail = " "
    _element(title, "docTitle", document.title)
