"""Whose resolution a number is: each cited document linked under the symbol of the body that
issued it, and no link for bodies outside the UN document system."""

import pytest

from resolutions.un.parsing import Citation, find_citations
from resolutions.un.symbols import undocs_url


def links(text: str) -> list[tuple[str, str]]:
    return [(citation.text, citation.symbol) for citation in find_citations(text)]


# --- Human Rights Council ----------------------------------------------------------------------


def test_human_rights_council_resolution_is_a_council_symbol():
    text = "Recalling Human Rights Council resolution 52/5 of 3 April 2023 on the right to food,"
    assert links(text) == [("52/5", "A/HRC/RES/52/5")]


def test_a_list_after_human_rights_council_resolutions_is_all_the_councils():
    text = "Recalling also Human Rights Council resolutions 52/5 of 3 April 2023 and 55/3,"
    assert links(text) == [("52/5", "A/HRC/RES/52/5"), ("55/3", "A/HRC/RES/55/3")]


def test_human_rights_council_decisions_and_special_sessions():
    text = "Human Rights Council resolution S-30/1 and decision 52/101"
    assert links(text) == [("S-30/1", "A/HRC/RES/S-30/1"), ("52/101", "A/HRC/DEC/52/101")]


def test_each_body_named_takes_its_own_numbers():
    text = "Recalling General Assembly resolution 70/1 and Human Rights Council resolution 52/5,"
    assert links(text) == [("70/1", "A/RES/70/1"), ("52/5", "A/HRC/RES/52/5")]


def test_its_resolution_after_another_bodys_list_is_the_assemblys():
    text = (
        "Recalling Human Rights Council resolutions 41/11 and 47/16 of 13 July 2021, and its "
        "resolutions 74/28 and 74/29 of 12 December 2019,"
    )
    assert links(text) == [
        ("41/11", "A/HRC/RES/41/11"),
        ("47/16", "A/HRC/RES/47/16"),
        ("74/28", "A/RES/74/28"),
        ("74/29", "A/RES/74/29"),
    ]


def test_a_repeated_resolution_word_keeps_the_body_of_its_list():
    text = "Human Rights Council resolution 52/5 and resolution 55/3"
    assert links(text) == [("52/5", "A/HRC/RES/52/5"), ("55/3", "A/HRC/RES/55/3")]


def test_a_list_keeps_its_body_across_titles_and_dates():
    text = (
        "Human Rights Council resolutions 41/17 of 12 July 2019, entitled “Promotion of the "
        "right to development”, and 44/5 of 16 July 2020"
    )
    assert links(text) == [("41/17", "A/HRC/RES/41/17"), ("44/5", "A/HRC/RES/44/5")]


def test_a_body_acting_in_its_resolution_is_that_body():
    text = "Noting that the Human Rights Council, in its resolution 52/5, decided to hold a panel,"
    assert links(text) == [("52/5", "A/HRC/RES/52/5")]


def test_its_resolution_is_the_assemblys_when_the_council_is_only_mentioned():
    for text in [
        "Recalling the establishment of the Human Rights Council by its resolution 60/251,",
        "Recalling the mandate given to the Human Rights Council in its resolution 60/251,",
        "Welcoming the work of the Human Rights Council, and recalling its resolution 60/251,",
    ]:
        assert links(text) == [("60/251", "A/RES/60/251")], text


def test_resolution_of_the_council_named_after_the_number():
    text = "Recalling resolution 52/5 of 3 April 2023 of the Human Rights Council,"
    assert links(text) == [("52/5", "A/HRC/RES/52/5")]


# --- Security Council --------------------------------------------------------------------------


def test_security_council_resolution_is_numbered_by_year():
    text = "Recalling Security Council resolution 1325 (2000) of 31 October 2000,"
    assert links(text) == [("1325 (2000)", "S/RES/1325(2000)")]


def test_security_council_resolutions_listed_by_year():
    text = "Security Council resolutions 1540 (2004) and 2325 (2016)"
    assert links(text) == [("1540 (2004)", "S/RES/1540(2004)"), ("2325 (2016)", "S/RES/2325(2016)")]


def test_the_council_acting_in_its_resolution():
    text = "Noting that the Security Council, in its resolution 2334 (2016), reaffirmed"
    assert links(text) == [("2334 (2016)", "S/RES/2334(2016)")]


def test_assembly_and_council_resolutions_in_one_sentence():
    text = (
        "Recalling its resolution 60/180 and Security Council resolution 1645 (2005) of "
        "20 December 2005 on the Peacebuilding Commission,"
    )
    assert links(text) == [("60/180", "A/RES/60/180"), ("1645 (2005)", "S/RES/1645(2005)")]


def test_a_number_by_year_is_no_assembly_or_other_bodys_resolution():
    assert links("Human Rights Council resolution 2250 (2015)") == []
    assert links("Parliamentary Assembly of the Council of Europe resolution 2114 (2016)") == []


def test_a_year_in_brackets_without_resolution_is_not_a_citation():
    assert links("paragraph 15 (2019) and the Protocol 2 (1977)") == []


# --- Economic and Social Council ---------------------------------------------------------------


def test_economic_and_social_council_resolution_is_numbered_by_year():
    text = "Taking note of Economic and Social Council resolution 2023/4 of 5 June 2023,"
    assert links(text) == [("2023/4", "E/RES/2023/4")]


def test_economic_and_social_council_resolutions_and_decisions():
    text = "Economic and Social Council resolutions 2019/3 and 2020/5 and decision 2021/201"
    assert links(text) == [
        ("2019/3", "E/RES/2019/3"),
        ("2020/5", "E/RES/2020/5"),
        ("2021/201", "E/DEC/2021/201"),
    ]


def test_economic_and_social_council_resolution_before_1978():
    assert links("Economic and Social Council resolution 1503 (XLVIII)") == [
        ("1503 (XLVIII)", "E/RES/1503(XLVIII)")
    ]


def test_a_year_and_number_of_no_named_council_gets_no_link():
    assert (
        links("Recalling its resolution 2023/4 and Commission on Human Rights resolution 2005/69")
        == []
    )


# --- The General Assembly's numbering before 1976 ----------------------------------------------


def test_old_style_assembly_resolution():
    text = "Recalling its resolution 2205 (XXI) of 17 December 1966, by which it established"
    assert links(text) == [("2205 (XXI)", "A/RES/2205(XXI)")]


def test_a_lettered_old_style_resolution_is_one_document():
    text = "the Universal Declaration of Human Rights (General Assembly resolution 217 A (III))"
    assert links(text) == [("217 A (III)", "A/RES/217(III)")]


def test_old_style_special_session_resolutions():
    text = "resolutions 3201 (S-VI) and 3202 (S-VI) of 1 May 1974"
    assert links(text) == [("3201 (S-VI)", "A/RES/3201(S-VI)"), ("3202 (S-VI)", "A/RES/3202(S-VI)")]


def test_a_footnote_naming_an_old_style_resolution():
    assert links("Resolution 2205 (XXI), para. 8 (a).") == [("2205 (XXI)", "A/RES/2205(XXI)")]


def test_roman_numerals_beyond_the_assemblys_old_sessions_get_no_link():
    assert links("its resolution 2205 (XLV) and resolution 12 (IIII)") == []


def test_the_assembly_numbered_by_session_only_from_its_thirty_first_session():
    text = "Recalling resolutions 1/2, 30/1 and 31/1, and its resolution S-10/2"
    assert links(text) == [("31/1", "A/RES/31/1"), ("S-10/2", "A/RES/S-10/2")]


# --- Bodies outside the UN document system -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In accordance with United Nations Environment Assembly resolution 4/1 (UNEP/EA.4/Res.1).",
        "Welcoming the decision by the United Nations Environment Assembly at its resumed fifth "
        "session, in its resolution 5/14 of 2 March 2022, to convene a committee,",
        "Welcoming the adoption by the United Nations Environment Assembly of resolution 5/14,",
        "resolution 5/14 of 2 March 2022 of the United Nations Environment Assembly",
        "Conference of the Parties to the Convention on Biological Diversity decision 15/4",
        "United Nations Environment Programme, document CBD/COP/15/17, decision 15/4, annex.",
        "Official Records of the Economic and Social Council, 2024, Supplement No. 4 (E/2024/24), "
        "chap. I., sect. C, decision 55/115.",
        "Statistical Commission decision 55/115",
        "Commission on Narcotic Drugs resolution 67/1 and resolution 67/2",
        "resolution 67/1 of the Commission on Narcotic Drugs",
        "UNEA resolution 5/14 and CBD COP decision 15/4",
        "UN-Women Executive Board decision 2023/5",
        "Economic Commission for Latin America and the Caribbean resolution 553 (XXVI)",
    ],
)
def test_another_bodys_numbers_get_no_link(text):
    # Only the UN document a number is printed in may be linked (E/2024/24), never the number
    assert [c.text for c in find_citations(text) if c.kind != "report"] == []


def test_the_symbol_of_the_report_a_decision_stands_in_still_links():
    text = (
        "Official Records of the Economic and Social Council, 2024, Supplement No. 4 (E/2024/24), "
        "chap. I., sect. C, decision 55/115."
    )
    assert links(text) == [("E/2024/24", "E/2024/24")]


def test_a_number_after_another_bodys_resolution_is_left_out_too():
    text = "Commission on Narcotic Drugs resolution 67/1, as adopted in March 2024, and 67/2"
    assert links(text) == []


def test_a_council_list_keeps_its_body_across_subjects():
    text = (
        "Recalling also Human Rights Council resolutions 5/1, on institution-building of the "
        "Council, and 5/2, on the code of conduct, of 18 June 2007,"
    )
    assert links(text) == [("5/1", "A/HRC/RES/5/1"), ("5/2", "A/HRC/RES/5/2")]


@pytest.mark.parametrize(
    "text",
    [
        "Recalling Human Rights Council resolutions on the right to food, including resolution "
        "55/14 of 4 April 2024,",
        "Recalling all previous resolutions of the Human Rights Council on the right to food, "
        "in particular resolution 55/14,",
    ],
)
def test_resolution_after_the_councils_resolutions_in_the_clause(text):
    assert links(text) == [("55/14", "A/HRC/RES/55/14")]


def test_resolution_after_its_resolutions_in_the_clause_is_the_assemblys():
    text = "Recalling its resolutions on the right to food, including resolution 78/200,"
    assert links(text) == [("78/200", "A/RES/78/200")]


def test_another_bodys_resolutions_in_the_clause_leave_the_number_out():
    text = (
        "Recalling the resolutions adopted by the Statistical Commission, in particular "
        "decision 55/115,"
    )
    assert links(text) == []


def test_a_new_clause_brings_numbers_back_to_the_assembly():
    text = "United Nations Environment Assembly resolution 5/14 on plastics, and recalling 75/240"
    assert links(text) == [("75/240", "A/RES/75/240")]


# --- Document symbols in any series ------------------------------------------------------------


@pytest.mark.parametrize(
    "symbol",
    [
        "A/CONF.192/15",
        "A/CONF.192/2024/RC/3",
        "A/60/88/Corr.2",
        "E/2024/24",
        "S/2024/123",
        "A/HRC/55/4",
        "E/CN.3/2024/1",
        "ST/SGB/2019/8",
        "FCCC/CP/2015/10/Add.1",
        "CCPR/C/GC/36",
    ],
)
def test_a_un_document_symbol_links_as_itself(symbol):
    citations = find_citations(f"See {symbol}, annex.")
    assert [(c.kind, c.text, c.symbol) for c in citations] == [("report", symbol, symbol)]
    assert citations[0].url == f"https://undocs.org/{symbol}"


@pytest.mark.parametrize("symbol", ["CBD/COP/15/17", "UNEP/EA.5/Res.14", "UNEP/EA.4/Res.1"])
def test_a_symbol_outside_the_un_document_system_gets_no_link(symbol):
    assert find_citations(f"See {symbol}, annex.") == []


def test_resolution_symbols_of_other_organs_are_resolutions():
    text = "S/RES/2250(2015), E/RES/2023/4, A/HRC/RES/52/5 and E/DEC/2023/201"
    assert [(c.kind, c.symbol) for c in find_citations(text)] == [
        ("resolution", "S/RES/2250(2015)"),
        ("resolution", "E/RES/2023/4"),
        ("resolution", "A/HRC/RES/52/5"),
        ("decision", "E/DEC/2023/201"),
    ]


def test_a_resolution_symbol_printed_with_its_session_or_year_apart():
    text = "S/RES/1325 (2000) and A/RES/217 A (III)"
    assert links(text) == [
        ("S/RES/1325 (2000)", "S/RES/1325(2000)"),
        ("A/RES/217 A (III)", "A/RES/217(III)"),
    ]


def test_numbers_inside_a_symbol_are_not_cited_again():
    assert links("CBD/COP/15/17 and UNEP/EA.5/Res.14 and E/2024/24") == [("E/2024/24", "E/2024/24")]


# --- The General Assembly's own, as before ------------------------------------------------------


def test_its_resolutions_and_decisions_are_the_assemblys():
    text = (
        "Recalling its resolutions 61/89 of 6 December 2006 and 67/234 A and B and its decision "
        "66/518 of 2 December 2011, and paragraph 64 of its resolution 78/330,"
    )
    assert links(text) == [
        ("61/89", "A/RES/61/89"),
        ("67/234 A", "A/RES/67/234A"),
        ("66/518", "A/DEC/66/518"),
        ("78/330", "A/RES/78/330"),
    ]


def test_a_lettered_list_with_places_in_the_text():
    text = "Resolutions 52/214, sect. B, 57/283 B, sect. III, and 58/250, sect. III."
    assert links(text) == [
        ("52/214", "A/RES/52/214"),
        ("57/283 B", "A/RES/57/283B"),
        ("58/250", "A/RES/58/250"),
    ]


def test_general_assembly_and_assembly_resolution():
    text = (
        "pursuant to General Assembly resolution 79/126 and in accordance with Assembly "
        "resolution 60/251"
    )
    assert links(text) == [("79/126", "A/RES/79/126"), ("60/251", "A/RES/60/251")]


def test_emergency_special_session_resolution():
    assert links("its resolution ES-10/19") == [("ES-10/19", "A/RES/ES-10/19")]


# --- Links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "url"),
    [
        ("S/RES/1325(2000)", "https://undocs.org/S/RES/1325(2000)"),
        ("A/RES/2205(XXI)", "https://undocs.org/A/RES/2205(XXI)"),
        ("A/RES/217(III)", "https://undocs.org/A/RES/217(III)"),
        ("A/HRC/RES/52/5", "https://undocs.org/A/HRC/RES/52/5"),
        ("E/RES/2023/4", "https://undocs.org/E/RES/2023/4"),
    ],
)
def test_the_link_is_the_symbol_on_the_un_document_system(symbol, url):
    assert undocs_url(symbol) == url
    assert Citation("resolution", symbol, symbol, 0, len(symbol)).url == url
