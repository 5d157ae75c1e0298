"""How exactly a reading of a real UN text matches what a reader must see in it.

Each real text in ``data/texts/real/`` comes with ``<symbol>.expected.json``: every paragraph
under its label with its exact text, every footnote with the paragraph holding its marker,
every citation with its link (or with none, for a symbol that is not a General Assembly
document). The scores here count, for one parsed text, how much of that it got right, and
say in a line each what differs, expected against found. The tests of the real texts assert
that nothing differs; ``bench/parser_accuracy.py`` prints the counts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from resolutions.un.parsing import ParsedDocument
from resolutions.un.reference import REAL_TEXTS_DIR

#: How much of a text a difference shows on either side of where it starts.
CONTEXT = 40

ExpectedReading = Mapping[str, Any]


def real_text_names() -> list[str]:
    """The real texts, by file name without extension: "A-C.6-80-L.10", "A-RES-80-161"."""
    return sorted(
        path.name.removesuffix(".expected.json") for path in REAL_TEXTS_DIR.glob("*.expected.json")
    )


def read_real_text(name: str) -> str:
    """The text of ``name`` as the official PDF gives it."""
    return (REAL_TEXTS_DIR / f"{name}.txt").read_text(encoding="utf-8")


def read_expected_reading(name: str) -> ExpectedReading:
    """What a reader must see in ``name`` (its ``.expected.json``)."""
    reading: ExpectedReading = json.loads(
        (REAL_TEXTS_DIR / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return reading


@dataclass
class Score:
    """``right`` of ``total`` expected items read exactly; ``problems`` says what differs,
    one line an item, expected against found."""

    right: int = 0
    total: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class LinkScore(Score):
    """A citation score; ``wrong`` counts links the expected reading does not have (a symbol
    linked where it should not be, or to the wrong address)."""

    wrong: int = 0


def shorten(text: str, limit: int = 2 * CONTEXT) -> str:
    """``text`` quoted, cut in the middle when longer than ``limit``."""
    if len(text) <= limit:
        return repr(text)
    half = limit // 2
    return repr(text[:half] + " … " + text[-half:])


def text_difference(expected: str, found: str) -> str:
    """Where ``found`` first departs from ``expected``, with the text around it on both
    sides: ``at character 152: expected '…recent developments…' found '…recent A/C.6…'``."""
    start = next(
        (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
        min(len(expected), len(found)),
    )
    left = max(0, start - CONTEXT)

    def around(text: str) -> str:
        piece = text[left : start + CONTEXT]
        return ("…" if left else "") + piece + ("…" if start + CONTEXT < len(text) else "")

    return (
        f"at character {start} (lengths {len(expected)} and {len(found)}): "
        f"expected {around(expected)!r}, found {around(found)!r}"
    )


def score_paragraphs(expected: ExpectedReading, document: ParsedDocument) -> Score:
    """Every expected paragraph under its label with exactly its text, and no other."""
    found = {paragraph.label: paragraph for paragraph in document.paragraphs}
    score = Score(total=len(expected["paragraphs"]))
    expected_labels = set()
    for paragraph in expected["paragraphs"]:
        label, text = paragraph["label"], paragraph["text"]
        expected_labels.add(label)
        got = found.get(label)
        if got is None:
            score.problems.append(f"{label}: missing; expected {shorten(text)}")
        elif got.text != text:
            score.problems.append(f"{label}: text differs {text_difference(text, got.text)}")
        else:
            score.right += 1
    labels = Counter(paragraph.label for paragraph in document.paragraphs)
    for paragraph in document.paragraphs:
        if paragraph.label not in expected_labels:
            score.problems.append(
                f"{paragraph.label}: not in the expected reading; found {shorten(paragraph.text)}"
            )
    for label, count in labels.items():
        if count > 1:
            score.problems.append(f"{label}: found {count} times")
    return score


def score_footnotes(expected: ExpectedReading, document: ParsedDocument) -> Score:
    """Every expected footnote with exactly its text, on the paragraph holding its marker,
    and no other."""
    found = {footnote.number: footnote for footnote in document.footnotes}
    score = Score(total=len(expected["footnotes"]))
    for note in expected["footnotes"]:
        # The last note of a file keeps the file's final line break in the expected reading;
        # a note's clean text has none.
        number, text, marker_in = int(note["number"]), note["text"].strip(), note["marker_in"]
        got = found.get(number)
        if got is None:
            score.problems.append(f"footnote {number}: missing; expected {shorten(text)}")
            continue
        right = True
        if got.text != text:
            score.problems.append(
                f"footnote {number}: text differs {text_difference(text, got.text)}"
            )
            right = False
        if got.paragraph_label != marker_in:
            score.problems.append(
                f"footnote {number}: on {got.paragraph_label or 'no paragraph'}, "
                f"expected on {marker_in}"
            )
            right = False
        score.right += right
    expected_numbers = {int(note["number"]) for note in expected["footnotes"]}
    for number, count in Counter(note.number for note in document.footnotes).items():
        if number not in expected_numbers:
            score.problems.append(
                f"footnote {number}: not in the expected reading; found "
                f"{shorten(found[number].text)}"
            )
        if count > 1:
            score.problems.append(f"footnote {number}: found {count} times")
    return score


def found_citations(document: ParsedDocument) -> list[tuple[str, str, str]]:
    """Every citation of ``document`` as (where, text, link): where is a paragraph's label or
    "note 3"."""
    citations = [
        (paragraph.label, citation.text, citation.url)
        for paragraph in document.paragraphs
        for citation in paragraph.citations
    ]
    citations.extend(
        (f"note {footnote.number}", citation.text, citation.url)
        for footnote in document.footnotes
        for citation in footnote.citations
    )
    return citations


# UN documents printed in the real texts that their readings do not list, each linked as
# itself as every UN symbol is: a report of the Economic and Social Council (the Statistical
# Commission's) and the report of the twenty-first Conference of the Parties to the climate
# change convention. Keyed by the reading's symbol.
PRINTED_SYMBOLS_NOT_LISTED: dict[str, list[tuple[str, str, str]]] = {
    "A/C.2/80/L.28": [
        ("note 2", "FCCC/CP/2015/10/Add.1", "https://undocs.org/FCCC/CP/2015/10/Add.1"),
        ("note 11", "E/2024/24", "https://undocs.org/E/2024/24"),
    ],
}


def score_links(expected: ExpectedReading, document: ParsedDocument) -> LinkScore:
    """Every expected citation linked to exactly its address where it stands, every symbol
    the reading leaves unlinked (``url`` null) left so, and no other link (but the UN
    symbols a reading leaves out, ``PRINTED_SYMBOLS_NOT_LISTED``)."""
    unclaimed = Counter(found_citations(document))
    unclaimed -= Counter(PRINTED_SYMBOLS_NOT_LISTED.get(expected["symbol"], []))
    score = LinkScore(total=len(expected["citations_seen"]))
    unlinked = []
    for citation in expected["citations_seen"]:
        where, text, url = citation["in"], citation["text"], citation["url"]
        if url is None:
            unlinked.append((where, text))
            continue
        if unclaimed[(where, text, url)] > 0:
            unclaimed[(where, text, url)] -= 1
            score.right += 1
            continue
        others = sorted(link for (w, t, link) in unclaimed.elements() if (w, t) == (where, text))
        score.problems.append(
            f"{where}: {text!r} should link to {url}; "
            + (f"found it linked to {', '.join(others)}" if others else "found no link")
        )
    for where, text in unlinked:
        links = sorted(link for (w, t, link) in unclaimed.elements() if (w, t) == (where, text))
        if links:
            score.problems.append(
                f"{where}: {text!r} is not a General Assembly document and should not be "
                f"linked; found it linked to {', '.join(links)}"
            )
        else:
            score.right += 1
    for (where, text, url), count in sorted(unclaimed.items()):
        if count > 0:
            score.wrong += count
            if not any((where, text) == pair for pair in unlinked):
                score.problems.append(
                    f"{where}: {text!r} linked to {url}"
                    + (f" ({count} times)" if count > 1 else "")
                    + ", a link the expected reading does not have"
                )
    return score
