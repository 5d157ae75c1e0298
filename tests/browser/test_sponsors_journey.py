"""A delegate narrows the sponsors to one regional group, then checks an official list."""

import re

from playwright.sync_api import Page, expect

from tests.browser.waits import htmx_settled
from tests.conftest import SEED_TEXT_PATH


def test_filter_by_group_updates_the_list_and_the_address(page: Page, seeded_live_server):
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/")
    page.get_by_role("link", name="Sponsors by region").click()
    expect(page.get_by_role("heading", name="55 of 55 sponsors")).to_be_visible()
    htmx_settled(page)
    page.evaluate("window.pageWasNotReloaded = true")

    page.get_by_label("Regional group", exact=True).select_option("eastern-european")
    expect(page.get_by_role("heading", name="14 of 55 sponsors shown")).to_be_visible()
    expect(page).to_have_url(re.compile(r"group=eastern-european"))
    assert page.evaluate("window.pageWasNotReloaded") is True
    expect(page.locator(".sponsor-table tbody tr")).to_have_count(14)
    expect(page.locator(".sponsor-table")).to_contain_text("Republic of Moldova")

    page.reload()
    expect(page.get_by_role("heading", name="14 of 55 sponsors shown")).to_be_visible()


def test_filter_works_without_javascript(new_context, seeded_live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/sponsors/")
    page.get_by_label("Regional group", exact=True).select_option("asia-pacific")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"group=asia-pacific"))
    expect(page.locator(".sponsor-table tbody tr")).to_have_count(5)
    context.close()


def test_compare_with_a_pasted_official_list(page: Page, seeded_live_server):
    sentence = next(
        line
        for line in SEED_TEXT_PATH.read_text(encoding="utf-8").splitlines()
        if line.endswith(": draft resolution")
    )
    # The official list as announced later: one state added, one misspelt.
    pasted = sentence.replace("Zimbabwe:", "Zimbabwe, Chile and Austrailia:")
    page.goto(seeded_live_server.url + "/compare/sponsors/")
    page.get_by_label("A/C.1/76/L.13 (latest list)").check()
    page.get_by_label("Pasted list (optional)").fill(pasted)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="On every list (55)")).to_be_visible()
    expect(page.get_by_role("heading", name="Only on Pasted list (1)")).to_be_visible()
    expect(page.locator("#comparison")).to_contain_text("Chile")
    expect(page.locator(".warning-box")).to_contain_text("Austrailia")
    expect(page.locator(".warning-box")).to_contain_text("Did you mean Australia?")
    # The result leads with what to do.
    actions = page.locator(".compare-actions")
    expect(actions).to_contain_text("1 new sponsor to record: Chile.")
    expect(actions).to_contain_text("1 name matches no Member State: Austrailia.")
