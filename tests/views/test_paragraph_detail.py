"""``/documents/<slug>/paragraphs/<label>/``: one paragraph of the reading page, as that page
shows it to its reader, which an open reading page fetches again when the paragraph changes;
without JavaScript, a page of its own with a link back to the whole document."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from resolutions import services
from resolutions.models import Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation
from tests.markup import parse

pytestmark = pytest.mark.django_db

READING_URL = f"/documents/{SEED_SLUG}/"
OP3_URL = f"/documents/{SEED_SLUG}/paragraphs/op3/"


@pytest.fixture
def op3(seed_document):
    return Paragraph.objects.get(document=seed_document, label="op3")


def test_the_paragraph_is_a_page_with_its_notes_and_a_way_back(client, lars, op3):
    make_annotation(lars, op3, "Our line on op3", visibility="delegation")
    client.force_login(lars)
    response = client.get(OP3_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>OP3 of A/C.1/76/L.13" in html
    assert 'id="op3"' in html
    assert 'id="op4"' not in html
    assert "Our line on op3" in html
    assert f'href="{READING_URL}#op3"' in html
    assert 'action="/documents/a-c1-76-l13/paragraphs/op3/annotations/"' in html


def test_htmx_gets_the_paragraph_alone_as_the_reading_page_shows_it(client, lars, op3):
    make_annotation(lars, op3, "Our line on op3", visibility="delegation")
    client.force_login(lars)
    alone = client.get(OP3_URL, headers={"HX-Request": "true"})
    assert alone["Vary"].count("HX-Request") == 1
    fragment = alone.content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith('<div class="paragraph operative" id="op3"')
    reading = client.get(READING_URL).content.decode()
    # The same paragraph as on the page, but for the forms' per-response fields.
    strip = re.compile(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]*"')
    assert strip.sub("", fragment.strip()) in strip.sub("", reading)


def test_the_reading_page_fetches_each_paragraph_from_its_own_address(client, lars):
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    live = re.search(r'<span hidden data-live hx-get="([^"]+)" hx-trigger="sse:op3"[^>]*>', html)
    assert live[1] == OP3_URL
    assert 'hx-select="#op3" hx-target="#op3"' in live[0]


def test_a_new_note_shows_on_the_paragraph_at_once(client, lars, ingrid, op3):
    client.force_login(lars)
    assert "Fresh on op3" not in client.get(OP3_URL).content.decode()
    services.annotation_create(
        author=ingrid, paragraph=op3, body="Fresh on op3", visibility="delegation"
    )
    assert "Fresh on op3" in client.get(OP3_URL, headers={"HX-Request": "true"}).content.decode()
    # What the paragraph's address rendered is what the whole page serves next.
    assert "Fresh on op3" in client.get(READING_URL).content.decode()


def test_a_note_is_shown_only_to_those_who_may_read_it(lars, amina, op3):
    make_annotation(lars, op3, "For Norway only", visibility="delegation")
    nigeria, anonymous = Client(), Client()
    nigeria.force_login(amina)
    assert "For Norway only" not in nigeria.get(OP3_URL).content.decode()
    text = anonymous.get(OP3_URL).content.decode()
    assert "For Norway only" not in text
    assert "Log in to annotate" in text


def test_a_paragraph_the_document_does_not_have_is_not_found(client, lars):
    client.force_login(lars)
    assert client.get(f"/documents/{SEED_SLUG}/paragraphs/op99/").status_code == 404
    assert client.get("/documents/a-c1-99-l999/paragraphs/op3/").status_code == 404


def test_the_paragraph_costs_the_same_whatever_its_notes(
    client, lars, ingrid, op3, django_assert_num_queries
):
    client.force_login(lars)
    htmx = {"HX-Request": "true"}
    client.get(OP3_URL, headers=htmx)
    services.annotation_create(author=ingrid, paragraph=op3, body="First", visibility="public")
    # The session, the user, the document and its paragraphs' versions; the paragraph's
    # margin: its notes (5) and its proposals (2). The reader's circles, which its forms
    # offer, come from the cache with the page's parts.
    with django_assert_num_queries(11):
        client.get(OP3_URL, headers=htmx)
    for number in range(20):
        make_annotation(ingrid, op3, f"Note {number}", visibility="delegation")
    services.annotation_create(author=ingrid, paragraph=op3, body="One more", visibility="public")
    with django_assert_num_queries(11):
        assert "One more" in client.get(OP3_URL, headers=htmx).content.decode()
    with django_assert_num_queries(4):  # from the cache
        client.get(OP3_URL, headers=htmx)


def test_alone_or_on_the_whole_page_the_margin_shows_the_five_newest_threads_its_reader_sees(
    client, lars, amina, op3
):
    """The paragraph alone reads its newest threads down an index; the whole page ranks
    every paragraph's at once. Both skip what the reader may not see."""
    norway = [make_annotation(lars, op3, visibility="delegation") for _ in range(3)]
    make_annotation(amina, op3, "Ghana's private note", visibility="private")
    services.annotation_delete(make_annotation(lars, op3, "Taken back"))
    ghana = [make_annotation(amina, op3, visibility="public") for _ in range(3)]
    make_annotation(amina, op3, "Ghana's newest private note", visibility="private")
    newest_seen = [note.pk for note in [*reversed(ghana), *reversed(norway)][:5]]
    client.force_login(lars)

    def threads(html: str) -> list[int]:
        margin = parse(html).find(id="notes-op3")
        return [int(note["data-annotation-id"]) for note in margin.find_all("article")]

    alone = client.get(OP3_URL, headers={"HX-Request": "true"}).content.decode()
    cache.clear()
    whole = client.get(READING_URL).content.decode()
    assert threads(alone) == threads(whole) == newest_seen
    # The oldest it may see is one more; the private notes and the deleted are not counted.
    assert "1 more on OP3" in whole
