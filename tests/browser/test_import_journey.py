"""An editor imports a revised text of the seed draft (paste, preview, confirm) and reads
what changed; a delegate then brings their notes across to the revision."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from resolutions.models import Paragraph, User
from tests.browser.waits import htmx_settled
from tests.factories import PASSWORD, make_annotation, make_delegate
from tests.views.test_compare_text import revised_seed_text


def make_editor():
    # The browser tests empty the database after each test, the migration's editor group too.
    Group.objects.get_or_create(name=User.EDITOR_GROUP)
    return make_delegate("erik", "Norway", editor=True)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.IGNORECASE)).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def import_the_revision(page: Page) -> None:
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/import/$"))
    htmx_settled(page)
    page.get_by_label("Text of the document").fill(revised_seed_text())
    page.get_by_label("Symbol").fill("A/C.1/76/L.13/Rev.1")
    page.get_by_label("Revision of").select_option(label="A/C.1/76/L.13")
    page.get_by_role("button", name="Preview the import").click()

    preview = page.locator(".import-preview")
    expect(preview).to_contain_text("nothing is saved until you import")
    expect(preview.locator(".preview-symbol")).to_contain_text("A/C.1/76/L.13/Rev.1")
    expect(preview.locator(".preview-counts")).to_contain_text("12 preambular")
    expect(preview.locator(".preview-counts")).to_contain_text("8 operative")
    expect(preview.locator(".preview-counts")).to_contain_text("55 sponsors")
    expect(preview.get_by_role("rowheader", name="OP8", exact=True)).to_be_visible()
    page.get_by_role("button", name="Import A/C.1/76/L.13/Rev.1").click()


def test_an_editor_imports_a_revision_and_sees_what_changed(page: Page, seeded_live_server):
    make_editor()
    log_in(page, seeded_live_server.url, "erik")
    import_the_revision(page)

    expect(page).to_have_url(re.compile(r"/documents/a-c1-76-l13-rev1/$"))
    expect(page.locator(".messages")).to_contain_text("Imported A/C.1/76/L.13/Rev.1")
    expect(page.locator("#op5")).to_contain_text("Encourages Member States to support")
    expect(page.locator("#op7-a")).to_contain_text("Efforts taken at the national level")

    page.get_by_role("link", name="see what changed from A/C.1/76/L.13").click()
    expect(page).to_have_url(re.compile(r"/compare/text/\?a=a-c1-76-l13&b=a-c1-76-l13-rev1$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("What changed from")
    counts = page.locator(".change-counts")
    expect(counts).to_contain_text("2 changed")
    expect(counts).to_contain_text("1 added")
    expect(counts).to_contain_text("1 removed")
    changed = page.locator(".compare-row.status-changed").first
    expect(changed.locator("del")).to_contain_text("considerable")
    expect(changed.locator("ins")).to_contain_text("significant")
    expect(page.locator(".compare-row.status-added")).to_contain_text("Encourages Member States")
    expect(page.locator(".compare-row.status-removed")).to_contain_text("human rights")

    page.get_by_role("link", name="Show only the changes").click()
    # The 4 paragraphs whose words changed, and the 10 whose number did (quoted numbers
    # must follow them).
    expect(page.locator(".compare-row")).to_have_count(4 + 10)
    expect(page.locator(".renumbered-note")).to_contain_text("10 paragraphs renumbered")


def test_a_delegate_brings_their_notes_to_the_revision(page: Page, seeded_live_server):
    make_editor()
    lars = make_delegate("lars", "Norway")
    seed_pp4 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="pp4")
    seed_op7 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op7")
    make_annotation(lars, seed_pp4, "Push back on “considerable”", quote="considerable")
    make_annotation(lars, seed_op7, "Agenda item for the 77th session")
    log_in(page, seeded_live_server.url, "erik")
    import_the_revision(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, seeded_live_server.url, "lars")
    page.goto(seeded_live_server.url + "/compare/text/?a=a-c1-76-l13&b=a-c1-76-l13-rev1")
    expect(page.locator(".carry-forward")).to_contain_text("2 notes")
    page.get_by_role("button", name="Bring our notes to A/C.1/76/L.13/Rev.1").click()

    expect(page).to_have_url(re.compile(r"/documents/a-c1-76-l13-rev1/$"))
    expect(page.locator(".messages")).to_contain_text("2 notes brought from A/C.1/76/L.13")
    expect(page.locator("#op8 .annotation")).to_contain_text("Agenda item for the 77th session")
    # Its quoted word is gone from PP4: it stays where PP4 was, after PP3, with the old words.
    orphan = page.locator("#pp3 + .orphaned-notes")
    expect(orphan.get_by_role("heading")).to_have_text(
        "PP4 of A/C.1/76/L.13 — quoted words changed in A/C.1/76/L.13/Rev.1"
    )
    expect(orphan.locator(".orphaned-text")).to_contain_text("Noting that considerable progress")
    expect(orphan.locator(".annotation")).to_contain_text("Push back")
    expect(page.locator("#pp4 .annotation")).to_have_count(0)
