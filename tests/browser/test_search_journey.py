"""A delegate searches from the header box, reads the results and follows one."""

import re

from playwright.sync_api import Page, expect

from resolutions.models import Annotation, Paragraph
from tests.factories import make_annotation, make_delegate


def test_header_search_to_the_paragraph(page: Page, seeded_live_server):
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/")
    search = page.get_by_role("search").get_by_label("Search")
    search.fill('"Member States"')
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=%22Member\+States%22$"))
    expect(page.get_by_role("heading", level=2)).to_have_text('2 results for “"Member States"”')
    expect(page.get_by_role("heading", level=3, name="A/C.1/76/L.13")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Member States")
    # What was typed stays in the box.
    expect(page.get_by_role("search").first.get_by_label("Search")).to_have_value('"Member States"')

    page.get_by_role("link", name="OP6", exact=True).click()
    expect(page).to_have_url(re.compile(r"/documents/a-c1-76-l13/#op6$"))
    expect(page.locator("#op6")).to_be_in_viewport()
    expect(page.locator("#op6")).to_contain_text("Member States")


def test_the_header_box_fits_a_phone_screen(new_context, seeded_live_server):
    context = new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(seeded_live_server.url + "/")
    box = page.get_by_role("search").get_by_label("Search")
    expect(box).to_be_visible()
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.site-search *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 320
    box.fill("develop")
    page.get_by_role("search").get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("results for “develop”")
    context.close()


def test_a_delegate_finds_an_open_note_and_opens_it(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    op6 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op6")
    note = make_annotation(lars, op6, "Ask Brazil about the capacity wording")
    settled = make_annotation(lars, op6, "Brazil agreed to the capacity figures")
    Annotation.objects.filter(pk=settled.pk).update(resolved=True)
    page = logged_in_page(lars)
    page.goto(seeded_live_server.url + "/")
    page.get_by_role("search").get_by_label("Search").fill("brazil capacity")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text("2 results for “brazil capacity”")

    page.get_by_label("Notes").select_option("open")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "1 result for “brazil capacity” in open notes"
    )
    page.get_by_role("link", name="Note on OP6").click()
    expect(page).to_have_url(re.compile(rf"/annotations/{note.pk}/#annotation-{note.pk}$"))
    expect(page.locator(f"#annotation-{note.pk}")).to_contain_text("Ask Brazil")
