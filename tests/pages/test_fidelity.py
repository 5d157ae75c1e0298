"""The seed fixtures against the seed text itself: a dropped word or a typo fails here.

The seed is read from the repository's copy of the text as issued
(``resolutions/un/data/seed/``), never from the fixtures. Its markdown (``[75/240](#)``
links and ``*Decides*`` italics) is stripped and whitespace normalised; then every piece
the fixtures hold (header, sponsors, title, each paragraph with its number and footnote
markers, each footnote) is taken out of the text in order, and nothing may be left over.
"""

import re

import pytest

from resolutions.models import Citation, Document, Footnote, Paragraph, Sponsorship
from resolutions.pages.reading import sponsor_sentence
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH

SUPERSCRIPTS = {1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_plain_text() -> str:
    raw = SEED_TEXT_PATH.read_text(encoding="utf-8")
    raw = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", raw)
    raw = re.sub(r"\*([^*]+)\*", r"\1", raw)
    return normalise(raw)


def with_markers(paragraph: Paragraph) -> str:
    text = paragraph.text
    for footnote in sorted(paragraph.footnotes.all(), key=lambda f: -f.position):
        text = text[: footnote.position] + SUPERSCRIPTS[footnote.number] + text[footnote.position :]
    return text


def take(haystack: str, needle: str, cursor: int) -> tuple[str, int]:
    """Remove ``needle`` from ``haystack`` at or after ``cursor``; fail if it is missing."""
    index = haystack.find(needle, cursor)
    assert index >= 0, f"not in the seed text (at or after offset {cursor}): {needle[:120]!r}"
    return haystack[:index] + haystack[index + len(needle) :], index


@pytest.fixture
def seed(db):
    return Document.objects.select_related("agenda_listing__agenda_item").get(slug=SEED_SLUG)


def test_every_word_of_the_seed_is_in_the_fixtures_and_nothing_else(seed):
    text = seed_plain_text()
    footnotes = Footnote.objects.filter(document=seed).order_by("number")
    for footnote in footnotes:
        # Footnotes stand where the source's page ended, not in reading order.
        text, _ = take(text, normalise(f"{SUPERSCRIPTS[footnote.number]} {footnote.text}"), 0)
    names = [s.name_as_printed for s in Sponsorship.objects.printed_for(seed)]
    pieces = [
        "General Assembly",
        f"Distr.: {seed.distribution}",
        "8 October 2021",
        f"Original: {seed.original_language}",
        seed.session_title,
        seed.committee,
        f"Agenda item {seed.agenda_listing.item_number}",
        seed.agenda_listing.agenda_item.title,
        sponsor_sentence(names, seed),
        seed.title,
        "The General Assembly,",
    ]
    for paragraph in Paragraph.objects.filter(document=seed).prefetch_related("footnotes"):
        number = f"{paragraph.number}." if paragraph.number.isdigit() else paragraph.number
        pieces.append(normalise(f"{number} {with_markers(paragraph)}"))
    cursor = 0
    for piece in pieces:
        text, cursor = take(text, piece, cursor)
    assert text.strip() == ""


def test_seed_has_thirteen_preambular_and_seven_operative_paragraphs(seed):
    paragraphs = Paragraph.objects.filter(document=seed)
    preambular = [p.label for p in paragraphs if p.part == "preambular"]
    operative = [p.label for p in paragraphs if p.part == "operative" and not p.parent_id]
    assert preambular == [f"pp{i}" for i in range(1, 14)]
    assert operative == [f"op{i}" for i in range(1, 8)]
    subparagraphs = paragraphs.filter(parent__label="op6")
    assert [(p.label, p.number) for p in subparagraphs] == [("op6-a", "(a)"), ("op6-b", "(b)")]


def test_preambular_paragraph_three_reads_as_one_paragraph(seed):
    pp3 = Paragraph.objects.get(document=seed, label="pp3")
    assert "and that the use of information and communications technologies in future" in (pp3.text)
    assert pp3.text.endswith("is becoming more likely,")


def test_footnotes_belong_to_the_paragraphs_carrying_their_markers(seed):
    footnotes = Footnote.objects.filter(document=seed).select_related("paragraph")
    assert [(f.number, f.paragraph.label) for f in footnotes] == [
        (1, "pp13"),
        (2, "op1"),
        (3, "op2"),
    ]
    for footnote in footnotes:
        # The marker stands right after the paragraph's closing punctuation.
        assert footnote.position == len(footnote.paragraph.text)


def test_sponsors_are_the_fifty_five_names_as_printed_in_order(seed):
    raw = SEED_TEXT_PATH.read_text(encoding="utf-8")
    sponsor_line = next(line for line in raw.splitlines() if line.endswith(": draft resolution"))
    listed = sponsor_line.removesuffix(": draft resolution")
    head, last = listed.rsplit(" and ", 1)
    expected = [*head.split(", "), last]
    sponsorships = list(Sponsorship.objects.printed_for(seed))
    assert [s.name_as_printed for s in sponsorships] == expected
    assert len(sponsorships) == 55
    by_printed = {s.name_as_printed: s.state.name for s in sponsorships}
    # Names change: the 2021 list says "Netherlands", today's list says otherwise.
    assert by_printed["Netherlands"] == "Netherlands (Kingdom of the)"
    for sponsorship in sponsorships:
        assert sponsorship.name_as_printed in sponsorship.state.all_names


def test_citations_are_the_bracketed_symbols_of_the_seed(seed):
    raw = SEED_TEXT_PATH.read_text(encoding="utf-8")
    bracketed = re.findall(r"\[([^\]]+)\]\(#\)", raw)
    in_paragraphs = Citation.objects.filter(paragraph__document=seed, footnote__isnull=True)
    found = [c.text.split(" ")[0] for c in in_paragraphs.order_by("paragraph__order", "start")]
    assert found == bracketed


def test_first_preambular_paragraph_cites_26_resolutions_and_2_decisions(seed):
    citations = Citation.objects.filter(paragraph__document=seed, paragraph__label="pp1")
    kinds = [c.kind for c in citations]
    assert kinds.count("resolution") == 26
    assert kinds.count("decision") == 2
    assert citations.get(text="43/78 H").symbol == "A/RES/43/78H"
    assert citations.get(text="72/512").symbol == "A/DEC/72/512"
    assert citations.get(text="75/564").url == "https://undocs.org/A/DEC/75/564"
    op4 = Citation.objects.get(paragraph__document=seed, paragraph__label="op4")
    assert (op4.kind, op4.symbol) == ("resolution", "A/RES/75/240")


def test_footnotes_cite_five_reports(seed):
    reports = Citation.objects.filter(paragraph__document=seed, footnote__isnull=False)
    assert [c.symbol for c in reports.order_by("footnote__number", "start")] == [
        "A/65/201",
        "A/68/98",
        "A/70/174",
        "A/75/816",
        "A/76/135",
    ]
    assert {c.kind for c in reports} == {"report"}


def test_every_citation_points_at_its_own_text(seed):
    for citation in Citation.objects.filter(paragraph__document=seed).select_related(
        "paragraph", "footnote"
    ):
        source = citation.footnote.text if citation.footnote else citation.paragraph.text
        assert source[citation.start : citation.end] == citation.text


def test_opening_phrases_are_prefixes_of_the_text(seed):
    leads = dict(Paragraph.objects.filter(document=seed).values_list("label", "lead"))
    assert leads["pp1"] == "Recalling"
    assert leads["pp13"] == "Guided by"
    assert leads["op1"] == "Recognizes"
    assert leads["op3"] == "Calls upon"
    assert leads["op5"] == "Underlines further"
    assert leads["op6-a"] == ""
    for paragraph in Paragraph.objects.filter(document=seed):
        assert paragraph.text.startswith(paragraph.lead)
