"""The compilation text in Chromium: filtered with and without JavaScript, and printed on A4
and US Letter as a delegate takes it into informal consultations."""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from resolutions.models import Document
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate, make_negotiation

COMPILATION = f"/documents/{SEED_SLUG}/compilation/"


@pytest.fixture
def negotiation(seeded_live_server):
    lars = make_delegate("lars", "Norway")
    amina = make_delegate("amina", "Nigeria")
    return make_negotiation(Document.objects.get(slug=SEED_SLUG), lars, amina)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_the_compilation_filters_in_place_and_prints_on_a4_and_letter(
    logged_in_page, seeded_live_server, negotiation
):
    page: Page = logged_in_page(negotiation.people.lars, viewport={"width": 1300, "height": 1500})
    page.goto(seeded_live_server.url + COMPILATION)
    expect(page.get_by_text("1 of 22 paragraphs agreed and 12 agreed ad ref")).to_be_visible()
    expect(page.locator("#op3 del").first).to_have_text("[deleted: Calls upon")
    page.get_by_role("combobox", name="Paragraphs").select_option("open")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"status=open"))
    expect(page.locator("#pp1")).to_have_count(0)
    expect(page.locator("#op3")).to_be_visible()
    expect(
        page.get_by_text("Showing 9 paragraphs and 6 proposals matching the filters.")
    ).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")

    page.goto(seeded_live_server.url + COMPILATION)
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pages, text = pdf_text(page.pdf(format=paper, prefer_css_page_size=True))
        assert 3 <= pages <= 12, (paper, pages)
        assert "A/C.1/76/L.13 · Compilation text" in text
        assert "1 of 22 paragraphs agreed and 12 agreed ad ref; 4 proposals open." in text
        assert "Amendment by Norway on behalf of Nordic group" in text
        assert "OP6 bis" in text
        assert "Supported by 5 (WEOG 3, African Group 1, EEG 1)" in text
        assert "Page 1 of" in text
        # No controls or navigation on paper.
        for chrome in ["Resolution workbench", "Log out", "Proposals by", "Download"]:
            assert chrome not in text, (paper, chrome)


def test_the_filters_work_without_javascript(new_context, seeded_live_server, negotiation):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(negotiation.people.amina)
    context = new_context(java_script_enabled=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": seeded_live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(seeded_live_server.url + COMPILATION)
    page.get_by_role("combobox", name="Proposals by").select_option("Japan")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"delegation=Japan"))
    expect(page.locator(f"#proposal-{negotiation.japan.pk}")).to_be_visible()
    expect(page.locator(f"#proposal-{negotiation.norway.pk}")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Proposals by")).to_have_value("Japan")


def test_an_anonymous_visitor_is_asked_to_log_in(page: Page, seeded_live_server):
    make_delegate("lars", "Norway")
    page.goto(seeded_live_server.url + COMPILATION)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
