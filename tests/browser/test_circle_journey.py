"""Circles in a real browser: Norway makes the Nordic group and invites Sweden, Sweden
accepts, Norway shares a note with the circle from the reading page's margin (the circle is
asked for only once "My circle" is chosen), Sweden reads it, and after Sweden leaves it no
longer does."""

from playwright.sync_api import expect

from resolutions.models import Annotation
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate

READING = f"/documents/{SEED_SLUG}/"


def test_a_circle_from_its_making_to_a_delegation_leaving(seeded_live_server, logged_in_page):
    base = seeded_live_server.url
    lars, sven = make_delegate("lars", "Norway"), make_delegate("sven", "Sweden")
    norway, sweden = logged_in_page(lars), logged_in_page(sven)

    norway.goto(f"{base}/circles/")
    norway.get_by_label("Name of the circle").fill("Nordic group")
    norway.get_by_role("button", name="Create the circle").click()
    expect(norway.get_by_role("heading", level=1)).to_have_text("Nordic group")
    htmx_settled(norway)
    norway.get_by_label("Delegation to invite").fill("Sweden")
    norway.get_by_role("button", name="Invite").click()
    invited = norway.locator(".invited-list li")
    expect(invited).to_have_count(1)
    expect(invited).to_contain_text("Sweden · invited by lars of Norway")

    sweden.goto(f"{base}/circles/")
    sweden.get_by_role("button", name="Accept the invitation to Nordic group").click()
    expect(sweden.locator(".circle-members")).to_contain_text("Sweden")

    norway.goto(base + READING)
    htmx_settled(norway)
    norway.locator("#op6").get_by_text("Add note").click()
    form = norway.locator("#op6 form[data-annotation-form]")
    circle = form.get_by_label("Which circle sees the note on OP6, when it is for “My circle”")
    expect(circle).to_be_hidden()
    form.get_by_label("Who can see the note on OP6").select_option("My circle")
    expect(circle).to_be_visible()
    expect(circle).to_have_value(str(lars.delegation.circle_memberships.get().circle_id))
    form.get_by_label("Note on OP6", exact=True).fill("Hold the line on the OEWG reference")
    # Straight from the text to the button: the box must not move from under the pointer.
    form.get_by_label("Note on OP6", exact=True).focus()
    form.get_by_role("button", name="Save note").click()
    note = norway.locator("#op6 [data-annotation-id]")
    expect(note).to_have_count(1)
    expect(note.locator(".visibility")).to_have_text("My circle: Nordic group")
    assert Annotation.objects.get().circle.name == "Nordic group"

    sweden.goto(base + READING)
    expect(sweden.locator("#op6 .annotation-body")).to_have_text(
        "Hold the line on the OEWG reference"
    )
    sweden.goto(f"{base}/circles/")
    sweden.get_by_role("link", name="Nordic group").click()
    sweden.get_by_role("button", name="Leave Nordic group").click()
    expect(sweden.locator(".messages")).to_contain_text("Your delegation has left Nordic group")
    sweden.goto(base + READING)
    expect(sweden.locator("#op6 [data-annotation-id]")).to_have_count(0)
