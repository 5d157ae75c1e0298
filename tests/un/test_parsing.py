"""The resolution parser against the seed draft, four adopted resolutions and odd input.

No database and no Django: ``resolutions.un.parsing`` is plain Python. The texts are the
repository's reference copies in ``resolutions/un/data/``.
"""

import datetime
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions.un.parsing import Citation, ParseError, find_citations, parse_resolution
from resolutions.un.reference import SEED_TEXT, TEXTS_DIR

SEED_PATH = SEED_TEXT
TEXTS = TEXTS_DIR
SEED_SYMBOL = "A/C.1/76/L.13"
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return parse_resolution(read(SEED_PATH), symbol=SEED_SYMBOL)


def paragraph(document, label):
    return next(p for p in document.paragraphs if p.label == label)


def by_part(document, part, *, sub=False):
    return [
        p for p in document.paragraphs if p.part == part and (p.parent_label is not None) == sub
    ]


# --- The seed draft: heading -------------------------------------------------------------------


def test_seed_heading_is_read(seed):
    assert seed.distribution == "Limited"
    assert seed.date == datetime.date(2021, 10, 8)
    assert seed.original_language == "English"
    assert seed.session == 76
    assert seed.session_title == "Seventy-sixth session"
    assert seed.committee == "First Committee"


def test_seed_agenda_item(seed):
    assert seed.agenda_item == "95"
    assert seed.agenda_title == (
        "Developments in the field of information and telecommunications in the context of "
        "international security"
    )


def test_seed_is_a_draft_with_the_callers_symbol(seed):
    assert seed.kind == "draft"
    assert seed.symbol == SEED_SYMBOL


def test_seed_without_a_symbol_has_none_and_is_still_a_draft():
    document = parse_resolution(read(SEED_PATH))
    assert document.symbol is None
    assert document.kind == "draft"


def test_seed_title(seed):
    assert seed.title == (
        "Developments in the field of information and telecommunications in the context of "
        "international security, and advancing responsible State behaviour in the use of "
        "information and communications technologies"
    )


def test_seed_has_fifty_five_sponsors_in_printed_order(seed):
    assert len(seed.sponsors) == 55
    assert seed.sponsors[0] == "Australia"
    assert seed.sponsors[-1] == "Zimbabwe"
    assert seed.sponsors[-2] == "Uzbekistan"
    assert "Netherlands" in seed.sponsors
    assert "Lao People's Democratic Republic" in seed.sponsors
    assert "United Kingdom of Great Britain and Northern Ireland" in seed.sponsors
    assert seed.sponsors.index("Austria") == 1


def test_seed_has_no_warnings(seed):
    assert seed.warnings == []


# --- The seed draft: paragraphs ----------------------------------------------------------------


def test_seed_has_thirteen_preambular_paragraphs(seed):
    preambular = by_part(seed, "preambular")
    assert [p.label for p in preambular] == [f"pp{n}" for n in range(1, 14)]
    assert all(p.number == "" and p.parent_label is None for p in preambular)


def test_seed_has_seven_operative_paragraphs(seed):
    operative = by_part(seed, "operative")
    assert [p.label for p in operative] == [f"op{n}" for n in range(1, 8)]
    assert [p.number for p in operative] == [str(n) for n in range(1, 8)]


def test_seed_operative_paragraph_6_has_two_sub_paragraphs(seed):
    subs = by_part(seed, "operative", sub=True)
    assert [(p.label, p.number, p.parent_label) for p in subs] == [
        ("op6-a", "(a)", "op6"),
        ("op6-b", "(b)", "op6"),
    ]


def test_seed_paragraphs_are_in_document_order(seed):
    expected = [f"pp{n}" for n in range(1, 14)]
    expected += ["op1", "op2", "op3", "op4", "op5", "op6", "op6-a", "op6-b", "op7"]
    assert [p.label for p in seed.paragraphs] == expected
    assert [p.order for p in seed.paragraphs] == list(range(1, 23))


def test_seed_pp3_is_rejoined_across_the_page_break(seed):
    assert paragraph(seed, "pp3").text.endswith(
        "for military purposes and that the use of information and communications "
        "technologies in future conflicts between States is becoming more likely,"
    )


@pytest.mark.parametrize(
    ("label", "lead"),
    [
        ("pp1", "Recalling"),
        ("pp2", "Stressing"),
        ("pp5", "Expressing concern"),
        ("pp6", "Expressing concern also"),
        ("pp8", "Underlining"),
        ("pp11", "Reaffirming also"),
        ("pp13", "Guided by"),
        ("op1", "Recognizes"),
        ("op3", "Calls upon"),
        ("op5", "Underlines further"),
        ("op7", "Decides"),
        ("op6-a", ""),
    ],
)
def test_seed_leads(seed, label, lead):
    found = paragraph(seed, label)
    assert found.lead == lead
    assert found.text.startswith(lead)


def test_seed_operative_text_drops_number_and_markdown(seed):
    op1 = paragraph(seed, "op1")
    assert op1.text.startswith("Recognizes the adoption")
    assert "*" not in op1.text
    assert "²" not in op1.text


def test_seed_op6_a_is_a_sub_paragraph_without_lead(seed):
    op6a = paragraph(seed, "op6-a")
    assert op6a.number == "(a)"
    assert op6a.lead == ""
    assert op6a.text == (
        "Efforts taken at the national level to strengthen information security and promote "
        "international cooperation in this field;"
    )


def test_seed_op7_ends_with_the_closing_quote_and_full_stop(seed):
    assert paragraph(seed, "op7").text.endswith("in the context of international security”.")


def test_seed_keeps_en_dashes_and_curly_quotes(seed):
    assert "2021–2025" in paragraph(seed, "op4").text
    assert "“Developments" in paragraph(seed, "op7").text


def test_seed_texts_are_word_for_word_the_source(seed):
    """Put numbers and markers back, and every paragraph and note is found in the source in
    order; what is left is exactly the heading."""
    source = read(SEED_PATH)
    source = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", source)
    source = re.sub(r"\*([^*]+)\*", r"\1", source)
    source = " ".join(source.split())
    for footnote in seed.footnotes:
        note = f"{str(footnote.number).translate(SUPERSCRIPTS)} {footnote.text}"
        assert note in source
        source = source.replace(note, "", 1)
    source = " ".join(source.split())
    cursor = source.index("The General Assembly,") + len("The General Assembly,")
    heading, body = source[:cursor], source[cursor:]
    markers = {f.paragraph_label: f for f in seed.footnotes}
    for found in seed.paragraphs:
        text = found.text
        if found.label in markers:
            footnote = markers[found.label]
            position = footnote.marker_position
            marker = str(footnote.number).translate(SUPERSCRIPTS)
            text = text[:position] + marker + text[position:]
        number = f"{found.number}." if found.number.isdigit() else found.number
        piece = f"{number} {text}".strip()
        index = body.find(piece)
        assert index >= 0, piece[:80]
        body = body[:index] + body[index + len(piece) :]
    assert body.strip() == ""
    assert seed.title in heading
    assert ", ".join(seed.sponsors[:-1]) + " and Zimbabwe: draft resolution" in heading


# --- The seed draft: footnotes and citations ---------------------------------------------------


def test_seed_footnotes_are_tied_to_their_paragraphs(seed):
    assert [(f.number, f.paragraph_label) for f in seed.footnotes] == [
        (1, "pp13"),
        (2, "op1"),
        (3, "op2"),
    ]
    assert [f.text for f in seed.footnotes] == [
        "A/65/201, A/68/98 and A/70/174.",
        "A/75/816.",
        "A/76/135.",
    ]
    assert paragraph(seed, "pp13").footnote_numbers == [1]
    assert paragraph(seed, "op1").footnote_numbers == [2]


def test_seed_footnote_markers_stand_after_the_trailing_punctuation(seed):
    for footnote in seed.footnotes:
        text = paragraph(seed, footnote.paragraph_label).text
        # "Security,¹" and "Security;²": the marker followed the punctuation in the source.
        assert footnote.marker_position == len(text)
    assert paragraph(seed, "pp13").text.endswith("International Security,")


def test_seed_pp1_cites_26_resolutions_and_2_decisions(seed):
    citations = paragraph(seed, "pp1").citations
    kinds = [c.kind for c in citations]
    assert kinds.count("resolution") == 26
    assert kinds.count("decision") == 2
    assert [c.symbol for c in citations if c.kind == "decision"] == [
        "A/DEC/72/512",
        "A/DEC/75/564",
    ]
    first = citations[0]
    assert (first.text, first.symbol) == ("43/78 H", "A/RES/43/78H")
    assert first.url == "https://undocs.org/A/RES/43/78H"


def test_seed_citation_offsets_point_into_the_clean_text(seed):
    for found in seed.paragraphs:
        for citation in found.citations:
            assert found.text[citation.start : citation.end] == citation.text


def test_seed_op4_cites_resolution_75_240(seed):
    citations = paragraph(seed, "op4").citations
    assert [(c.kind, c.text, c.symbol) for c in citations] == [
        ("resolution", "75/240", "A/RES/75/240")
    ]


def test_seed_footnotes_cite_five_reports(seed):
    citations = [c for footnote in seed.footnotes for c in footnote.citations]
    assert [(c.kind, c.symbol) for c in citations] == [
        ("report", "A/65/201"),
        ("report", "A/68/98"),
        ("report", "A/70/174"),
        ("report", "A/75/816"),
        ("report", "A/76/135"),
    ]
    assert citations[0].url == "https://undocs.org/A/65/201"


# --- Four adopted resolutions, extracted from the PDFs -----------------------------------------
#
# Counts checked by reading each file with line numbers (cat -n): preambular paragraphs are the
# blocks between "The General Assembly," and "1."; a block that continues a sentence after a
# page break or a running header (lower-case start, or the previous block not ending in , ; :
# or .) is the same paragraph; the "52nd plenary meeting" line and the [^n] notes are not
# paragraphs.
#
# A/RES/80/16: pp on lines 19, 21, 23 (3); op 1-4 on lines 25, 27 (+31, after the running header
#   "Open-ended working group on security of and in the use of" on line 29), 33, 35 (4); no notes.
# A/RES/80/22: pp on lines 19-43 (12; line 31 continues line 29 after a page break); op 1-7
#   (7; line 57 continues line 55); notes 1-4 (lines 64-70).
# A/RES/80/23: pp on lines 19-39 (9; line 31 continues line 27 across the title header on
#   line 29); op 1-4 (4); note 1 (line 52).
# A/RES/80/44: pp on lines 19-69 (21; lines 19-25 are one paragraph, 35 continues 33, 57
#   continues 55); op 1-11 (11; line 91 continues 89); notes 1-14 (lines 98-130).
# None has lettered sub-paragraphs.

REAL_TEXTS = {
    "A-RES-80-16.txt": {
        "symbol": "A/RES/80/16",
        "preambular": 3,
        "operative": 4,
        "subs": 0,
        "footnotes": 0,
        "agenda_item": "94",
        "date": datetime.date(2025, 12, 5),
        "spot": (
            "op2",
            "as endorsed by the General Assembly in its resolution 79/237, and the additional "
            "elements agreed in annex I to document A/80/257, in order to ensure",
        ),
    },
    "A-RES-80-22.txt": {
        "symbol": "A/RES/80/22",
        "preambular": 12,
        "operative": 7,
        "subs": 0,
        "footnotes": 4,
        "agenda_item": "98",
        "date": datetime.date(2025, 12, 5),
        "spot": (
            "pp6",
            "Development, Production and Stockpiling of Bacteriological (Biological) and Toxin "
            "Weapons and on Their Destruction",
        ),
    },
    "A-RES-80-23.txt": {
        "symbol": "A/RES/80/23",
        "preambular": 9,
        "operative": 4,
        "subs": 0,
        "footnotes": 1,
        "agenda_item": "99",
        "date": datetime.date(2025, 12, 3),
        "spot": (
            "pp5",
            "increasing the possibility of induced distortions in decision-making environments",
        ),
    },
    "A-RES-80-44.txt": {
        "symbol": "A/RES/80/44",
        "preambular": 21,
        "operative": 11,
        "subs": 0,
        "footnotes": 14,
        "agenda_item": "99 (w)",
        "date": datetime.date(2025, 12, 3),
        "spot": (
            "pp15",
            "Recalling the work done in 2012 and 2013 by the Group of Governmental Activities, "
            "which was convened by the Secretary-General, on the basis of equitable "
            "geographical distribution, to conduct a study on outer space transparency and "
            "confidence-building measures,",
        ),
    },
}


@pytest.fixture(scope="module")
def real():
    return {name: parse_resolution(read(TEXTS / name)) for name in REAL_TEXTS}


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_paragraph_counts(real, name):
    expected = REAL_TEXTS[name]
    document = real[name]
    assert len(by_part(document, "preambular")) == expected["preambular"]
    assert len(by_part(document, "operative")) == expected["operative"]
    assert len([p for p in document.paragraphs if p.parent_label]) == expected["subs"]
    assert len(document.footnotes) == expected["footnotes"]


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_operative_paragraphs_are_numbered_from_one(real, name):
    operative = by_part(real[name], "operative")
    assert [p.number for p in operative] == [str(n) for n in range(1, len(operative) + 1)]


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_heading(real, name):
    expected = REAL_TEXTS[name]
    document = real[name]
    assert document.symbol == expected["symbol"]
    assert document.kind == "resolution"
    assert document.distribution == "General"
    assert document.date == expected["date"]
    assert document.session == 80
    assert document.session_title == "Eightieth session"
    # An adopted resolution prints its committee only in the report line, kept as printed.
    assert document.committee == ""
    assert document.committee_report.startswith("[on the report of the First Committee (A/80/")
    assert document.adoption.startswith("Resolution adopted by the General Assembly on ")
    assert document.agenda_item == expected["agenda_item"]
    assert document.sponsors == []
    assert "No sponsor list found" not in document.warnings


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_spot_check(real, name):
    label, excerpt = REAL_TEXTS[name]["spot"]
    assert excerpt in paragraph(real[name], label).text


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_leaves_out_closing_line_and_page_furniture(real, name):
    for found in real[name].paragraphs:
        assert "plenary meeting" not in found.text
        assert "[^" not in found.text
        assert "Open-ended working group on security" not in found.text


@pytest.mark.parametrize("name", REAL_TEXTS)
def test_real_text_every_footnote_finds_its_marker(real, name):
    for footnote in real[name].footnotes:
        assert footnote.paragraph_label is not None, footnote.number
        text = paragraph(real[name], footnote.paragraph_label).text
        assert 0 <= footnote.marker_position <= len(text)
    assert not [w for w in real[name].warnings if "Footnote" in w]


def test_real_80_16_title_cut_at_a_line_break_is_reported(real):
    document = real["A-RES-80-16.txt"]
    assert document.title == "Open-ended working group on security of and in the use of"
    assert any("title seems cut off" in warning for warning in document.warnings)


def test_real_80_16_agenda_title_comes_from_the_merged_heading_line(real):
    assert real["A-RES-80-16.txt"].agenda_title == (
        "Developments in the field of information and telecommunications in the context of "
        "international security"
    )


def test_real_80_16_citations(real):
    document = real["A-RES-80-16.txt"]
    assert [(c.kind, c.symbol) for c in paragraph(document, "pp2").citations] == [
        ("decision", "A/DEC/77/512"),
        ("decision", "A/DEC/78/541"),
        ("resolution", "A/RES/79/237"),
    ]
    assert [(c.kind, c.symbol) for c in paragraph(document, "pp3").citations] == [
        ("report", "A/80/257"),
        ("report", "A/AC.292/2025/INF/5/Rev.1"),
    ]


def test_real_80_16_leads(real):
    document = real["A-RES-80-16.txt"]
    assert [p.lead for p in document.paragraphs] == [
        "Recalling",
        "Recalling also",
        "Recalling further",
        "Decides",
        "Requests",
        "Also requests",
        "Also decides",
    ]


def test_real_80_22_markers_glued_or_spaced_are_removed(real):
    document = real["A-RES-80-22.txt"]
    pp6 = paragraph(document, "pp6")
    assert pp6.text.endswith(
        "relevant to the Convention and to provide States Parties with relevant advice,"
    )
    assert pp6.footnote_numbers == [1, 2]
    first, second = document.footnotes[0], document.footnotes[1]
    assert pp6.text[: first.marker_position].endswith("relevant to the Convention")
    assert second.marker_position == len(pp6.text)
    assert document.footnotes[3].paragraph_label == "op3"
    assert document.footnotes[3].text == "A/80/237."


def test_real_80_23_title_is_completed_from_the_agenda_sub_item(real):
    document = real["A-RES-80-23.txt"]
    assert document.title == (
        "Possible risks of the integration of artificial intelligence into command, control "
        "and communications systems of nuclear weapons"
    )
    assert any("completed" in warning for warning in document.warnings)


def test_real_80_23_operative_paragraph_without_an_opening_verb_has_no_lead(real):
    op2 = paragraph(real["A-RES-80-23.txt"], "op2")
    assert op2.text.startswith("Pending the total elimination of nuclear weapons, urges")
    assert op2.lead == ""


def test_real_80_23_footnote_cites_a_special_session_resolution(real):
    footnote = real["A-RES-80-23.txt"].footnotes[0]
    assert footnote.paragraph_label == "pp2"
    assert [(c.kind, c.symbol) for c in footnote.citations] == [("resolution", "A/RES/S-10/2")]


def test_real_80_44_footnote_number_glued_to_a_year(real):
    document = real["A-RES-80-44.txt"]
    pp8 = paragraph(document, "pp8")
    assert "the agenda and the indicative timetable for 2025–2028 and the beginning" in pp8.text
    assert pp8.footnote_numbers == [2, 3]
    assert [f.paragraph_label for f in document.footnotes] == [
        "pp2", "pp8", "pp8", "pp9", "pp9", "pp10", "pp12", "pp17", "pp17", "pp19", "pp20",
        "op6", "op10", "op10",
    ]  # fmt: skip


def test_real_80_44_pp1_cites_19_resolutions_and_a_decision(real):
    citations = paragraph(real["A-RES-80-44.txt"], "pp1").citations
    assert [c.kind for c in citations] == ["resolution"] * 19 + ["decision"]
    assert citations[-1].symbol == "A/DEC/66/517"


def test_real_80_44_multi_line_footnote_is_joined(real):
    footnote = next(f for f in real["A-RES-80-44.txt"].footnotes if f.number == 6)
    assert footnote.text.startswith("Argentina, Armenia, Belarus")
    assert "Lao People’s Democratic Republic" in footnote.text
    assert footnote.text.endswith("Viet Nam and Zimbabwe.")


# --- Page furniture, footnotes and numbering in small texts ------------------------------------

ADOPTED = """\
United Nations

General Assembly Distr.: General 5 December 2025

Eightieth session Agenda item 94

Resolution adopted by the General Assembly on 1 December 2025

80/99. Cooperation on something

The General Assembly,

Recalling its resolution 79/237 of 24 December 2024,

1. Welcomes the report on the security1 of the use of
A/RES/80/99
2/5
information technologies;

2. Decides to remain seized of the matter.

52nd plenary meeting 1 December 2025

1 A/80/257.
"""


def test_glued_marker_with_a_plain_note_is_found():
    document = parse_resolution(ADOPTED)
    op1 = paragraph(document, "op1")
    assert op1.text == (
        "Welcomes the report on the security of the use of information technologies;"
    )
    [footnote] = document.footnotes
    assert (footnote.number, footnote.text, footnote.paragraph_label) == (1, "A/80/257.", "op1")
    assert op1.text[: footnote.marker_position].endswith("security")


def test_symbol_and_page_number_lines_are_dropped():
    document = parse_resolution(ADOPTED)
    assert document.symbol == "A/RES/80/99"
    assert document.title == "Cooperation on something"
    assert [p.label for p in document.paragraphs] == ["pp1", "op1", "op2"]
    assert document.warnings == []


def test_the_callers_symbol_does_not_override_the_printed_one():
    document = parse_resolution(ADOPTED, symbol="A/RES/80/98")
    assert document.symbol == "A/RES/80/99"
    assert any("A/RES/80/98" in warning for warning in document.warnings)


PDF_DRAFT = """\
United Nations A/C.1/76/L.13

General Assembly Distr.: Limited
8 October 2021

Original: English

21-14545 (E) 111021
*2114545*

Seventy-sixth session
First Committee
Agenda item 95
Developments in the field of information and telecommunications
in the context of international security

Bosnia and Herzegovina, Brazil, Trinidad and Tobago and Zimbabwe: draft resolution

Advancing responsible State behaviour in the use of information and
communications technologies

The General Assembly,

Recalling its resolutions 43/78 H of 7 December 1988 and 75/240 of 31 December
2020, as well as its decisions 72/512 of 4 December 2017 and 75/564 of 28 April
2021,

Guided by the 2010, 2013 and 2015 reports of the Group of Governmental Experts,1

1 A/65/201, A/68/98 and A/70/174.

A/C.1/76/L.13

2/4 21-14545

1. Recognizes the adoption of the consensus final report;2
2. Invites all Member States to send their views on:
(a) Efforts taken at the national level;
(b) The content of the concepts;
3. Decides to include the item in the provisional agenda of its seventy-seventh
session.

2 A/75/816.
"""


def test_pdf_draft_with_page_furniture_and_lines_instead_of_blank_lines():
    document = parse_resolution(PDF_DRAFT)
    assert document.symbol == "A/C.1/76/L.13"
    assert document.kind == "draft"
    assert document.title == (
        "Advancing responsible State behaviour in the use of information and communications "
        "technologies"
    )
    assert document.sponsors == [
        "Bosnia and Herzegovina",
        "Brazil",
        "Trinidad and Tobago",
        "Zimbabwe",
    ]
    assert [p.label for p in document.paragraphs] == [
        "pp1", "pp2", "op1", "op2", "op2-a", "op2-b", "op3",
    ]  # fmt: skip
    assert paragraph(document, "op3").text == (
        "Decides to include the item in the provisional agenda of its seventy-seventh session."
    )
    assert [(f.number, f.paragraph_label) for f in document.footnotes] == [(1, "pp2"), (2, "op1")]
    assert paragraph(document, "pp2").text.endswith("Group of Governmental Experts,")
    assert document.warnings == []


def draft(body: str, sponsors: str = "France and Germany: draft resolution") -> str:
    return f"General Assembly\n\n{sponsors}\n\nA title\n\nThe General Assembly,\n\n{body}"


def test_roman_sub_paragraphs_sit_under_their_lettered_paragraph():
    document = parse_resolution(
        draft(
            "Recalling its resolutions,\n\n1. Decides:\n\n(a) First;\n\n(b) Second:\n\n"
            "(i) One;\n\n(ii) Two;\n\n(c) Third;\n\n2. Requests the Secretary-General to report."
        )
    )
    assert [(p.label, p.number, p.parent_label) for p in document.paragraphs] == [
        ("pp1", "", None),
        ("op1", "1", None),
        ("op1-a", "(a)", "op1"),
        ("op1-b", "(b)", "op1"),
        ("op1-b-i", "(i)", "op1-b"),
        ("op1-b-ii", "(ii)", "op1-b"),
        ("op1-c", "(c)", "op1"),
        ("op2", "2", None),
    ]
    assert document.warnings == []


def test_i_after_h_is_a_letter():
    items = "\n\n".join(f"({letter}) Item;" for letter in "abcdefghij")
    document = parse_resolution(draft(f"Recalling,\n\n1. Decides:\n\n{items}"))
    assert [p.label for p in document.paragraphs if p.parent_label] == [
        f"op1-{letter}" for letter in "abcdefghij"
    ]


def test_operative_numbering_jump_is_reported():
    document = parse_resolution(draft("Recalling,\n\n1. Decides;\n\n2. Notes;\n\n4. Requests."))
    assert "Operative paragraph numbering jumps from 2 to 4" in document.warnings
    assert [p.label for p in document.paragraphs] == ["pp1", "op1", "op2", "op4"]


def test_marker_without_a_note_is_reported():
    document = parse_resolution(draft("Recalling,¹\n\n1. Decides.⁴"))
    assert "Footnote 1 has a marker in PP1 (after “Recalling,”) but no note." in document.warnings
    assert (
        "Footnote 4 has a marker in operative paragraph 1 (after “Decides.”) but no note."
        in document.warnings
    )
    assert paragraph(document, "op1").text == "Decides."


def test_note_without_a_marker_is_reported():
    document = parse_resolution(draft("Recalling,\n\n1. Decides.\n\n² A/75/816."))
    assert (
        "Footnote 2 (“A/75/816.”) was not placed: its marker was not found in the text, so it "
        "is listed under no paragraph." in document.warnings
    )
    assert document.footnotes[0].paragraph_label is None


def test_draft_without_sponsors_is_reported():
    document = parse_resolution(draft("Recalling,\n\n1. Decides.", sponsors="Draft"))
    assert document.kind == "draft"
    assert document.sponsors == []
    assert "No sponsor list found" in document.warnings


def test_revised_draft_is_a_revision():
    revised = draft("Recalling,\n\n1. Decides.", sponsors="France: revised draft resolution")
    assert parse_resolution(revised).kind == "revision"
    plain = draft("Recalling,\n\n1. Decides.")
    assert parse_resolution(plain, symbol="A/C.1/76/L.13/Rev.1").kind == "revision"


def test_sponsor_names_containing_and_stay_whole():
    document = parse_resolution(
        draft(
            "Recalling,\n\n1. Decides.",
            sponsors="Bosnia and Herzegovina, Bolivia (Plurinational State of), France and "
            "Trinidad and Tobago: draft resolution",
        )
    )
    assert document.sponsors == [
        "Bosnia and Herzegovina",
        "Bolivia (Plurinational State of)",
        "France",
        "Trinidad and Tobago",
    ]


def test_text_without_the_opening_words_is_read_from_its_numbered_paragraphs():
    document = parse_resolution("A title\n\nRecalling its resolution 75/240,\n\n1. Decides.")
    assert [p.label for p in document.paragraphs] == ["pp1", "op1"]
    assert any("“The General Assembly,” are missing" in w for w in document.warnings)


# --- Citations ---------------------------------------------------------------------------------


def test_decision_kind_carries_over_a_list_until_resolution_appears():
    text = (
        "its decisions 72/512 of 4 December 2017 and 75/564 of 28 April 2021, as well as its "
        "resolutions 74/28 and 74/29 of 12 December 2019"
    )
    assert [(c.kind, c.symbol) for c in find_citations(text)] == [
        ("decision", "A/DEC/72/512"),
        ("decision", "A/DEC/75/564"),
        ("resolution", "A/RES/74/28"),
        ("resolution", "A/RES/74/29"),
    ]


def test_full_symbols_are_reports_unless_resolutions_or_decisions():
    text = "documents A/C.1/76/L.13, A/RES/76/19, A/DEC/72/512 and A/AC.292/2025/INF/5/Rev.1."
    assert [(c.kind, c.text) for c in find_citations(text)] == [
        ("report", "A/C.1/76/L.13"),
        ("resolution", "A/RES/76/19"),
        ("decision", "A/DEC/72/512"),
        ("report", "A/AC.292/2025/INF/5/Rev.1"),
    ]


def test_dates_and_year_ranges_are_not_citations():
    assert find_citations("in 2021–2025, on 7/12/2020 and for the biennium 2024/25") == []


def test_citation_is_a_link_to_the_un_document_system():
    citation = Citation("resolution", "75/240", "A/RES/75/240", 0, 6)
    assert citation.url == "https://undocs.org/A/RES/75/240"


def test_a_number_after_an_unrelated_decision_is_a_resolution():
    text = "the decision of the Review Conference to act, recalling 75/240"
    assert [c.symbol for c in find_citations(text)] == ["A/RES/75/240"]


# --- Input that is not a resolution ------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_raises_parse_error(text):
    with pytest.raises(ParseError, match="empty"):
        parse_resolution(text)


@pytest.mark.parametrize(
    "text",
    ["Just a note to self.", "The General Assembly,\n\n", "Distr.: General\n\nAgenda item 5"],
)
def test_text_without_paragraphs_raises_parse_error(text):
    with pytest.raises(ParseError):
        parse_resolution(text)


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


FRAGMENTS = [
    "The General Assembly,",
    "\n",
    "\n\n",
    "1. ",
    "2. ",
    "(a) ",
    "(i) ",
    "(h) ",
    "¹",
    "[^1]: ",
    "[^2]",
    "1 ",
    "Recalling ",
    "*Decides* ",
    "75/240",
    "43/78 H",
    "A/65/201",
    "decisions ",
    ",",
    ";",
    ".",
    "Distr.: General 31 February 2021",
    "Seventy-sixth session",
    "Agenda item 9 (a)",
    "France and Trinidad and Tobago: draft resolution",
    "80/16. A title of",
    "52nd plenary meeting",
    "2/5",
    "“",
    "- ",
    "2025–20283",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map(
            "".join
        ),
        st.tuples(st.integers(0, 6000), st.integers(0, 6000), st.text(max_size=12)),
    )
)
def test_any_text_parses_or_raises_parse_error(generated):
    if isinstance(generated, tuple):  # the seed with a random cut and splice
        start, end, splice = generated
        source = read(SEED_PATH)
        generated = source[:start] + splice + source[end:]
    try:
        document = parse_resolution(generated)
    except ParseError:
        return
    labels = [p.label for p in document.paragraphs]
    assert len(labels) == len(set(labels))
    for found in document.paragraphs:
        assert found.text.startswith(found.lead)
        for citation in found.citations:
            assert found.text[citation.start : citation.end] == citation.text
