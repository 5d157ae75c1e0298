"""Reading the plain text of General Assembly draft and adopted resolutions.

Delegates bring texts from two kinds of source:

* markdown copies of drafts, where the italics (``*Decides*``), links to cited resolutions
  (``[75/240](#)``) and superscript footnote markers (``¹``) survive as markup, and the
  footnotes stand wherever a page of the original ended;
* text extracted from the official PDFs, where running page headers (the title again, the
  symbol, ``2/5``) land in the middle of paragraphs, footnote numbers are glued to words
  (``security1``), heading lines run together and long titles are cut at a line break.

``parse_resolution`` turns either into the document's heading, its preambular and operative
paragraphs (clean text, the italic opening phrase, the documents each one cites), and the
footnotes. Whatever it had to decide on thin evidence is reported in
``ParsedDocument.warnings`` in words a delegate can act on; it never fails on odd input except
with ``ParseError``.

Standard library only, so it runs outside Django too (management commands, scripts, tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resolutions.un.parsing.citations import _FULL_SYMBOL, find_citations
from resolutions.un.parsing.document import (
    MONTHS,
    Citation,
    Footnote,
    Paragraph,
    ParsedDocument,
    ParseError,
)
from resolutions.un.parsing.footnotes import (
    _NOTE_MARKDOWN,
    _NOTE_PLAIN,
    _NOTE_SUPERSCRIPT,
    _explicit_markers,
    _find_plain_markers,
    _Note,
    _remove_markers,
)
from resolutions.un.parsing.heading import (
    _JOB_NUMBER_OR_BARCODE_IN_LINE,
    _OPENING,
    _PAGE_NUMBER_IN_LINE,
    _clean_heading_text,
    _complete_title,
    _Heading,
    _read_heading,
)
from resolutions.un.parsing.leads import _LONGEST_MARKED_LEAD, _MARKED_LEAD, _is_lead_verb, _lead_of
from resolutions.un.parsing.markup import (
    _FROM_SUPERSCRIPT,
    _HTML_SUPERSCRIPT,
    _SUPERSCRIPT_DIGITS,
    _strip_markup,
)
from resolutions.un.symbols import normalise_space

__all__ = [
    "Citation",
    "Footnote",
    "MONTHS",
    "ParseError",
    "Paragraph",
    "ParsedDocument",
    "find_citations",
    "parse_resolution",
]


# --- Body --------------------------------------------------------------------------------------

_OPERATIVE_START = re.compile(r"^(\d{1,3})\\?\.\s+(?=\S)")
_SUB_START = re.compile(r"^\((?P<item>[a-z]{1,4})\)\s+(?=\S)")
_CLOSING = re.compile(r"^\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting\b", re.IGNORECASE)
_ANNEX = re.compile(r"^[*_#\s]*Annex(?:es)?(?:\s+[IVXLC]+)?[*_\s]*$")
_ENDS_A_PARAGRAPH = re.compile(
    rf"[,;:.!?][”’\"')\]*_]*(?:[{_SUPERSCRIPT_DIGITS}]+|\[\^\d{{1,3}}\]|\d{{1,3}})?\s*$"
)
_ENDS_WITH_A_COMMA = re.compile(
    rf",[”’\"')\]*_]*(?:[{_SUPERSCRIPT_DIGITS}]+|\[\^\d{{1,3}}\]|\d{{1,3}})?\s*$"
)
_STARTS_LOWERCASE = re.compile(r"^[*_\[(“\"‘]*[a-z]")
_LONGEST_RUNNING_HEADER = 100
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}


def _ends_a_paragraph(text: str) -> bool:
    return bool(_ENDS_A_PARAGRAPH.search(text))


def _starts_new_paragraph(line: str) -> bool:
    return bool(
        _OPERATIVE_START.match(line)
        or _SUB_START.match(line)
        or _NOTE_SUPERSCRIPT.match(line)
        or _NOTE_MARKDOWN.match(line)
    )


def _roman_value(token: str) -> int | None:
    """The value of a lower-case roman numeral up to 89, or None."""
    if not token or any(char not in _ROMAN_VALUES for char in token):
        return None
    total = 0
    for index, char in enumerate(token):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[token[index + 1]] if index + 1 < len(token) else 0
        total += -value if value < following else value
    return total if total > 0 and _roman(total) == token else None


def _roman(value: int) -> str:
    out = ""
    for number, numeral in (
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while value >= number:
            out += numeral
            value -= number
    return out


def _next_letter(token: str) -> str:
    """ "b" after "a"; "aa" after "z" (as UN documents continue)."""
    if token and token[-1] != "z":
        return token[:-1] + chr(ord(token[-1]) + 1)
    return "a" * (len(token) + 1)


def _drop_running_headers(lines: list[str], title: str) -> tuple[list[str], str | None]:
    """Body lines without the page furniture PDF extraction leaves between paragraphs.

    Furniture is a page number ("2/5"), a job number or barcode, a symbol alone, a line
    repeating the start of the title, or a short unpunctuated line printed more than once.
    Returns the lines (blank where furniture stood) and the symbol a page header carried.
    """
    header_symbol = None
    counts: dict[str, int] = {}
    for line in lines:
        stripped = line.strip()
        if stripped:
            counts[stripped] = counts.get(stripped, 0) + 1
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if (
            len(stripped) > _LONGEST_RUNNING_HEADER
            or _starts_new_paragraph(stripped)
            or _NOTE_PLAIN.match(stripped)
        ):
            kept.append(line)  # a paragraph or a footnote, never page furniture
            continue
        clean = _strip_markup(stripped)
        symbols = [match.group(0) for match in _FULL_SYMBOL.finditer(clean)]
        residual = clean
        for symbol in symbols:
            residual = residual.replace(symbol, " ")
        residual = _PAGE_NUMBER_IN_LINE.sub(" ", residual)
        residual = normalise_space(_JOB_NUMBER_OR_BARCODE_IN_LINE.sub(" ", residual))
        only_furniture = not residual
        if only_furniture and symbols:
            header_symbol = header_symbol or symbols[0]
        furniture = (
            only_furniture
            or clean.lower().startswith("please recycle")
            or _repeats_title(residual, title)
            or (
                counts[stripped] > 1
                and not _ends_a_paragraph(clean)
                and any(char.isalpha() for char in clean)
            )
        )
        kept.append("" if furniture else line)
    return kept, header_symbol


def _repeats_title(line: str, title: str) -> bool:
    """A page header repeating (the start of) the title, as PDF pages after the first carry."""
    if not title or len(line) < 15 or _ends_a_paragraph(line):
        return False
    return title.startswith(line) or line == title


@dataclass
class _Pending:
    """A paragraph while its pieces are collected."""

    part: str
    number: str
    label: str
    parent_label: str | None
    pieces: list[str]
    item: str = ""  # "a" or "ii" for sub-paragraphs

    @property
    def raw(self) -> str:
        return " ".join(self.pieces)


class _BodyReader:
    """Sorts the blocks of the body into paragraphs and footnotes, in document order."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self.paragraphs: list[_Pending] = []
        self.notes: list[_Note] = []
        self.closed = False
        self.top: _Pending | None = None  # the last numbered or preambular paragraph
        self.letter: _Pending | None = None  # the last lettered sub-paragraph under it
        self.roman: _Pending | None = None  # the last roman sub-paragraph under that
        self.preambular_count = 0
        self.last_operative: int | None = None
        self.labels: set[str] = set()
        self.ignored_after_close = False

    def read(self, block: str) -> None:
        if self._read_note(block):
            return
        if self.closed:
            if not self.ignored_after_close:
                self.warnings.append(
                    f"Text after the end of the resolution was not read: “{_excerpt(block)}”"
                )
                self.ignored_after_close = True
            return
        if _CLOSING.match(block):
            self.closed = True
            return
        if _ANNEX.match(block):
            self.closed = True
            self.ignored_after_close = True
            self.warnings.append("The annex is not split into paragraphs; read it in the original.")
            return
        last = self.paragraphs[-1] if self.paragraphs else None
        operative = _OPERATIVE_START.match(block)
        if operative:
            self._operative(int(operative.group(1)), block[operative.end() :])
            return
        sub = _SUB_START.match(block)
        if sub:
            self._sub(sub.group("item"), block[sub.end() :])
            return
        if last and (_STARTS_LOWERCASE.match(block) or not _ends_a_paragraph(last.raw)):
            last.pieces.append(block)  # the rest of a paragraph split by a page break
            return
        if self.last_operative is None or last is None:
            self._preambular(block)
            return
        self.warnings.append(
            f"A passage after {_describe(last)} does not start a numbered paragraph; "
            f"it was kept as part of that paragraph: “{_excerpt(block)}”"
        )
        last.pieces.append(block)

    def _read_note(self, block: str) -> bool:
        match = _NOTE_SUPERSCRIPT.match(block)
        if match:
            number = int(match.group(1).translate(_FROM_SUPERSCRIPT))
        else:
            match = _NOTE_MARKDOWN.match(block)
            if match:
                number = int(match.group(1))
            else:
                match = _NOTE_PLAIN.match(block)
                if not match or not self._may_be_a_plain_note(int(match.group(1)), block):
                    return False
                number = int(match.group(1))
        self.notes.append(_Note(number, block[match.end() :]))
        return True

    def _may_be_a_plain_note(self, number: int, block: str) -> bool:
        """Whether "3 A/80/257." is a footnote, not the rest of a sentence ("... adopted on
        \n\n3 States ...") nor an operative paragraph printed without its full stop."""
        last = self.paragraphs[-1] if self.paragraphs else None
        if not (last is None or self.closed or _ends_a_paragraph(last.raw)):
            return False
        first_word = (block.split()[1:2] or [""])[0]
        next_operative = (self.last_operative or 0) + 1
        return not (number == next_operative and _is_lead_verb(first_word.lower(), "operative"))

    def _unique(self, label: str) -> str:
        if label not in self.labels:
            self.labels.add(label)
            return label
        copy = 2
        while f"{label}-{copy}" in self.labels:
            copy += 1
        self.labels.add(f"{label}-{copy}")
        return f"{label}-{copy}"

    def _preambular(self, text: str) -> None:
        self.preambular_count += 1
        paragraph = _Pending(
            "preambular", "", self._unique(f"pp{self.preambular_count}"), None, [text]
        )
        self.paragraphs.append(paragraph)
        self.top, self.letter, self.roman = paragraph, None, None

    def _operative(self, number: int, text: str) -> None:
        previous = self.last_operative
        if previous is None and number != 1:
            self.warnings.append(f"Operative paragraphs start at {number}, not 1")
        elif previous is not None and number == previous:
            self.warnings.append(f"Operative paragraph {number} appears twice")
        elif previous is not None and number > previous + 1:
            self.warnings.append(f"Operative paragraph numbering jumps from {previous} to {number}")
        elif previous is not None and number < previous:
            self.warnings.append(
                f"Operative paragraph numbering goes back from {previous} to {number}"
            )
        self.last_operative = number
        paragraph = _Pending("operative", str(number), self._unique(f"op{number}"), None, [text])
        self.paragraphs.append(paragraph)
        self.top, self.letter, self.roman = paragraph, None, None

    def _sub(self, item: str, text: str) -> None:
        if self.top is None:
            self.warnings.append(
                f"A lettered paragraph “({item})” comes before any numbered paragraph; "
                "it was read as a preambular paragraph"
            )
            self.preambular_count += 1
            paragraph = _Pending(
                "preambular", f"({item})", self._unique(f"pp{self.preambular_count}"), None, [text]
            )
            self.paragraphs.append(paragraph)
            self.top, self.letter, self.roman = paragraph, None, None
            return
        expected_letter = _next_letter(self.letter.item) if self.letter else "a"
        expected_roman = _roman((_roman_value(self.roman.item) or 0) + 1) if self.roman else "i"
        roman_value = _roman_value(item)
        # "(i)" is a letter after "(h)" and a roman numeral anywhere else; the same goes for
        # "(v)" and "(x)": whichever sequence it continues decides.
        if self.roman and item == expected_roman:
            is_roman = True
        elif item == expected_letter:
            is_roman = False
        elif item == "i":
            is_roman = True
        elif roman_value and self.roman:
            is_roman = True
            self.warnings.append(
                f"In {_describe(self.top)}, item ({item}) follows ({self.roman.item})"
            )
        else:
            is_roman = False
            after = f"({self.letter.item})" if self.letter else "the paragraph’s opening"
            self.warnings.append(f"In {_describe(self.top)}, item ({item}) follows {after}")
        parent = (self.letter or self.top) if is_roman else self.top
        paragraph = _Pending(
            self.top.part,
            f"({item})",
            self._unique(f"{parent.label}-{item}"),
            parent.label,
            [text],
            item,
        )
        self.paragraphs.append(paragraph)
        if is_roman:
            self.roman = paragraph
        else:
            self.letter, self.roman = paragraph, None


def _describe(paragraph: _Pending) -> str:
    if paragraph.part == "operative" and paragraph.number.isdigit():
        return f"operative paragraph {paragraph.number}"
    if paragraph.parent_label:
        return f"sub-paragraph {paragraph.number} of {paragraph.parent_label}"
    return f"preambular paragraph {paragraph.label.removeprefix('pp')}"


def _excerpt(text: str, length: int = 60) -> str:
    text = normalise_space(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _blocks(lines: list[str]) -> list[str]:
    """Blank-line separated blocks, each joined into one line.

    A block is also cut where a line starts a numbered, lettered or footnote paragraph right
    after a line that ends one (PDF text does not always leave a blank line between them).
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = []
            continue
        if current and _starts_new_paragraph(stripped) and _ends_a_paragraph(current[-1]):
            blocks.append(current)
            current = []
        current.append(stripped)
    if current:
        blocks.append(current)
    return [" ".join(block) for block in blocks]


def _split_at_opening(lines: list[str], warnings: list[str]) -> tuple[list[str], list[str]]:
    """Heading lines and body lines, divided at "The General Assembly,"."""
    for index, line in enumerate(lines):
        match = _OPENING.match(line.strip())
        if match:
            rest = (match.group(1) or "").strip()
            return lines[:index], ([rest] if rest else []) + lines[index + 1 :]
    # Without the opening words, the preamble is the run of comma-ended paragraphs just
    # before the first numbered paragraph; everything above it is taken as the heading.
    starts: list[int] = []
    ends: list[int] = []
    for index, line in enumerate(lines):
        if line.strip() and (index == 0 or not lines[index - 1].strip()):
            starts.append(index)
        if line.strip() and (index + 1 == len(lines) or not lines[index + 1].strip()):
            ends.append(index)
    blocks = [
        (start, end, " ".join(lines[start : end + 1]))
        for start, end in zip(starts, ends, strict=True)
    ]
    first_operative = next(
        (i for i, (_, _, text) in enumerate(blocks) if _OPERATIVE_START.match(text.strip())), None
    )
    if first_operative is None:
        raise ParseError(
            "No paragraphs were found: the text has neither the opening words “The General "
            "Assembly,” nor numbered operative paragraphs."
        )
    body_start = first_operative
    while body_start > 0:
        text = normalise_space(blocks[body_start - 1][2])
        if not (text[:1].isupper() and _ENDS_WITH_A_COMMA.search(text)):
            break
        body_start -= 1
    warnings.append(
        "The opening words “The General Assembly,” are missing; the preamble was taken to be "
        "the comma-ended paragraphs just before operative paragraph 1. Check where it starts."
    )
    split = blocks[body_start][0]
    return lines[:split], lines[split:]


def _source_lines(text: str) -> list[str]:
    lines = _HTML_SUPERSCRIPT.sub(r"[^\1]", text).splitlines()
    # Files copied from elsewhere open with "# Source: ..." comment lines.
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith("# ")):
        start += 1
    return lines[start:]


# --- Putting it together -----------------------------------------------------------------------


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

    body_lines, header_symbol = _drop_running_headers(body_lines, heading.title)
    reader = _BodyReader(warnings)
    for block in _blocks(body_lines):
        reader.read(block)
    if not reader.paragraphs:
        raise ParseError(
            "No paragraphs were found after “The General Assembly,”: check that the whole "
            "text was pasted."
        )

    paragraphs, footnotes = _finish_paragraphs(reader.paragraphs, reader.notes, warnings)
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
    )


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
    duplicates = sorted({n.number for n in notes if sum(m.number == n.number for m in notes) > 1})
    for number in duplicates:
        warnings.append(f"There are two notes numbered {number}; the first is used.")

    markers = [_explicit_markers(text) for text in texts]
    _find_plain_markers(texts, markers, note_numbers)

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
            warnings.append(f"Footnote {note.number} has a note but no marker in the text")
        footnotes.append(Footnote(note.number, text, label, marker_position, find_citations(text)))
    for number in sorted(set(marker_places) - seen):
        warnings.append(f"Footnote {number} has a marker but no note")
    return paragraphs, footnotes
