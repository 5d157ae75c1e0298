"""Who the note form offers to mention: the people who could read the note, as buttons
under the text for htmx and as a page of its own without."""

import pytest
from django.test import Client

from tests.conftest import SEED_SLUG
from tests.factories import make_circle_of_delegates, make_delegate

URL = f"/documents/{SEED_SLUG}/paragraphs/op6/mentionable/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(lars):
    client = Client()
    client.force_login(lars)
    return client


def offered(response) -> list[str]:
    text = response.content.decode()
    return [part.split('"')[0] for part in text.split('data-username="')[1:]]


def test_a_delegation_note_offers_the_delegation(client, ingrid, amina):
    assert offered(client.get(URL, {"q": "", "visibility": "delegation"}, **HTMX)) == ["ingrid"]


def test_a_public_note_offers_everyone_matching_what_was_typed(client, ingrid, amina):
    make_delegate("anders", "Norway")
    response = client.get(URL, {"q": "a", "visibility": "public"}, **HTMX)
    assert offered(response) == ["amina", "anders"]
    assert "<html" not in response.content.decode()


def test_a_private_note_offers_no_one(client, ingrid):
    response = client.get(URL, {"visibility": "private"}, **HTMX)
    assert offered(response) == []
    assert "could read the note but you" in response.content.decode()


def test_a_circle_note_offers_the_circle(client, lars, ingrid, amina, sven):
    circle = make_circle_of_delegates("Friends of OP6", lars, amina)
    response = client.get(URL, {"visibility": "circle", "circle": circle.pk}, **HTMX)
    assert offered(response) == ["amina", "ingrid"]


def test_the_plain_page_lists_them_with_the_form(client, ingrid):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who can be mentioned in a note on OP6" in page
    assert 'name="visibility"' in page
    assert offered(response) == ["ingrid"]


def test_the_note_form_links_to_it(client):
    page = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert f'data-mentions-url="{URL}"' in page
    assert f'<a href="{URL}">who can be mentioned</a>' in page


def test_an_unknown_paragraph_is_not_found(client):
    assert client.get(f"/documents/{SEED_SLUG}/paragraphs/op99/mentionable/").status_code == 404


def test_visitors_are_sent_to_log_in(db):
    assert Client().get(URL).status_code == 302
