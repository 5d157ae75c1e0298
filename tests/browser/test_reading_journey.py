"""A delegate finds the draft from the home page and jumps to operative paragraph 7."""

import re

from playwright.sync_api import Page, expect


def test_home_to_the_document_to_op7(page: Page, seeded_live_server):
    page.goto(seeded_live_server.url + "/")
    page.get_by_role("link", name="A/C.1/76/L.13").click()
    expect(page).to_have_url(re.compile(r"/documents/a-c1-76-l13/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "advancing responsible State behaviour"
    )

    page.locator("#op7 .paragraph-label").click()
    expect(page).to_have_url(re.compile(r"#op7$"))
    op7 = page.locator("#op7")
    expect(op7).to_be_in_viewport()
    expect(op7).to_contain_text("Decides to include in the provisional agenda")
    expect(op7.locator("em.lead")).to_have_text("Decides")


def test_footnote_marker_leads_to_its_note_and_back(page: Page, seeded_live_server):
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/")
    page.locator("#op1 sup a").click()
    expect(page.locator("#fn2")).to_be_in_viewport()
    expect(page.locator("#fn2")).to_contain_text("A/75/816")
    page.locator("#fn2 .footnote-back").click()
    expect(page).to_have_url(re.compile(r"#fnref2$"))


def test_reading_page_works_with_javascript_off(new_context, seeded_live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/#op6-a")
    expect(page.locator("#op6-a")).to_contain_text("Efforts taken at the national level")
    context.close()
