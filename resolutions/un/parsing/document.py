"""What the parser returns (``ParsedDocument`` and its parts), ``ParseError``, and the month
names and small helpers the other modules share.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from resolutions.un.symbols import undocs_url

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _words(text: str) -> list[str]:
    """The words of a space-separated string: word lists stay readable in the source."""
    return text.split()


_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}
_MONTH = "|".join(MONTHS)


class ParseError(ValueError):
    """The text cannot be read as a resolution; the message says why, for a delegate."""


@dataclass(frozen=True)
class Citation:
    """A UN document cited in a paragraph or footnote, as a link target."""

    kind: str  # "resolution" | "decision" | "report"
    text: str  # exactly as it stands in the text: "43/78 H", "75/240", "A/65/201"
    symbol: str  # the document symbol: "A/RES/43/78H", "A/DEC/72/512", "A/65/201"
    start: int  # offsets of ``text`` in the clean paragraph or footnote text
    end: int

    @property
    def url(self) -> str:
        """The document on the UN document system."""
        return undocs_url(self.symbol)


@dataclass
class Footnote:
    """A note printed at the foot of a page, tied to the paragraph whose marker points to it."""

    number: int
    text: str  # clean text: "A/65/201, A/68/98 and A/70/174."
    paragraph_label: str | None  # the paragraph carrying the marker; None if no marker found
    marker_position: int | None  # offset in that paragraph's clean text where the marker stood
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Paragraph:
    """A preambular or operative paragraph, or a lettered/roman sub-paragraph of one.

    ``text`` has no number, letter, markdown or footnote marker; whitespace is normalised.
    """

    label: str  # "pp3", "op6", "op6-a", "op2-b-i": stable, used in permalinks
    part: str  # "preambular" | "operative"
    number: str  # as printed: "1", "(a)", "(i)"; "" for preambular paragraphs
    parent_label: str | None  # "op6" for "op6-a", "op2-b" for "op2-b-i"
    order: int  # 1-based, document order over all paragraphs
    text: str
    lead: str  # the opening phrase printed in italics; a prefix of ``text``; may be ""
    citations: list[Citation] = field(default_factory=list)
    footnote_numbers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SectionHeading:
    """A heading that divides the operative part, as printed: "I" over "Legislative
    activities", or "A." alone. It stands before the paragraph labelled ``before``."""

    number: str  # "I", "A"; "" when only a title is printed
    title: str  # "Legislative activities"; "" when only a number is printed
    before: str  # the label of the first paragraph under the heading: "op2"

    @property
    def text(self) -> str:
        """The heading on one line: "I Legislative activities", "A"."""
        return " ".join(part for part in (self.number, self.title) if part)


@dataclass
class ParsedDocument:
    """Everything read from one document. Heading fields the text lacks are "" or None.

    ``footnotes`` holds the notes found, in document order; a marker without a note is only
    reported in ``warnings`` (and listed in its paragraph's ``footnote_numbers``).
    """

    symbol: str | None
    kind: str  # "draft" | "revision" | "resolution"
    distribution: str
    date: datetime.date | None  # date of issue
    original_language: str
    session: int | None
    session_title: str
    committee: str
    agenda_item: str
    agenda_title: str
    sponsors: list[str]  # as printed, in order; [] for adopted resolutions
    title: str
    paragraphs: list[Paragraph]
    footnotes: list[Footnote]
    warnings: list[str]
    # Headings inside the operative part ("I Legislative activities"), in order.
    sections: list[SectionHeading] = field(default_factory=list)
    # An adopted resolution's lines, exactly as printed (each "" when the text lacks it):
    # "Resolution adopted by the General Assembly on 15 December 2025",
    # "[on the report of the Sixth Committee (A/80/448, para. 10)]",
    # and the closing "64th plenary meeting\n15 December 2025".
    adoption: str = ""
    committee_report: str = ""
    closing: str = ""
    # The note an asterisk on the sponsor line points to: "On behalf of the States Members
    # of the United Nations that are members of the Group of 77 and China."
    sponsors_note: str = ""


def _overlap_test(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether a span overlaps any of ``spans``, in logarithmic time: a paragraph
    full of citations and numbers would otherwise compare every number (or short symbol) with
    every citation (or full symbol), which takes quadratic time."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [start for start, _ in merged]

    def overlaps(start: int, end: int) -> bool:
        # The last merged span that starts before ``end`` is the only one that can reach
        # back over ``start``: the merged spans are disjoint and in order.
        index = bisect.bisect_left(starts, end) - 1
        return index >= 0 and merged[index][1] > start

    return overlaps
