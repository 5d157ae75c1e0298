"""A delegate's day with A/C.1/76/L.13: lars of Norway annotates OP6 with the keyboard
alone and the words of OP3 with the mouse; Rev.1 is issued without PP8 and with OP3
reworded; he finds L.13 marked superseded, brings his notes across and finds the one on
PP8 where PP8 was; he searches his notes and the text from the header box; and on a phone
320 px wide nothing he reads runs off the side of the screen."""

import re

from playwright.sync_api import Page, expect

from resolutions.models import Annotation, Paragraph
from tests.browser.reading import (
    press,
    reach_op6s_note_form_by_the_keyboard,
    select_with_the_mouse,
)
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate
from tests.services.test_carrying_notes import REV1, SEED_SYMBOL, issue, revised

READING = f"/documents/{SEED_SLUG}/"
REV1_READING = "/documents/a-c1-76-l13-rev1/"
QUOTED = "Open-ended Working Group"
OLD_PP8 = "Underlining the importance of respect for human rights"
DELETED = f"PP8 of {SEED_SYMBOL} — deleted in {REV1}"
PHONE = {"viewport": {"width": 320, "height": 640}}


def save_with_the_keyboard(page: Page) -> None:
    """From the note's text, Tab past the list of who can be mentioned, the words it quotes
    (none), who may read it and its tags to "Save note", and press Enter."""
    for expected in [
        "a# who can be mentioned",
        "input#id_op6_quote",
        "select#id_op6_visibility",
        "input#id_op6_tags",
        "button#save-note-op6",
    ]:
        press(page, "Tab", expected)
    page.keyboard.press("Enter")


def note_on_op3_with_the_mouse(page: Page) -> Annotation:
    select_with_the_mouse(page, "op3", QUOTED)
    page.get_by_role("group", name="Selected words in OP3").get_by_role(
        "button", name="Note on this"
    ).click()
    form = page.locator("#op3 form[data-annotation-form]")
    expect(form.get_by_label("Quoted words")).to_have_value(QUOTED)
    body = form.get_by_label("Note on OP3", exact=True)
    expect(body).to_be_focused()
    body.fill("Guided by which report: 2021 or the final one?")
    form.get_by_role("button", name="Save note").click()
    expect(page.locator("#op3 mark.quote-highlight")).to_have_count(1)
    return Annotation.objects.get(paragraph__label="op3")


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (page.url, width)


def test_the_delegates_day(logged_in_page, seeded_live_server):
    base = seeded_live_server.url
    lars = make_delegate("lars", "Norway")
    pp8 = Paragraph.objects.get(document__slug=SEED_SLUG, label="pp8")
    make_annotation(lars, pp8, "Keep the human rights language")  # written the day before
    page = logged_in_page(lars, viewport={"width": 1280, "height": 900})
    page.goto(base + READING)
    htmx_settled(page)

    # 1. OP6's note form a handful of Tab presses from page load; the note written and
    # saved from the keyboard, announced, and the focus on it.
    tabs = reach_op6s_note_form_by_the_keyboard(page)
    assert tabs == 5  # measured; a handful, well under 8
    page.keyboard.type("Ask the capital which questions to answer")
    save_with_the_keyboard(page)
    op6_note = page.locator("#op6 [data-annotation-id]")
    expect(op6_note.locator(".annotation-body")).to_have_text(
        "Ask the capital which questions to answer"
    )
    expect(page.locator("#reading-status")).to_have_text("Note saved on OP6")
    expect(op6_note).to_be_focused()

    # 2. Words of OP3 selected with the mouse become a note's quote, highlighted in the text;
    # the highlight focused shows the note, and the note's quote leads back to the words.
    htmx_settled(page)
    note = note_on_op3_with_the_mouse(page)
    mark = page.locator("#op3 mark.quote-highlight")
    expect(mark).to_have_attribute("id", f"quote-{note.pk}")
    expect(mark).to_contain_text(QUOTED)
    tip = mark.locator(".quote-tip")
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("lars (Norway): Guided by which report")
    expect(mark).to_have_accessible_description(re.compile("Note: lars .*Guided by which report"))
    page.locator(f"#annotation-{note.pk} .annotation-quote a").click()
    expect(page).to_have_url(re.compile(rf"#quote-{note.pk}$"))
    expect(mark).to_be_in_viewport()

    # 3. Rev.1 is issued: PP8 deleted, OP3 reworded.
    issue(
        revised(
            ("to be guided in their use", "to be guided, as appropriate, in their use"),
            deleting=["Underlining the importance"],
        ),
        of=pp8.document,
    )
    page.goto(base + READING)
    banner = page.locator("[data-version-banner]")
    expect(banner).to_contain_text(re.compile(rf"^\s*Superseded by {re.escape(REV1)} of \d"))
    expect(banner).to_be_in_viewport()
    # At the top: before the document's symbol and title.
    assert banner.evaluate(
        "b => !!(b.compareDocumentPosition(document.querySelector('#document-title'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    expect(banner.get_by_role("link", name=REV1, exact=True)).to_have_attribute(
        "href", REV1_READING
    )
    banner.get_by_role("link", name=f"See what changed in {REV1}").click()
    expect(page).to_have_url(re.compile(r"/compare/text/\?a=a-c1-76-l13&b=a-c1-76-l13-rev1"))

    # lars brings his notes across from the comparison.
    page.get_by_role("button", name=f"Bring our notes to {REV1}").click()
    expect(page).to_have_url(base + REV1_READING)
    expect(page.locator(".messages")).to_contain_text(
        f"3 notes brought from {SEED_SYMBOL}: 2 on their paragraphs, 1 kept where their "
        "paragraph was"
    )
    # The note on PP8 stays where PP8 was: right after PP7, with PP8's words.
    orphans = page.locator("#pp7 + section.orphaned-notes")
    expect(orphans.get_by_role("heading", level=2)).to_have_text(DELETED)
    expect(orphans.locator("blockquote.orphaned-text")).to_contain_text(OLD_PP8)
    expect(orphans.locator(".annotation-body")).to_have_text("Keep the human rights language")
    assert orphans.evaluate(
        "s => s.previousElementSibling.id === 'pp7'"
        " && s.nextElementSibling.id === 'pp8'"
        " && !s.nextElementSibling.textContent.includes('Underlining')"
    )
    # OP3's quoted words are still in the reworded OP3: highlighted there.
    expect(page.locator("#op3")).to_contain_text("as appropriate")
    expect(page.locator("#op3 mark.quote-highlight")).to_contain_text(QUOTED)

    # 4. From the header box: words of his note and of the text, both found and marked.
    search = page.get_by_role("search").get_by_label("Search")
    search.fill("guided report")
    search.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text("6 results for “guided report”")
    expect(page.locator(".search-counts")).to_have_text("4 paragraphs · 2 notes")
    notes = page.locator(".search-hit-note")
    expect(notes).to_have_count(2)
    expect(notes.first.locator("mark").first).to_have_text(re.compile("guided", re.I))
    expect(notes.first).to_contain_text("by lars")
    paragraphs = page.locator(".search-hit:not(.search-hit-note)")
    expect(paragraphs).to_have_count(4)
    expect(paragraphs.first.locator("mark").first).to_have_text(re.compile("guided", re.I))
    rev1_results = page.locator(".search-document").filter(
        has=page.get_by_role("heading", level=3, name=REV1, exact=True)
    )
    rev1_results.get_by_role("link", name="OP3", exact=True).click()
    expect(page).to_have_url(base + REV1_READING + "#op3")
    expect(page.locator("#op3")).to_be_in_viewport()
    expect(page.locator("#op3")).to_contain_text("guided, as appropriate,")

    # 5. On a phone 320 px wide, nothing runs off the side of the screen: not the revision
    # with its orphan and a subparagraph's note form open, not the results, the sponsors or
    # the tracker.
    phone = logged_in_page(lars, **PHONE)
    phone.goto(base + REV1_READING)
    expect(phone.locator("#pp7 + section.orphaned-notes")).to_be_visible()
    no_horizontal_overflow(phone)
    htmx_settled(phone)
    phone.locator("#op6-a").get_by_text("Add note").click()
    expect(phone.get_by_label("Note on OP6(a)", exact=True)).to_be_focused()
    no_horizontal_overflow(phone)
    for address, heading in [
        ("/search/?q=guided+report", "6 results for “guided report”"),
        (f"/documents/{SEED_SLUG}/sponsors/", f"Sponsors of {SEED_SYMBOL}"),
        ("/agenda/ict-international-security/", "Developments in the field of information"),
    ]:
        phone.goto(base + address)
        expect(phone.get_by_role("heading", name=heading).first).to_be_visible()
        no_horizontal_overflow(phone)
