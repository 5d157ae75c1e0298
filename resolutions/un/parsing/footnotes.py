"""Footnote markers in paragraph text (superscript, markdown, or plain numbers in PDF text)
matched to their notes, and the lines that start a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from resolutions.un.parsing.citations import find_citations
from resolutions.un.parsing.document import _MONTH, MONTHS, _overlap_test, _words
from resolutions.un.parsing.markup import _FROM_SUPERSCRIPT, _SUPERSCRIPT_DIGITS

# A footnote number has one to three digits; a longer run of superscript digits is text.
_SUPERSCRIPT_MARKER = re.compile(
    f"(?<![{_SUPERSCRIPT_DIGITS}])[{_SUPERSCRIPT_DIGITS}]{{1,3}}(?![{_SUPERSCRIPT_DIGITS}])"
)
_MARKDOWN_MARKER = re.compile(r"\[\^(\d{1,3})\]")
# In PDF text a marker is a plain number: glued to a word or to punctuation ("security1",
# "Assembly,1", "efforts;4"), glued to a year ("2025–20283" is 2025–2028, note 3), or set off
# by a space ("the Convention 1 and"). These are only looked for when a note with that
# number exists, one number at a time in document order.
_GLUED_MARKER = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=[,;:”’\")\]])|(?<=[^\W\d_][.]))(\d{1,3})(?=[\s,;:.)”’]|$)"
)
# A code of letters and numbers joined by full stops ends before a glued number.
_CODE_BEFORE = re.compile(r"\w\.\w+\.$")
_YEAR_GLUED_MARKER = re.compile(r"(?<![\w/.])(?:19|20)\d\d(\d{1,2})(?=[\s,;:.)”’]|$)")
_SPACED_MARKER = re.compile(r"(?:(?<=[^\W\d_])|(?<=[,;:”’\")])) (\d{1,3})(?=[\s,;.:]|$)")
# PDF text may glue a marker set after punctuation to the next word: "States Parties, 8and".
_MARKER_BEFORE_WORD = re.compile(r"(?<=[,;:] )(\d{1,3})(?=[a-z])")
# Words after which a lone number is a reference, not a footnote marker ("paragraph 2").
_NUMBERING_WORDS = frozenset(
    _words(
        """paragraph paragraphs para paras resolution resolutions decision decisions article
        articles annex annexes item items no nos vol vols volume chapter chapters section
        sections sect rule rules goal goals target targets principle principles protocol
        protocols phase phases step steps level levels category categories part parts page pages
        table tables figure figures appendix box recommendation recommendations option options
        session sessions number numbers and or to of the in on at by from with than about under
        over between some all only least nearly approximately around per each every first last
        top group groups cluster clusters objective objectives indicator indicators stage stages
        tier class grade schedule schedules sub-item sub-items"""
    )
)
# Words that show a lone number is a quantity or a date ("2 December", "5 per cent").
_QUANTITY_WORDS = frozenset(
    [m.lower() for m in MONTHS]
    + _words(
        """per percent % year years month months day days week weeks hour hours minute minutes
        million billion trillion thousand hundred times member members states countries persons
        people of to – - /"""
    )
)


_MONTH_WORDS = frozenset(month.lower() for month in MONTHS)
_RANGE_WORDS = frozenset(("to", "and", "–", "-", "/"))


@dataclass
class _Marker:
    number: int
    start: int  # span to delete from the paragraph text
    end: int
    # False for a number that reads like a quantity or a reference ("2022, 8 to convene",
    # "Development, 38 States"): taken as a marker only where the page that prints its
    # note shows no likelier one.
    likely: bool = True


def _explicit_markers(text: str) -> list[_Marker]:
    markers = [
        _Marker(int(m.group(0).translate(_FROM_SUPERSCRIPT)), m.start(), m.end())
        for m in _SUPERSCRIPT_MARKER.finditer(text)
    ]
    markers += [
        _Marker(int(m.group(1)), m.start(), m.end()) for m in _MARKDOWN_MARKER.finditer(text)
    ]
    return sorted(markers, key=lambda marker: marker.start)


def _plain_marker_candidates(text: str, taken: list[tuple[int, int]]) -> list[_Marker]:
    candidates: list[_Marker] = []
    for match in _GLUED_MARKER.finditer(text):
        digits = match.group(1)
        after_comma_in_number = (
            match.start() >= 2
            and text[match.start() - 1] == ","
            and text[match.start() - 2].isdigit()
        )
        if after_comma_in_number and len(digits) == 3:
            continue  # a thousands separator: "1,500"
        if text[match.start() - 1] == "." and _CODE_BEFORE.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            continue  # the end of a code: "Sales No. E.93.I.8"
        candidates.append(_Marker(int(digits), match.start(1), match.end(1)))
    for match in _YEAR_GLUED_MARKER.finditer(text):
        candidates.append(_Marker(int(match.group(1)), match.start(1), match.end(1)))
    for match in _SPACED_MARKER.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].split()
        after = text[match.end() :].split(None, 1)
        word_before = before[-1].strip(',;:.()“”’"').lower() if before else ""
        word_after = after[0].strip(',;:.()“”’"').lower() if after else ""
        after_punctuation = text[match.start() - 1] in ",;:"
        second_after = after[1].split(None, 1)[0] if len(after) > 1 and after[1] else ""
        # A date ("2 December"), a range ("from 23 to 27 June", "1–3") or a reference
        # ("paragraph 7") is never a marker; a number before a noun it may count ("38 States",
        # "7 to Member States") is one only where nothing likelier is found on its page.
        never = (
            word_after in _MONTH_WORDS
            or (word_after in _RANGE_WORDS and second_after[:1].isdigit())
            or (word_before in _NUMBERING_WORDS and not after_punctuation)
        )
        if never:
            continue
        unlikely = word_before in _NUMBERING_WORDS or word_after in _QUANTITY_WORDS
        candidates.append(_Marker(int(match.group(1)), match.start(), match.end(), not unlikely))
    for match in _MARKER_BEFORE_WORD.finditer(text):
        candidates.append(_Marker(int(match.group(1)), match.start(1), match.end(1), False))
    overlaps_taken = _overlap_test(taken)
    return sorted(
        (marker for marker in candidates if not overlaps_taken(marker.start, marker.end)),
        key=lambda marker: marker.start,
    )


def _remove_markers(text: str, markers: list[_Marker]) -> tuple[str, list[tuple[int, int]]]:
    """The text without its markers, and (number, offset in the new text) for each marker."""
    out = ""
    cursor = 0
    positions: list[tuple[int, int]] = []
    for marker in sorted(markers, key=lambda m: m.start):
        segment = text[cursor : marker.start]
        if out.endswith(" ") and segment.startswith(" "):
            segment = segment[1:]
        out += segment
        positions.append((marker.number, len(out)))
        cursor = max(cursor, marker.end)
    segment = text[cursor:]
    if out.endswith(" ") and segment.startswith(" "):
        segment = segment[1:]
    out += segment
    lead_trim = len(out) - len(out.lstrip())
    clean = out.strip()
    return clean, [
        (number, min(max(0, offset - lead_trim), len(clean))) for number, offset in positions
    ]


# How a note may start: "¹ ...", "[^1]: ..." or, in PDF text, a plain number before a
# symbol or a capital ("1 A/65/201."), not before a month ("2 December").
_NOTE_SUPERSCRIPT = re.compile(
    f"^([{_SUPERSCRIPT_DIGITS}]{{1,3}})(?![{_SUPERSCRIPT_DIGITS}])\\s*(?=\\S)"
)
_NOTE_MARKDOWN = re.compile(r"^\[\^(\d{1,3})\]:\s*")
_NOTE_PLAIN = re.compile(rf"^(\d{{1,3}})\s+(?!(?:{_MONTH})\b)(?=A/|[A-Z])")


@dataclass
class _Note:
    number: int
    raw: str
    # The footnote area (counted from 0) under whose rule line the note is printed; its
    # marker stands in the running text just before that area. None for notes found
    # without a rule line (markdown copies).
    segment: int | None = None


def _find_plain_markers(
    texts: list[str],
    markers: list[list[_Marker]],
    note_numbers: list[int],
    note_segments: dict[int, int] | None = None,
    segment_at: Callable[[int, int], int] | None = None,
) -> None:
    """Add the plain-number markers of notes that have no superscript or markdown marker.

    Each note's marker is the first plausible number after the previous note's marker and
    before the next explicit one: footnotes are numbered in reading order. A note printed
    under a page's rule line (``note_segments``) has its marker in that page's running text
    (``segment_at(paragraph index, offset)``); there a number that reads like a quantity is
    taken too when nothing likelier is found.
    """
    note_segments = note_segments or {}
    explicit: dict[int, tuple[int, int]] = {}
    for index, found in enumerate(markers):
        for marker in found:
            explicit.setdefault(marker.number, (index, marker.start))
    wanted = [number for number in note_numbers if number not in explicit]
    if not wanted:
        return
    candidates: dict[int, list[_Marker]] = {}

    def candidates_in(index: int) -> list[_Marker]:
        if index not in candidates:
            taken = [(m.start, m.end) for m in markers[index]]
            taken += [(c.start, c.end) for c in find_citations(texts[index])]
            candidates[index] = _plain_marker_candidates(texts[index], taken)
        return candidates[index]

    placed = dict(explicit)
    for number in wanted:
        lower = max((place for n, place in placed.items() if n < number), default=(-1, -1))
        upper = min((place for n, place in explicit.items() if n > number), default=(len(texts), 0))
        possible = [
            (index, candidate)
            for index in range(max(lower[0], 0), min(upper[0] + 1, len(texts)))
            if str(number) in texts[index]
            for candidate in candidates_in(index)
            if candidate.number == number
            and lower < (index, candidate.start) < upper
            and not any(m.start < candidate.end and candidate.start < m.end for m in markers[index])
        ]
        segment = note_segments.get(number)
        if segment is not None and segment_at is not None:
            on_page = [
                (index, candidate)
                for index, candidate in possible
                if segment_at(index, candidate.start) == segment
            ]
            match = next((pair for pair in on_page if pair[1].likely), None) or next(
                iter(on_page), None
            )
        else:
            match = next((pair for pair in possible if pair[1].likely), None)
        if match:
            index, candidate = match
            markers[index].append(candidate)
            placed[number] = (index, candidate.start)
