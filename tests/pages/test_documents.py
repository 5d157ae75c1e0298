"""The home page and the reading view."""

import re

import pytest
from django.urls import reverse

from resolutions.models import Document
from tests.conftest import SEED_SLUG
from tests.factories import make_document

READING_URL = f"/documents/{SEED_SLUG}/"
PARAGRAPH_IDS = [f"pp{i}" for i in range(1, 14)] + [f"op{i}" for i in range(1, 8)]


@pytest.fixture
def reading_html(client, db):
    response = client.get(READING_URL)
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_the_seed_document_and_its_agenda_item(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{READING_URL}"' in html
    assert "A/C.1/76/L.13" in html
    assert "Developments in the field of information and telecommunications" in html
    assert 'href="/agenda/ict-international-security/"' in html


def test_reading_url_follows_the_slug_contract(db):
    document = Document.objects.get(symbol="A/C.1/76/L.13")
    assert document.slug == SEED_SLUG
    assert document.get_absolute_url() == READING_URL
    assert reverse("resolutions:document_detail", args=[SEED_SLUG]) == READING_URL


def test_reading_page_shows_the_header_as_issued(reading_html):
    for text in [
        "General Assembly",
        "Distr.: Limited",
        "8 October 2021",
        "Original: English",
        "Seventy-sixth session",
        "First Committee",
        "Agenda item 95",
        "A/C.1/76/L.13",
        "<em>The General Assembly</em>,",
    ]:
        assert text in reading_html


def test_every_paragraph_has_a_permalink_and_a_visible_label(reading_html):
    for label in [*PARAGRAPH_IDS, "op6-a", "op6-b"]:
        assert f'id="{label}"' in reading_html
        assert f'href="#{label}"' in reading_html
    assert ">PP3</a>" in reading_html
    assert ">OP6(a)</a>" in reading_html
    assert ">OP7</a>" in reading_html


def test_paragraphs_appear_in_document_order(reading_html):
    positions = [
        reading_html.index(f'id="{label}"') for label in [*PARAGRAPH_IDS[:19], "op6-a", "op7"]
    ]
    assert positions == sorted(positions)


def test_operative_verbs_and_preambular_openings_are_in_italics(reading_html):
    assert '<em class="lead">Decides</em>' in reading_html
    assert '<em class="lead">Calls upon</em>' in reading_html
    assert '<em class="lead">Recalling</em>' in reading_html
    assert '<em class="lead">Expressing concern also</em>' in reading_html


def test_footnote_markers_and_notes_link_both_ways(reading_html):
    for number in (1, 2, 3):
        assert f'id="fnref{number}" href="#fn{number}"' in reading_html
        assert f'id="fn{number}"' in reading_html
        assert f'href="#fnref{number}"' in reading_html


def test_citations_link_to_the_un_document_system(reading_html):
    links = re.findall(r'<a class="citation" href="(https://undocs.org/[^"]+)"', reading_html)
    assert len(links) == 26 + 2 + 1 + 5
    assert "https://undocs.org/A/RES/43/78H" in links
    assert "https://undocs.org/A/DEC/75/564" in links
    assert "https://undocs.org/A/76/135" in links


def test_sponsor_line_is_printed_as_issued(reading_html):
    assert "Australia, Austria, Belgium, Brazil" in reading_html
    assert "Uzbekistan and Zimbabwe: draft resolution" in reading_html


def test_unknown_document_is_a_404_in_the_site_layout(client, db):
    response = client.get("/documents/a-c1-99-l999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Resolution workbench" in html
    assert "Traceback" not in html


def test_reading_page_query_count_is_fixed(client, db, django_assert_num_queries):
    # Six, one for the chain of versions the top of the page names, and one for the
    # paragraphs' versions (what each paragraph's rendering is cached under).
    with django_assert_num_queries(8):
        client.get(READING_URL)


def test_reading_page_query_count_does_not_grow_with_the_document(
    client, db, django_assert_num_queries
):
    big = make_document(paragraphs=60)
    make_document(paragraphs=5)
    with django_assert_num_queries(8):
        response = client.get(big.get_absolute_url())
    assert 'id="op60"' in response.content.decode()


def test_session_titles_are_spelt_as_un_documents_print_them():
    from resolutions.un.symbols import session_title

    assert session_title(1) == "First session"
    assert session_title(12) == "Twelfth session"
    assert session_title(20) == "Twentieth session"
    assert session_title(76) == "Seventy-sixth session"
    assert session_title(80) == "Eightieth session"
    assert session_title(100) == "One hundredth session"
    assert session_title(121) == "One hundred and twenty-first session"
