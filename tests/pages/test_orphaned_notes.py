"""Notes carried to a revision whose paragraph was deleted, or whose quoted words changed,
shown where the paragraph was: after the paragraph that preceded it, under "PP8 of
A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1", with the old words and the reason; on the
reading page, in the notes list and in the briefing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, Paragraph
from tests.factories import make_annotation, make_circle_of_delegates
from tests.services.test_carrying_notes import issue, revised

DELETED = "PP8 of A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1"
QUOTE_CHANGED = "PP4 of A/C.1/76/L.13 — quoted words changed in A/C.1/76/L.13/Rev.1"
OLD_PP8 = "Underlining the importance of respect for human rights"


@pytest.fixture
def revision(seed_document):
    return issue(
        revised(
            ("Noting that considerable progress", "Noting that significant progress"),
            deleting=["Underlining the importance"],
        ),
        of=seed_document,
    )


def on(document, label):
    return Paragraph.objects.get(document=document, label=label)


@pytest.fixture
def carried(lars, ingrid, seed_document, revision):
    thread = make_annotation(lars, on(seed_document, "pp8"), "Human rights language")
    make_annotation(ingrid, None, "Ask the facilitator", reply_to=thread)
    make_annotation(lars, on(seed_document, "pp4"), "Too weak", quote="considerable")
    make_annotation(lars, on(seed_document, "op1"), "Fine as it is")
    services.annotations_carry_forward(user=lars, source=seed_document, target=revision)
    return revision


def text_between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_the_orphan_block_stands_after_the_paragraph_before_its_own(client, lars, carried):
    client.force_login(lars)
    page = client.get(carried.get_absolute_url()).content.decode()
    between = text_between(page, 'id="pp7"', 'id="pp8"')
    assert DELETED in between
    assert (
        f'<blockquote class="orphaned-text" aria-label="The words of {DELETED}"><p>{OLD_PP8}'
        in between
    )
    assert "<strong>Paragraph deleted.</strong>" in between
    assert "Human rights language" in between
    assert "Ask the facilitator" in between
    # Not in PP7's margin: PP7 has no notes of its own.
    margin = text_between(page, 'id="notes-pp7"', "</aside>")
    assert "Human rights language" not in margin
    assert "notes-count-pp7" not in margin
    # The note whose quoted word is gone stays between PP3 and the new PP4.
    between = text_between(page, 'id="pp3"', 'id="pp4"')
    assert QUOTE_CHANGED in between
    assert "Noting that considerable progress" in between
    assert "<strong>Quoted words changed.</strong>" in between
    assert "Too weak" in between
    # A note that landed is in its paragraph's margin as ever.
    assert "Fine as it is" in text_between(page, 'id="notes-op1"', "</aside>")


def test_a_reader_outside_the_delegation_sees_no_orphan_block(client, amina, carried):
    client.force_login(amina)
    page = client.get(carried.get_absolute_url()).content.decode()
    assert "orphaned-notes" not in page
    client.logout()
    assert "orphaned-notes" not in client.get(carried.get_absolute_url()).content.decode()


def test_the_reading_page_costs_the_same_with_orphans(client, lars, seed_document, revision):
    client.force_login(lars)
    with CaptureQueriesContext(connection) as without:
        client.get(revision.get_absolute_url())
    thread = make_annotation(lars, on(seed_document, "pp8"), "Human rights language")
    make_annotation(lars, None, "Reply", reply_to=thread)
    make_annotation(lars, on(seed_document, "pp4"), "Too weak", quote="considerable")
    services.annotations_carry_forward(user=lars, source=seed_document, target=revision)
    with CaptureQueriesContext(connection) as with_orphans:
        page = client.get(revision.get_absolute_url()).content.decode()
    assert DELETED in page
    assert len(with_orphans.captured_queries) == len(without.captured_queries)


def test_an_orphaned_note_is_edited_keeping_its_quote(client, lars, carried):
    note = Annotation.objects.get(body="Too weak", paragraph__document=carried)
    client.force_login(lars)
    response = client.post(
        reverse("resolutions:annotation_edit", args=[note.pk]),
        {
            "body": "Too weak still",
            "quote": "considerable",
            "tags": "",
            "version": 1,
            "visibility": "delegation",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.body, note.quote, note.orphan_reason) == (
        "Too weak still",
        "considerable",
        "quote_changed",
    )


def test_the_notes_list_shows_orphans_where_their_paragraph_was(client, lars, carried):
    client.force_login(lars)
    page = client.get(f"/documents/{carried.slug}/annotations/").content.decode()
    assert DELETED in page
    assert QUOTE_CHANGED in page
    assert OLD_PP8 in page
    assert "<strong>Paragraph deleted.</strong>" in page
    # In reading order: PP4's place (after PP3), PP8's (after PP7), then OP1.
    order = [page.index(QUOTE_CHANGED), page.index(DELETED), page.index('#op1">OP1</a></h3>')]
    assert order == sorted(order)
    block = text_between(page, DELETED, "</section>")
    assert "Human rights language" in block
    assert "Ask the facilitator" in block


def test_the_briefing_prints_orphans_as_such_with_their_notes_under_them(client, lars, carried):
    client.force_login(lars)
    page = client.get(f"/documents/{carried.slug}/briefing/").content.decode()
    text = page[page.index('id="text-heading"') :]
    between = text_between(text, 'id="pp7"', 'id="pp8"')
    assert DELETED in between
    assert OLD_PP8 in between
    assert "<strong>Paragraph deleted.</strong>" in between
    assert "Human rights language" in between
    # Numbered in reading order: PP4's place first, then PP8's, then OP1.
    assert "<strong>Note 2</strong>" in between
    assert "<strong>Note 1</strong>" in text_between(text, 'id="pp3"', 'id="pp4"')
    assert 'id="notes-heading"' not in page


def test_the_briefing_prints_orphans_as_such_with_notes_at_the_end(client, lars, carried):
    client.force_login(lars)
    page = client.get(f"/documents/{carried.slug}/briefing/?notes_at=end").content.decode()
    text = text_between(page, 'id="text-heading"', 'id="notes-heading"')
    between = text_between(text, 'id="pp7"', 'id="pp8"')
    assert DELETED in between
    assert OLD_PP8 in between
    assert "Human rights language" not in between
    assert re.search(r"note 2</span>", between)
    assert "note 1</span>" in text_between(text, 'id="pp3"', 'id="pp4"')
    endnotes = page[page.index('id="notes-heading"') :]
    assert f"<strong>{DELETED} (paragraph deleted)</strong>" in endnotes
    assert f"<strong>{QUOTE_CHANGED} (quoted words changed)</strong>" in endnotes
    assert (
        endnotes.index("Too weak")
        < endnotes.index("Human rights language")
        < endnotes.index("Fine as it is")
    )


@pytest.mark.parametrize("layout", ["", "?notes_at=end"])
def test_the_briefing_prints_orphans_and_circle_replies_in_no_more_queries(
    client, lars, ingrid, amina, seed_document, revision, layout
):
    """The notes are read with only the fields the briefing prints: an orphan's place and
    old words, a reply's audience in a circle's thread, read in the same queries as a
    briefing with no notes at all, not one more for each."""
    client.force_login(lars)
    url = f"/documents/{revision.slug}/briefing/{layout}"
    with CaptureQueriesContext(connection) as without_notes:
        client.get(url)
    thread = make_annotation(lars, on(seed_document, "pp8"), "Human rights language")
    make_annotation(ingrid, None, "Ask the facilitator", reply_to=thread)
    make_annotation(lars, on(seed_document, "pp4"), "Too weak", quote="considerable")
    services.annotations_carry_forward(user=lars, source=seed_document, target=revision)
    core = make_circle_of_delegates("Core group", lars, amina)
    in_circle = make_annotation(
        lars, on(revision, "op1"), "For the core group", visibility="circle", circle=core
    )
    make_annotation(amina, None, "Agreed in the group", reply_to=in_circle)
    with CaptureQueriesContext(connection) as with_notes:
        page = client.get(url).content.decode()
    assert DELETED in page
    assert "Ask the facilitator" in page
    assert (
        "Reply · amina, Nigeria · the thread&#x27;s circle: Core group (the thread&#x27;s "
        "audience)" in page
    )
    assert len(with_notes.captured_queries) == len(without_notes.captured_queries)
