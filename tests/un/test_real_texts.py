"""Five real UN texts, as the official PDFs give them, read exactly.

Each text in ``resolutions/un/data/texts/real/`` has ``<symbol>.expected.json``: what a
delegate must see in it. Exactly means every paragraph under its label with its text to the
character, every footnote on the paragraph holding its marker, the heading, the sponsors in
order, the section headings, the closing line, every citation linked to its address and no
other, and no warning for a text that is read as printed. A failure lists what differs,
expected against found, item by item.
"""

import functools

import pytest

from resolutions.un.parsing import MONTHS, ParsedDocument, parse_resolution
from resolutions.un.reading_accuracy import (
    read_expected_reading,
    read_real_text,
    real_text_names,
    score_footnotes,
    score_links,
    score_paragraphs,
)
from resolutions.un.text_comparison import ParagraphVersion, compare_versions

NAMES = real_text_names()
VERSION_PAIRS = [
    (name, read_expected_reading(name)["version_pair"]["other"])
    for name in NAMES
    if "version_pair" in read_expected_reading(name)
]


@functools.cache
def parsed(name: str) -> ParsedDocument:
    return parse_resolution(read_real_text(name), read_expected_reading(name)["symbol"])


def listing(problems: list[str]) -> str:
    return f"{len(problems)} differences:\n" + "\n".join(problems)


def as_printed(date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}" if date else ""


def test_there_are_five_real_texts_and_two_version_pairs():
    assert len(NAMES) == 5
    assert sorted(tuple(sorted(pair)) for pair in VERSION_PAIRS) == [
        ("A-C.1-80-L.9", "A-RES-80-46"),
        ("A-C.1-80-L.9", "A-RES-80-46"),
        ("A-C.6-80-L.10", "A-RES-80-161"),
        ("A-C.6-80-L.10", "A-RES-80-161"),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_paragraph_is_read_verbatim_under_its_label(name):
    score = score_paragraphs(read_expected_reading(name), parsed(name))
    assert not score.problems, listing(score.problems)


@pytest.mark.parametrize("name", NAMES)
def test_paragraphs_come_in_order_with_their_part_and_number(name):
    expected = read_expected_reading(name)
    found = {paragraph.label: paragraph for paragraph in parsed(name).paragraphs}
    problems = []
    for paragraph in expected["paragraphs"]:
        got = found.get(paragraph["label"])
        if got is None:
            continue  # reported by the verbatim test
        # The expected reading gives a sub-paragraph's letter bare; the parser keeps it as
        # printed, in brackets.
        number = paragraph["number"]
        printed = f"({number})" if "-" in paragraph["label"] else number
        if (got.part, got.number) != (paragraph["part"], printed):
            problems.append(
                f"{paragraph['label']}: expected {paragraph['part']} {printed!r}, "
                f"found {got.part} {got.number!r}"
            )
    assert not problems, listing(problems)
    assert [p.label for p in parsed(name).paragraphs] == [
        p["label"] for p in expected["paragraphs"]
    ]


@pytest.mark.parametrize("name", NAMES)
def test_paragraph_counts(name):
    expected = read_expected_reading(name)
    paragraphs = parsed(name).paragraphs
    found = {
        "preambular": len([p for p in paragraphs if p.part == "preambular"]),
        "operative": len([p for p in paragraphs if p.part == "operative" and not p.parent_label]),
        "sub-paragraphs": [p.label for p in paragraphs if p.parent_label],
    }
    assert found == {
        "preambular": expected["preambular_count"],
        "operative": expected["operative_count"],
        "sub-paragraphs": expected["sub_paragraph_labels"],
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_footnote_is_read_verbatim_on_the_paragraph_holding_its_marker(name):
    expected = read_expected_reading(name)
    score = score_footnotes(expected, parsed(name))
    assert not score.problems, listing(score.problems)
    assert len(parsed(name).footnotes) == expected["footnote_count"]


@pytest.mark.parametrize("name", NAMES)
def test_each_paragraph_lists_the_footnotes_its_markers_point_to(name):
    found = {paragraph.label: paragraph for paragraph in parsed(name).paragraphs}
    problems = [
        f"{paragraph['label']}: expected markers {paragraph['footnote_markers']}, "
        f"found {found[paragraph['label']].footnote_numbers}"
        for paragraph in read_expected_reading(name)["paragraphs"]
        if paragraph["label"] in found
        and found[paragraph["label"]].footnote_numbers != paragraph["footnote_markers"]
    ]
    assert not problems, listing(problems)


@pytest.mark.parametrize("name", NAMES)
def test_sponsors_in_order(name):
    expected = read_expected_reading(name)
    # An adopted resolution names no sponsors: the expected reading says null.
    assert parsed(name).sponsors == (expected["sponsors"] or [])
    assert len(parsed(name).sponsors) == expected["sponsor_count"]


@pytest.mark.parametrize("name", NAMES)
def test_heading_adoption_and_closing(name):
    expected = read_expected_reading(name)
    heading = expected["heading"]
    document = parsed(name)
    found = {
        "kind": document.kind,
        "title": document.title,
        "session": document.session_title,
        "committee": document.committee,
        "agenda_item": document.agenda_item,
        "agenda_title": document.agenda_title,
        "distribution": document.distribution,
        "date": as_printed(document.date),
        "original_language": document.original_language,
        "adopted": document.adoption,
        "committee_report": document.committee_report,
        "closing": document.closing.strip(),
    }
    assert found == {
        "kind": heading["kind"],
        "title": heading["title"],
        "session": heading["session"],
        "committee": heading["committee"],
        "agenda_item": heading["agenda_item"],
        "agenda_title": heading["agenda_title"],
        "distribution": heading["distribution"],
        "date": heading["date"],
        "original_language": heading["original_language"],
        # A draft has no adoption line, no committee report and no closing line.
        "adopted": heading.get("adopted", ""),
        "committee_report": heading.get("committee_report", ""),
        "closing": (expected["closing"] or "").strip(),
    }


@pytest.mark.parametrize("name", NAMES)
def test_section_headings_in_order(name):
    expected = read_expected_reading(name)["section_headings"]
    assert [section.text for section in parsed(name).sections] == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_citation_is_linked_to_its_address_and_nothing_else_is_linked(name):
    score = score_links(read_expected_reading(name), parsed(name))
    assert not score.problems, listing(score.problems)
    assert score.wrong == 0


@pytest.mark.parametrize("name", NAMES)
def test_a_text_read_as_printed_imports_without_a_warning(name):
    assert parsed(name).warnings == []


def unchanged_pairs_problems(a: list[ParagraphVersion], b: list[ParagraphVersion]) -> list[str]:
    comparison = compare_versions(a, b)
    return [
        f"{pair.a} → {pair.b}: {pair.status}"
        + "".join(
            f" [{change.op}: {change.text!r}]" for change in pair.words if change.op != "equal"
        )
        for pair in comparison.pairs
        if pair.status != "unchanged" or pair.a != pair.b
    ]


@pytest.mark.parametrize(("name", "other"), VERSION_PAIRS)
def test_a_draft_and_the_resolution_it_became_compare_as_unchanged(name, other):
    """Their wording is the same word for word; the resolution prints non-breaking hyphens
    where the draft has plain ones, which a delegate does not see as a change."""

    def versions(source: str) -> list[ParagraphVersion]:
        return [
            ParagraphVersion(paragraph["label"], paragraph["text"])
            for paragraph in read_expected_reading(source)["paragraphs"]
        ]

    problems = unchanged_pairs_problems(versions(name), versions(other))
    assert not problems, listing(problems)


@pytest.mark.parametrize(("name", "other"), VERSION_PAIRS)
def test_the_parsed_draft_and_resolution_compare_as_unchanged(name, other):
    def versions(source: str) -> list[ParagraphVersion]:
        return [ParagraphVersion(p.label, p.text) for p in parsed(source).paragraphs]

    problems = unchanged_pairs_problems(versions(name), versions(other))
    assert not problems, listing(problems)
