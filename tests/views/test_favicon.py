"""The site's icon: linked from every page, the error pages too, and answering where
browsers ask for it without being told (``/favicon.ico``)."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

ICON_LINK = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_favicon_ico_sends_the_browser_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert "public" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 301


def test_the_icon_is_an_svg_of_our_own(db):
    icon = (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text()
    assert icon.startswith("<svg")
    assert "¶" in icon
    assert "http://" not in icon.replace("http://www.w3.org/2000/svg", "")


def test_every_page_links_the_icon(client, db):
    assert ICON_LINK in client.get("/").content.decode()
    assert ICON_LINK in client.get("/accounts/login/").content.decode()


def test_the_error_pages_link_the_icon():
    assert ICON_LINK in render_to_string("500.html")
