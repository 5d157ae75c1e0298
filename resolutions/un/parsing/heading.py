"""The heading: symbol, date, session, committee, agenda item, sponsors and title, read from
the lines above “The General Assembly,”; and the title completed when a PDF cut it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from resolutions.un.parsing.citations import _FULL_SYMBOL
from resolutions.un.parsing.document import _MONTH, _MONTH_NUMBERS, Paragraph, _words
from resolutions.un.parsing.footnotes import _MARKDOWN_MARKER, _SUPERSCRIPT_MARKER
from resolutions.un.parsing.markup import _strip_markup
from resolutions.un.state_names import MEMBER_STATE_NAMES_WITH_AND
from resolutions.un.symbols import normalise_space

_OPENING = re.compile(r"^[*_]*The General Assembly[*_]*\s*(?:,[*_]*\s*(.*))?$")
_DISTRIBUTION = re.compile(r"Distr\.\s*:\s*([A-Za-z]+)")
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b")
_ORIGINAL = re.compile(r"Original\s*:\s*([A-Za-z]+)")
_SESSION = re.compile(r"\b([A-Z][a-z]*(?:-[a-z]+)?(?<=st|nd|rd|th))\s+session\b")
_COMMITTEE = re.compile(
    r"\b((?:First|Second|Third|Fourth|Fifth|Sixth) Committee"
    r"|Special Political and Decolonization Committee)\b"
)
_AGENDA_NUMBER = r"\d{1,3}(?:\s*\([a-z]{1,2}\))?"
_AGENDA = re.compile(
    rf"\bAgenda items?\s+({_AGENDA_NUMBER}(?:\s*(?:,|and)\s*{_AGENDA_NUMBER})*)\s*(.*)$"
)
# "Albania, …: draft resolution"; an asterisk before or after the colon points to a note
# ("Indonesia:* draft resolution" … "* On behalf of the States Members …"); asterisks
# around "draft resolution" with no space are markdown italics.
_SPONSOR_LINE = re.compile(
    r"^(?P<names>.*?)\s*(?P<star_before>\*{1,3}(?=\s*:))?\s*:\s*(?P<star_after>\*{1,3}\s+)?"
    r"[*_]*(?P<revised>revised\s+)?draft\s+resolution[*_]*\s*$",
    re.IGNORECASE,
)
_COMMITTEE_REPORT = re.compile(r"^\[(?:on the reports?\b|without reference\b)[^\[\]]*\]$", re.I)
# A note under the first page's rule line, pointed to by an asterisk in the heading.
_STAR_NOTE = re.compile(r"^\*{1,3}\s*(?=[A-Z])")
# Nothing but underscores and spaces, five underscores together somewhere. The look-ahead
# comes first so that a long line that is not one fails in one pass: with the classes side
# by side, each way of sharing the underscores between them would be tried in turn.
_RULE_LINE = re.compile(r"^(?=[_\s]*$)[_\s]*_{5}")
_ADOPTED = re.compile(r"\bResolution adopted by the General Assembly\b", re.IGNORECASE)
_NUMBERED_TITLE = re.compile(r"^((?:ES-|S-)?\d{1,3}/\d{1,4})(?:\s?([A-Z]))?\.\s+(\S.*)$")
_SYMBOL_ONLY = re.compile(r"^A/[A-Za-z0-9.\-/]*\d[A-Za-z0-9.\-/]*$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")
_PAGE_NUMBER_IN_LINE = re.compile(r"(?<![\w/])\d{1,3}\s*/\s*\d{1,3}(?![\w/])")
# Job numbers ("21-14545 (E) 111021") and barcodes ("*2114545*") printed on each page.
_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})?$")
_BARCODE = re.compile(r"^\*\d{6,}\*$")
_JOB_NUMBER_OR_BARCODE_IN_LINE = re.compile(
    r"(?<![\w/])(?:\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?|\*\d{6,}\*)(?![\w/])"
)
# Stops at the next opening bracket, so a line full of unclosed brackets takes linear time.
_BRACKETED = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")
_HEADING_FURNITURE = re.compile(
    r"^(?:United Nations|General Assembly\b.*|Distr\..*|Original\s*:.*|Please recycle.*"
    r"|Limited|General|Resolution adopted by.*|\[(?:on the report|without reference).*"
    rf"|\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}"
    r"|(?:[A-Z][a-z]+(?:-[a-z]+)?\s+)?(?:(?:emergency\s+)?special\s+)?session"
    r"|Agenda items?\s+\d.*"
    r"|(?:First|Second|Third|Fourth|Fifth|Sixth) Committee"
    r"|Special Political and Decolonization Committee)$",
    re.IGNORECASE,
)
# Names of States that contain " and ", so a sponsor list is not split inside them.
_NAMES_WITH_AND = (*MEMBER_STATE_NAMES_WITH_AND, "Group of 77 and China")
_TITLE_CUT_WORDS = frozenset(
    _words(
        """of in into and the on for to a an by with at from or its their between against towards
        through under within"""
    )
)
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")

_UNIT_ORDINALS = _words(
    """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"""
)
_UNITS = {word: value for value, word in enumerate(_UNIT_ORDINALS, start=1)}
_TENS = {
    word: value
    for value, word in zip(
        range(20, 100, 10),
        _words("twenty thirty forty fifty sixty seventy eighty ninety"),
        strict=True,
    )
}
_TENS_ORDINALS = {word[:-1] + "ieth": value for word, value in _TENS.items()}


def _session_number(ordinal: str) -> int | None:
    """76 for "Seventy-sixth", 80 for "Eightieth"; None if it is not an ordinal number."""
    word = ordinal.lower()
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS_ORDINALS:
        return _TENS_ORDINALS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


@dataclass
class _Heading:
    symbol: str | None = None
    distribution: str = ""
    date: datetime.date | None = None
    original_language: str = ""
    session: int | None = None
    session_title: str = ""
    committee: str = ""
    agenda_item: str = ""
    agenda_title: str = ""
    sponsors: list[str] = field(default_factory=list)
    sponsor_line_found: bool = False
    revised: bool = False
    adopted: bool = False
    adoption: str = ""  # "Resolution adopted by the General Assembly on 15 December 2025"
    committee_report: str = ""  # "[on the report of the Sixth Committee (A/80/448, para. 10)]"
    sponsors_starred: bool = False  # "Indonesia:* draft resolution"
    star_notes: list[str] = field(default_factory=list)  # "On behalf of …", as printed
    title: str = ""
    title_from_number: bool = False


def _read_date(match: re.Match[str], warnings: list[str]) -> datetime.date | None:
    day, month, year = match.groups()
    try:
        return datetime.date(int(year), _MONTH_NUMBERS[month], int(day))
    except ValueError:
        warnings.append(f"The date “{match.group(0)}” in the heading is not a real date.")
        return None


def _heading_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        clean = _clean_heading_text(line)
        if clean:
            blocks[-1].append(clean)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _clean_heading_text(text: str) -> str:
    text = _SUPERSCRIPT_MARKER.sub("", _MARKDOWN_MARKER.sub("", text))
    return _strip_markup(text)


def _read_heading(lines: list[str], warnings: list[str]) -> _Heading:
    heading = _Heading()
    blocks = []
    for block in _heading_blocks(lines):
        text = " ".join(block)
        star = _STAR_NOTE.match(text)
        if _RULE_LINE.match(text):
            continue
        if star:
            heading.star_notes.append(text[star.end() :])
            continue
        blocks.append([line for line in block if not _RULE_LINE.match(line)])
    flat = [line for block in blocks for line in block]
    joined = "\n".join(flat)

    # The document's own symbol stands at the top ("United Nations A/C.1/76/L.13"); symbols
    # in brackets are other documents ("[on the report of the First Committee (A/80/534)]").
    for line in flat:
        match = _FULL_SYMBOL.search(_BRACKETED.sub(" ", line))
        if match and not _SPONSOR_LINE.match(line):
            heading.symbol = match.group(0).rstrip(".-")
            break

    distribution = _DISTRIBUTION.search(joined)
    if distribution:
        heading.distribution = distribution.group(1)
        date = _DATE.search(joined, distribution.end())
    else:
        date = next(
            (m for line in flat if not _ADOPTED.search(line) for m in [_DATE.search(line)] if m),
            None,
        )
    if date:
        heading.date = _read_date(date, warnings)
    original = _ORIGINAL.search(joined)
    if original:
        heading.original_language = original.group(1)
    session = _SESSION.search(joined)
    if session:
        heading.session_title = f"{session.group(1)} session"
        heading.session = _session_number(session.group(1))
    # An adopted resolution names its committee only in the report line, which is kept whole.
    committee = _COMMITTEE.search(_BRACKETED.sub(" ", joined))
    if committee:
        heading.committee = committee.group(1)
    heading.adopted = bool(_ADOPTED.search(joined))
    heading.adoption = next((line for line in flat if _ADOPTED.search(line)), "")
    heading.committee_report = next(
        (" ".join(block) for block in blocks if _COMMITTEE_REPORT.match(" ".join(block))), ""
    )

    sponsor_block = None
    for index, block in enumerate(blocks):
        match = _SPONSOR_LINE.match(" ".join(block))
        if match:
            sponsor_block = index
            heading.sponsor_line_found = True
            heading.revised = bool(match.group("revised"))
            heading.sponsors_starred = bool(match.group("star_before") or match.group("star_after"))
            heading.sponsors = _split_sponsors(match.group("names"))
            break

    title_blocks: set[int] = set()
    numbered = None
    for index, block in enumerate(blocks):
        for line_index, line in enumerate(block):
            match = _NUMBERED_TITLE.match(line)
            if match:
                numbered = (index, line_index, match)
                break
        if numbered:
            break
    if numbered:
        index, line_index, match = numbered
        number, letter, first_line = match.groups()
        heading.symbol = heading.symbol or f"A/RES/{number}{letter or ''}"
        heading.title_from_number = True
        rest = [first_line, *blocks[index][line_index + 1 :]]
        for later in blocks[index + 1 :]:
            rest += [line for line in later if not _is_heading_furniture(line)]
        heading.title = normalise_space(" ".join(rest))
        title_blocks = set(range(index, len(blocks)))
    elif sponsor_block is not None:
        title_blocks = set(range(sponsor_block + 1, len(blocks)))
        heading.title = normalise_space(
            " ".join(
                line
                for index in sorted(title_blocks)
                for line in blocks[index]
                if not _is_heading_furniture(line)
            )
        )
    else:
        free = [i for i, block in enumerate(blocks) if not _is_heading_furniture(" ".join(block))]
        if free:
            title_blocks = {free[-1]}
            heading.title = " ".join(blocks[free[-1]])

    for index, block in enumerate(blocks):
        for line_index, line in enumerate(block):
            agenda = _AGENDA.search(line)
            if not agenda:
                continue
            heading.agenda_item = normalise_space(agenda.group(1))
            rest_of_line = " ".join([agenda.group(2), *block[line_index + 1 :]]).strip()
            if rest_of_line:
                heading.agenda_title = rest_of_line
            elif index + 1 < len(blocks):
                following = index + 1
                candidate = " ".join(blocks[following])
                if (
                    following not in title_blocks
                    and following != sponsor_block
                    and not _is_heading_furniture(candidate)
                ):
                    heading.agenda_title = candidate
            break
        if heading.agenda_item:
            break
    return heading


def _is_heading_furniture(line: str) -> bool:
    return bool(
        _HEADING_FURNITURE.match(line)
        or _SYMBOL_ONLY.match(line)
        or _JOB_NUMBER.match(line)
        or _BARCODE.match(line)
        or _PAGE_NUMBER.match(line)
        or _SPONSOR_LINE.match(line)
    )


def _split_sponsors(names: str) -> list[str]:
    """ "A, B, C and D" into names, keeping "Bosnia and Herzegovina" and "(…, …)" whole."""
    names = names.strip()
    if not names:
        return []
    parts: list[str] = []
    depth = 0
    current = ""
    for char in names:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    merged: list[str] = []
    for part in parts:
        if merged and part.lower().startswith("on behalf of"):
            merged[-1] = f"{merged[-1]}, {part}"
        elif part:
            merged.append(part)
    if not merged:
        return []
    last = merged.pop()
    protected = [
        (match.start(), match.end())
        for name in _NAMES_WITH_AND
        for match in re.finditer(re.escape(name), last)
    ]
    depth_at = []
    depth = 0
    for char in last:
        depth += (char == "(") - (char == ")")
        depth_at.append(depth)
    for match in re.finditer(" and ", last):
        inside_name = any(start < match.end() and match.start() < end for start, end in protected)
        if not inside_name and depth_at[match.start()] <= 0:
            merged += [last[: match.start()].strip(), last[match.end() :].strip()]
            break
    else:
        merged.append(last)
    return [name for name in merged if name]


def _complete_title(title: str, paragraphs: list[Paragraph], warnings: list[str]) -> str:
    """The title, completed when a PDF cut it at a line break and the text quotes it in full.

    Adopted resolutions often place the item on a later agenda "entitled “<title>”"; when a
    quotation starts with the cut title, that quotation is the full title.
    """
    words = title.split()
    if not words or words[-1].lower() not in _TITLE_CUT_WORDS:
        return title
    for paragraph in reversed(paragraphs):
        for match in _QUOTED.finditer(paragraph.text):
            quoted = match.group(1).strip()
            if len(words) >= 4 and quoted.startswith(title + " "):
                warnings.append(
                    f"The title was cut at a line break in the source; it was completed from "
                    f"the quotation in {_describe_paragraph(paragraph)}. Check it against "
                    "the official document."
                )
                return quoted
    warnings.append(
        f"The title seems cut off at a line break (it ends “…{' '.join(words[-3:])}”); "
        "check it against the official document."
    )
    return title


def _describe_paragraph(paragraph: Paragraph) -> str:
    """How a delegate names a paragraph: "operative paragraph 6", "PP3", "OP6(a)"."""
    if paragraph.part == "operative" and paragraph.number.isdigit():
        return f"operative paragraph {paragraph.number}"
    head, *subs = paragraph.label.split("-")
    return head.upper() + "".join(f"({sub})" for sub in subs)
