"""The inbox in a real browser: Nigeria's delegate mentions @lars (offered as she types
@) in a note everyone logged in can read; Norway's lars sees "Inbox (1)" in the header of
the page he is on, opens the inbox, follows the line to OP6 itself, and the notification is
read."""

import re

from playwright.sync_api import expect

from resolutions.models import Notification
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate

READING = f"/documents/{SEED_SLUG}/"


def test_a_mention_from_the_margin_to_the_paragraph(seeded_live_server, logged_in_page):
    base = seeded_live_server.url
    amina, lars = make_delegate("amina", "Nigeria"), make_delegate("lars", "Norway")
    nigeria, norway = logged_in_page(amina), logged_in_page(lars)

    norway.goto(f"{base}/circles/")
    expect(norway.get_by_role("link", name="Inbox", exact=True)).to_be_visible()

    nigeria.goto(base + READING)
    htmx_settled(nigeria)
    nigeria.locator("#op6").get_by_text("Add note").click()
    form = nigeria.locator("#op6 form[data-annotation-form]")
    form.get_by_label("Who can see the note on OP6").select_option("Everyone logged in")
    text = form.get_by_label("Note on OP6", exact=True)
    # Typing @ offers who could read the note: for everyone logged in, lars too.
    text.press_sequentially("@la")
    form.get_by_role("button", name="@lars").click()
    expect(text).to_have_value("@lars ")
    expect(text).to_be_focused()
    text.press_sequentially("can Norway live with this?")
    form.get_by_role("button", name="Save note").click()
    expect(nigeria.locator("#op6 [data-annotation-id]")).to_have_count(1)

    norway.reload()
    inbox = norway.locator(".site-header a.inbox-link")
    expect(inbox).to_contain_text("Inbox (1)")
    inbox.click()
    expect(norway.get_by_role("heading", level=1)).to_have_text("Inbox")
    line = norway.get_by_role(
        "link", name="amina (Nigeria) mentioned you in a note on OP6 of A/C.1/76/L.13"
    )
    expect(norway.locator(".inbox-item.unread")).to_have_count(1)
    line.click()
    expect(norway).to_have_url(re.compile(re.escape(READING) + "#op6$"))
    expect(norway.locator("#op6 .annotation-body")).to_contain_text("@lars can Norway live")
    expect(norway.locator(".site-header a.inbox-link")).to_have_text("Inbox")
    assert Notification.objects.get(recipient=lars).read_at is not None

    norway.goto(f"{base}/inbox/")
    expect(norway.locator(".inbox-item")).to_have_count(1)
    expect(norway.locator(".inbox-item.unread")).to_have_count(0)
    expect(norway.get_by_role("status").filter(has_text="Nothing unread.")).to_be_visible()
