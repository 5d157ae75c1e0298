"""The inbox in a real browser: Nigeria's delegate mentions @lars (offered as she types
@) in a note everyone logged in can read; Norway's lars sees "Inbox (1)" in the header of
the page he is on, opens the inbox, follows the line to OP6 itself, and the notification is
read. Then the same offer in a reply and in a proposal's form."""

import re

from playwright.sync_api import expect

from resolutions.models import Notification, Paragraph
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

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


def test_a_mention_offered_in_a_reply_and_in_a_proposal(seeded_live_server, logged_in_page):
    """Norway's lars answers a thread everyone reads, and proposes to delete OP6: typing @am offers
    amina in both, once the proposal is to be tabled (a draft is Norway's); each mention
    reaches her inbox."""
    base = seeded_live_server.url
    lars, amina = make_delegate("lars", "Norway"), make_delegate("amina", "Nigeria")
    make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    thread = make_annotation(lars, op6, "Too strong?", visibility="public")
    norway = logged_in_page(lars)

    norway.goto(base + thread.get_absolute_url())
    htmx_settled(norway)
    reply = norway.get_by_label("Reply", exact=True)
    reply.press_sequentially("Agreed, @am")
    form = norway.locator("form.reply-form")
    form.get_by_role("button", name="@amina").click()
    expect(reply).to_have_value("Agreed, @amina ")
    expect(reply).to_be_focused()
    reply.press_sequentially("what does Nigeria say?")
    form.get_by_role("button", name="Send reply").click()
    expect(norway.locator(".reply .annotation-body")).to_contain_text("@amina what does")

    norway.goto(base + READING)
    htmx_settled(norway)
    paragraph = norway.locator("#op6")
    paragraph.get_by_text("Propose wording").click()
    form = paragraph.locator("form[data-proposal-form]")
    reason = form.get_by_label("Why (optional)")
    # A draft is seen by Norway alone: only its delegates are offered.
    reason.press_sequentially("@")
    expect(form.get_by_role("button", name="@ingrid")).to_be_visible()
    expect(form.get_by_role("button", name="@amina")).to_have_count(0)
    reason.fill("")
    form.get_by_label("Proposal", exact=True).select_option("delete")
    form.get_by_label("Who sees it").select_option("tabled")
    reason.press_sequentially("Closer to @am")
    form.get_by_role("button", name="@amina").click()
    expect(reason).to_have_value("Closer to @amina ")
    expect(reason).to_be_focused()
    form.get_by_role("button", name="Save proposal").click()
    expect(norway).to_have_url(base + READING + "#op6")

    nigeria = logged_in_page(amina)
    nigeria.goto(f"{base}/inbox/")
    expect(nigeria.locator(".inbox-item.unread")).to_have_count(2)
    expect(
        nigeria.get_by_role("link", name=re.compile("lars \\(Norway\\) mentioned you"))
    ).to_have_count(2)
