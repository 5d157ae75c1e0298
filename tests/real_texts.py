"""The real texts in ``resolutions/un/data/texts/real`` as their expected readings say they
read: every paragraph's exact text, the footnotes in the paragraphs holding their markers,
the section headings before the paragraphs they stand before, and a resolution's adoption,
committee report and closing lines.

What is downstream of the parser (saving, the pages, the exports) is tested against these
readings, so that it is tested on the structure of real documents whatever the parser reads
of them today. Each piece is taken from the expected reading (``<symbol>.expected.json``)
or, where the reading does not say (where a section heading stands, a footnote marker's
offset, a paragraph's italic opening), from the text itself.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re

from resolutions.un.parsing import (
    MONTHS,
    Footnote,
    Paragraph,
    ParsedDocument,
    SectionHeading,
    find_citations,
    parse_resolution,
)
from resolutions.un.reference import REAL_TEXTS_DIR

SESSION_80 = "Eightieth session"


def real_text(name: str) -> str:
    return (REAL_TEXTS_DIR / f"{name}.txt").read_text(encoding="utf-8")


def expected_reading(name: str) -> dict:
    return json.loads((REAL_TEXTS_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))


def _date(text: str) -> datetime.date:
    day, month, year = text.split()
    return datetime.date(int(year), MONTHS.index(month) + 1, int(day))


def _parent(label: str) -> str | None:
    return label.rsplit("-", 1)[0] if "-" in label else None


def _next_line(lines: list[str], index: int) -> str:
    return next((line for line in lines[index + 1 :] if line), "")


def _section_headings(text: str, printed: list[str]) -> list[SectionHeading]:
    """Each heading as printed ("I Legislative activities"), placed before the numbered
    paragraph that follows its lines in the text: the number on a line of its own, the
    title (perhaps cut by a line break) on the next."""
    lines = [line.strip() for line in text.splitlines()]
    numbered = re.compile(r"^(\d+)\.\s")
    headings = []
    cursor = 0
    for heading in printed:
        number, _, title = heading.partition(" ")
        start = next(
            index
            for index in range(cursor, len(lines))
            if lines[index] == number and title.startswith(_next_line(lines, index)[:30])
        )
        following = next(match for line in lines[start:] if (match := numbered.match(line)))
        headings.append(SectionHeading(number, title, f"op{following.group(1)}"))
        cursor = start + 1
    return headings


def as_expected(name: str) -> ParsedDocument:
    """The real text ``name`` ("A-RES-80-161") as its expected reading says it reads."""
    text = real_text(name)
    expected = expected_reading(name)
    parsed = parse_resolution(text)
    found = {paragraph.label: paragraph for paragraph in parsed.paragraphs}
    markers = {note["number"]: note["marker_in"] for note in expected["footnotes"]}

    paragraphs = []
    for order, row in enumerate(expected["paragraphs"], start=1):
        label, paragraph_text = row["label"], row["text"]
        read = found.get(label)
        lead = read.lead if read and read.lead and paragraph_text.startswith(read.lead) else ""
        number = row["number"]
        if _parent(label) and not number.startswith("("):
            number = f"({number})"  # as printed; the reading lists the letter alone
        paragraphs.append(
            Paragraph(
                label=label,
                part=row["part"],
                number=number,
                parent_label=_parent(label),
                order=order,
                text=paragraph_text,
                lead=lead,
                citations=find_citations(paragraph_text),
                footnote_numbers=list(row["footnote_markers"]),
            )
        )
    texts = {paragraph.label: paragraph.text for paragraph in paragraphs}
    read_notes = {note.number: note for note in parsed.footnotes}

    footnotes = []
    for note in expected["footnotes"]:
        number = int(note["number"])
        label = markers[note["number"]]
        read = read_notes.get(number)
        position = None
        if read and read.paragraph_label == label and read.marker_position is not None:
            position = read.marker_position
        if position is None or position > len(texts[label]):
            position = len(texts[label].rstrip(",;:."))
        footnotes.append(
            Footnote(number, note["text"], label, position, find_citations(note["text"]))
        )

    heading = expected["heading"]
    return dataclasses.replace(
        parsed,
        symbol=expected["symbol"],
        kind=heading["kind"],
        distribution=heading["distribution"],
        date=_date(heading["date"]),
        original_language=heading["original_language"],
        session=80 if heading["session"] == SESSION_80 else parsed.session,
        committee=heading["committee"],
        agenda_item=heading["agenda_item"],
        agenda_title=heading["agenda_title"],
        sponsors=list(expected["sponsors"] or []),
        title=heading["title"],
        paragraphs=paragraphs,
        footnotes=footnotes,
        warnings=[],
        sections=_section_headings(text, expected["section_headings"]),
        adoption=heading.get("adopted", ""),
        committee_report=heading.get("committee_report", ""),
        closing=(expected["closing"] or "").strip(),
        sponsors_note="",
    )
