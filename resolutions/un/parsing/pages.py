"""Pages of PDF text: the furniture printed around each page break, and the footnotes under
the rule line at the foot of a page.

Text extracted from an official PDF keeps the page where the page put it: a paragraph
runs to the foot of the page, a rule line (``__________________``) follows with that page's
footnotes, then the furniture of the page break (the symbol, a running title, the job number,
a barcode, "3/8"), and then the rest of the paragraph. ``_read_pages`` separates the three:
the running text (the *flow*, in blocks, each knowing how many footnote areas came before
it), the footnotes (each knowing its footnote area), and the furniture, which is dropped.

A footnote's marker stands in the running text of the page that prints the note, so a
note's area tells where to look for its marker: the *segment* of running text between the
previous footnote area and its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resolutions.un.parsing.body import _OPERATIVE_START, _starts_new_paragraph
from resolutions.un.parsing.citations import _FULL_SYMBOL
from resolutions.un.parsing.footnotes import (
    _NOTE_MARKDOWN,
    _NOTE_PLAIN,
    _NOTE_SUPERSCRIPT,
    _Note,
)
from resolutions.un.parsing.heading import (
    _JOB_NUMBER_OR_BARCODE_IN_LINE,
    _PAGE_NUMBER_IN_LINE,
    _RULE_LINE,
)
from resolutions.un.parsing.leads import _COMMON_PREAMBULAR_LEADS
from resolutions.un.parsing.markup import _FROM_SUPERSCRIPT, _strip_markup
from resolutions.un.symbols import normalise_space

_DIGIT = re.compile(r"\d")
# The rule line above a page's footnotes (``heading._RULE_LINE``); also the short one some
# resolutions print under the closing meeting line before the last page's notes.
_RULE = _RULE_LINE
# A note as PDF text starts it under the rule line: its number, then its text.
_NOTE_UNDER_RULE = re.compile(r"^(\d{1,3})\s+(?=\S)")
# A note pointed to by an asterisk: "* On behalf of the States Members …".
_STAR_NOTE = re.compile(r"^(\*{1,3})\s*(?=\S)")
_ENDS_A_SENTENCE = re.compile(r"[,;:.!?][”’\"')\]]*\d{0,3}$")
# A line repeated on several pages and this short is a running header, not text.
_LONGEST_REPEATED_HEADER = 100
# A running title printed beside the symbol or page number may be long (a title of two
# lines); one longer than this is text.
_LONGEST_RUNNING_TITLE = 300


@dataclass
class _Block:
    """A block of running text: consecutive lines, and how many footnote areas precede it."""

    lines: list[str]
    segment: int
    after_break: bool = False  # page furniture or a page's notes stand just before it

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class _Pages:
    flow: list[_Block] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)  # notes found under rule lines
    star_notes: list[str] = field(default_factory=list)  # "On behalf of …"
    header_symbol: str | None = None
    note_areas: int = 0


def _furniture_only(line: str) -> tuple[bool, str | None]:
    """Whether the line holds nothing but symbols, page numbers, job numbers and barcodes,
    and the first symbol on it."""
    if not _DIGIT.search(line):
        return False, None  # every piece of furniture has a number in it
    # The barcode goes before the markup: "*2517986*" would read as italics.
    clean = _strip_markup(_JOB_NUMBER_OR_BARCODE_IN_LINE.sub(" ", line))
    symbols = [match.group(0) for match in _FULL_SYMBOL.finditer(clean)]
    residual = clean
    for symbol in symbols:
        residual = residual.replace(symbol, " ")
    residual = _PAGE_NUMBER_IN_LINE.sub(" ", residual)
    residual = normalise_space(_JOB_NUMBER_OR_BARCODE_IN_LINE.sub(" ", residual))
    return not residual, (symbols[0] if symbols else None)


def _repeats_title(line: str, title: str) -> bool:
    """A page header repeating (the start of) the title, as PDF pages after the first carry."""
    if not title or len(line) < 15 or _ENDS_A_SENTENCE.search(line):
        return False
    return title.startswith(line) or line == title


def _lone_opening(line: str) -> bool:
    """Whether ``line`` is one word that opens preambular paragraphs ("Recognizing"): such a
    paragraph starting on the last line of two pages, its other words on the next, prints
    the word twice, short and unpunctuated, as a running header would be; it is text."""
    return line.isalpha() and line.lower() in _COMMON_PREAMBULAR_LEADS


def _could_be_running_title(line: str) -> bool:
    return (
        len(line) <= _LONGEST_RUNNING_TITLE
        and line[:1].isupper()
        and not _ENDS_A_SENTENCE.search(line)
        and not _starts_new_paragraph(line)
    )


def _furniture_lines(lines: list[str], title: str) -> tuple[list[bool], str | None]:
    """Which lines are page furniture, and the symbol a page header carried.

    Furniture is a line of symbols, page numbers, job numbers and barcodes; a line repeating
    the title (whatever its length); a running title printed in the same group of lines as
    such a line; a short unpunctuated line printed more than once; "Please recycle".
    """
    stripped = [line.strip() for line in lines]
    counts: dict[str, int] = {}
    for line in stripped:
        if line:
            counts[line] = counts.get(line, 0) + 1
    header_symbol = None
    flags = [False] * len(lines)
    only = [False] * len(lines)
    for index, line in enumerate(stripped):
        if (
            not line
            or len(line) > _LONGEST_RUNNING_TITLE
            or _RULE.match(line)
            or _starts_new_paragraph(line)
        ):
            continue
        is_only, symbol = _furniture_only(line)
        if is_only:
            only[index] = True
            flags[index] = True
            header_symbol = header_symbol or symbol
            continue
        clean = _strip_markup(line)
        flags[index] = (
            clean.lower().startswith("please recycle")
            or _repeats_title(clean, title)
            or (
                counts[line] > 1
                and len(clean) <= _LONGEST_REPEATED_HEADER
                and not _ENDS_A_SENTENCE.search(clean)
                and not _NOTE_PLAIN.match(clean)
                and not _lone_opening(clean)
                and any(char.isalpha() for char in clean)
            )
        )
    # A running title shares its group of lines with the symbol or the page number:
    # "The Arms Trade Treaty" over "A/RES/80/46".
    start = 0
    while start < len(stripped):
        if not stripped[start]:
            start += 1
            continue
        end = start
        while end < len(stripped) and stripped[end]:
            end += 1
        if any(only[start:end]):
            for index in range(start, end):
                if not flags[index] and _could_be_running_title(_strip_markup(stripped[index])):
                    flags[index] = True
        start = end
    return flags, header_symbol


def _read_pages(lines: list[str], title: str) -> _Pages:
    """The running text in blocks, the notes under rule lines, and the furniture dropped."""
    furniture, header_symbol = _furniture_lines(lines, title)
    pages = _Pages(header_symbol=header_symbol)
    segment = 0
    in_notes = False  # reading the notes under a rule line
    notes_in_area = 0
    page_break = False  # furniture or notes since the last block of running text
    current: list[str] = []

    def end_block() -> None:
        nonlocal current, in_notes, notes_in_area, page_break
        if not current:
            return
        block, current = current, []
        text = " ".join(block)
        if in_notes:
            star = _STAR_NOTE.match(text)
            note = _note_start(text)
            last_number = pages.notes[-1].number if pages.notes else None
            if note is not None and not _next_note(note, last_number):
                note = None  # "21 of General Assembly resolution …": the text goes on
            if note is not None:
                number, rest = note
                pages.notes.append(_Note(number, rest, segment - 1))
                notes_in_area += 1
                return
            if star:
                pages.star_notes.append(text[star.end() :])
                notes_in_area += 1
                return
            if notes_in_area == 0 and pages.notes and not _starts_new_paragraph(text):
                # A note too long for its page goes on under the next page's rule line.
                pages.notes[-1].raw += " " + text
                notes_in_area += 1
                return
            in_notes = False  # the notes have ended without furniture: running text again
        pages.flow.append(_Block(block, segment, page_break))
        page_break = False

    for line, is_furniture in zip(lines, furniture, strict=True):
        stripped = line.strip()
        if _RULE.match(stripped) and stripped:
            end_block()
            segment += 1
            in_notes, notes_in_area, page_break = True, 0, True
            continue
        if is_furniture:
            end_block()
            in_notes, page_break = False, True
            continue
        if not stripped:
            end_block()
            continue
        if current and _starts_new_paragraph(stripped) and _ENDS_A_SENTENCE.search(current[-1]):
            end_block()
        current.append(stripped)
    end_block()
    pages.note_areas = segment
    return pages


def _next_note(note: tuple[int, str], last_number: int | None) -> bool:
    """Whether a numbered block under a rule line reads as the next note: numbered after
    the last one (a note or two may be missing) and opening as notes do, not with a
    lower-case word (an address may: "https://…")."""
    number, text = note
    if text[:1].islower() and not text.startswith(("http", "www.")):
        return False
    return last_number is None or last_number < number <= last_number + 3


def _note_start(text: str) -> tuple[int, str] | None:
    """The number and text of a note as printed under the rule line, or None."""
    match = _NOTE_SUPERSCRIPT.match(text)
    if match:
        return int(match.group(1).translate(_FROM_SUPERSCRIPT)), text[match.end() :]
    match = _NOTE_MARKDOWN.match(text)
    if match:
        return int(match.group(1)), text[match.end() :]
    match = _NOTE_UNDER_RULE.match(text)
    if match and not _OPERATIVE_START.match(text):
        return int(match.group(1)), text[match.end() :]
    return None
