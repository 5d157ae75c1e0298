"""Comparing sponsor lists: documents, named snapshots and pasted lists."""

import datetime
import json

import pytest

from resolutions.models import MemberState, SponsorList, Sponsorship
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH
from tests.factories import make_delegate, make_document

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
    assert "Austrailia</strong>: not a Member State. Did you mean Australia?" in text
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


# What a pasted list asks of the delegate -----------------------------------------------


def paste(client, names, documents=(SEED_SLUG,), url=PAGE, **extra):
    from urllib.parse import urlencode

    query = urlencode([("documents", d) for d in documents] + [("pasted", names)])
    return client.get(f"{url}?{query}", **extra)


def text_of(response) -> str:
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def test_the_result_leads_with_what_to_do_counted_in_sentences(client, db):
    names = seed_sentence().replace(
        " and Zimbabwe:", ", Zimbabwe, Cote d'Ivoire, Turkey and Atlantis:"
    )
    page = text_of(paste(client, names))
    assert "2 new sponsors to record: Côte d'Ivoire, Türkiye." in page
    assert "1 name matches no Member State: Atlantis." in page
    assert "Atlantis: not a Member State." in page
    assert "Did you mean" not in page
    # The actions come before the names matched under another form, and those before the lists.
    assert page.index("new sponsors to record") < page.index("Names matched under another form")
    assert page.index("Turkey → Türkiye") < page.index("On every list (55)")
    assert "Cote d'Ivoire →" not in page  # the official name without its accent is no other form


def test_one_of_each_is_singular_and_sponsors_left_out_are_counted(client, db):
    page = text_of(paste(client, "Australia, Austria, Colombia, Atlantis, Narnia"))
    assert "1 new sponsor to record: Colombia." in page
    assert "2 names match no Member State: Atlantis, Narnia." in page
    assert "53 sponsors of A/C.1/76/L.13 are not on the pasted list:" in page
    one_left_out = seed_sentence().replace(" and Zimbabwe:", ":")
    page = text_of(paste(client, one_left_out))
    assert "1 sponsor of A/C.1/76/L.13 is not on the pasted list: Zimbabwe." in page
    assert "new sponsor" not in page


def test_a_close_name_gets_a_suggestion_and_a_made_up_one_none(client, db):
    page = text_of(paste(client, "Chile, Columbia, Phillipines, Atlantis"))
    assert "Columbia: not a Member State. Did you mean Colombia?" in page
    assert "Phillipines: not a Member State. Did you mean Philippines?" in page
    assert "Atlantis: not a Member State. They are left out" in page


def test_names_in_another_form_are_listed_with_the_state_they_count_as(client, db):
    page = text_of(paste(client, "Czech Republic, Turkey, Chile, the Netherlands"))
    assert "Names matched under another form (3)" in page
    assert "Czech Republic → Czechia" in page
    assert "Turkey → Türkiye" in page
    assert "the Netherlands → Netherlands (Kingdom of the)" in page
    assert "Chile →" not in page


def test_a_list_that_agrees_says_there_is_nothing_to_do(client, db):
    page = text_of(paste(client, seed_sentence()))
    assert "Nothing to do: the pasted list and A/C.1/76/L.13 agree." in page
    # The document prints the short name; the list of Member States has the long one.
    assert "Names matched under another form (1) " in page
    assert "Netherlands → Netherlands (Kingdom of the)" in page


def test_json_gains_the_actions_and_the_names_read(client, db):
    response = paste(client, "Czech Republic, Ivory Coast, Columbia, Atlantis", url=JSON_URL)
    data = json.loads(response.content)
    assert {"lists", "in_all", "only", "unknown"} <= set(data)
    assert data["unknown"] == ["Columbia", "Atlantis"]
    assert data["new_sponsors"] == ["CIV"]
    assert data["actions"][:2] == [
        "1 new sponsor to record: Côte d'Ivoire",
        "2 names match no Member State: Columbia, Atlantis",
    ]
    assert data["actions"][2].startswith("54 sponsors of A/C.1/76/L.13 are not on the pasted list")
    assert len(data["missing_from_pasted"]) == 54
    assert data["unknown_names"] == [
        {"name_as_given": "Columbia", "suggestions": ["Colombia"]},
        {"name_as_given": "Atlantis", "suggestions": []},
    ]
    assert data["other_forms"] == [
        {"name_as_given": "Czech Republic", "name": "Czechia", "iso3": "CZE"},
        {"name_as_given": "Ivory Coast", "name": "Côte d'Ivoire", "iso3": "CIV"},
    ]


def test_an_editor_is_offered_to_record_the_new_sponsors(client, db):
    editor = make_delegate("amina", "Nigeria", editor=True)
    client.force_login(editor)
    html = paste(client, "Chile, Colombia").content.decode()
    assert f'href="/documents/{SEED_SLUG}/sponsors/lists/new/"' in html
    client.logout()
    assert "Record them on" not in paste(client, "Chile, Colombia").content.decode()


def test_two_documents_alone_lead_with_no_actions(client, db):
    other = make_document(symbol="A/C.1/77/L.99")
    make_list(other, ["AUS", "NOR"])
    html = client.get(f"{PAGE}?documents={SEED_SLUG}&documents={other.slug}").content.decode()
    assert "What the pasted list asks of you" not in html
