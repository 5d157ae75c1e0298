"""Error pages: in the site's layout, saying what to do, never a traceback or a setting."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from config import urls as root_urls
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_delegate

LEAKS = ["Traceback", 'File "', "SECRET_KEY", "DATABASES", "settings", "secret-internal-detail"]


def assert_error_page(response, status: int, *phrases: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Resolution workbench" in html
    for phrase in phrases:
        assert phrase in html
    for leak in LEAKS:
        assert leak not in html
    return html


@pytest.fixture
def quiet_client(db):
    """A client that gets the 500 page instead of the exception, as a browser would."""
    client = Client(raise_request_exception=False)
    return client


def test_not_found_page_is_in_the_layout(client, db):
    assert_error_page(client.get("/documents/no-such-draft/"), 404, "Not found")


def test_bad_request_page_is_in_the_layout(client, db):
    response = client.get(f"/documents/{SEED_SLUG}/", HTTP_HOST="attacker.example")
    assert_error_page(response, 400, "could not be understood")


def test_forbidden_page_says_why_in_the_layout(client, db):
    client.force_login(make_delegate("lars"))
    response = client.get(f"/documents/{SEED_SLUG}/sponsors/lists/new/")
    html = assert_error_page(response, 403, "You may not do this")
    assert "Only editors record sponsor lists." in html
    assert "lars" in html  # the layout knows who is logged in


def test_expired_form_gets_a_page_that_says_to_reload(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_delegate("lars"))
    response = client.post(
        f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/", {"body": "A note"}
    )
    assert_error_page(response, 403, "The form has expired", "Nothing was saved")


def test_server_error_page_shows_no_detail(quiet_client, monkeypatch):
    def broken(document):
        raise RuntimeError("secret-internal-detail in /work/main/resolutions/reading.py")

    monkeypatch.setattr("resolutions.pages.reading.reading_text", broken)
    response = quiet_client.get(f"/documents/{SEED_SLUG}/")
    assert_error_page(response, 500, "Something went wrong on our side")


def test_server_error_page_needs_no_database_and_no_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert 'class="site-header"' in html


def test_database_gone_in_a_view_gives_the_retry_page(quiet_client, monkeypatch):
    def unavailable(document):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("resolutions.pages.reading.reading_text", unavailable)
    response = quiet_client.get(f"/documents/{SEED_SLUG}/")
    html = assert_error_page(response, 503, "try again in 30 seconds")
    assert "Connection refused" not in html
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_database_gone_outside_a_view_gives_the_retry_page(quiet_client, monkeypatch):
    """Logging in saves the session after the view has run, in a middleware."""
    make_delegate("lars")

    def unavailable(self, must_create=False):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", unavailable)
    response = quiet_client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert_error_page(response, 503, "try again")


def test_error_handlers_are_the_sites_own():
    assert root_urls.handler500 == "resolutions.views.errors.server_error"
