"""The body: where it starts, the page furniture PDF text leaves in it, and its blocks
sorted into preambular, numbered and lettered paragraphs and notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resolutions.un.parsing.citations import _FULL_SYMBOL
from resolutions.un.parsing.document import ParseError
from resolutions.un.parsing.footnotes import _NOTE_MARKDOWN, _NOTE_PLAIN, _NOTE_SUPERSCRIPT, _Note
from resolutions.un.parsing.heading import (
    _JOB_NUMBER_OR_BARCODE_IN_LINE,
    _OPENING,
    _PAGE_NUMBER_IN_LINE,
)
from resolutions.un.parsing.leads import _is_lead_verb
from resolutions.un.parsing.markup import (
    _FROM_SUPERSCRIPT,
    _HTML_SUPERSCRIPT,
    _SUPERSCRIPT_DIGITS,
    _strip_markup,
)
from resolutions.un.symbols import normalise_space

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
# How much of a paragraph's end shows whether it is finished: punctuation, closing quotes
# and brackets, a footnote marker, white space.
_ENDING_READ = 200
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

    def ends_a_paragraph(self) -> bool:
        """Whether the text so far ends as a paragraph does. Only its last pieces are read
        (enough for the closing punctuation, quotes and a footnote marker): joining every
        piece again for each page's continuation made a paragraph split into many pieces
        take quadratic time."""
        tail: list[str] = []
        length = 0
        for piece in reversed(self.pieces):
            tail.append(piece)
            length += len(piece) + 1
            if length >= _ENDING_READ:
                break
        return _ends_a_paragraph(" ".join(reversed(tail)))


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
        self.next_copy: dict[str, int] = {}
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
        if last and (_STARTS_LOWERCASE.match(block) or not last.ends_a_paragraph()):
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
        if not (last is None or self.closed or last.ends_a_paragraph()):
            return False
        first_word = (block.split()[1:2] or [""])[0]
        next_operative = (self.last_operative or 0) + 1
        return not (number == next_operative and _is_lead_verb(first_word.lower(), "operative"))

    def _unique(self, label: str) -> str:
        if label not in self.labels:
            self.labels.add(label)
            return label
        # The next free copy number is kept per label: counting up from 2 each time made a
        # text with thousands of paragraphs numbered alike take quadratic time.
        copy = self.next_copy.get(label, 2)
        while f"{label}-{copy}" in self.labels:
            copy += 1
        self.next_copy[label] = copy + 1
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
