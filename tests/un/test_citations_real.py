"""The citations of the real texts as their official PDFs print them.

Each ``*.expected.json`` beside a real text lists every citation a reader sees, paragraph by
paragraph and note by note, with the address it must link to, or none when the number is
another body's (a resolution of the United Nations Environment Assembly, a decision of the
Conference of the Parties to the Convention on Biological Diversity). Run over the exact
paragraph and footnote texts, the citation finder must give every listed link with exactly
that address, no link at all where the reading has none, and no link the reading does not
list.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from resolutions.un.parsing import find_citations
from resolutions.un.reading_accuracy import PRINTED_SYMBOLS_NOT_LISTED
from resolutions.un.reference import REAL_TEXTS_DIR

EXPECTED_READINGS = sorted(REAL_TEXTS_DIR.glob("*.expected.json"))

Link = tuple[str, str, str | None]  # where ("pp1", "note 3"), the text as printed, the address


def _reading(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _texts(reading: dict) -> dict[str, str]:
    texts = {paragraph["label"]: paragraph["text"] for paragraph in reading["paragraphs"]}
    texts.update({f"note {note['number']}": note["text"] for note in reading["footnotes"]})
    return texts


def _found(reading: dict) -> Counter[Link]:
    return Counter(
        (place, citation.text, citation.url)
        for place, text in _texts(reading).items()
        for citation in find_citations(text)
    )


def _listed(reading: dict) -> Counter[Link]:
    return Counter((seen["in"], seen["text"], seen["url"]) for seen in reading["citations_seen"])


def _name(path: Path) -> str:
    return path.name.removesuffix(".expected.json")


def test_the_readings_are_there():
    assert [_name(path) for path in EXPECTED_READINGS] == [
        "A-C.1-80-L.9",
        "A-C.2-80-L.28",
        "A-C.6-80-L.10",
        "A-RES-80-161",
        "A-RES-80-46",
    ]


@pytest.mark.parametrize("path", EXPECTED_READINGS, ids=_name)
def test_every_listed_link_is_found_with_its_address(path):
    reading = _reading(path)
    listed = Counter({link: count for link, count in _listed(reading).items() if link[2]})
    assert listed, "the reading lists links"
    assert listed - _found(reading) == Counter()


@pytest.mark.parametrize("path", EXPECTED_READINGS, ids=_name)
def test_a_number_of_another_body_gets_no_link(path):
    reading = _reading(path)
    unlinked = {(place, text) for place, text, url in _listed(reading) if url is None}
    linked = [link for link in _found(reading) if link[:2] in unlinked]
    assert linked == []


@pytest.mark.parametrize("path", EXPECTED_READINGS, ids=_name)
def test_nothing_is_linked_that_the_reading_does_not_list(path):
    reading = _reading(path)
    allowed = _listed(reading) + Counter(PRINTED_SYMBOLS_NOT_LISTED.get(reading["symbol"], []))
    assert _found(reading) - allowed == Counter()


def test_the_other_bodies_numbers_are_where_the_reading_says():
    """The readings' numbers without a link stand in their texts: the tests above read them."""
    reading = _reading(REAL_TEXTS_DIR / "A-C.2-80-L.28.expected.json")
    texts = _texts(reading)
    unlinked = [(seen["in"], seen["text"]) for seen in reading["citations_seen"] if not seen["url"]]
    assert unlinked == [
        ("pp13", "5/14"),
        ("note 6", "15/4"),
        ("note 11", "55/115"),
        ("note 12", "4/1"),
    ]
    assert all(text in texts[place] for place, text in unlinked)
