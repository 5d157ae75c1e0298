"""The exports of a resolution with section headings, adoption lines and closing lines, and
of a draft with a note on its sponsor line: Akoma Ntoso keeps them in their places, well
formed, and the JSON twin names them."""

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from resolutions.formats.akn import AKN_NAMESPACE
from resolutions.services import importing
from tests.real_texts import as_expected, real_text
from tests.views.test_akn import NS, akn, text_without_notes

G77 = (
    "On behalf of the States Members of the United Nations that are members of the Group of 77 "
    "and China."
)


def imported(name: str, **changes):
    parsed = dataclasses.replace(as_expected(name), **changes)
    return importing.import_document(importing.plan_import(real_text(name), parsed))


def local(element: ET.Element) -> str:
    return element.tag.split("}")[1]


@pytest.fixture
def resolution(db):
    return imported("A-RES-80-161")


@pytest.fixture
def root(client, resolution):
    return akn(client, f"/documents/{resolution.slug}.akn.xml")


def test_sections_wrap_the_paragraphs_under_their_heading(root):
    body = root.find("akn:statement/akn:mainBody", NS)
    # OP1 stands before the first heading; then ten sections hold every other paragraph.
    assert [(local(child), child.get("eId")) for child in body][:2] == [
        ("paragraph", "op1"),
        ("hcontainer", "sec1"),
    ]
    sections = body.findall("akn:hcontainer", NS)
    assert len(sections) == 10
    assert {section.get("name") for section in sections} == {"section"}
    first = sections[0]
    assert first.find("akn:num", NS).text == "I"
    assert first.find("akn:heading", NS).text == "Legislative activities"
    # num and heading first, then the section's paragraphs, in order.
    assert [local(child) for child in first][:2] == ["num", "heading"]
    assert [p.get("eId") for p in first.findall("akn:paragraph", NS)] == [
        f"op{n}" for n in range(2, 9)
    ]
    last = sections[-1]
    assert last.find("akn:heading", NS).text.startswith("Role of the Commission")
    assert [p.get("eId") for p in last.findall("akn:paragraph", NS)] == [
        "op25",
        "op26",
        "op27",
        "op28",
    ]
    # Sub-paragraphs stay inside their paragraph, inside the section.
    assert first.find("akn:paragraph[@eId='op6']/akn:subparagraph[@eId='op6-d']", NS) is not None


def test_every_paragraph_is_exported_once_and_eids_stay_unique(root, resolution):
    eids = [element.get("eId") for element in root.iter() if element.get("eId")]
    assert len(eids) == len(set(eids))
    paragraphs = [
        element.get("eId")
        for element in root.iter()
        if local(element) in ("container", "paragraph", "subparagraph") and element.get("eId")
    ]
    assert sorted(paragraphs) == sorted(resolution.paragraphs.values_list("label", flat=True))
    # A heading's words are its own, never a paragraph's.
    op1 = root.find(".//akn:paragraph[@eId='op1']/akn:content/akn:p", NS)
    assert "Legislative activities" not in text_without_notes(op1)


def test_the_preface_has_the_adoption_line_and_the_report_it_was_adopted_on(root):
    preface = root.find("akn:statement/akn:preface", NS)
    adoption = preface.find("akn:container[@name='adoption']", NS)
    line, report = adoption.findall("akn:p", NS)
    assert "".join(line.itertext()) == (
        "Resolution adopted by the General Assembly on 15 December 2025"
    )
    assert line.find("akn:date", NS).get("date") == "2025-12-15"
    assert "".join(report.itertext()) == (
        "[on the report of the Sixth Committee (A/80/448, para. 10)]"
    )
    assert report.find("akn:ref", NS).get("href") == "https://undocs.org/A/80/448"
    # Before the title, which carries the resolution's number as printed.
    children = list(preface)
    assert children.index(adoption) == len(children) - 2
    assert local(children[-1]) == "longTitle"
    title = preface.find("akn:longTitle/akn:p", NS)
    assert "".join(title.itertext()).startswith("80/161. Report of the United Nations")


def test_the_closing_lines_are_the_conclusions(root):
    statement = root.find("akn:statement", NS)
    assert [local(child) for child in statement] == [
        "meta",
        "preface",
        "preamble",
        "mainBody",
        "conclusions",
    ]
    lines = statement.findall("akn:conclusions/akn:p", NS)
    assert ["".join(p.itertext()) for p in lines] == ["64th plenary meeting", "15 December 2025"]
    assert lines[1].find("akn:date", NS).get("date") == "2025-12-15"


def test_the_sponsor_note_is_an_authorial_note_on_the_sponsor_line(client, db):
    draft = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    root = akn(client, f"/documents/{draft.slug}.akn.xml")
    line = root.find(".//akn:container[@name='sponsors']/akn:p", NS)
    note = line.find("akn:authorialNote", NS)
    assert (note.get("marker"), note.get("eId")) == ("*", "fn_sponsors")
    assert "".join(note.itertext()) == G77
    assert text_without_notes(line) == "Iraq: draft resolution"
    assert [local(child) for child in line] == ["docProponent", "authorialNote", "docType"]
    assert line.find("akn:docType", NS).text == "draft resolution"


def test_the_json_twin_names_the_structure_and_the_lines(client, resolution):
    data = client.get(f"/documents/{resolution.slug}.json").json()
    assert data["adoption"] == "Resolution adopted by the General Assembly on 15 December 2025"
    assert data["committee_report"] == "[on the report of the Sixth Committee (A/80/448, para. 10)]"
    assert data["adopted_on"] == "2025-12-15"
    assert data["closing"] == ["64th plenary meeting", "15 December 2025"]
    assert data["sponsors_note"] == ""
    assert len(data["sections"]) == 10
    assert data["sections"][0] == {
        "id": "sec1",
        "number": "I",
        "title": "Legislative activities",
        "level": 0,
        "paragraph": "op2",
    }


def test_the_json_of_a_draft_keeps_its_sponsor_note(client, db):
    draft = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    data = client.get(f"/documents/{draft.slug}.json").json()
    assert data["sponsors_note"] == G77
    assert data["adoption"] == ""
    assert data["adopted_on"] is None
    assert data["sections"] == []


def test_the_exports_of_a_document_with_sections_cost_the_same_queries(
    client, resolution, django_assert_num_queries
):
    # The document, its sponsors, paragraphs (with their headings), footnotes and citations;
    # the JSON also lists the document's versions, in one query more.
    for url, queries in (
        (f"/documents/{resolution.slug}.akn.xml", 5),
        (f"/documents/{resolution.slug}.json", 6),
    ):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_namespace_is_akoma_ntoso(root):
    assert root.tag == f"{{{AKN_NAMESPACE}}}akomaNtoso"
