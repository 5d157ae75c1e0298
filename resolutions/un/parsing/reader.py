"""Putting it together: ``parse_resolution`` reads the heading and the body, then finishes
the paragraphs (clean text, footnote markers matched to notes, leads, citations).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter

from resolutions.un.parsing.body import (
    _BodyReader,
    _excerpt,
    _Pending,
    _source_lines,
    _split_at_opening,
)
from resolutions.un.parsing.citations import find_citations
from resolutions.un.parsing.document import Footnote, Paragraph, ParsedDocument, ParseError
from resolutions.un.parsing.footnotes import (
    _explicit_markers,
    _find_plain_markers,
    _Note,
    _remove_markers,
)
from resolutions.un.parsing.heading import (
    _clean_heading_text,
    _complete_title,
    _describe_paragraph,
    _Heading,
    _read_heading,
)
from resolutions.un.parsing.leads import _LONGEST_MARKED_LEAD, _MARKED_LEAD, _lead_of
from resolutions.un.parsing.markup import _strip_markup
from resolutions.un.parsing.pages import _read_pages
from resolutions.un.symbols import normalise_space


def parse_resolution(text: str, symbol: str | None = None) -> ParsedDocument:
    """Read a draft or adopted General Assembly resolution from its plain text.

    ``symbol`` is the document symbol as the caller knows it (a draft's text usually does not
    carry it). The result's ``symbol`` is the one printed in the text ("A/RES/80/16", also
    from an "80/16." title), else ``symbol``, else None.

    Paragraph texts keep every word and mark of the source; only markdown syntax, footnote
    markers and page furniture are removed, whitespace is normalised, paragraphs split by a
    page break are rejoined, and so are words a PDF line end left as "decision- making".

    Raises ``ParseError`` when the text is empty or has no recognisable paragraphs; anything
    else odd is reported in ``warnings``.
    """
    if not isinstance(text, str) or not text.strip():
        raise ParseError("The text is empty: paste or upload the full text of the document.")
    warnings: list[str] = []
    lines = _source_lines(text)
    heading_lines, body_lines = _split_at_opening(lines, warnings)
    heading = _read_heading(heading_lines, warnings)

    pages = _read_pages(body_lines, heading.title)
    header_symbol = pages.header_symbol
    reader = _BodyReader(warnings)
    reader.read_all(pages.flow)
    if not reader.paragraphs:
        raise ParseError(
            "No paragraphs were found after “The General Assembly,”: check that the whole "
            "text was pasted."
        )

    paragraphs, footnotes = _finish_paragraphs(
        reader.paragraphs, pages.notes + reader.notes, warnings
    )
    title = _complete_title(heading.title, paragraphs, warnings)

    text_symbol = heading.symbol or header_symbol
    if text_symbol and symbol and text_symbol.replace(" ", "") != symbol.replace(" ", ""):
        warnings.append(
            f"The text carries the symbol {text_symbol}, not {symbol}; {text_symbol} is used."
        )
    document_symbol = text_symbol or symbol
    kind = _kind_of_document(document_symbol, heading, warnings)
    if kind in ("draft", "revision") and not heading.sponsors:
        warnings.append("No sponsor list found")
    if not heading.title:
        warnings.append("No title found")
    if not any(p.part == "operative" for p in paragraphs):
        warnings.append("No numbered operative paragraphs found")

    return ParsedDocument(
        symbol=document_symbol,
        kind=kind,
        distribution=heading.distribution,
        date=heading.date,
        original_language=heading.original_language,
        session=heading.session,
        session_title=heading.session_title,
        committee=heading.committee,
        agenda_item=heading.agenda_item,
        agenda_title=heading.agenda_title,
        sponsors=heading.sponsors,
        title=title,
        paragraphs=paragraphs,
        footnotes=footnotes,
        warnings=warnings,
        sections=reader.sections,
        adoption=heading.adoption,
        committee_report=heading.committee_report,
        closing="\n".join(reader.closing),
        sponsors_note=_sponsors_note(heading, pages.star_notes, warnings),
    )


def _sponsors_note(heading: _Heading, star_notes: list[str], warnings: list[str]) -> str:
    """The note the asterisk on the sponsor line points to ("On behalf of …")."""
    notes = [*heading.star_notes, *star_notes]
    if heading.sponsors_starred and notes:
        return _clean_heading_text(notes[0])
    if heading.sponsors_starred:
        warnings.append("The sponsor line has an asterisk, but its note was not found.")
    elif notes:
        warnings.append(f"A note marked with an asterisk was not placed: “{notes[0][:60]}”")
    return ""


def _kind_of_document(symbol: str | None, heading: _Heading, warnings: list[str]) -> str:
    upper = (symbol or "").upper()
    if "/REV." in upper or heading.revised:
        return "revision"
    if "/L." in upper or heading.sponsor_line_found:
        return "draft"
    if heading.adopted or upper.startswith("A/RES/") or heading.title_from_number:
        return "resolution"
    warnings.append(
        "Nothing in the text says whether it is a draft or an adopted resolution; "
        "it was read as a draft."
    )
    return "draft"


def _page_starts(paragraph: _Pending) -> list[tuple[int, int]]:
    """Where, in the paragraph's clean text, each page's part starts: (offset, segment).

    The offsets are counted over the pieces cleaned one by one, which is the clean text
    whenever no markup runs across a page break (PDF text has none)."""
    starts = [(0, paragraph.segments[0] if paragraph.segments else 0)]
    offset = 0
    for piece, segment in zip(paragraph.pieces, paragraph.segments, strict=True):
        if segment != starts[-1][1]:
            starts.append((offset, segment))
        offset += len(_strip_markup(piece)) + 1
    return starts


def _finish_paragraphs(
    pending: list[_Pending], notes: list[_Note], warnings: list[str]
) -> tuple[list[Paragraph], list[Footnote]]:
    """Clean texts, footnote markers matched to notes, leads and citations."""
    marked_leads: list[str] = []
    texts: list[str] = []
    for paragraph in pending:
        raw = normalise_space(paragraph.raw)
        marked = _MARKED_LEAD.match(raw)
        lead = ""
        if marked and len(marked.group(2).split()) <= _LONGEST_MARKED_LEAD:
            lead = _strip_markup(marked.group(2)).strip(" ,;:")
        marked_leads.append(lead)
        texts.append(_strip_markup(raw))

    note_numbers = sorted({note.number for note in notes})
    counts = Counter(note.number for note in notes)
    duplicates = sorted(number for number, count in counts.items() if count > 1)
    for number in duplicates:
        warnings.append(f"There are two notes numbered {number}; the first is used.")

    markers = [_explicit_markers(text) for text in texts]
    note_segments = {note.number: note.segment for note in notes if note.segment is not None}
    page_starts = [_page_starts(paragraph) for paragraph in pending]

    def segment_at(index: int, offset: int) -> int:
        """The footnote areas before ``offset`` in paragraph ``index``'s text."""
        starts = page_starts[index]
        return starts[bisect.bisect_right(starts, (offset, math.inf)) - 1][1]

    _find_plain_markers(texts, markers, note_numbers, note_segments, segment_at)

    paragraphs: list[Paragraph] = []
    marker_places: dict[int, tuple[str, int]] = {}
    for order, (source, text, found, marked_lead) in enumerate(
        zip(pending, texts, markers, marked_leads, strict=True), start=1
    ):
        clean, positions = _remove_markers(text, found)
        for number, position in positions:
            marker_places.setdefault(number, (source.label, position))
        if source.parent_label:
            lead = ""
        elif marked_lead and clean.startswith(marked_lead):
            lead = marked_lead
        else:
            lead = _lead_of(clean, source.part)
        paragraphs.append(
            Paragraph(
                label=source.label,
                part=source.part,
                number=source.number,
                parent_label=source.parent_label,
                order=order,
                text=clean,
                lead=lead,
                citations=find_citations(clean),
                footnote_numbers=[number for number, _ in positions],
            )
        )

    footnotes: list[Footnote] = []
    seen: set[int] = set()
    for note in notes:
        if note.number in seen:
            continue
        seen.add(note.number)
        text = _clean_heading_text(note.raw)
        label, marker_position = marker_places.get(note.number, (None, None))
        if label is None:
            warnings.append(
                f"Footnote {note.number} (“{_excerpt(text)}”) was not placed: its marker was "
                "not found in the text, so it is listed under no paragraph."
            )
        footnotes.append(Footnote(note.number, text, label, marker_position, find_citations(text)))
    by_label = {paragraph.label: paragraph for paragraph in paragraphs}
    for number in sorted(set(marker_places) - seen):
        label, position = marker_places[number]
        words = by_label[label].text[:position].split()[-4:]
        warnings.append(
            f"Footnote {number} has a marker in {_describe_paragraph(by_label[label])} "
            f"(after “{' '.join(words)}”) but no note."
        )
    return paragraphs, footnotes
