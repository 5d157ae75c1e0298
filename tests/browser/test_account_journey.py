"""A delegate looks after their own account in a real browser: gets a private calendar
address on the tracker, finds it on their account page, changes their password there and
sees the old address stop working, then revokes the new one."""

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_delegate

TRACKER = "/agenda/ict-international-security/"
NEW_PASSWORD = "a-new-long-password-81"


def log_in(page: Page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={TRACKER}")
    page.get_by_label("Username").fill("lars")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + TRACKER)


def address_of_the_item(page: Page) -> str:
    return page.get_by_label(re.compile("^Developments in the field")).input_value()


def fetched(page: Page, address: str) -> int:
    """The status a calendar app gets for a ``webcal://`` address: it asks over HTTP."""
    assert address.startswith("webcal://"), address
    return page.request.get("http://" + address.removeprefix("webcal://")).status


def test_changing_the_password_stops_the_old_calendar_address(page: Page, seeded_live_server):
    make_delegate("lars", "Norway")
    base = seeded_live_server.url
    log_in(page, base, PASSWORD)

    # A private address, made on the tracker, is listed on the account page.
    page.get_by_role("button", name="Get a private address to subscribe to").click()
    made = page.get_by_label(re.compile("Your private address")).input_value()
    page.get_by_role("link", name=re.compile("^lars")).click()
    expect(page).to_have_url(base + "/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    old_address = address_of_the_item(page)
    assert old_address == made
    assert fetched(page, old_address) == 200

    # A weak password is refused and changes nothing; a good one is taken.
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("12345678")
    page.get_by_label("New password confirmation").fill("12345678")
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("alert").first).to_contain_text("too common")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")

    # The old address no longer works; the account page has the new one, which does.
    assert fetched(page, old_address) == 404
    page.get_by_role("link", name="your account", exact=True).click()
    new_address = address_of_the_item(page)
    assert new_address != old_address
    assert fetched(page, new_address) == 200

    # Revoked, the new address stops working too.
    page.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.get_by_role("status")).to_contain_text("Your private calendar address is revoked")
    expect(page.get_by_text("You have none")).to_be_visible()
    assert fetched(page, new_address) == 404

    # The new password is the one that logs in.
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, NEW_PASSWORD)
