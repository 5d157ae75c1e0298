"""The exports of a document: Akoma Ntoso 3.0 XML (AKN4UN) and the same content as JSON."""

import re
import xml.etree.ElementTree as ET

import pytest

from resolutions.formats.akn import AKN_NAMESPACE
from resolutions.models import Citation, Footnote, Paragraph
from resolutions.services import importing
from resolutions.un.reference import TEXTS_DIR
from tests.conftest import SEED_SLUG
from tests.factories import expected_reading, make_document, make_real_document

NS = {"akn": AKN_NAMESPACE}
AKN_URL = f"/documents/{SEED_SLUG}.akn.xml"
JSON_URL = f"/documents/{SEED_SLUG}.json"


def akn(client, url=AKN_URL) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/akn+xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)  # noqa: S314 -- our own export


def text_without_notes(element: ET.Element) -> str:
    """The element's text with its authorial notes left out, as a reader sees the line."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != f"{{{AKN_NAMESPACE}}}authorialNote":
            parts.append(text_without_notes(child))
        parts.append(child.tail or "")
    return "".join(parts)


@pytest.fixture
def root(client, db):
    return akn(client)


def test_the_export_is_well_formed_akoma_ntoso(root):
    assert root.tag == f"{{{AKN_NAMESPACE}}}akomaNtoso"
    statement = root.find("akn:statement", NS)
    assert statement.get("name") == "resolutionDraft"
    assert [child.tag.split("}")[1] for child in statement] == [
        "meta",
        "preface",
        "preamble",
        "mainBody",
    ]
    work = statement.find("akn:meta/akn:identification/akn:FRBRWork", NS)
    assert work.find("akn:FRBRname", NS).get("value") == "A/C.1/76/L.13"
    assert work.find("akn:FRBRdate", NS).get("date") == "2021-10-08"


def test_eids_are_the_reading_pages_paragraph_ids(client, root):
    eids = [element.get("eId") for element in root.iter() if element.get("eId")]
    assert len(eids) == len(set(eids))
    paragraph_eids = [
        element.get("eId")
        for element in root.iter()
        if element.tag.split("}")[1] in ("container", "paragraph", "subparagraph")
        and element.get("eId")
    ]
    labels = list(
        Paragraph.objects.filter(document__slug=SEED_SLUG).values_list("label", flat=True)
    )
    assert sorted(paragraph_eids) == sorted(labels)
    page = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    page_ids = re.findall(r'<div class="paragraph [a-z0-9 -]+" id="([^"]+)"', page)
    assert sorted(page_ids) == sorted(paragraph_eids)


def test_the_preface_has_the_symbol_the_sponsors_and_the_title(root):
    preface = root.find("akn:statement/akn:preface", NS)
    assert preface.find(".//akn:docNumber", NS).text == "A/C.1/76/L.13"
    assert preface.find(".//akn:docStatus", NS).text == "Limited"
    assert preface.find(".//akn:docDate", NS).get("date") == "2021-10-08"
    assert preface.find(".//akn:session", NS).get("value") == "76"
    assert preface.find(".//akn:docCommittee", NS).text == "First Committee"
    proponents = preface.findall(".//akn:docProponent", NS)
    assert len(proponents) == 55
    assert proponents[0].text == "Australia"
    assert proponents[-1].text == "Zimbabwe"
    references = {
        element.get("eId") for element in root.findall(".//akn:references/akn:TLCOrganization", NS)
    }
    for proponent in proponents:
        assert proponent.get("refersTo").removeprefix("#") in references
    assert preface.find(".//akn:docType", NS).text == "draft resolution"
    assert preface.find(".//akn:docTitle", NS).text.startswith("Developments in the field")


def test_the_preamble_and_the_numbered_operative_paragraphs(root):
    preamble = root.find("akn:statement/akn:preamble", NS)
    assert "".join(preamble.find("akn:formula/akn:p", NS).itertext()) == "The General Assembly,"
    assert len(preamble.findall("akn:container", NS)) == 13
    body = root.find("akn:statement/akn:mainBody", NS)
    paragraphs = body.findall("akn:paragraph", NS)
    assert [p.find("akn:num", NS).text for p in paragraphs] == [f"{n}." for n in range(1, 8)]
    op6 = body.find("akn:paragraph[@eId='op6']", NS)
    assert op6.find("akn:intro", NS) is not None
    subs = op6.findall("akn:subparagraph", NS)
    assert [(s.get("eId"), s.find("akn:num", NS).text) for s in subs] == [
        ("op6-a", "(a)"),
        ("op6-b", "(b)"),
    ]


def test_each_paragraph_reads_as_stored_with_its_lead_in_italics(root):
    for paragraph in Paragraph.objects.filter(document__slug=SEED_SLUG):
        element = root.find(f".//*[@eId='{paragraph.label}']", NS)
        p = element.find("akn:content/akn:p", NS)
        if p is None:
            p = element.find("akn:intro/akn:p", NS)
        if p is None:
            p = element.find("akn:p", NS)
        assert text_without_notes(p) == paragraph.text
        if paragraph.lead:
            assert p.find("akn:i", NS).text == paragraph.lead


def test_citations_are_refs_to_the_un_document_system(root):
    refs = root.findall(".//akn:ref", NS)
    citations = Citation.objects.filter(paragraph__document__slug=SEED_SLUG)
    assert len(refs) == citations.count() == 34
    assert {ref.get("href") for ref in refs} == {c.url for c in citations}
    pp1 = root.find(".//*[@eId='pp1']/akn:p", NS)
    first = pp1.find("akn:ref", NS)
    assert first.text == "43/78 H"
    assert first.get("href") == "https://undocs.org/A/RES/43/78H"


def test_footnotes_are_authorial_notes_where_their_markers_stand(root):
    notes = root.findall(".//akn:authorialNote", NS)
    assert [(n.get("eId"), n.get("marker")) for n in notes] == [
        ("fn1", "1"),
        ("fn2", "2"),
        ("fn3", "3"),
    ]
    for footnote in Footnote.objects.filter(document__slug=SEED_SLUG).select_related("paragraph"):
        holder = root.find(f".//*[@eId='{footnote.paragraph.label}']", NS)
        note = holder.find(f".//akn:authorialNote[@eId='fn{footnote.number}']", NS)
        assert "".join(note.itertext()) == footnote.text
        p = next(p for p in holder.iter(f"{{{AKN_NAMESPACE}}}p") if note in list(p))
        before = (p.text or "") + "".join(
            text_without_notes(child) + (child.tail or "")
            for child in list(p)[: list(p).index(note)]
        )
        assert len(before) == footnote.position
    fn1 = root.find(".//akn:authorialNote[@eId='fn1']", NS)
    assert [ref.text for ref in fn1.findall(".//akn:ref", NS)] == [
        "A/65/201",
        "A/68/98",
        "A/70/174",
    ]


def test_an_adopted_resolution_with_many_footnotes_exports_too(client, db):
    text = (TEXTS_DIR / "A-RES-80-44.txt").read_text(encoding="utf-8")
    document = importing.import_document(importing.prepare_import(text))
    root = akn(client, f"/documents/{document.slug}.akn.xml")
    assert root.find("akn:statement", NS).get("name") == "resolution"
    assert len(root.findall(".//akn:authorialNote", NS)) == 14
    assert root.find(".//akn:docProponent", NS) is None
    assert len(root.findall(".//akn:mainBody/akn:paragraph", NS)) == 11


def test_a_document_without_operative_paragraphs_still_has_a_main_body(client, db):
    document = make_document(paragraphs=1)
    Paragraph.objects.filter(document=document, part="operative").delete()
    root = akn(client, f"/documents/{document.slug}.akn.xml")
    assert len(root.find(".//akn:mainBody", NS)) == 1


def test_text_with_markup_characters_is_escaped(client, db):
    document = make_document(paragraphs=1)
    Paragraph.objects.filter(document=document, label="op1").update(
        text='Decides that <b>& "quotes"</b> stay text;', lead="Decides"
    )
    root = akn(client, f"/documents/{document.slug}.akn.xml")
    op1 = root.find(".//*[@eId='op1']/akn:content/akn:p", NS)
    assert "".join(op1.itertext()) == 'Decides that <b>& "quotes"</b> stay text;'


# JSON ---------------------------------------------------------------------------------------


def test_the_json_export_has_the_same_content(client, seed_document):
    response = client.get(JSON_URL)
    data = response.json()
    assert response.status_code == 200
    assert data["symbol"] == "A/C.1/76/L.13"
    assert data["kind"] == "draft"
    assert data["date"] == "2021-10-08"
    assert data["session"] == 76
    assert data["committee"] == "First Committee"
    assert data["distribution"] == "Limited"
    assert data["agenda_item"] == "95"
    assert data["revision_of"] is None
    assert data["title"] == seed_document.title
    assert len(data["sponsors"]) == 55
    assert data["sponsors"][32] == {
        "position": 33,
        "name_as_printed": "Netherlands",
        "state": "Netherlands (Kingdom of the)",
        "iso3": "NLD",
    }
    assert [p["label"] for p in data["paragraphs"]] == list(
        Paragraph.objects.filter(document=seed_document).values_list("label", flat=True)
    )
    op6a = next(p for p in data["paragraphs"] if p["label"] == "op6-a")
    assert op6a == {
        "label": "op6-a",
        "part": "operative",
        "number": "(a)",
        "parent": "op6",
        "lead": "",
        "text": op6a["text"],
    }
    assert op6a["text"].startswith("Efforts taken at the national level")
    assert [(f["number"], f["paragraph"]) for f in data["footnotes"]] == [
        (1, "pp13"),
        (2, "op1"),
        (3, "op2"),
    ]
    assert len(data["citations"]) == 34
    assert data["citations"][0] == {
        "paragraph": "pp1",
        "footnote": None,
        "kind": "resolution",
        "text": "43/78 H",
        "symbol": "A/RES/43/78H",
        "url": "https://undocs.org/A/RES/43/78H",
        "start": 26,
        "end": 33,
    }
    in_footnotes = [c for c in data["citations"] if c["footnote"]]
    assert [(c["footnote"], c["text"]) for c in in_footnotes] == [
        (1, "A/65/201"),
        (1, "A/68/98"),
        (1, "A/70/174"),
        (2, "A/75/816"),
        (3, "A/76/135"),
    ]


def test_the_json_of_a_revision_names_what_it_revises(client, seed_document):
    document = make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=seed_document)
    assert client.get(f"/documents/{document.slug}.json").json()["revision_of"] == "A/C.1/76/L.13"


def test_unknown_documents_are_404(client, db):
    assert client.get("/documents/a-res-99-1.akn.xml").status_code == 404
    assert client.get("/documents/a-res-99-1.json").status_code == 404


def test_the_exports_do_not_clash_with_the_reading_page(client, db):
    assert client.get(f"/documents/{SEED_SLUG}/").status_code == 200
    assert client.get(f"/documents/{SEED_SLUG}/").headers["Content-Type"].startswith("text/html")


def test_the_reading_page_links_to_the_exports(client, db):
    page = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert f'href="{AKN_URL}"' in page
    assert f'href="{JSON_URL}"' in page


def test_the_exports_query_count_is_fixed(client, seed_document, django_assert_num_queries):
    big = make_document(paragraphs=60)
    for url in (AKN_URL, JSON_URL, f"/documents/{big.slug}.akn.xml", f"/documents/{big.slug}.json"):
        # The document, its sponsors, paragraphs, footnotes and citations; the JSON also its
        # versions, in one query however many there are.
        with django_assert_num_queries(6 if url.endswith(".json") else 5):
            assert client.get(url).status_code == 200


# Sub-paragraphs at every depth: (i) to (v) under 6 (d) of A/C.6/80/L.10 ---------------------

HIERARCHY = {"paragraph", "subparagraph"}


def local(element: ET.Element) -> str:
    return element.tag.split("}")[1]


def test_every_level_nests_in_the_akn_export_as_the_schema_allows(client, db):
    document = make_real_document("A-C.6-80-L.10")
    expected = expected_reading("A-C.6-80-L.10")["paragraphs"]
    root = akn(client, f"/documents/{document.slug}.akn.xml")
    body = root.find("akn:statement/akn:mainBody", NS)

    op6 = body.find("akn:paragraph[@eId='op6']", NS)
    op6_d = op6.find("akn:subparagraph[@eId='op6-d']", NS)
    assert [s.get("eId") for s in op6.findall("akn:subparagraph", NS)] == [
        f"op6-{letter}" for letter in "abcdef"
    ]
    assert [
        (s.get("eId"), s.find("akn:num", NS).text) for s in op6_d.findall("akn:subparagraph", NS)
    ] == [
        ("op6-d-i", "(i)"),
        ("op6-d-ii", "(ii)"),
        ("op6-d-iii", "(iii)"),
        ("op6-d-iv", "(iv)"),
        ("op6-d-v", "(v)"),
    ]
    assert op6.find("akn:num", NS).text == "6."
    assert op6_d.find("akn:num", NS).text == "(d)"
    # The schema's hierarchy: num, then either content, or intro and the sub-levels.
    for element in body.iter():
        if local(element) not in HIERARCHY:
            continue
        children = [local(child) for child in element]
        assert children[0] == "num"
        assert children[1:] == ["content"] or (
            children[1] == "intro" and len(children) > 2 and set(children[2:]) == {"subparagraph"}
        ), element.get("eId")
    # Every paragraph once, in the document's order, each with its own words.
    in_order = [e for e in body.iter() if local(e) in HIERARCHY]
    operative = [row for row in expected if row["part"] == "operative"]
    assert [e.get("eId") for e in in_order] == [row["label"] for row in operative]
    for element, row in zip(in_order, operative, strict=True):
        p = element.find("akn:content/akn:p", NS)
        if p is None:
            p = element.find("akn:intro/akn:p", NS)
        assert text_without_notes(p) == row["text"]


def test_the_json_export_gives_every_level_with_its_parent(client, db):
    document = make_real_document("A-C.6-80-L.10")
    expected = expected_reading("A-C.6-80-L.10")["paragraphs"]

    data = client.get(f"/documents/{document.slug}.json").json()

    assert [(p["label"], p["text"]) for p in data["paragraphs"]] == [
        (row["label"], row["text"]) for row in expected
    ]
    by_label = {p["label"]: p for p in data["paragraphs"]}
    assert (by_label["op6"]["parent"], by_label["op6"]["number"]) == (None, "6")
    assert (by_label["op6-d"]["parent"], by_label["op6-d"]["number"]) == ("op6", "(d)")
    for numeral in ("i", "ii", "iii", "iv", "v"):
        item = by_label[f"op6-d-{numeral}"]
        assert (item["parent"], item["number"]) == ("op6-d", f"({numeral})")


def test_the_exports_cost_the_same_at_any_depth(client, db, django_assert_num_queries):
    document = make_real_document("A-C.6-80-L.10")
    for url in (f"/documents/{document.slug}.akn.xml", f"/documents/{document.slug}.json"):
        # As pinned for flat documents: the document, sponsors, paragraphs, footnotes, citations
        # (and the versions, for the JSON).
        with django_assert_num_queries(6 if url.endswith(".json") else 5):
            assert client.get(url).status_code == 200
