"""The body: where it starts, the page furniture PDF text leaves in it, and its blocks
sorted into preambular, numbered and lettered paragraphs and notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from resolutions.un.parsing.document import _MONTH, ParseError, SectionHeading
from resolutions.un.parsing.footnotes import _NOTE_MARKDOWN, _NOTE_PLAIN, _NOTE_SUPERSCRIPT, _Note
from resolutions.un.parsing.heading import _OPENING
from resolutions.un.parsing.leads import _is_lead_verb, _opens_preambular_paragraph
from resolutions.un.parsing.markup import (
    _FROM_SUPERSCRIPT,
    _HTML_SUPERSCRIPT,
    _SUPERSCRIPT_DIGITS,
)
from resolutions.un.symbols import normalise_space

if TYPE_CHECKING:
    from resolutions.un.parsing.pages import _Block

_OPERATIVE_START = re.compile(r"^(\d{1,3})\\?\.\s+(?=\S)")
_SUB_START = re.compile(r"^\((?P<item>[a-z]{1,4})\)\s+(?=\S)")
_CLOSING = re.compile(r"^\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting\b", re.IGNORECASE)
_CLOSING_DATE = re.compile(rf"^\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}$")
# A heading of the operative part: a roman numeral or a capital letter alone ("I", "A."),
# or before its title on the same line ("II. Travel assistance", "B. Follow-up").
_SECTION_NUMBER = re.compile(r"^((?:[IVXL]{1,7}|[A-Z])\.?)$")
_NUMBERED_SECTION_TITLE = re.compile(r"^([IVXL]{1,7}\.?|[A-Z]\.)\s+([A-Z].*)$")
_LONGEST_SECTION_TITLE = 250
_ANNEX = re.compile(r"^[*_#\s]*Annex(?:es)?(?:\s+[IVXLC]+)?[*_\s]*$")
# A paragraph ends with punctuation, closing quotes or brackets, and perhaps a footnote
# marker, which PDF text may set off by a space ("Background Notes; 3").
_ENDS_A_PARAGRAPH = re.compile(
    rf"[,;:.!?][”’\"')\]*_]*(?:[{_SUPERSCRIPT_DIGITS}]+|\[\^\d{{1,3}}\]| ?\d{{1,3}})?\s*$"
)
_ENDS_WITH_A_COMMA = re.compile(
    rf",[”’\"')\]*_]*(?:[{_SUPERSCRIPT_DIGITS}]+|\[\^\d{{1,3}}\]| ?\d{{1,3}})?\s*$"
)
# How the rest of a paragraph split by a page break may start, and no paragraph does: a
# lower-case word, a number ("78/48 of 4 December 2023"), an opening quotation mark.
_CONTINUES = re.compile(r"^(?:[*_\[(]*[“\"‘]|[*_\[(“\"‘]*[a-z0-9])")
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


@dataclass
class _Pending:
    """A paragraph while its pieces are collected."""

    part: str
    number: str
    label: str
    parent_label: str | None
    pieces: list[str]
    item: str = ""  # "a" or "ii" for sub-paragraphs
    # For each piece, the footnote areas of PDF text before it (``pages._Block.segment``).
    segments: list[int] = field(default_factory=list)

    # The last characters of the text so far: enough for the closing punctuation, quotes and
    # a footnote marker. Kept as pieces arrive; reading the pieces again for each of a page's
    # continuations made a paragraph split into many pieces take quadratic time.
    tail: str = ""

    def __post_init__(self) -> None:
        self.tail = " ".join(self.pieces)[-_ENDING_READ:]

    def add(self, piece: str, segment: int) -> None:
        self.pieces.append(piece)
        self.segments.append(segment)
        self.tail = (self.tail + " " + piece[-_ENDING_READ:])[-_ENDING_READ:]

    @property
    def raw(self) -> str:
        return " ".join(self.pieces)

    def ends_a_paragraph(self) -> bool:
        """Whether the text so far ends as a paragraph does."""
        return _ends_a_paragraph(self.tail)


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
        self.segment = 0  # the footnote areas before the block being read
        self.sections: list[SectionHeading] = []
        self.section_waiting: tuple[str, str] | None = None  # (number, title) before a paragraph
        self.closing: list[str] = []  # "64th plenary meeting", "15 December 2025"

    def read_all(self, blocks: list[_Block]) -> None:
        index = 0
        while index < len(blocks):
            self.segment = blocks[index].segment
            taken = self._section_heading(blocks, index)
            if taken:
                index += taken
                continue
            self.read(blocks[index].text, blocks[index].lines, blocks[index].after_break)
            index += 1

    def _section_heading(self, blocks: list[_Block], index: int) -> int:
        """How many blocks, from ``index``, print a heading of the operative part ("I" over
        "Legislative activities"; "A."; a title alone) before a numbered paragraph; 0 if
        they are not one."""
        last = self.paragraphs[-1] if self.paragraphs else None
        if self.closed or last is None or not last.ends_a_paragraph():
            return 0
        lines = blocks[index].lines
        numeral = _SECTION_NUMBER.match(lines[0])
        number, title_lines, taken = "", lines, 1
        if numeral:
            number, title_lines = numeral.group(1), lines[1:]
            if not title_lines and index + 1 < len(blocks):
                following = blocks[index + 1]
                if _is_section_title(following.text) and not _SECTION_NUMBER.match(
                    following.lines[0]
                ):
                    title_lines, taken = following.lines, 2
        else:
            numbered_title = _NUMBERED_SECTION_TITLE.match(lines[0])
            if numbered_title:
                number = numbered_title.group(1)
                title_lines = [numbered_title.group(2), *lines[1:]]
        title = normalise_space(" ".join(title_lines))
        if title and not _is_section_title(title):
            return 0
        if not (number or title):
            return 0
        after = blocks[index + taken].text if index + taken < len(blocks) else ""
        if not _OPERATIVE_START.match(after):
            return 0
        self.section_waiting = (number, title)
        return taken

    def read(self, block: str, lines: list[str] | None = None, after_break: bool = False) -> None:
        if self._read_note(block):
            return
        if self.closed:
            if self.closing and len(self.closing) == 1 and _CLOSING_DATE.match(block):
                self.closing.append(block)  # the date of the meeting, under its number
                return
            if not self.ignored_after_close:
                self.warnings.append(
                    f"Text after the end of the resolution was not read: “{_excerpt(block)}”"
                )
                self.ignored_after_close = True
            return
        if _CLOSING.match(block):
            self.closed = True
            self.closing = [normalise_space(line) for line in (lines or [block])]
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
        if sub and not (last and self._cited_item(sub.group("item"), last)):
            self._sub(sub.group("item"), block[sub.end() :])
            return
        if last and (_CONTINUES.match(block) or not last.ends_a_paragraph()):
            last.add(block, self.segment)  # the rest of a paragraph split by a page break
            return
        if self.last_operative is None or last is None:
            if last and after_break and not _opens_preambular_paragraph(block):
                # "… disarmament agenda," at a page's foot, "Securing Our Common Future: …"
                # on the next page: the sentence goes on.
                last.add(block, self.segment)
                return
            self._preambular(block)
            return
        if after_break:
            last.add(block, self.segment)  # a page break after a comma
            return
        self.warnings.append(
            f"A passage after {_describe(last)} does not start a numbered paragraph; "
            f"it was kept as part of that paragraph: “{_excerpt(block)}”"
        )
        last.add(block, self.segment)

    def _cited_item(self, item: str, last: _Pending) -> bool:
        """Whether "(b)" at the start of a block is a reference the page break cut off
        ("… mentioned in subparagraph" / "(b) and subparagraph (d) …"), not an item: the
        paragraph before is unfinished and "(b)" continues neither of its sequences."""
        if last.ends_a_paragraph() or self.top is None:
            return False
        expected = {_next_letter(self.letter.item) if self.letter else "a"}
        expected.add(_roman((_roman_value(self.roman.item) or 0) + 1) if self.roman else "i")
        return item not in expected

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

    def _add(self, paragraph: _Pending) -> None:
        paragraph.segments = [self.segment] * len(paragraph.pieces)
        if self.section_waiting:
            number, title = self.section_waiting
            self.sections.append(SectionHeading(number, title, paragraph.label))
            self.section_waiting = None
        self.paragraphs.append(paragraph)

    def _preambular(self, text: str) -> None:
        self.preambular_count += 1
        paragraph = _Pending(
            "preambular", "", self._unique(f"pp{self.preambular_count}"), None, [text]
        )
        self._add(paragraph)
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
        self._add(paragraph)
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
            self._add(paragraph)
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
        self._add(paragraph)
        if is_roman:
            self.roman = paragraph
        else:
            self.letter, self.roman = paragraph, None


def _is_section_title(text: str) -> bool:
    """Whether a block reads as the title of a heading: short, capitalised, unpunctuated."""
    return (
        len(text) <= _LONGEST_SECTION_TITLE
        and text[:1].isupper()
        and not _ends_a_paragraph(text)
        and not _starts_new_paragraph(text)
    )


def _describe(paragraph: _Pending) -> str:
    if paragraph.part == "operative" and paragraph.number.isdigit():
        return f"operative paragraph {paragraph.number}"
    if paragraph.parent_label:
        return f"sub-paragraph {paragraph.number} of {paragraph.parent_label}"
    return f"preambular paragraph {paragraph.label.removeprefix('pp')}"


def _excerpt(text: str, length: int = 60) -> str:
    text = normalise_space(text)
    return text if len(text) <= length else text[: length - 1] + "…"


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
