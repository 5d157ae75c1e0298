"""Reading text as the official PDFs give it, rule by rule: the footnote rule line and the
notes under it, markers as PDF text sets them, page furniture, section headings, the lines
of an adopted resolution and a sponsor line with an asterisk.

The acceptance corpus (five real texts, every paragraph and footnote) is in
test_real_texts.py; these tests pin each rule on a text of its own.
"""

from __future__ import annotations

from resolutions.un.parsing import parse_resolution

HEADING = """United Nations
A/C.6/80/L.99

General Assembly

Distr.: Limited
7 November 2025

Original: English

25-17986 (E) 141125
*2517986*

Eightieth session

Sixth Committee

Agenda item 78

Report of the Commission on the work of its fifty-eighth session

Austria and Japan: draft resolution

Report of the Commission on the work of its fifty-eighth session

The General Assembly,

"""

PAGE_BREAK = "A/C.6/80/L.99\n\n25-17986\n2/3\n\n"


def read(body: str, heading: str = HEADING):
    return parse_resolution(heading + body)


def texts(document) -> dict[str, str]:
    return {paragraph.label: paragraph.text for paragraph in document.paragraphs}


def placed(document) -> dict[int, tuple[str | None, str]]:
    return {note.number: (note.paragraph_label, note.text) for note in document.footnotes}


def test_a_paragraph_split_by_a_page_with_notes_is_rejoined_and_the_notes_placed():
    document = read(
        "Having considered the report of the Commission,1\n\n"
        "1. Takes note of the report on the work of the Commission, 2 and of the work of its "
        "working groups, to reflect recent\n\n"
        "__________________\n\n"
        "1 Official Records of the General Assembly, Eightieth Session, Supplement No. 17 "
        "(A/80/17).\n\n"
        "2 Ibid., chap. IV.\n\n" + PAGE_BREAK + "developments in the law;\n\n"
        "2. Decides to remain seized of the matter.\n"
    )
    assert texts(document) == {
        "pp1": "Having considered the report of the Commission,",
        "op1": "Takes note of the report on the work of the Commission, and of the work of its "
        "working groups, to reflect recent developments in the law;",
        "op2": "Decides to remain seized of the matter.",
    }
    assert placed(document) == {
        1: (
            "pp1",
            "Official Records of the General Assembly, Eightieth Session, Supplement No. 17 "
            "(A/80/17).",
        ),
        2: ("op1", "Ibid., chap. IV."),
    }
    assert document.warnings == []


def test_markers_after_a_space_at_a_paragraph_end_and_before_a_word():
    document = read(
        "Recalling the Asset Tracing Toolkit and Background Notes; 1\n\n"
        "Noting the rights of persons belonging to minorities, 2\n\n"
        "1. Welcomes the decision of 2 March 2022, 3 to convene a committee, and the "
        "declaration endorsed by the States Parties, 4and welcomes its adoption;\n\n"
        "2. Decides to remain seized of the matter.\n\n"
        "__________________\n\n"
        "1 Ibid., chap. V.\n\n2 Ibid., chap. VI.\n\n3 UNEP/EA.5/Res.14.\n\n"
        "4 Albania, Andorra and Argentina.\n"
    )
    assert texts(document)["pp1"] == "Recalling the Asset Tracing Toolkit and Background Notes;"
    assert texts(document)["pp2"] == "Noting the rights of persons belonging to minorities,"
    assert texts(document)["op1"] == (
        "Welcomes the decision of 2 March 2022, to convene a committee, and the declaration "
        "endorsed by the States Parties, and welcomes its adoption;"
    )
    assert {number: label for number, (label, _) in placed(document).items()} == {
        1: "pp1",
        2: "pp2",
        3: "op1",
        4: "op1",
    }
    assert document.warnings == []


def test_a_quantity_is_a_marker_only_where_its_page_prints_that_note():
    document = read(
        "Recalling the Commitment,1\n\n"
        "1. Notes that, in 2024, 2 States joined the Treaty;\n\n"
        "__________________\n\n1 Resolution 79/323, annex.\n\n"
        + PAGE_BREAK
        + "2. Recalls that, in the Commitment of the Conference, 2 States expressed their "
        "resolve to support reform;\n\n"
        "__________________\n\n2 Resolution 79/323, annex, para. 43 (l).\n"
    )
    assert texts(document)["op1"] == "Notes that, in 2024, 2 States joined the Treaty;"
    assert texts(document)["op2"] == (
        "Recalls that, in the Commitment of the Conference, States expressed their resolve to "
        "support reform;"
    )
    assert placed(document)[2] == ("op2", "Resolution 79/323, annex, para. 43 (l).")
    assert document.warnings == []


def test_a_number_inside_a_sales_number_is_not_a_marker():
    document = read(
        "Recalling the Report of the Conference (United Nations publication, Sales No. "
        "E.93.I.8 and corrigendum), resolution 1, annex I,1\n\n"
        "1. Decides to remain seized of the matter.\n\n"
        "__________________\n\n1 See also A/80/17.\n\n8 Another note.\n"
    )
    assert "Sales No. E.93.I.8 and corrigendum" in texts(document)["pp1"]
    assert placed(document)[1][0] == "pp1"
    assert placed(document)[8][0] is None


def test_page_furniture_of_any_length_is_dropped_wherever_it_falls():
    long_title = (
        "Report of the United Nations Commission on International Trade Law on the work of its "
        "fifty-eighth session"
    )
    heading = HEADING.replace("Report of the Commission on the work of its", long_title[:-21])
    assert len(long_title) > 100
    document = read(
        "Recalling its resolution 2205 (XXI) of 17 December 1966, by which it established the "
        "Commission with a mandate to further the progressive\n\n"
        f"A/RES/80/161\n{long_title}\n\n25-20854\n2/8\n\n"
        "harmonization of the law of international trade,\n\n"
        "1. Takes note of the report;\n\n"
        f"*2520854*\n\n3/8\n25-20854\n\nA/RES/80/161\n{long_title}\n\n"
        "2. Decides to remain seized of the matter.\n",
        heading=heading,
    )
    assert texts(document) == {
        "pp1": "Recalling its resolution 2205 (XXI) of 17 December 1966, by which it "
        "established the Commission with a mandate to further the progressive harmonization "
        "of the law of international trade,",
        "op1": "Takes note of the report;",
        "op2": "Decides to remain seized of the matter.",
    }


def test_agenda_titles_with_the_word_session_are_titles():
    document = read("Recalling,\n\n1. Decides.\n")
    assert document.session_title == "Eightieth session"
    assert document.agenda_item == "78"
    assert document.agenda_title == (
        "Report of the Commission on the work of its fifty-eighth session"
    )
    assert document.title == "Report of the Commission on the work of its fifty-eighth session"


def test_section_headings_of_the_operative_part_are_kept_as_headings():
    document = read(
        "Having considered the report,\n\n1. Takes note of the report;\n\n"
        "I\n\nLegislative activities\n\n2. Commends the Commission;\n\n"
        "II. Travel assistance\n\n3. Appeals to Governments;\n\n"
        "A.\n\n4. Requests the Secretary-General to report;\n\n"
        "Technical assistance and capacity-building\n\n5. Decides to remain seized.\n"
    )
    assert [(s.number, s.title, s.before) for s in document.sections] == [
        ("I", "Legislative activities", "op2"),
        ("II.", "Travel assistance", "op3"),
        ("A.", "", "op4"),
        ("", "Technical assistance and capacity-building", "op5"),
    ]
    assert texts(document)["op1"] == "Takes note of the report;"
    assert texts(document)["op2"] == "Commends the Commission;"
    assert texts(document)["op3"] == "Appeals to Governments;"
    assert document.warnings == []


def test_a_paragraph_cut_by_a_page_is_not_taken_for_a_heading():
    document = read(
        "Recalling,\n\n1. Takes note of the report of the\n\n"
        + PAGE_BREAK
        + "United Nations Commission on International Trade Law\n\n2. Decides.\n"
    )
    assert document.sections == []
    assert texts(document)["op1"] == (
        "Takes note of the report of the United Nations Commission on International Trade Law"
    )


ADOPTED = """United Nations
A/RES/80/161

General Assembly

Distr.: General
19 December 2025

25-20854 (E)
*2520854*

Eightieth session

Agenda item 78

Report of the Commission on the work of its fifty-eighth session

Resolution adopted by the General Assembly on 15 December 2025

[on the report of the Sixth Committee (A/80/448, para. 10)]

80/161. Report of the Commission on the work of its fifty-eighth session

The General Assembly,

"""


def test_an_adopted_resolution_keeps_its_adoption_report_and_closing_lines():
    document = read(
        "Recalling,\n\n1. Recalls that, in the Commitment, 1 States expressed resolve.\n\n"
        "64th plenary meeting\n15 December 2025\n\n"
        "_______________\n\n1 Resolution 79/323, annex, para. 43 (l).\n",
        heading=ADOPTED,
    )
    assert document.kind == "resolution"
    assert document.adoption == "Resolution adopted by the General Assembly on 15 December 2025"
    assert document.committee_report == (
        "[on the report of the Sixth Committee (A/80/448, para. 10)]"
    )
    assert document.committee == ""
    assert document.closing == "64th plenary meeting\n15 December 2025"
    assert document.title == "Report of the Commission on the work of its fifty-eighth session"
    # The note under the rule line after the closing line is read, not dropped.
    assert placed(document)[1] == ("op1", "Resolution 79/323, annex, para. 43 (l).")
    assert texts(document)["op1"] == "Recalls that, in the Commitment, States expressed resolve."
    assert document.warnings == []


def test_text_after_the_closing_line_is_named_in_a_warning():
    document = read(
        "Recalling,\n\n1. Decides.\n\n52nd plenary meeting\n1 December 2025\n\n"
        "Annex to be circulated later\n",
        heading=ADOPTED,
    )
    assert document.closing == "52nd plenary meeting\n1 December 2025"
    assert document.warnings == [
        "Text after the end of the resolution was not read: “Annex to be circulated later”"
    ]


def test_a_sponsor_line_with_an_asterisk_keeps_its_on_behalf_of_note():
    heading = HEADING.replace("Austria and Japan: draft resolution", "Indonesia:* draft resolution")
    document = read(
        "Recalling,\n\n1. Decides.\n\n__________________\n\n"
        "* On behalf of the States Members of the United Nations that are members of the "
        "Group of 77 and China.\n",
        heading=heading,
    )
    assert document.sponsors == ["Indonesia"]
    assert document.sponsors_note == (
        "On behalf of the States Members of the United Nations that are members of the "
        "Group of 77 and China."
    )
    assert document.footnotes == []
    assert document.warnings == []


def test_the_on_behalf_of_note_on_the_first_page_above_the_opening():
    heading = HEADING.replace(
        "Austria and Japan: draft resolution", "Indonesia*: draft resolution"
    ).replace(
        "The General Assembly,",
        "__________________\n\n* On behalf of the Group of 77 and China.\n\n"
        "A/C.6/80/L.99\n\n25-17986\n\nThe General Assembly,",
    )
    document = read("Recalling,\n\n1. Decides.\n", heading=heading)
    assert document.sponsors == ["Indonesia"]
    assert document.sponsors_note == "On behalf of the Group of 77 and China."
    assert document.title == "Report of the Commission on the work of its fifty-eighth session"


def test_the_rest_of_a_sentence_on_the_next_page_is_not_a_new_paragraph():
    document = read(
        "Welcoming the Secretary-General’s disarmament agenda,\n\n"
        + PAGE_BREAK
        + "Securing Our Common Future: An Agenda for Disarmament, and the International "
        "Decade for Action,\n\n"
        + PAGE_BREAK
        + "“Water for Sustainable Development”, 2018–2028, and resolutions 77/62 of 7 December "
        "2022,\n\n"
        + PAGE_BREAK
        + "78/48 of 4 December 2023 on the coronavirus disease (COVID-\n\n"
        + PAGE_BREAK
        + "19) pandemic and the 10-\n\n"
        + PAGE_BREAK
        + "Year Framework,\n\n"
        + PAGE_BREAK
        + "Recalling General Assembly resolution 70/1,\n\n"
        "1. Requests the workshops mentioned in subparagraph\n\n"
        + PAGE_BREAK
        + "(b) and subparagraph (d) (ii) to be held;\n\n2. Decides.\n"
    )
    assert texts(document) == {
        "pp1": "Welcoming the Secretary-General’s disarmament agenda, Securing Our Common Future: "
        "An Agenda for Disarmament, and the International Decade for Action, “Water for "
        "Sustainable Development”, 2018–2028, and resolutions 77/62 of 7 December 2022, 78/48 "
        "of 4 December 2023 on the coronavirus disease (COVID-19) pandemic and the 10-Year "
        "Framework,",
        "pp2": "Recalling General Assembly resolution 70/1,",
        "op1": "Requests the workshops mentioned in subparagraph (b) and subparagraph (d) (ii) to "
        "be held;",
        "op2": "Decides.",
    }
    assert document.warnings == []


def test_a_numbered_line_under_the_rule_that_goes_on_with_the_text_is_not_a_note():
    document = read(
        "Recalling,\n\n1. Notes the report of the Commission,1 pursuant to paragraph\n\n"
        "__________________\n\n1 A/80/17.\n\n"
        "21 of General Assembly resolution 79/12, and the website2 of the Convention;\n\n"
        "2. Decides.\n\n__________________\n\n2 https://newyorkconvention1958.org/.\n"
    )
    assert texts(document)["op1"] == (
        "Notes the report of the Commission, pursuant to paragraph 21 of General Assembly "
        "resolution 79/12, and the website of the Convention;"
    )
    assert placed(document) == {
        1: ("op1", "A/80/17."),
        2: ("op1", "https://newyorkconvention1958.org/."),
    }
