"""The headings that divide a resolution's operative part, as a structure.

A long resolution prints headings between its operative paragraphs: a roman numeral over a
title ("I" / "Legislative activities"), a capital letter ("A"), sometimes both, one inside the
other ("I", then "A", "B", then "II"). The text only shows the numbers, so how deep a heading
sits is read from its kind of number: the first kind met is the outermost, the next kind
met is one level in, and so on. "I" after "H" is a letter, "C" after "B" is a letter, "V"
after "IV" is a roman numeral.

Each paragraph keeps the headings printed just before it (``{"number", "title"}``);
``arrange_headings`` gives them their level and the anchor the reading page and the
exports share ("sec1", "sec2", … in reading order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_LETTER = re.compile(r"^[A-Z]$")
_ARABIC = re.compile(r"^\d+$")
# Headings deeper than this many levels in are drawn as this level (h4 on the reading page).
_DEEPEST_LEVEL = 2


@dataclass(frozen=True)
class Heading:
    """A section heading placed in the document's structure."""

    number: str  # "I", "A"; "" when only a title is printed
    title: str  # "Legislative activities"; "" when only a number is printed
    level: int  # 0 for the outermost kind of heading, 1 inside it, ...
    anchor: str  # "sec1": the reading page's id and the exports' eId

    @property
    def text(self) -> str:
        """The heading on one line: "I Legislative activities"."""
        return " ".join(part for part in (self.number, self.title) if part)

    @property
    def tag(self) -> str:
        """The HTML heading element on a page whose title is the document's: h2 for the
        outermost sections, h3 and h4 inside."""
        return f"h{2 + min(self.level, _DEEPEST_LEVEL)}"

    @property
    def tag_in_section(self) -> str:
        """The heading element where the text is itself a section under an h2 (the
        briefing's "Text"): one level deeper."""
        return f"h{3 + min(self.level, _DEEPEST_LEVEL)}"


def _roman_value(number: str) -> int | None:
    if not number or not _ROMAN.match(number):
        return None
    total = 0
    for this, following in zip(number, [*number[1:], ""], strict=True):
        value = _ROMAN_VALUES[this]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _kind_of_number(number: str, last: dict[str, str]) -> str:
    """ "roman", "letter", "arabic" or "none", given the last number seen of each kind."""
    number = number.strip().rstrip(".")
    if not number:
        return "none"
    if _ARABIC.match(number):
        return "arabic"
    previous_letter = last.get("letter")
    if _LETTER.match(number) and previous_letter and ord(number) == ord(previous_letter) + 1:
        return "letter"
    value = _roman_value(number)
    if value is not None:
        previous = _roman_value(last.get("roman", ""))
        if value == (previous or 0) + 1:
            return "roman"
    return "letter" if _LETTER.match(number) else "roman" if value is not None else "none"


def arrange_headings(
    headings_by_paragraph: Iterable[Sequence[Mapping[str, str]]],
) -> list[list[Heading]]:
    """For each paragraph, in reading order, the headings printed before it, with their
    levels and anchors."""
    levels: dict[str, int] = {}
    last: dict[str, str] = {}
    count = 0
    arranged = []
    for headings in headings_by_paragraph:
        placed = []
        for heading in headings:
            number = str(heading.get("number", "")).strip()
            kind = _kind_of_number(number, last)
            levels.setdefault(kind, len(levels))
            if number:
                last[kind] = number.rstrip(".")
            count += 1
            placed.append(
                Heading(number, str(heading.get("title", "")).strip(), levels[kind], f"sec{count}")
            )
        arranged.append(placed)
    return arranged
