"""A delegate annotates the draft in a real browser: in place with htmx, the same with
JavaScript off, who sees what, two tabs editing one note, the keyboard alone, bad input."""

import re

from playwright.sync_api import Page, expect

from resolutions.models import Annotation, Paragraph
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_annotation, make_delegate

READING = f"/documents/{SEED_SLUG}/"


def log_in_through_the_form(page: Page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + next_path)


def op6_paragraph() -> Paragraph:
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def open_note_form(page: Page, label: str = "op6"):
    """Unfold the paragraph's note form with its one "Add note" control; the form."""
    page.locator(f"#{label} details.add-note > summary").click()
    return page.locator(f"#{label} form[data-annotation-form]")


def test_annotating_in_place_with_htmx(page: Page, seeded_live_server):
    make_delegate("lars", "Norway")
    base = seeded_live_server.url
    log_in_through_the_form(page, base, "lars", READING)
    htmx_settled(page)
    # Set once; an htmx swap keeps it, a page load would lose it.
    page.evaluate("window.samePage = 'yes'")

    op6 = page.locator("#op6")
    form = open_note_form(page)
    form.get_by_label("Note on OP6", exact=True).fill("Check the wording with capital")
    form.locator("select[name=visibility]").select_option("public")
    form.locator("input[name=tags]").fill("red line, capital to confirm")
    form.get_by_role("button", name="Save note").click()

    note = op6.locator("[data-annotation-id]")
    expect(note).to_have_count(1)
    expect(note.locator(".annotation-body")).to_have_text("Check the wording with capital")
    expect(note.locator(".tags li")).to_have_text(["capital to confirm", "red line"])
    expect(note.locator(".visibility")).to_have_text("Everyone logged in")
    expect(op6.locator(".notes details:not(.add-note) > summary")).to_contain_text("1 note")
    expect(op6.locator("form[data-annotation-form] textarea[name=body]")).to_have_value("")
    assert page.evaluate("window.samePage") == "yes"
    pk = note.get_attribute("data-annotation-id")

    # Edit in place: the Edit link swaps the form in.
    htmx_settled(page)
    note.locator("[data-annotation-edit]").click()
    editing = op6.locator(f"#annotation-{pk} form")
    expect(editing.get_by_label("Note", exact=True)).to_have_value("Check the wording with capital")
    htmx_settled(page)
    editing.get_by_label("Note", exact=True).fill("Capital agrees with the wording")
    editing.get_by_role("button", name="Save changes").click()
    note = op6.locator(f"[data-annotation-id='{pk}']")
    expect(note.locator(".annotation-body")).to_have_text("Capital agrees with the wording")
    assert page.evaluate("window.samePage") == "yes"

    note.get_by_role("link", name="edited").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of a note")
    expect(page.locator(".revision .annotation-body")).to_have_text(
        "Check the wording with capital"
    )

    # Reply on the thread page.
    page.goto(base + READING)
    page.locator(f"#op6 [data-annotation-id='{pk}']").get_by_role("link", name="Reply").click()
    expect(page).to_have_url(re.compile(rf"/annotations/{pk}/$"))
    htmx_settled(page)
    page.get_by_label("Reply", exact=True).fill("Noted; I will tell the facilitator.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".replies .annotation-body")).to_have_text(
        "Noted; I will tell the facilitator."
    )
    expect(page.get_by_label("Reply", exact=True)).to_have_value("")

    # Resolve, delete and undo in place on the reading page.
    page.goto(base + READING)
    page.evaluate("window.samePage = 'yes'")
    op6 = page.locator("#op6")
    expect(op6.locator(".notes details:not(.add-note) > summary").first).to_contain_text(
        "1 note, 1 reply"
    )
    thread = op6.locator(f"[data-annotation-id='{pk}']")
    thread.get_by_role("button", name="Mark resolved").click()
    # Resolved, the thread folds to one line, to be opened.
    fold = thread.locator(".thread-fold > summary")
    expect(fold).to_contain_text("Resolved: Capital agrees with the wording")
    expect(fold).to_contain_text("1 reply")
    expect(thread.get_by_role("button", name="Reopen")).to_be_hidden()
    fold.click()
    expect(thread.locator(".badge")).to_have_text("Resolved")
    expect(thread.get_by_role("button", name="Reopen")).to_be_visible()
    expect(thread.locator(".replies")).to_contain_text("Noted; I will tell the facilitator.")

    htmx_settled(page)
    thread.get_by_role("button", name="Delete").first.click()
    undo = op6.locator(f"#annotation-{pk}")
    expect(undo).to_contain_text("Your note on OP6 is deleted.")
    assert Annotation.objects.get(pk=pk).deleted_at is not None
    htmx_settled(page)
    undo.get_by_role("button", name="Undo").click()
    expect(op6.locator(f"[data-annotation-id='{pk}'] .annotation-body").first).to_have_text(
        "Capital agrees with the wording"
    )
    assert Annotation.objects.get(pk=pk).deleted_at is None
    assert page.evaluate("window.samePage") == "yes"


def test_annotating_with_javascript_off(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    base = seeded_live_server.url
    page = logged_in_page(lars, java_script_enabled=False)
    page.goto(base + READING)

    form = open_note_form(page)
    form.get_by_label("Note on OP6", exact=True).fill("Ask the facilitator about the deadline")
    form.locator("input[name=tags]").fill("deadline")
    form.get_by_role("button", name="Save note").click()
    expect(page).to_have_url(base + READING + "#op6")
    expect(page.locator(".messages")).to_contain_text("Your note on OP6 is saved.")
    note = page.locator("#op6 [data-annotation-id]")
    expect(note.locator(".annotation-body")).to_have_text("Ask the facilitator about the deadline")
    pk = note.get_attribute("data-annotation-id")

    note.locator("[data-annotation-edit]").click()
    expect(page).to_have_url(re.compile(rf"/annotations/{pk}/edit/$"))
    page.get_by_label("Note", exact=True).fill("The deadline is Friday")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(base + READING + "#op6")
    note = page.locator(f"#op6 [data-annotation-id='{pk}']")
    expect(note.locator(".annotation-body")).to_have_text("The deadline is Friday")

    note.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(rf"/annotations/{pk}/deleted/$"))
    expect(page.get_by_role("status").last).to_contain_text("Your note on OP6 is deleted.")
    page.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(base + READING + "#op6")
    expect(page.locator(".messages")).to_contain_text("The note is back.")
    expect(page.locator(f"#op6 [data-annotation-id='{pk}'] .annotation-body")).to_have_text(
        "The deadline is Friday"
    )


def test_a_delegation_note_is_not_seen_by_another_delegation(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    note = make_annotation(lars, op6_paragraph(), "Norway only", visibility="delegation")
    base = seeded_live_server.url

    colleague = logged_in_page(ingrid)
    colleague.goto(base + READING)
    expect(colleague.locator(f"#op6 [data-annotation-id='{note.pk}']")).to_contain_text(
        "Norway only"
    )
    expect(colleague.locator("#op6 .notes details:not(.add-note) > summary")).to_contain_text(
        "1 note"
    )

    other = logged_in_page(amina)
    other.goto(base + READING)
    expect(other.locator("#op6 details.add-note > summary")).to_be_visible()
    expect(other.locator("[data-annotation-id]")).to_have_count(0)
    expect(other.locator("#op6 .notes details:not(.add-note) > summary")).to_have_count(0)
    expect(other.locator("body")).not_to_contain_text("Norway only")
    other.goto(base + f"/documents/{SEED_SLUG}/annotations/")
    expect(other.locator("#results-heading")).to_have_text("0 notes")
    expect(other.locator("body")).not_to_contain_text("Norway only")
    response = other.goto(base + f"/annotations/{note.pk}/")
    assert response.status == 404
    expect(other.locator("body")).not_to_contain_text("Norway only")


def test_widening_a_note_in_place_keeps_a_colleagues_reply_and_the_first_version_in_norway(
    logged_in_page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    note = make_annotation(lars, op6_paragraph(), "Norway's first line")
    make_annotation(ingrid, op6_paragraph(), "Ingrid's reply for Norway", reply_to=note)
    base = seeded_live_server.url

    author = logged_in_page(lars)
    author.goto(base + READING)
    thread = author.locator(f"#op6 [data-annotation-id='{note.pk}']")
    thread.locator("[data-annotation-edit]").first.click()
    editing = author.locator(f"#annotation-{note.pk}.editing form")
    expect(editing).to_contain_text("1 reply by others is in this thread.")
    editing.get_by_label("Note", exact=True).fill("A line for everyone")
    editing.get_by_label("Who can see it").select_option("public")
    show = editing.get_by_label("Also show the earlier versions to the new audience")
    expect(show).not_to_be_checked()
    editing.get_by_role("button", name="Save changes").click()
    thread = author.locator(f"#op6 [data-annotation-id='{note.pk}']").first
    expect(thread.locator(".annotation-body").first).to_have_text("A line for everyone")
    expect(thread.locator(".reply .visibility")).to_have_text(
        "The thread's delegation (written before the thread was widened)"
    )

    other = logged_in_page(amina)
    other.goto(base + READING)
    seen = other.locator(f"#op6 [data-annotation-id='{note.pk}']")
    expect(seen.locator(".annotation-body")).to_have_text("A line for everyone")
    expect(seen.get_by_role("link", name="edited")).to_have_count(0)
    expect(other.locator("body")).not_to_contain_text("Ingrid's reply")
    other.goto(base + f"/annotations/{note.pk}/history/")
    expect(other.locator("main")).to_contain_text(
        "1 earlier version was written for a narrower audience"
    )
    expect(other.locator("body")).not_to_contain_text("Norway's first line")


def test_a_colleagues_note_shows_when_the_page_is_opened_again(logged_in_page, seeded_live_server):
    """The reading page is served from a cache between changes: a colleague's note, saved
    in place with htmx, is on the page the next time anyone of the delegation opens it, and
    never on another delegation's."""
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    base = seeded_live_server.url
    writer = logged_in_page(ingrid)
    writer.goto(base + READING)
    reader, outsider = logged_in_page(lars), logged_in_page(amina)
    for page in (reader, outsider):
        page.goto(base + READING)  # now cached for each of them
        expect(page.locator("[data-annotation-id]")).to_have_count(0)

    form = open_note_form(writer)
    form.locator("textarea[name=body]").fill("Capital agrees with OP6")
    form.locator("select[name=visibility]").select_option("delegation")
    form.locator("input[name=tags]").fill("capital")
    form.get_by_role("button", name="Save note").click()
    expect(writer.locator("#op6 .notes details:not(.add-note) > summary")).to_contain_text("1 note")

    reader.reload()
    expect(reader.locator("#op6 .annotation-body")).to_have_text("Capital agrees with OP6")
    outsider.reload()
    expect(outsider.locator("#op6 details.add-note > summary")).to_be_visible()
    expect(outsider.locator("body")).not_to_contain_text("Capital agrees")


def test_two_tabs_editing_one_note_end_in_a_conflict_not_a_lost_update(
    logged_in_page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    note = make_annotation(lars, op6_paragraph(), "First wording")
    base = seeded_live_server.url
    first, second = logged_in_page(lars), logged_in_page(lars)

    first.goto(base + f"/annotations/{note.pk}/edit/")
    second.goto(base + READING)
    second.locator(f"#op6 [data-annotation-id='{note.pk}'] [data-annotation-edit]").click()
    second_body = second.locator(f"#annotation-{note.pk}").get_by_label("Note", exact=True)
    expect(second_body).to_have_value("First wording")
    htmx_settled(second)

    first.get_by_label("Note", exact=True).fill("Saved in the first tab")
    first.get_by_role("button", name="Save changes").click()
    # On the edit page htmx swaps the saved note in place of the form.
    expect(first.locator(f"[data-annotation-id='{note.pk}'] .annotation-body")).to_have_text(
        "Saved in the first tab"
    )

    second_body.fill("Typed in the second tab")
    second.get_by_role("button", name="Save changes").click()
    conflict = second.locator(f"#annotation-{note.pk} .conflict")
    expect(conflict).to_contain_text("Someone saved this note while you were editing it")
    expect(conflict.locator(".annotation-body")).to_have_text("Saved in the first tab")
    expect(second_body).to_have_value("Typed in the second tab")
    note.refresh_from_db()
    assert (note.body, note.version) == ("Saved in the first tab", 2)

    # Saving again, having seen the newer text, replaces it.
    htmx_settled(second)
    second.get_by_role("button", name="Save changes").click()
    expect(second.locator(f"[data-annotation-id='{note.pk}'] .annotation-body")).to_have_text(
        "Typed in the second tab"
    )
    note.refresh_from_db()
    assert (note.body, note.version) == ("Typed in the second tab", 3)
    assert [r.body for r in note.revisions.order_by("version")] == [
        "First wording",
        "Saved in the first tab",
    ]


def outline_of_focused(page: Page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


def test_a_note_can_be_written_with_the_keyboard_alone(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    page = logged_in_page(lars)
    page.goto(seeded_live_server.url + READING)
    form = page.locator("#op6 form[data-annotation-form]")
    body = form.locator("textarea[name=body]")
    add_note = page.locator("#op6 details.add-note > summary")

    # From the paragraph's own link, Tab moves on to its "Add note", and Enter unfolds the
    # form with the cursor in it.
    page.locator("#op6 .paragraph-label").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if add_note.evaluate("el => el === document.activeElement"):
            break
    expect(add_note).to_be_focused()
    focused = [outline_of_focused(page)]
    htmx_settled(page)
    page.keyboard.press("Enter")
    expect(body).to_be_focused()
    page.keyboard.type("Typed without a mouse")

    # Who can be mentioned, the quoted words (left empty: the note is on the whole
    # paragraph), who sees it, tags.
    for expected in (
        "a[href*=mentionable]",
        "input[name=quote]",
        "select[name=visibility]",
        "input[name=tags]",
        "button[type=submit]",
    ):
        focused.append(outline_of_focused(page))
        page.keyboard.press("Tab")
        expect(form.locator(expected)).to_be_focused()
        if expected == "select[name=visibility]":
            page.keyboard.press("ArrowUp")
        elif expected == "input[name=tags]":
            page.keyboard.type("keyboard")
    focused.append(outline_of_focused(page))
    assert all(not style.startswith("none") for style in focused), focused

    page.keyboard.press("Enter")
    note = page.locator("#op6 [data-annotation-id]")
    expect(note.locator(".annotation-body")).to_have_text("Typed without a mouse")
    expect(note.locator(".tags li")).to_have_text(["keyboard"])
    expect(note.locator(".visibility")).to_have_text("Only me")

    # The saved note has the focus; a focused button also answers Space.
    expect(note).to_be_focused()
    htmx_settled(page)
    add_note.click()
    page.locator("#op6 form[data-annotation-form] textarea[name=body]").fill("Second note")
    page.locator("#op6 form[data-annotation-form] button[type=submit]").focus()
    page.keyboard.press(" ")
    expect(page.locator("#op6 [data-annotation-id]")).to_have_count(2)


def test_a_too_long_tag_is_refused_at_the_field_and_nothing_is_saved(
    logged_in_page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    page = logged_in_page(lars)
    page.goto(seeded_live_server.url + READING)
    form = open_note_form(page)
    form.get_by_label("Note on OP6", exact=True).fill("A note with a long tag")
    form.locator("input[name=tags]").fill("fine, " + "x" * 51)
    form.get_by_role("button", name="Save note").click()

    form = page.locator("#op6 form[data-annotation-form]")
    expect(form.locator(".field-error")).to_contain_text("A tag can be at most 50 characters")
    expect(form.locator("input[name=tags]")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Note on OP6", exact=True)).to_have_value("A note with a long tag")
    expect(page.locator("[data-annotation-id]")).to_have_count(0)
    assert not Annotation.objects.exists()


def test_focus_follows_the_note_through_edit_and_delete(logged_in_page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    op6 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op6")
    note = make_annotation(lars, op6, "Focus me")
    page = logged_in_page(lars)
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/#op6")
    page.locator(f'[data-annotation-id="{note.pk}"] [data-annotation-edit]').click()
    expect(page.locator(f"#annotation-{note.pk} textarea[name=body]")).to_be_focused()
    page.reload()
    page.locator(f'[data-annotation-id="{note.pk}"]').get_by_role("button", name="Delete").click()
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
