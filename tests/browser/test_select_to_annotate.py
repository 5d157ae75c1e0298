"""A delegate selects words of a paragraph to annotate them: with the mouse and with the
keyboard, the words become the note's quote, are highlighted once it is saved, show the
note when the highlight is hovered or focused, and the note leads back to them."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from resolutions.models import Annotation, Paragraph
from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.browser.reading import select_with_the_mouse
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate

READING = f"/documents/{SEED_SLUG}/"
WORDS = "Open-ended Working Group"


@pytest.fixture
def caret_browsing_page(browser_type, browser_type_launch_args, seeded_live_server):
    """``caret_browsing_page(user)``: a page, logged in as ``user``, in a Chromium with
    caret browsing on (F7), as a keyboard user reads with it: Shift and the arrow keys
    select the words of a page."""
    launch_args = dict(browser_type_launch_args)
    launch_args["args"] = [*launch_args.get("args", []), "--enable-caret-browsing"]
    browser = browser_type.launch(**launch_args)

    def open_page(user) -> Page:
        client = Client()
        client.force_login(user, backend="resolutions.backends.DelegateBackend")
        context = browser.new_context()
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": seeded_live_server.url,
                }
            ]
        )
        return context.new_page()

    yield open_page
    browser.close()


def put_the_caret_before(page: Page, label: str, words: str) -> None:
    """Where a keyboard user's caret stands before selecting: just before ``words``
    (reached with the arrow keys in caret browsing; put there at once to keep the journey
    short)."""
    page.evaluate(
        """([label, words]) => {
            const text = document.querySelector(`#${label} .paragraph-words`);
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) { window.getSelection().collapse(walker.currentNode, at); return; }
            }
        }""",
        [label, words],
    )


def op3() -> Paragraph:
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")


def test_selecting_words_with_the_mouse_makes_them_a_notes_quote(
    logged_in_page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    page = logged_in_page(lars)
    page.goto(seeded_live_server.url + READING)
    htmx_settled(page)

    select_with_the_mouse(page, "op3", WORDS)
    toolbar = page.get_by_role("group", name="Selected words in OP3")
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("button", name="Propose wording")).to_be_visible()
    toolbar.get_by_role("button", name="Note on this").click()

    form = page.locator("#op3 form[data-annotation-form]")
    expect(form.get_by_label("Quoted words")).to_have_value(WORDS)
    start = op3().text.index(WORDS)
    expect(form.locator("[data-selector=quote_start]")).to_have_value(str(start))
    body = form.get_by_label("Note on OP3", exact=True)
    expect(body).to_be_focused()
    body.fill("Which report: 2021 or the final one?")
    form.get_by_role("button", name="Save note").click()

    mark = page.locator("#op3 mark.quote-highlight")
    expect(mark).to_have_count(1)
    note = Annotation.objects.get()
    assert (note.quote, note.quote_start) == (WORDS, start)
    assert note.quote_suffix.startswith(" and the 2021 report")
    expect(mark).to_have_attribute("id", f"quote-{note.pk}")
    assert (
        page.evaluate(
            "() => [...document.querySelector('#op3 mark.quote-highlight').childNodes]"
            ".filter(n => n.nodeType === 3).map(n => n.data).join('')"
        )
        == WORDS
    )

    # Hovering, then focusing, shows the note; the highlight's description names it.
    tip = mark.locator(".quote-tip")
    expect(tip).to_be_hidden()
    mark.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("lars (Norway): Which report: 2021 or the final one?")
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(mark).to_have_accessible_description(re.compile("Note: lars .*Which report"))

    # The note's quote leads back to the words.
    page.locator(f"#annotation-{note.pk} .annotation-quote a").click()
    expect(page).to_have_url(re.compile(rf"#quote-{note.pk}$"))
    expect(mark).to_be_in_viewport()

    # Clicking the highlight leads to its note.
    page.mouse.move(5, 5)
    mark.click()
    expect(page.locator(f"#annotation-{note.pk}")).to_be_focused()

    # "Propose wording" puts the words selected in the wording, ready to be typed over.
    select_with_the_mouse(page, "op3", "Group of Governmental Experts")
    toolbar.get_by_role("button", name="Propose wording").click()
    wording = page.locator("#op3 form[data-proposal-form] textarea[name=text]")
    expect(wording).to_be_focused()
    assert (
        wording.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
        == "Group of Governmental Experts"
    )
    page.keyboard.type("Group of Experts")
    expect(wording).to_have_value(re.compile("the 2021 report of the Group of Experts;$"))


def test_selecting_words_with_the_keyboard_makes_them_a_notes_quote(
    caret_browsing_page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    page = caret_browsing_page(lars)
    page.goto(seeded_live_server.url + READING)
    htmx_settled(page)
    form = page.locator("#op3 form[data-annotation-form]")

    # Esc hides the toolbar.
    put_the_caret_before(page, "op3", WORDS)
    for _ in "Open-ended":
        page.keyboard.press("Shift+ArrowRight")
    toolbar = page.get_by_role("group", name="Selected words in OP3")
    expect(toolbar).to_be_visible()
    page.keyboard.press("Escape")
    expect(toolbar).to_be_hidden()

    put_the_caret_before(page, "op3", WORDS)
    for _ in WORDS:
        page.keyboard.press("Shift+ArrowRight")
    expect(toolbar).to_be_visible()
    page.keyboard.press("Tab")
    expect(toolbar.get_by_role("button", name="Note on this")).to_be_focused()
    page.keyboard.press("Enter")
    expect(form.get_by_label("Quoted words")).to_have_value(WORDS)
    expect(form.get_by_label("Note on OP3", exact=True)).to_be_focused()
    page.keyboard.type("Name the report")
    form.get_by_role("button", name="Save note").focus()
    page.keyboard.press("Enter")

    mark = page.locator("#op3 mark.quote-highlight")
    expect(mark).to_have_count(1)
    note = Annotation.objects.get()
    assert note.quote_start == op3().text.index(WORDS)

    # Tab from the paragraph's label reaches the highlight, which shows its note.
    htmx_settled(page)
    page.locator("#op3 .paragraph-label").focus()
    page.keyboard.press("Tab")
    expect(mark).to_be_focused()
    expect(mark.locator(".quote-tip")).to_contain_text("Name the report")
    # Enter on it goes to the note, whose quote leads back to the words.
    page.keyboard.press("Enter")
    note_element = page.locator(f"#annotation-{note.pk}")
    expect(note_element).to_be_focused()
    page.keyboard.press("Tab")
    quote_link = note_element.locator(".annotation-quote a")
    expect(quote_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#quote-{note.pk}$"))
