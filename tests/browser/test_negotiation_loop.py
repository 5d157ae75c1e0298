"""The negotiating loop end to end, in a real browser: Norway tables an amendment to OP3 on
behalf of the Nordic group, Ghana supports it, Japan objects to Brazil's second proposal,
the pen holder marks PP1–PP13 agreed ad ref, accepts the first and rejects the second,
downloads the compilation as Word (its tracked changes read back), issues Rev.1 and sees
OP3 changed in the comparison."""

import io

from docx import Document as WordDocument
from docx.oxml.ns import qn
from playwright.sync_api import expect

from resolutions.models import Document, Paragraph, Proposal
from tests.conftest import SEED_SLUG
from tests.factories import make_circle, make_delegate, make_proposal

READING = f"/documents/{SEED_SLUG}/"
PROPOSALS = f"/documents/{SEED_SLUG}/proposals/"
COMPILATION = f"/documents/{SEED_SLUG}/compilation/"


def test_the_negotiating_loop_from_a_tabled_amendment_to_the_next_revision(
    logged_in_page, seeded_live_server
):
    base = seeded_live_server.url
    lars, kofi = make_delegate("lars", "Norway"), make_delegate("kofi", "Ghana")
    hiro, bruno = make_delegate("hiro", "Japan"), make_delegate("bruno", "Brazil")
    pen = make_delegate("claire", "Canada", editor=True)
    make_circle("Nordic group", lars, lars.delegation, make_delegate("astrid", "Sweden").delegation)
    op3 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")
    op5 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op5")
    amended = op3.text.replace("Calls upon", "Encourages")

    # Norway tables an amendment to OP3 for the Nordic group, from the reading page.
    norway = logged_in_page(lars)
    norway.goto(base + READING)
    paragraph = norway.locator("#op3")
    paragraph.get_by_text("Propose wording").click()
    form = paragraph.locator("form[data-proposal-form]")
    form.get_by_label("Wording").fill(amended)
    form.get_by_label("Why (optional)").fill("Softer, to bring more delegations on board")
    form.get_by_label("On behalf of").select_option(label="Nordic group")
    form.get_by_label("Who sees it").select_option("tabled")
    form.get_by_role("button", name="Save proposal").click()
    expect(norway.locator("#op3 .paragraph-proposals ins")).to_have_text("[inserted: Encourages")
    first = Proposal.objects.get(delegation=lars.delegation)
    second = make_proposal(bruno, op5, f"Strongly {op5.text}")

    # Ghana supports the first; Japan objects to the second.
    ghana = logged_in_page(kofi)
    ghana.goto(base + PROPOSALS)
    ghana.locator(f"[data-proposal-id='{first.pk}'] button[value=support]").click()
    expect(ghana.locator(f"[data-proposal-id='{first.pk}'] .stance-summary")).to_contain_text(
        "supported by 1: African Group 1"
    )
    japan = logged_in_page(hiro)
    japan.goto(base + PROPOSALS)
    japan.locator(f"[data-proposal-id='{second.pk}'] button[value=object]").click()
    expect(japan.locator(f"[data-proposal-id='{second.pk}'] .stance-summary")).to_contain_text(
        "objected by 1: Asia-Pacific Group 1"
    )

    # The pen holder marks the preamble agreed ad ref, accepts the first, rejects the second.
    pen_holder = logged_in_page(pen, java_script_enabled=False)
    pen_holder.goto(base + PROPOSALS)
    pen_holder.get_by_text("set their status").click()
    for number in range(1, 14):
        pen_holder.get_by_label(f"PP{number}", exact=True).select_option("agreed_ad_ref")
    pen_holder.get_by_role("button", name="Save statuses").click()
    expect(pen_holder.locator(".messages")).to_contain_text("PP13 agreed ad ref")
    for proposal, action, reason in [
        (first, "accept", "Agreed in the informals of 3 November"),
        (second, "reject", "Japan and others could not join"),
    ]:
        decide = pen_holder.locator(
            f"[data-proposal-id='{proposal.pk}'] form[data-proposal-action]"
        ).filter(has=pen_holder.locator(f"button[value={action}]"))
        decide.locator("input[name=reason]").fill(reason)
        decide.locator(f"button[value={action}]").click()
        expect(pen_holder.locator(".messages")).to_contain_text(f"is {action}ed")

    # The compilation, downloaded as Word: Norway's amendment a tracked revision by Norway.
    pen_holder.goto(base + COMPILATION)
    expect(pen_holder.locator(".status-board")).to_contain_text(
        "13 of 22 paragraphs agreed ad ref; 0 proposals open"
    )
    with pen_holder.expect_download() as download:
        pen_holder.get_by_role("link", name="Word, with tracked changes (.docx)").click()
    with open(download.value.path(), "rb") as file:
        word = WordDocument(io.BytesIO(file.read()))
    body = word.element.body
    inserted = list(body.iter(qn("w:ins")))
    deleted = list(body.iter(qn("w:del")))
    assert any(
        element.get(qn("w:author")) == "Norway"
        and "Encourages" in "".join(t.text for t in element.iter(qn("w:t")))
        for element in inserted
    )
    assert any(
        element.get(qn("w:author")) == "Norway"
        and "Calls upon" in "".join(t.text for t in element.iter(qn("w:delText")))
        for element in deleted
    )

    # Rev.1, issued from the accepted proposal; OP3 changed in the comparison.
    pen_holder.goto(base + f"/documents/{SEED_SLUG}/revise/")
    revise = pen_holder.locator("form[data-revise-form]")
    expect(revise.locator("input[name=symbol]")).to_have_value("A/C.1/76/L.13/Rev.1")
    revise.get_by_role("button", name="Issue the revision").click()
    expect(pen_holder).to_have_url(base + "/documents/a-c1-76-l13-rev1/")
    revision = Document.objects.get(symbol="A/C.1/76/L.13/Rev.1")
    assert revision.paragraphs.get(label="op3").text == amended
    assert revision.paragraphs.get(label="op5").text == op5.text
    pen_holder.get_by_role("link", name="see what changed from A/C.1/76/L.13").click()
    row = pen_holder.locator("#op3")
    expect(row).to_contain_text("Changed")
    expect(row.locator("ins")).to_contain_text("Encourages")
    expect(pen_holder.locator(".compare-row.status-changed")).to_have_count(1)
