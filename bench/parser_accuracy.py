"""``make accuracy``: how exactly the parser reads the real UN texts.

For each real text in ``resolutions/un/data/texts/real/`` (the official PDFs' text), against
its ``.expected.json``: paragraphs read verbatim under their label, footnotes read verbatim on
the paragraph holding their marker, citations linked right (or rightly left unlinked), and
links the expected reading does not have. ``tests/un/test_real_texts.py`` asserts the same
counts are full; this prints how far the parser is from that.

    python bench/parser_accuracy.py [--problems]

``--problems`` lists every difference under its text, expected against found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolutions.un.parsing import parse_resolution  # noqa: E402 -- after the path is set
from resolutions.un.reading_accuracy import (  # noqa: E402
    read_expected_reading,
    read_real_text,
    real_text_names,
    score_footnotes,
    score_links,
    score_paragraphs,
)

COLUMNS = ("paragraphs verbatim", "footnotes placed", "links right", "wrong links")


def measure(name: str) -> tuple[str, list[str], list[str]]:
    """The symbol of ``name``, its four counts as printed, and what differs."""
    expected = read_expected_reading(name)
    document = parse_resolution(read_real_text(name), expected["symbol"])
    paragraphs = score_paragraphs(expected, document)
    footnotes = score_footnotes(expected, document)
    links = score_links(expected, document)
    counts = [paragraphs.right, paragraphs.total, footnotes.right, footnotes.total]
    counts += [links.right, links.total, links.wrong]
    problems = paragraphs.problems + footnotes.problems + links.problems
    return expected["symbol"], counts, problems


def row(label: str, counts: list[int]) -> str:
    right, total = counts[0:6:2], counts[1:6:2]
    cells = [f"{r}/{t}" for r, t in zip(right, total, strict=True)] + [str(counts[6])]
    return f"{label:<16}" + "".join(
        f"{cell:>{len(column) + 2}}" for cell, column in zip(cells, COLUMNS, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--problems", action="store_true", help="List every difference under its text."
    )
    args = parser.parse_args(argv)
    print(f"{'text':<16}" + "".join(f"  {column}" for column in COLUMNS))
    totals = [0] * 7
    listings = []
    for name in real_text_names():
        symbol, counts, problems = measure(name)
        print(row(symbol, counts))
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        listings.append((symbol, problems))
    print(row("all", totals))
    if args.problems:
        for symbol, problems in listings:
            print(f"\n{symbol}: {len(problems)} differences")
            for problem in problems:
                print(f"  {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
