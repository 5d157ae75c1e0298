"""Citations: the UN document symbols a paragraph or footnote cites, as links."""

from __future__ import annotations

import re

from resolutions.un.parsing.document import _MONTH, Citation, _overlap_test

# A full symbol: "A/65/201", "A/C.1/76/L.13", "A/AC.292/2025/INF/5/Rev.1", "A/RES/75/240".
_FULL_SYMBOL = re.compile(r"(?<![\w/.\-])A(?:/[A-Z0-9][A-Za-z0-9.\-]*)+")
# The short form used in running text: "75/240", "43/78 H", "S-10/2". The look-arounds keep
# out dates written with slashes, pieces of longer symbols and years ("2025/26").
_SHORT_SYMBOL = re.compile(
    r"(?<![\w/.\-–])((?:ES|S)-)?([1-9]\d?)/(\d{1,4})(?:\s([A-Z])(?![\w/]))?(?![\w/])"
)
_KIND_WORD = re.compile(r"\b(resolutions?|decisions?)\b", re.IGNORECASE)
# What may stand between two numbers of one list ("74/28 and 74/29 of 12 December 2019"),
# or between "resolutions" and its first number, for the kind to carry over.
_LIST_GAP = re.compile(
    rf"(?:\s|,|and\b|as well as\b|its\b|of\s+\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}|of\s+\d{{4}})*"
)
_LONGEST_LIST_GAP = 80
_HUMAN_RIGHTS_COUNCIL = re.compile(r"Human Rights Council\s*$")


def find_citations(text: str) -> list[Citation]:
    """Every UN document symbol cited in ``text``, in order, as links.

    Full symbols ("A/65/201", "A/C.1/76/L.13") are reports unless they are "A/RES/..."
    (resolution) or "A/DEC/..." (decision). Short numbers ("75/240", "43/78 H") are General
    Assembly resolutions, or decisions when the word "decision(s)" introduces them; the word
    carries over a list ("its decisions 72/512 of 4 December 2017 and 75/564") until another
    "resolution(s)"/"decision(s)" appears. Offsets refer to ``text`` as given.
    """
    found: list[Citation] = []
    full_spans: list[tuple[int, int]] = []
    for match in _FULL_SYMBOL.finditer(text):
        symbol = match.group(0).rstrip(".-")
        if symbol.count("/") < 2 or not any(ch.isdigit() for ch in symbol):
            continue
        end = match.start() + len(symbol)
        found.append(Citation(_kind_of_full_symbol(symbol), symbol, symbol, match.start(), end))
        full_spans.append((match.start(), end))

    previous: tuple[int, str, str] | None = None  # end, kind, "A/" or "A/HRC/"
    inside_a_full_symbol = _overlap_test(full_spans)
    for match in _SHORT_SYMBOL.finditer(text):
        if inside_a_full_symbol(match.start(), match.end()):
            continue
        kind, body = _kind_of_short_citation(text, match.start(), previous)
        special, session, number, letter = match.groups()
        infix = "RES" if kind == "resolution" else "DEC"
        symbol = f"{body}{infix}/{special or ''}{session}/{number}{letter or ''}"
        found.append(Citation(kind, match.group(0), symbol, match.start(), match.end()))
        previous = (match.end(), kind, body)
    found.sort(key=lambda citation: citation.start)
    return found


def _kind_of_full_symbol(symbol: str) -> str:
    if "/RES/" in symbol:
        return "resolution"
    if "/DEC/" in symbol:
        return "decision"
    return "report"


def _kind_of_short_citation(
    text: str, start: int, previous: tuple[int, str, str] | None
) -> tuple[str, str]:
    """Resolution or decision, and of which body, for the short number starting at ``start``."""
    gap_start = previous[0] if previous else 0
    gap = text[gap_start:start]
    words = list(_KIND_WORD.finditer(gap))
    if words:
        word = words[-1]
        after_word = gap[word.end() :]
        if len(after_word) <= _LONGEST_LIST_GAP and _LIST_GAP.fullmatch(after_word):
            kind = "decision" if word.group(1).lower().startswith("decision") else "resolution"
            before_word = text[max(0, gap_start + word.start() - 40) : gap_start + word.start()]
            body = "A/HRC/" if _HUMAN_RIGHTS_COUNCIL.search(before_word) else "A/"
            return kind, body
        return "resolution", "A/"
    if previous and len(gap) <= _LONGEST_LIST_GAP and _LIST_GAP.fullmatch(gap):
        return previous[1], previous[2]
    return "resolution", "A/"
