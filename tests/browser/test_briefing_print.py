"""The briefing printed to PDF in Chromium, as a delegate's browser would print it."""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from resolutions.models import Paragraph
from tests.factories import PASSWORD, make_annotation, make_delegate, make_real_document

MAX_PAGES = 10


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_printed_briefing_holds_the_text_and_the_chosen_notes_only(page: Page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    paragraphs = {p.label: p for p in Paragraph.objects.filter(document__slug="a-c1-76-l13")}
    labels = ["pp1", "pp3", "pp10", "op1", "op3", "op4", "op5", "op6", "op6-a", "op7"]
    for i, label in enumerate(labels):
        make_annotation(lars, paragraphs[label], f"Norway position {i} on {label}", tags=["brief"])
    make_annotation(ingrid, paragraphs["op6"], "Colleague: capital to send views by May")
    make_annotation(amina, paragraphs["op6"], "Nigeria only note", visibility="delegation")
    make_annotation(amina, paragraphs["op7"], "Nigeria public remark", visibility="public")
    make_annotation(lars, paragraphs["op2"], "Untagged thought of mine")

    log_in(page, seeded_live_server.url, "lars")
    query = (
        "?sections=cover&sections=facts&sections=text&sections=follow-up"
        "&notes=mine&notes=delegation&tag=brief"
    )
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/" + query)
    page.emulate_media(media="print")
    pages, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))

    assert 3 <= pages <= MAX_PAGES
    assert "Decides to include in the provisional agenda of its seventy-seventh session" in text
    assert "Norway position 9 on op7" in text
    assert "briefing for the delegation of norway" in text.lower()
    # Filtered out by the tag, or another delegation's: not printed.
    assert "Untagged thought of mine" not in text
    assert "Colleague: capital to send views by May" not in text
    assert "Nigeria only note" not in text
    assert "Nigeria public remark" not in text
    # No navigation or controls on paper.
    for chrome in ["Resolution workbench", "Log out", "Sections", "Update", "Skip to content"]:
        assert chrome not in text
    assert "Page 1 of" in text


def test_default_briefing_includes_my_delegations_notes(page: Page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op6")
    make_annotation(ingrid, op6, "Colleague: capital to send views by May")
    make_annotation(lars, op6, "Mine: table our views", visibility="private")
    log_in(page, seeded_live_server.url, lars.username)
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/")
    pages, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    assert "Colleague: capital to send views by May" in text
    assert "Mine: table our views" in text
    assert pages <= MAX_PAGES


def test_anonymous_briefing_has_no_notes(page: Page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    op6 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op6")
    make_annotation(lars, op6, "Public but for delegates only", visibility="public")
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/")
    _, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    assert "Public but for delegates only" not in text
    assert "Decides to include in the provisional agenda" in text


def test_briefing_prints_on_us_letter_too(page: Page, seeded_live_server):
    lars = make_delegate("lars", "Norway")
    op7 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op7")
    make_annotation(lars, op7, "Letter-size note on OP7")
    log_in(page, seeded_live_server.url, lars.username)
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/")
    pdf = page.pdf(format="Letter")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (612, 792)  # 8.5 × 11 inches
    pages, text = pdf_text(pdf)
    assert pages <= MAX_PAGES
    assert "Letter-size note on OP7" in text
    assert "Decides to include in the provisional agenda" in text


def text_left(page: Page, label: str) -> float:
    """Where the words of paragraph ``label`` start, in CSS pixels from the page's left."""
    return page.locator(f"[id='{label}'] .paragraph-text").bounding_box()["x"]


def test_three_levels_step_in_on_screen_and_on_paper(page: Page, seeded_live_server):
    make_real_document("A-C.6-80-L.10")
    for path in ("/documents/a-c6-80-l10/", "/documents/a-c6-80-l10/briefing/"):
        page.goto(seeded_live_server.url + path)
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            op6, op6_d, op6_d_i, op6_d_ii = (
                text_left(page, label) for label in ("op6", "op6-d", "op6-d-i", "op6-d-ii")
            )
            # 6. stands at the paragraph's indent, (d) one step in, (i) a step further.
            assert op6 < op6_d < op6_d_i, (path, media)
            assert op6_d_ii == op6_d_i
            assert text_left(page, "op6-e") == op6_d
            for label, number in (("op6-d", "(d)"), ("op6-d-i", "(i)")):
                expect(page.locator(f"[id='{label}'] .paragraph-number")).to_have_text(number)
    pages, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    assert "(d) In respect of topics related to digital trade:" in text
    assert "(i) To continue, within the modalities it has defined" in text
    assert text.index("OP6(d)(v)") < text.index("OP6(e)")


# Page fill: no page of the printed briefing is left holding two lines ----------------------

MM = 72 / 25.4  # PDF points in a millimetre
PAGE_MARGIN = 20 * MM  # print.css: @page { margin: 20mm 17mm }
LEAST_FILL = 1 / 5


def page_fills(pdf: bytes) -> list[float]:
    """For each page, how far down the text area its lowest line of text reaches, from 0
    (empty) to 1 (full); the running header and the page number in the margins are not
    counted."""
    fills = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        top, bottom = height - PAGE_MARGIN, PAGE_MARGIN
        lines: list[float] = []

        def visit(text, cm, tm, font, size, lines=lines):
            if text.strip():
                lines.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])  # the baseline's height

        page.extract_text(visitor_text=visit)
        body = [y for y in lines if bottom - 2 < y < top + 2]
        fills.append((top - min(body)) / (top - bottom) if body else 0.0)
    return fills


def add_notes(user, count: int) -> None:
    """``count`` notes of one to three sentences, spread over the paragraphs of the seed."""
    paragraphs = list(Paragraph.objects.filter(document__slug="a-c1-76-l13").order_by("order"))
    sentence = "Our capital asks to keep this wording and to seek the group's support."
    for i in range(count):
        body = f"Point {i}: " + " ".join([sentence] * (1 + i % 3))
        make_annotation(user, paragraphs[(i * 7) % len(paragraphs)], body)


@pytest.mark.parametrize(
    ("notes", "query"),
    [(0, ""), (5, ""), (60, ""), (60, "?notes_at=end"), (5, "?notes_at=end&addresses=1")],
)
def test_no_printed_page_is_left_nearly_empty(page: Page, seeded_live_server, notes, query):
    lars = make_delegate("lars", "Norway")
    add_notes(lars, notes)
    log_in(page, seeded_live_server.url, lars.username)
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/" + query)
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, prefer_css_page_size=True)
        fills = page_fills(pdf)
        # Every page but the last at least a fifth full.
        assert all(fill >= LEAST_FILL for fill in fills[:-1]), (paper, [round(f, 2) for f in fills])
        _, text = pdf_text(pdf)
        if notes:
            assert f"Point {notes - 1}:" in text


def test_notes_print_under_their_paragraph_unless_endnotes_are_asked_for(
    page: Page, seeded_live_server
):
    lars = make_delegate("lars", "Norway")
    op6 = Paragraph.objects.get(document__slug="a-c1-76-l13", label="op6")
    make_annotation(lars, op6, "Under OP6: hold the line on the Secretary-General's report")
    log_in(page, seeded_live_server.url, lars.username)
    page.goto(seeded_live_server.url + "/documents/a-c1-76-l13/briefing/")
    _, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    # The note follows OP6's words and comes before OP7's.
    note = text.index("Under OP6: hold the line")
    assert text.index("Invites all Member States") < note < text.index("Decides to include")
    assert "Documents cited" in text
    assert "https://" not in text[text.index("Documents cited") :]

    page.get_by_label("At the end, as endnotes").check()
    page.get_by_label("Print the addresses of the documents cited").check()
    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(re.compile(r"notes_at=end"))
    _, text = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    assert text.index("Decides to include") < text.index("Under OP6: hold the line")
    assert "https://" in text[text.index("Documents cited") :]
