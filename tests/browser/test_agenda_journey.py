"""A delegate keeps their delegation's follow-up on the tracker in a real browser: adds an
action in place with htmx and marks it done, then does the same with JavaScript off."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from resolutions.models import FollowUpAction
from tests.browser.waits import htmx_settled
from tests.factories import PASSWORD, make_delegate

TRACKER = "/agenda/ict-international-security/"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={TRACKER}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + TRACKER)


def fill_action(form, title: str, due: datetime.date) -> None:
    form.get_by_label("What to do").fill(title)
    form.get_by_label("Due").fill(due.isoformat())
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Answers paragraph").select_option(label="A/C.1/76/L.13 OP6")
    form.get_by_label("Note").fill("Draft with the capital's cyber desk")


def test_adding_an_action_in_place_with_htmx(page: Page, seeded_live_server):
    make_delegate("lars", "Norway")
    base = seeded_live_server.url
    log_in(page, base, "lars")
    htmx_settled(page)
    # Set once; an htmx swap keeps it, a page load would lose it.
    page.evaluate("window.samePage = 'yes'")

    due = timezone.localdate() + datetime.timedelta(days=5)
    form = page.locator("form[data-action-form]")
    fill_action(form, "Send our views to the Secretary-General", due)
    form.get_by_role("button", name="Add the action").click()

    soon = page.locator("#actions-due-soon")
    action = soon.locator("li.action")
    expect(action).to_have_count(1)
    expect(action.locator(".action-title")).to_have_text("Send our views to the Secretary-General")
    expect(action).to_contain_text("in 5 days")
    expect(action.get_by_role("link", name="A/C.1/76/L.13 OP6")).to_have_attribute(
        "href", "/documents/a-c1-76-l13/#op6"
    )
    expect(page.locator("form[data-action-form]").get_by_label("What to do")).to_have_value("")
    assert page.evaluate("window.samePage") == "yes"

    # Editing happens in place too; Cancel puts the action back as it was.
    htmx_settled(page)
    action.get_by_role("link", name=re.compile("^Edit")).click()
    editing = page.locator("li.action.is-editing")
    expect(editing.get_by_label("What to do")).to_have_value(
        "Send our views to the Secretary-General"
    )
    htmx_settled(page)
    editing.get_by_role("link", name="Cancel").click()
    expect(page.locator("li.action.is-editing")).to_have_count(0)
    htmx_settled(page)
    action.get_by_role("link", name=re.compile("^Edit")).click()
    expect(editing.get_by_label("What to do")).to_have_value(
        "Send our views to the Secretary-General"
    )
    htmx_settled(page)
    editing.get_by_label("What to do").fill("Send our views and assessments")
    editing.get_by_role("button", name="Save changes").click()
    expect(action.locator(".action-title")).to_have_text("Send our views and assessments")
    assert page.evaluate("window.samePage") == "yes"

    # Marking it done moves it to the done list, still in place.
    htmx_settled(page)
    action.get_by_label(re.compile("^Status of")).select_option("done")
    expect(page.locator("#actions-done li.action")).to_have_count(1)
    expect(page.locator("#actions-due-soon li.action")).to_have_count(0)
    assert page.evaluate("window.samePage") == "yes"
    assert FollowUpAction.objects.get().status == "done"

    # The reading page's OP6 leads to its tracker entry.
    page.goto(base + "/documents/a-c1-76-l13/")
    page.locator("#op6").get_by_role("link", name=re.compile("Follow-up")).click()
    expect(page).to_have_url(re.compile(r"#follow-up-views-to-secretary-general$"))
    expect(page.locator("#follow-up-views-to-secretary-general")).to_be_in_viewport()


def test_adding_an_action_with_javascript_off(new_context, seeded_live_server):
    make_delegate("ingrid", "Norway")
    base = seeded_live_server.url
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, "ingrid")

    due = timezone.localdate() - datetime.timedelta(days=2)
    form = page.locator("form[data-action-form]")
    # Browsers check the required fields themselves before sending anything.
    form.get_by_role("button", name="Add the action").click()
    expect(page).to_have_url(base + TRACKER)
    assert not FollowUpAction.objects.exists()

    fill_action(form, "Brief the capital", due)
    form.get_by_role("button", name="Add the action").click()
    expect(page).to_have_url(re.compile(r"#action-\d+$"))
    overdue = page.locator("#actions-overdue li.action")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Brief the capital")
    expect(overdue).to_contain_text("2 days overdue")

    overdue.get_by_label(re.compile("^Status of")).select_option("done")
    overdue.get_by_role("button", name=re.compile("^Update")).click()
    expect(page.locator("#actions-done li.action")).to_contain_text("Brief the capital")
    context.close()


def test_the_private_calendar_address_is_copied_with_one_button(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    page = logged_in_page(lars, permissions=["clipboard-read", "clipboard-write"])
    page.goto(seeded_live_server.url + TRACKER)
    page.get_by_role("button", name="Get a private address to subscribe to").click()
    address = page.get_by_label(re.compile("Your private address")).input_value()
    assert address.startswith("webcal://")

    page.get_by_role("button", name="Copy the address").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address
