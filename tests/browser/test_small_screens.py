"""Every page on a 320 px screen: nothing wider than the screen (the page never scrolls
sideways), each control a finger aims at is at least 24 × 24 px (WCAG 2.5.8: a link inside a
sentence is exempt, a button, summary, field or navigation link is not), and the sponsors'
table by regional group keeps its last column in view. Read anonymously and as a delegate
with notes in the margin, a resolved thread among them."""

import pytest
from playwright.sync_api import expect

from resolutions import services
from resolutions.models import Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

WIDTH = 320
DOCUMENT = f"/documents/{SEED_SLUG}"
PAGES = [
    "/",
    f"{DOCUMENT}/",
    f"{DOCUMENT}/sponsors/",
    "/agenda/",
    "/agenda/ict-international-security/",
    f"/compare/text/?a={SEED_SLUG}&b={SEED_SLUG}",
    f"/compare/sponsors/?documents={SEED_SLUG}",
    f"{DOCUMENT}/annotations/",
    f"{DOCUMENT}/briefing/",
    f"{DOCUMENT}/proposals/",
    f"{DOCUMENT}/compilation/",
    "/circles/",
    "/accounts/",
    "/accounts/login/",
]

# What the page measures: how wide it is, and each control smaller than 24 px either way
# that is not a link inside a sentence (a link shown inline whose block holds more words).
MEASURE = """() => {
  const controls = document.querySelectorAll(
    'a[href], button, summary, select, textarea, input:not([type=hidden]), [role=button]');
  const small = [];
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (!box.width || !box.height || control.closest('.visually-hidden')) continue;
    if (getComputedStyle(control).visibility === 'hidden') continue;
    if (control.matches('a') && !control.closest('nav')
        && getComputedStyle(control).display === 'inline') {
      let block = control.parentElement;
      while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (block.textContent.trim().length > control.textContent.trim().length) continue;
    }
    if (box.width < 23.5 || box.height < 23.5) {
      const name = (control.textContent || control.name || control.id || '').trim();
      small.push(`${control.tagName.toLowerCase()} "${name.slice(0, 40)}" `
        + `${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return {width: document.documentElement.scrollWidth, small};
}"""


@pytest.fixture
def delegate_with_notes(seeded_live_server):
    """lars of Norway, with an edited note, and a resolved thread with replies, on OP6."""
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    thread = make_annotation(lars, op6, "Keep the 2021 consensus wording as it stands")
    for body in ["Agreed", "The facilitator agrees"]:
        make_annotation(ingrid, op6, body, reply_to=thread)
    services.thread_set_resolved(thread, True)
    note = make_annotation(lars, op6, "Ask Geneva about the dates", tags=["dates"])
    services.annotation_update(
        note,
        editor=lars,
        version=1,
        body="Ask Geneva about the dates today",
        tags=["dates"],
        quote="",
    )
    services.circle_create(creator=lars, name="Nordic group")
    return lars


def problems_on(page, base_url: str) -> list[str]:
    problems = []
    for path in PAGES:
        page.goto(base_url + path)
        measured = page.evaluate(MEASURE)
        if measured["width"] > WIDTH:
            problems.append(f"{path} is {measured['width']} px wide")
        problems += [f"{path}: {control} is under 24 px" for control in measured["small"]]
    return problems


def test_no_page_is_wider_than_a_small_phone_for_a_visitor(new_context, seeded_live_server):
    page = new_context(viewport={"width": WIDTH, "height": 720}).new_page()
    problems = problems_on(page, seeded_live_server.url)
    assert not problems, "\n".join(problems)


def test_no_page_is_wider_than_a_small_phone_for_a_delegate(
    logged_in_page, delegate_with_notes, seeded_live_server
):
    page = logged_in_page(delegate_with_notes, viewport={"width": WIDTH, "height": 720})
    problems = problems_on(page, seeded_live_server.url)
    assert not problems, "\n".join(problems)
    page.goto(seeded_live_server.url + f"{DOCUMENT}/")
    expect(page.locator("#notes-op6 summary").first).to_have_text("2 notes, 2 replies on OP6")
    fold = page.locator("#notes-op6 .thread-fold > summary")
    expect(fold).to_have_text(
        "Resolved: Keep the 2021 consensus wording as it stands — lars (Norway), 2 replies"
    )
    fold.click()
    expect(page.locator("#notes-op6").get_by_text("The facilitator agrees")).to_be_visible()
    # Every fold opened (the note and proposal forms, the threads): still no wider.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_regional_group_table_keeps_its_last_column(new_context, seeded_live_server):
    page = new_context(viewport={"width": WIDTH, "height": 720}).new_page()
    page.goto(seeded_live_server.url + f"{DOCUMENT}/sponsors/")
    region = page.get_by_role("region", name="Table of sponsors by regional group")
    expect(region).to_have_attribute("tabindex", "0")
    share = region.get_by_role("columnheader", name="Share")
    box = share.bounding_box()
    assert box["x"] + box["width"] <= WIDTH
    expect(region.get_by_role("row").nth(1)).to_contain_text("%")
    last_cell = region.locator("tbody tr").first.locator("td").last.bounding_box()
    assert last_cell["x"] + last_cell["width"] <= WIDTH
