"""Negotiating in a real browser: Norway tables an amendment to OP3 on behalf of the Nordic
group from the reading page, Ghana supports it in place (htmx), Japan objects, the pen
holder marks the preamble agreed ad ref and accepts the amendment; the same stance with
JavaScript off."""

from playwright.sync_api import expect

from resolutions.models import Paragraph, Proposal, Stance
from tests.browser.waits import htmx_settled
from tests.conftest import SEED_SLUG
from tests.factories import make_circle, make_delegate, make_proposal

READING = f"/documents/{SEED_SLUG}/"
PROPOSALS = f"/documents/{SEED_SLUG}/proposals/"


def test_an_amendment_from_tabling_to_acceptance(logged_in_page, seeded_live_server):
    base = seeded_live_server.url
    lars, kofi = make_delegate("lars", "Norway"), make_delegate("kofi", "Ghana")
    hiro, pen = make_delegate("hiro", "Japan"), make_delegate("claire", "Canada", editor=True)
    make_circle("Nordic group", lars, lars.delegation, make_delegate("astrid", "Sweden").delegation)
    op3 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")

    norway = logged_in_page(lars)
    norway.goto(base + READING)
    paragraph = norway.locator("#op3")
    paragraph.get_by_text("Propose wording").click()
    form = paragraph.locator("form[data-proposal-form]")
    expect(form.get_by_label("Wording")).to_have_value(op3.text)
    form.get_by_label("Wording").fill(op3.text.replace("Calls upon", "Encourages"))
    form.get_by_label("Why (optional)").fill("Softer, to bring more delegations on board")
    form.get_by_label("On behalf of").select_option(label="Nordic group")
    form.get_by_label("Who sees it").select_option("tabled")
    form.get_by_role("button", name="Save proposal").click()
    expect(norway).to_have_url(base + READING + "#op3")
    change = norway.locator("#op3 .paragraph-proposals")
    expect(change.locator("del")).to_have_text("[deleted: Calls upon")
    expect(change.locator("ins")).to_have_text("[inserted: Encourages")
    expect(change.locator(".proposal-meta")).to_contain_text("on behalf of Nordic group")
    proposal = Proposal.objects.get()

    ghana = logged_in_page(kofi)
    ghana.goto(base + PROPOSALS)
    htmx_settled(ghana)
    ghana.evaluate("window.samePage = 'yes'")
    element = ghana.locator(f"[data-proposal-id='{proposal.pk}']")
    element.locator("form[data-proposal-action] button[value=support]").click()
    expect(element.locator(".stance-summary")).to_contain_text("supported by 1: African Group 1")
    expect(element.locator("button[value=support]")).to_have_attribute("aria-pressed", "true")
    assert ghana.evaluate("window.samePage") == "yes"  # swapped in place
    assert Stance.objects.get().position == "supports"

    japan = logged_in_page(hiro, java_script_enabled=False)
    japan.goto(base + PROPOSALS)
    japan.locator(
        f"[data-proposal-id='{proposal.pk}'] form[data-proposal-action] button[value=object]"
    ).click()
    expect(japan).to_have_url(f"{base}{PROPOSALS}#proposal-{proposal.pk}")
    expect(japan.locator(".messages")).to_contain_text("recorded: objects")
    expect(japan.locator(f"[data-proposal-id='{proposal.pk}'] .stance-summary")).to_contain_text(
        "objected by 1: Asia-Pacific Group 1"
    )

    pen_holder = logged_in_page(pen, java_script_enabled=False)
    pen_holder.goto(base + PROPOSALS)
    pen_holder.get_by_text("set their status").click()
    for number in range(1, 14):
        pen_holder.get_by_label(f"PP{number}", exact=True).select_option("agreed_ad_ref")
    pen_holder.get_by_role("button", name="Save statuses").click()
    expect(pen_holder.locator(".messages")).to_contain_text("PP13 agreed ad ref")
    decide = pen_holder.locator(f"[data-proposal-id='{proposal.pk}'] form[data-proposal-action]")
    accept = decide.filter(has=pen_holder.locator("button[value=accept]"))
    accept.locator("input[name=reason]").fill("Agreed in the informals of 3 November")
    accept.locator("button[value=accept]").click()
    expect(pen_holder.locator(".messages")).to_contain_text("is accepted")

    norway.goto(base + READING)
    expect(norway.locator("#pp13 .paragraph-status")).to_have_text("Agreed ad ref")
    expect(norway.locator("#op3 .proposal-state")).to_have_text("Accepted")


def test_a_second_amendment_of_an_amended_paragraph_is_refused_in_place(
    logged_in_page, seeded_live_server
):
    base = seeded_live_server.url
    op3 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")
    first = make_proposal(make_delegate("lars", "Norway"), op3, op3.text.replace("upon", "on"))
    second = make_proposal(make_delegate("hiro", "Japan"), op3, f"{op3.text} Now.")
    pen = logged_in_page(make_delegate("claire", "Canada", editor=True))
    pen.goto(base + PROPOSALS)
    htmx_settled(pen)
    pen.locator(f"[data-proposal-id='{first.pk}'] button[value=accept]").click()
    expect(pen.locator(f"[data-proposal-id='{first.pk}'] .proposal-state")).to_have_text("Accepted")
    htmx_settled(pen)
    pen.locator(f"[data-proposal-id='{second.pk}'] button[value=accept]").click()
    expect(pen.locator(f"[data-proposal-id='{second.pk}'] [role=alert]")).to_contain_text(
        "OP3 already has an accepted amendment (Norway's)"
    )
    second.refresh_from_db()
    assert second.state == "tabled"
