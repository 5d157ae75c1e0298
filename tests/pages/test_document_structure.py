"""A resolution shown as the UN prints it: the section headings between its operative
paragraphs, the adoption line under the heading with the committee report it was adopted
on, the closing meeting after the last paragraph; a draft's sponsor note; and the draft and
the resolution naming each other, on the reading page, the briefing, the version comparison
and the tracker."""

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Document, Paragraph
from resolutions.services import importing
from tests.real_texts import as_expected, real_text

G77 = (
    "On behalf of the States Members of the United Nations that are members of the Group of 77 "
    "and China."
)


def imported(name: str, **changes) -> Document:
    parsed = dataclasses.replace(as_expected(name), **changes)
    return importing.import_document(importing.plan_import(real_text(name), parsed))


@pytest.fixture
def uncitral(db):
    """The Sixth Committee's draft A/C.6/80/L.10 and the resolution adopted from it,
    A/RES/80/161, with ten section headings."""
    draft = imported("A-C.6-80-L.10")
    return draft, imported("A-RES-80-161")


class Outline(HTMLParser):
    """Each heading element of a page with its classes, its text and the classes of the
    elements around it."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.headings: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = dict(attrs).get("class") or ""
        if tag in {"h2", "h3", "h4"} and "un-section-heading" in classes:
            self.current = {
                "tag": tag,
                "id": dict(attrs).get("id"),
                "classes": classes,
                "around": [c for _, c in self.open],
                "text": "",
            }
            self.headings.append(self.current)
        self.open.append((tag, classes))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.open:
            if self.open.pop()[0] == tag:
                break
        if self.current and tag == self.current["tag"]:
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


def section_headings(html: str) -> list[dict]:
    outline = Outline()
    outline.feed(html)
    return outline.headings


# The reading page ---------------------------------------------------------------------------


def test_section_headings_stand_between_the_paragraphs_as_headings(client, uncitral):
    _, resolution = uncitral
    html = client.get(resolution.get_absolute_url()).content.decode()
    headings = section_headings(html)
    assert [re.sub(r"\s+", " ", h["text"]).strip() for h in headings][:2] == [
        "I Legislative activities",
        "II Establishment and operationalization of the Advisory Centre on International "
        "Investment Dispute Resolution",
    ]
    assert len(headings) == 10
    assert {h["tag"] for h in headings} == {"h2"}
    assert [h["id"] for h in headings] == [f"sec{n}" for n in range(1, 11)]
    # Never inside a paragraph: a heading of the document, in its operative part.
    for heading in headings:
        assert not any("paragraph" in around.split() for around in heading["around"])
        assert "operative-part" in heading["around"]
    # Between OP1 and OP2, with its number and title as separate lines.
    assert (
        html.index('<div class="paragraph operative" id="op1"')
        < html.index('id="sec1"')
        < html.index('<div class="paragraph operative" id="op2"')
    )
    assert (
        '<span class="un-section-number">I</span> '
        '<span class="un-section-title">Legislative activities</span>'
    ) in html


def test_the_adoption_lines_stand_under_the_heading_with_the_report_linked(client, uncitral):
    _, resolution = uncitral
    html = client.get(resolution.get_absolute_url()).content.decode()
    adoption = html.index(
        '<p class="un-adoption-line">Resolution adopted by the General Assembly on 15 December '
        "2025</p>"
    )
    assert html.index("</header>") < adoption < html.index('id="document-title"')
    assert (
        '<p class="un-committee-report">[on the report of the Sixth Committee (<a '
        'class="citation" href="https://undocs.org/A/80/448" title="A/80/448 in the UN '
        'document system">A/80/448</a>, para. 10)]</p>'
    ) in html
    # The title as the UN prints it, after the resolution's number.
    assert '<span class="un-resolution-number">80/161.</span> Report of the United' in html


def test_the_closing_meeting_follows_the_last_paragraph(client, uncitral):
    _, resolution = uncitral
    html = client.get(resolution.get_absolute_url()).content.decode()
    closing = html.index('<p class="un-closing">64th plenary meeting<br>15 December 2025</p>')
    assert html.index('id="op28"') < closing < html.index('id="footnotes-heading"')


def test_the_draft_and_the_resolution_name_each_other(client, uncitral):
    draft, resolution = uncitral
    html = client.get(resolution.get_absolute_url()).content.decode()
    assert 'Adopted from draft <a href="/documents/a-c6-80-l10/">A/C.6/80/L.10</a>' in html
    assert "/compare/text/?a=a-c6-80-l10&amp;b=a-res-80-161" in html
    html = client.get(draft.get_absolute_url()).content.decode()
    assert (
        'Adopted as <a href="/documents/a-res-80-161/">A/RES/80/161</a> on '
        '<time datetime="2025-12-15">15 December 2025</time>'
    ) in html


def test_the_drafts_cached_page_names_the_resolution_as_soon_as_it_is_imported(client, lars):
    draft = imported("A-C.1-80-L.9")
    client.force_login(lars)
    assert "Adopted as" not in client.get(draft.get_absolute_url()).content.decode()
    imported("A-RES-80-46")
    html = client.get(draft.get_absolute_url()).content.decode()
    assert 'Adopted as <a href="/documents/a-res-80-46/">A/RES/80/46</a> on' in html


def test_a_draft_prints_its_sponsor_note_under_the_sponsor_line(client, db):
    draft = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    html = client.get(draft.get_absolute_url()).content.decode()
    sponsors = html.index('<p class="un-sponsors" id="sponsors">Iraq:* draft resolution</p>')
    note = html.index(f"{G77}</p>")
    assert sponsors < note < html.index('id="document-title"')


def test_a_draft_without_those_lines_shows_none_of_them(client, seed_document):
    html = client.get(seed_document.get_absolute_url()).content.decode()
    for absent in (
        "un-adoption",
        "un-closing",
        "un-section-heading",
        "Adopted ",
        "un-sponsors-note",
    ):
        assert absent not in html


def test_section_headings_cost_no_query(client, uncitral, django_assert_num_queries):
    _, resolution = uncitral
    # The same eight queries as any document's reading page (tests/pages/test_documents.py).
    with django_assert_num_queries(8):
        response = client.get(resolution.get_absolute_url())
    assert response.content.decode().count("un-section-heading") == 10


# The briefing -------------------------------------------------------------------------------


def test_the_briefing_prints_the_structure_and_the_adoption(client, uncitral):
    draft, resolution = uncitral
    html = client.get(f"{resolution.get_absolute_url()}briefing/").content.decode()
    headings = section_headings(html)
    assert len(headings) == 10
    # Under the briefing's own "Text" heading, one level down.
    assert {h["tag"] for h in headings} == {"h3"}
    assert "briefing-text" in " ".join(headings[0]["around"])
    assert "Resolution adopted by the General Assembly on 15 December 2025" in html
    assert 'href="https://undocs.org/A/80/448"' in html
    assert "<dt>Adopted from</dt><dd>Draft A/C.6/80/L.10</dd>" in html
    assert '<p class="un-closing">64th plenary meeting<br>15 December 2025</p>' in html
    html = client.get(f"{draft.get_absolute_url()}briefing/").content.decode()
    assert "<dt>Adopted as</dt><dd>A/RES/80/161 on 15 December 2025</dd>" in html


def test_the_briefing_costs_the_same_with_sections(client, uncitral, django_assert_num_queries):
    _, resolution = uncitral
    plain = imported("A-RES-80-46")
    with CaptureQueriesContext(connection) as without_sections:
        client.get(f"{plain.get_absolute_url()}briefing/")
    with django_assert_num_queries(len(without_sections.captured_queries)):
        client.get(f"{resolution.get_absolute_url()}briefing/")


def test_the_briefing_names_the_sponsors_note(client, db):
    draft = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    html = client.get(f"{draft.get_absolute_url()}briefing/").content.decode()
    assert f"<dt>Sponsors</dt><dd>1 · {G77}</dd>" in html


# The version comparison and the tracker ----------------------------------------------------------


def test_the_comparison_heads_each_section_where_its_rows_start(client, uncitral):
    html = client.get("/compare/text/?a=a-c6-80-l10&b=a-res-80-161").content.decode()
    assert html.count('class="comparison-section') == 10
    assert html.index("Legislative activities") < html.index('href="/documents/a-c6-80-l10/#op2"')
    # The two read alike but for non-breaking hyphens, which the comparison does not count:
    # with only the changes shown, no row and so no section heading stands.
    html = client.get("/compare/text/?a=a-c6-80-l10&b=a-res-80-161&show=changes").content.decode()
    assert html.count('class="comparison-section') == 0
    # One sub-paragraph changed in words: it is headed by the section it is in, not by the
    # sections before.
    _, resolution = uncitral
    changed = Paragraph.objects.get(document=resolution, label="op17-a")
    changed.text = changed.text.replace("non‑State", "private")
    changed.save()
    html = client.get("/compare/text/?a=a-c6-80-l10&b=a-res-80-161&show=changes").content.decode()
    assert html.count('class="comparison-section') == 1
    assert "Technical assistance and capacity-building" in html
    assert "Legislative activities" not in html


def test_the_tracker_shows_the_resolution_beside_its_draft(client, uncitral):
    draft, resolution = uncitral
    tracker = draft.agenda_listing.agenda_item.get_absolute_url()
    html = client.get(tracker).content.decode()
    assert (
        '<li><a href="/documents/a-c6-80-l10/">A/C.6/80/L.10</a> → adopted as '
        '<a href="/documents/a-res-80-161/">A/RES/80/161</a>, '
        '<time datetime="2025-12-15">15 December 2025</time></li>'
    ) in html
    # Listed once, beside its draft, not again on a line of its own.
    assert html.count('href="/documents/a-res-80-161/"') == 1


def test_a_resolution_whose_draft_is_not_held_is_listed_with_its_date(client, db):
    resolution = imported("A-RES-80-46")
    html = client.get(resolution.agenda_listing.agenda_item.get_absolute_url()).content.decode()
    assert (
        '<li><a href="/documents/a-res-80-46/">A/RES/80/46</a>, adopted '
        '<time datetime="2025-12-01">1 December 2025</time></li>'
    ) in html


def test_the_trackers_query_count_does_not_change_with_adoptions(
    client, db, django_assert_num_queries
):
    draft = imported("A-C.1-80-L.9")
    tracker = draft.agenda_listing.agenda_item.get_absolute_url()
    # Built (the item, then its shared parts), then served from the cache (the item).
    with django_assert_num_queries(6):
        client.get(tracker)
    with django_assert_num_queries(1):
        client.get(tracker)
    imported("A-RES-80-46")
    # The adoption moved the item's version on: built again, in as many queries.
    with django_assert_num_queries(6):
        html = client.get(tracker).content.decode()
    assert "→ adopted as" in html
    with django_assert_num_queries(1):
        assert "→ adopted as" in client.get(tracker).content.decode()


def test_the_sponsors_page_and_its_json_keep_the_note(client, db):
    draft = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    html = client.get(f"{draft.get_absolute_url()}sponsors/").content.decode()
    assert f'<p class="un-sponsors-note sponsors-page-note">* {G77}</p>' in html
    data = client.get(f"{draft.get_absolute_url()}sponsors.json").json()
    assert data["sponsors_note"] == G77
    assert [sponsor["name"] for sponsor in data["sponsors"]] == ["Iraq"]


def test_a_resolution_revising_a_resolution_is_not_adopted_from_a_draft(client, db):
    first = imported("A-RES-80-46")
    second = imported(
        "A-RES-80-46", symbol="A/RES/80/46/Corr.1", title="The Arms Trade Treaty (corrected)"
    )
    Document.objects.filter(pk=second.pk).update(revision_of=first)
    html = client.get(second.get_absolute_url()).content.decode()
    assert "Adopted from draft" not in html
    assert "Revises" in html
    assert "Adopted as" not in client.get(first.get_absolute_url()).content.decode()
    tracker = client.get(first.agenda_listing.agenda_item.get_absolute_url()).content.decode()
    assert "→ adopted as" not in tracker
