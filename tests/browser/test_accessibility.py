"""Every page, as a visitor, a delegate and an editor sees it, passes axe-core's WCAG 2.2 AA
and best-practice rules; so do the states a delegate brings about: a note form opened, a form
sent back with its errors, a margin swapped in place by htmx.

The other journeys are checked as they go (tests/browser/conftest.py); this one makes sure no
page is left out. Each page is checked and every finding is listed before the test fails.
"""

import pytest
from playwright.sync_api import Page, expect

from resolutions.models import Annotation, Document, Paragraph, Proposal
from tests.browser.axe import axe_violations, describe
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_negotiation

DOC = f"/documents/{SEED_SLUG}"
AGENDA_ITEM = "/agenda/ict-international-security/"

# The pages everyone may open, with what the page is for the failure message.
PUBLIC_PAGES = [
    ("/", "home"),
    (f"{DOC}/", "reading page"),
    (f"{DOC}/sponsors/", "sponsors"),
    (f"{DOC}/sponsors/?group=WEOG", "sponsors, one regional group"),
    ("/compare/sponsors/", "sponsors compare, empty"),
    ("/compare/text/", "compare text"),
    (f"{DOC}/annotations/", "notes list"),
    (f"{DOC}/briefing/", "briefing"),
    ("/agenda/", "agenda"),
    (AGENDA_ITEM, "agenda item"),
    (f"{DOC}/proposals/", "proposals"),
    (f"{DOC}/compilation/", "compilation"),
    ("/accounts/login/", "login"),
    ("/no-such-page/", "page not found"),
]
DELEGATE_PAGES = [
    ("/circles/", "circles"),
    ("/accounts/", "account"),
    ("/accounts/notifications/", "how you are told"),
    ("/accounts/password_change/", "password change"),
    ("/exports/", "exports"),
    (f"{DOC}/briefing/?sections=cover&sections=text&notes=mine", "briefing, chosen sections"),
    (f"{DOC}/compilation/?status=open", "compilation, filtered"),
    (f"{DOC}/paragraphs/op6/mentionable/", "who can be mentioned in a note"),
    (f"{DOC}/paragraphs/op6/proposals/mentionable/", "who can be mentioned in a proposal"),
]
EDITOR_PAGES = [
    (f"{DOC}/revise/", "revise"),
    ("/import/", "import"),
]


@pytest.fixture
def negotiation(seeded_live_server):
    """The seed draft under negotiation (proposals, stances, circles), amina an editor, and
    notes with tags and a reply in the margin of OP6."""
    lars = make_delegate("lars", "Norway")
    amina = make_delegate("amina", "Nigeria", editor=True)
    negotiation = make_negotiation(Document.objects.get(slug=SEED_SLUG), lars, amina)
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(lars, op6, "Check with capital", visibility="public", tags=["red line"])
    make_annotation(amina, op6, "Agreed", visibility="public", reply_to=note)
    return negotiation


def note_form(paragraph):
    """The paragraph's note form, opened as a reader would where a fold hides it."""
    form = paragraph.locator("form[data-annotation-form]")
    folded = paragraph.locator("details:has(form[data-annotation-form]):not([open]) > summary")
    if folded.count():
        folded.click()
    expect(form.locator("textarea[name=body]")).to_be_visible()
    return form


class Findings:
    """Each page's violations, gathered so that one failure lists them all."""

    def __init__(self):
        self.found: list[str] = []

    def check(self, page: Page, what: str) -> None:
        htmx_settled(page)
        violations = axe_violations(page)
        if violations:
            self.found.append(describe(page.url, violations, what))

    def visit(self, page: Page, base: str, pages: list[tuple[str, str]], who: str) -> None:
        for path, what in pages:
            page.goto(base + path)
            self.check(page, f"{what}, {who}")

    def assert_none(self) -> None:
        if self.found:
            pytest.fail("\n\n".join(self.found), pytrace=False)


def test_every_page_for_a_visitor(page: Page, seeded_live_server, negotiation):
    base = seeded_live_server.url
    findings = Findings()
    findings.visit(page, base, PUBLIC_PAGES, "visitor")

    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("lars")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("alert").or_(page.locator(".errorlist, .form-errors")).first
    ).to_be_visible()
    findings.check(page, "login refused, visitor")
    findings.assert_none()


def test_every_page_for_a_delegate(logged_in_page, seeded_live_server, negotiation):
    base = seeded_live_server.url
    page = logged_in_page(negotiation.people.lars)
    findings = Findings()
    findings.visit(page, base, PUBLIC_PAGES + DELEGATE_PAGES, "delegate")

    page.goto(f"{base}/circles/")
    page.locator(".circle-item h3 a").first.click()
    findings.check(page, "a circle, delegate")

    page.goto(f"{base}/compare/sponsors/")
    page.get_by_label("A/C.1/76/L.13 (latest list)").check()
    page.get_by_label("Pasted list (optional)").fill("Norway, Austrailia and Chile")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".warning-box")).to_contain_text("Austrailia")
    findings.check(page, "sponsors compared with a pasted list, delegate")

    thread = Annotation.objects.get(body="Check with capital")
    page.goto(f"{base}{thread.get_absolute_url()}")
    page.get_by_label("Reply", exact=True).press_sequentially("@a")
    expect(page.locator(".mention-suggestions button").first).to_be_visible()
    findings.check(page, "a thread, @ typed in the reply, delegate")
    page.goto(f"{base}/annotations/{thread.pk}/mentionable/")
    findings.check(page, "who can be mentioned in a reply, delegate")
    tabled = Proposal.objects.visible_to(negotiation.people.lars).exclude(state="draft").first()
    page.goto(f"{base}/proposals/{tabled.pk}/mentionable/")
    findings.check(page, "who can be mentioned in a tabled proposal, delegate")

    page.goto(f"{base}{DOC}/")
    htmx_settled(page)
    op6 = page.locator("#op6")
    op6.locator("details.propose > summary").click()
    findings.check(page, "reading page, a proposal form opened, delegate")

    form = note_form(op6)
    findings.check(page, "reading page, a note form opened, delegate")
    form.locator("input[name=tags]").fill("x" * 80)
    form.locator("textarea[name=body]").fill("A note with a tag too long")
    form.get_by_role("button", name="Save note").click()
    expect(op6.locator("[aria-invalid=true]").first).to_be_visible()
    findings.check(page, "reading page, a note form sent back with its errors, delegate")

    form = note_form(op6)
    form.locator("input[name=tags]").fill("capital")
    form.locator("textarea[name=body]").fill("Swapped in by htmx")
    form.get_by_role("button", name="Save note").click()
    expect(op6.locator(".annotation-body", has_text="Swapped in by htmx")).to_be_visible()
    findings.check(page, "reading page, margin swapped in place, delegate")

    page.locator("#op6 [data-annotation-edit]").first.click()
    expect(op6.locator("form [name=body]").first).to_be_visible()
    findings.check(page, "reading page, a note's edit form swapped in, delegate")
    findings.assert_none()


def test_every_page_for_an_editor(logged_in_page, seeded_live_server, negotiation):
    base = seeded_live_server.url
    page = logged_in_page(negotiation.people.amina)
    findings = Findings()
    findings.visit(page, base, PUBLIC_PAGES + DELEGATE_PAGES + EDITOR_PAGES, "editor")

    page.goto(f"{base}/import/")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    findings.check(page, "import refused, editor")
    findings.assert_none()
