"""HTML and script typed into a note show as text on every page that shows notes: nothing
runs, no element is injected, in a real browser."""

import re

from playwright.sync_api import Page, expect

from resolutions import services
from resolutions.models import Annotation
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate

READING = f"/documents/{SEED_SLUG}/"

PAYLOADS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "<svg onload=alert('svg')>",
    "<a href=\"javascript:alert('link')\">click me</a>",
    "javascript:alert('bare')",
    "\"><script>alert('double quote')</script>",
    "' onmouseover='alert(1)' x='",
    "</textarea><script>alert('textarea')</script>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    'http://example.com/"onmouseover="alert(\'urlize\')"',
    '<div hx-post="/annotations/1/delete/" hx-trigger="load">htmx</div>',
    "{{ 7|add:35 }} {% now 'Y' %} {{ request.user.password }}",
    "\u202eexe.txt\u202c",
]
BODY = "\n".join(PAYLOADS)
# Tags are split at commas and hold at most 50 characters.
TAG_PAYLOADS = [
    "<script>alert('tag')</script>",
    "<img src=x onerror=alert('tag')>",
    "\"><svg onload=alert('tag')>",
    "{{ 7|add:35 }}",
    "\u202egat",
]
TAGS = ", ".join(TAG_PAYLOADS)

# Elements a payload would have made, inside what shows notes.
USER_CONTENT = (
    ".annotation, .revision, .conflict, .filters, section[aria-labelledby=current-heading]"
)
INJECTED = (
    ", ".join(
        f":is({USER_CONTENT}) {tag}"
        for tag in ("script", "img", "svg", "iframe", "object", "embed", "[hx-trigger]")
    )
    + ", a[href^='javascript' i]"
)
HANDLER_ATTRIBUTES = """() => [...document.querySelectorAll('*')].flatMap(
    el => [...el.attributes].filter(a => a.name.startsWith('on'))
        .map(a => `${el.tagName} ${a.name}`))"""


def assert_inert(page: Page, dialogs: list[str]) -> None:
    # The whole page, once htmx has had its chance to act on anything injected.
    htmx_settled(page)
    expect(page.locator(INJECTED)).to_have_count(0)
    assert page.evaluate(HANDLER_ATTRIBUTES) == []
    assert dialogs == []


def assert_shown_as_text(locator, payloads=PAYLOADS) -> None:
    for payload in payloads:
        expect(locator).to_contain_text(payload.strip())


def test_html_and_script_in_notes_show_as_text_everywhere(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    base = seeded_live_server.url
    page = logged_in_page(lars)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # Through the real form, in place with htmx.
    page.goto(base + READING)
    page.locator("#op6").get_by_text("Add note").click()
    form = page.locator("#op6 form[data-annotation-form]")
    form.locator("textarea[name=body]").fill(BODY)
    form.locator("input[name=tags]").fill(TAGS)
    form.locator("select[name=visibility]").select_option("public")
    form.get_by_role("button", name="Save note").click()
    note = page.locator("#op6 [data-annotation-id]")
    expect(note).to_have_count(1)
    assert Annotation.objects.get().body == BODY
    assert_shown_as_text(note.locator(".annotation-body"))
    assert_shown_as_text(note.locator(".tags"), TAG_PAYLOADS)
    assert_inert(page, dialogs)
    pk = note.get_attribute("data-annotation-id")

    # A reply holding the same payloads, from the thread page.
    page.goto(base + f"/annotations/{pk}/")
    page.get_by_label("Reply", exact=True).fill(BODY)
    page.get_by_role("button", name="Send reply").click()
    reply = page.locator(".replies [data-annotation-id]")
    expect(reply).to_have_count(1)
    assert_shown_as_text(reply.locator(".annotation-body"))
    assert_inert(page, dialogs)
    page.reload()
    assert_shown_as_text(page.locator(f"#annotation-{pk} > .annotation-body"))
    assert_shown_as_text(page.locator(".replies .annotation-body"))
    assert_inert(page, dialogs)

    # The edit page puts the payloads back in the form fields, unbroken.
    page.goto(base + f"/annotations/{pk}/edit/")
    assert_inert(page, dialogs)
    expect(page.get_by_label("Note", exact=True)).to_have_value(BODY)
    expect(page.locator("input[name=tags]")).to_have_value(
        re.compile(".*".join(re.escape(tag) for tag in sorted(TAG_PAYLOADS)))
    )
    page.get_by_label("Note", exact=True).fill(BODY + "\nEdited.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(f"#annotation-{pk} > .annotation-body")).to_contain_text("Edited.")
    assert_inert(page, dialogs)

    # The conflict shows the newer text, payloads and all.
    page.goto(base + f"/annotations/{pk}/edit/")
    annotation = Annotation.objects.get(pk=pk)
    services.annotation_update(
        annotation,
        editor=lars,
        body=BODY + "\nSaved elsewhere.",
        quote="",
        tags=TAG_PAYLOADS,
        visibility="public",
        version=annotation.version,
    )
    page.get_by_role("button", name="Save changes").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Someone saved this note while you were editing it")
    assert_shown_as_text(conflict)
    expect(page.get_by_label("Note", exact=True)).to_have_value(BODY + "\nEdited.")
    assert_inert(page, dialogs)

    # The history shows earlier versions, tags included.
    page.goto(base + f"/annotations/{pk}/history/")
    expect(page.locator(".revision")).to_have_count(2)
    assert_shown_as_text(page.locator(".revision").last)
    assert_shown_as_text(page.locator(".revision").last.locator(".history-tags"), TAG_PAYLOADS)
    assert_inert(page, dialogs)

    # The reading page and the list, loaded whole.
    page.goto(base + READING)
    op6_notes = page.locator("#op6 .notes")
    assert_shown_as_text(op6_notes.locator(f"#annotation-{pk} > .annotation-body"))
    assert_shown_as_text(op6_notes.locator(".replies .annotation-body"))
    assert_shown_as_text(op6_notes.locator(f"#annotation-{pk} > .tags"), TAG_PAYLOADS)
    assert_inert(page, dialogs)

    page.goto(base + f"/documents/{SEED_SLUG}/annotations/")
    assert_shown_as_text(page.locator(f"#annotation-{pk} > .annotation-body"))
    assert_shown_as_text(page.locator(".filters"), TAG_PAYLOADS)
    assert_inert(page, dialogs)
    # A tag facet link carries the payload safely to the filter and back.
    page.locator(".filters").get_by_role("link", name=TAG_PAYLOADS[1]).click()
    expect(page.locator("#results-heading")).to_contain_text("matching the filters")
    assert_shown_as_text(page.locator(f"#annotation-{pk} > .annotation-body"))
    assert_inert(page, dialogs)

    # Nothing ran on the way: the note an injected hx-post would delete is still there.
    assert not Annotation.objects.filter(deleted_at__isnull=False).exists()
