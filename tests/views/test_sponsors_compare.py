"""Comparing sponsor lists: documents, named snapshots and pasted lists."""

import datetime
import json

import pytest

from resolutions.models import MemberState, SponsorList, Sponsorship
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH
from tests.factories import make_document

PAGE = "/compare/sponsors/"
JSON_URL = "/compare/sponsors.json"


def seed_sentence() -> str:
    raw = SEED_TEXT_PATH.read_text(encoding="utf-8")
    return next(line for line in raw.splitlines() if line.endswith(": draft resolution"))


def make_list(document, iso3s, label="As printed", as_of=datetime.date(2022, 10, 1)):
    sponsor_list = SponsorList.objects.create(document=document, label=label, as_of=as_of)
    states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=iso3s)}
    Sponsorship.objects.bulk_create(
        Sponsorship(
            sponsor_list=sponsor_list, state=states[k], position=i, name_as_printed=states[k].name
        )
        for i, k in enumerate(iso3s, start=1)
    )
    return sponsor_list


def compare_json(client, query):
    response = client.get(JSON_URL + query)
    return response.status_code, json.loads(response.content)


def test_seed_against_its_own_official_sentence_is_identical(client, db):
    from urllib.parse import urlencode

    status, data = compare_json(
        client, "?" + urlencode({"documents": SEED_SLUG, "pasted": seed_sentence()})
    )
    assert status == 200
    assert data["lists"] == ["A/C.1/76/L.13", "Pasted list"]
    assert len(data["in_all"]) == 55
    assert data["only"] == {"A/C.1/76/L.13": [], "Pasted list": []}
    assert data["unknown"] == []


def test_two_documents(client, db):
    other = make_document(symbol="A/C.1/77/L.99")
    make_list(other, ["AUS", "NOR", "CHN", "BRA"])
    status, data = compare_json(client, f"?documents={SEED_SLUG}&documents={other.slug}")
    assert status == 200
    assert data["in_all"] == ["AUS", "BRA", "NOR"]
    assert data["only"]["A/C.1/77/L.99"] == ["CHN"]
    assert "ZWE" in data["only"]["A/C.1/76/L.13"]
    assert data["only"]["A/C.1/76/L.13"] == sorted(data["only"]["A/C.1/76/L.13"])


def test_pasted_names_are_matched_through_aliases_and_unknown_names_kept(client, db):
    pasted = "Türkiye\nturkey\nthe Netherlands\nCote d'Ivoire\nAustrailia\nNarnia"
    status, data = compare_json(
        client, f"?documents={SEED_SLUG}&pasted=" + pasted.replace("\n", "%0A")
    )
    assert status == 200
    assert data["unknown"] == ["Austrailia", "Narnia"]
    assert data["only"]["Pasted list"] == ["CIV", "TUR"]
    assert data["in_all"] == ["NLD"]
    html = client.get(f"{PAGE}?documents={SEED_SLUG}&pasted=" + pasted.replace("\n", "%0A"))
    text = html.content.decode()
    assert "Austrailia</strong> — did you mean Australia" in text
    assert "Named more than once in the pasted list" in text


def test_a_named_snapshot_can_be_compared_with_the_latest_list(client, seed_document):
    make_list(seed_document, ["AUS", "CHL"], label="Trimmed", as_of=datetime.date(2021, 11, 1))
    status, data = compare_json(
        client, f"?documents={SEED_SLUG}%40As%20printed&documents={SEED_SLUG}"
    )
    assert status == 200
    assert data["lists"] == ["A/C.1/76/L.13 (As printed)", "A/C.1/76/L.13"]
    assert data["in_all"] == ["AUS"]
    assert data["only"]["A/C.1/76/L.13"] == ["CHL"]


def test_unknown_document_is_404(client, db):
    assert client.get(f"{PAGE}?documents=a-c1-99-l404&documents={SEED_SLUG}").status_code == 404
    assert client.get(f"{JSON_URL}?documents=a-c1-99-l404&pasted=Chile").status_code == 404


def test_one_list_and_no_paste_asks_for_input(client, db):
    response = client.get(f"{PAGE}?documents={SEED_SLUG}")
    assert response.status_code == 200
    assert "Paste a sponsor list to compare" in response.content.decode()
    status, data = compare_json(client, f"?documents={SEED_SLUG}&pasted=")
    assert status == 400
    assert "Paste a sponsor list" in data["error"]


def test_too_long_or_too_many_names_are_refused(client, db):
    status, data = compare_json(client, f"?documents={SEED_SLUG}&pasted=" + "x" * 20_001)
    assert status == 400
    assert "20,000 characters" in data["error"]
    many = "%0A".join(f"Name{i}" for i in range(401))
    status, data = compare_json(client, f"?documents={SEED_SLUG}&pasted={many}")
    assert status == 400
    assert "400" in data["error"]


def test_page_breaks_down_by_group_and_links_back(client, db):
    html = client.get(f"{PAGE}?documents={SEED_SLUG}&pasted=Chile%2C+Norway").content.decode()
    assert f'href="/documents/{SEED_SLUG}/sponsors/"' in html
    assert "By regional group" in html
    assert "Only on Pasted list (1)" in html


def test_htmx_gets_the_comparison_fragment(client, db):
    response = client.get(f"{PAGE}?documents={SEED_SLUG}&pasted=Chile", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="comparison">')
    assert "<html" not in html


@pytest.mark.parametrize("lists", [2, 10])
def test_comparison_query_count_is_fixed(client, db, django_assert_num_queries, lists):
    iso3s = list(MemberState.objects.values_list("iso3", flat=True))
    slugs = []
    for i in range(lists):
        document = make_document(symbol=f"A/C.1/80/L.{100 + i}", paragraphs=1)
        make_list(document, iso3s[i : i + 150])
        slugs.append(document.slug)
    query = "?" + "&".join(f"documents={slug}" for slug in slugs)
    with django_assert_num_queries(4):
        assert client.get(JSON_URL + query).status_code == 200


def test_page_lists_states_by_name(client, db):
    html = client.get(f"{PAGE}?documents={SEED_SLUG}&pasted=Chile%2C+Norway").content.decode()
    section = html[html.index("Only on A/C.1/76/L.13") :]
    assert section.index("Brazil") < section.index("Bulgaria") < section.index("Cyprus")
