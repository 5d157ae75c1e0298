"""The briefing: sections and notes chosen in the query string, endnotes keyed to paragraph
labels, the user's own regional group's missing sponsors, and the follow-up."""

import datetime

import pytest
from django.test import override_settings

from resolutions.models import Annotation, Paragraph
from resolutions.pages.briefing import css_string
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

URL = f"/documents/{SEED_SLUG}/briefing/"


@pytest.fixture
def people(db):
    return {
        "lars": make_delegate("lars", "Norway"),
        "ingrid": make_delegate("ingrid", "Norway"),
        "amina": make_delegate("amina", "Nigeria"),
    }


@pytest.fixture
def notes(people):
    paragraphs = {p.label: p for p in Paragraph.objects.filter(document__slug=SEED_SLUG)}
    return {
        "mine": make_annotation(people["lars"], paragraphs["op6"], "mine-op6", tags=["key"]),
        "mine-private": make_annotation(
            people["lars"], paragraphs["pp3"], "mine-private-pp3", visibility="private"
        ),
        "colleague": make_annotation(people["ingrid"], paragraphs["op7"], "colleague-op7"),
        "other-public": make_annotation(
            people["amina"], paragraphs["op1"], "other-public-op1", visibility="public"
        ),
        "other-delegation": make_annotation(people["amina"], paragraphs["op1"], "other-deleg"),
    }


def html(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_default_briefing_has_my_and_my_delegations_notes(client, people, notes):
    client.force_login(people["lars"])
    page = html(client)
    assert "mine-op6" in page
    assert "mine-private-pp3" in page
    assert "colleague-op7" in page
    assert "other-public-op1" not in page
    assert "other-deleg" not in page


def test_endnotes_are_numbered_in_paragraph_order_and_keyed_to_labels(client, people, notes):
    client.force_login(people["lars"])
    page = html(client, "?notes_at=end")
    # PP3 comes first, then OP6, then OP7.
    assert page.index("mine-private-pp3") < page.index("mine-op6") < page.index("colleague-op7")
    assert '<li value="1" class="endnote">' in page
    assert "<strong>PP3</strong>" in page
    assert " · notes 2</span>" in page  # the margin of OP6 points at its endnote


def test_notes_print_under_their_paragraph_numbered_in_reading_order(client, people, notes):
    """Each paragraph's notes are a numbered list under it, numbered through the briefing
    in the text's order: PP3's note is 1, OP6's 2 (with a second note there, 3), OP7's 4."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    make_annotation(people["ingrid"], op6, "second-op6")
    client.force_login(people["lars"])
    page = html(client)

    def notes_on(label: str) -> str:
        start = page.index(f'aria-label="Notes on {label}"')
        return page[start : page.index("</ol>", start)]

    assert '<li value="1" class="endnote paragraph-note">' in notes_on("PP3")
    op6_notes = notes_on("OP6")
    assert op6_notes.count('class="endnote paragraph-note"') == 2
    assert op6_notes.index('<li value="2"') < op6_notes.index("mine-op6")
    assert op6_notes.index("mine-op6") < op6_notes.index('<li value="3"')
    assert op6_notes.index('<li value="3"') < op6_notes.index("second-op6")
    assert '<li value="4" class="endnote paragraph-note">' in notes_on("OP7")
    assert "colleague-op7" in notes_on("OP7")
    # Printed at the end instead, no paragraph carries a list of its own.
    assert 'aria-label="Notes on' not in html(client, "?notes_at=end")


@override_settings(TIME_ZONE="America/New_York")
def test_a_notes_day_is_printed_in_the_sites_time_zone(client, people, notes):
    """Written at 02:00 UTC on 30 November, a note and its reply were written on 29
    November in New York, and the briefing says so."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    late = make_annotation(people["lars"], op6, "late-op6")
    reply = make_annotation(people["ingrid"], op6, "late-reply", reply_to=late)
    written = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.UTC)
    Annotation.objects.filter(pk__in=[late.pk, reply.pk]).update(created_at=written)
    client.force_login(people["lars"])
    page = html(client)
    note = page[page.index("late-op6") - 200 : page.index("late-reply")]
    assert "lars, Norway · my delegation · 29 Nov 2026</p>" in note
    assert (
        "ingrid, Norway · the thread&#x27;s delegation (the thread&#x27;s audience) · 29 Nov 2026"
        in note
    )


def test_choosing_public_notes_and_a_tag(client, people, notes):
    client.force_login(people["lars"])
    public_only = html(client, "?sections=text&notes=public")
    assert "other-public-op1" in public_only
    assert "mine-op6" not in public_only
    tagged = html(client, "?sections=text&notes=mine&notes=delegation&tag=key")
    assert "mine-op6" in tagged
    assert "colleague-op7" not in tagged


def test_sections_can_be_left_out(client, people, notes):
    client.force_login(people["lars"])
    page = html(client, "?sections=cover&notes=mine")
    assert "Briefing for the delegation of Norway" in page
    assert 'id="facts-heading"' not in page
    assert 'id="text-heading"' not in page
    assert "mine-op6" not in page


def test_anonymous_briefing_has_the_text_but_no_notes(client, notes):
    page = html(client)
    assert "Decides</em> to include in the provisional agenda" in page
    assert "other-public-op1" not in page
    assert "mine-op6" not in page


def test_key_facts_list_the_missing_states_of_my_own_group(client, people):
    client.force_login(people["amina"])  # Nigeria: African States, 9 of 54 sponsor
    page = html(client)
    assert "Not sponsoring in African States (45)" in page
    assert "Algeria" in page


def test_cover_says_when_and_for_whom(client, people):
    client.force_login(people["lars"])
    page = html(client)
    assert "Printed</dt><dd>" in page
    assert "for Norway</dd>" in page
    assert "Approved by the First Committee without a vote" in page


def test_running_header_names_the_document(client, db):
    page = html(client)
    assert '@page { @top-left { content: "A/C.1/76/L.13 · Briefing"; } }' in page


def test_css_string_cannot_break_out_of_the_style_element():
    value = css_string('A/"</style><script>x</script>')
    assert "<" not in value
    assert value.count('"') == 2


def test_briefing_query_count_does_not_grow_with_notes(
    client, people, notes, django_assert_num_queries
):
    client.force_login(people["lars"])
    # 17, and one for the chain of versions the cover names.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(19) as first:
        client.get(URL)
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    for i in range(30):
        thread = make_annotation(people["ingrid"], op6, f"more {i}", tags=[f"t{i}"])
        make_annotation(people["lars"], op6, f"reply {i}", reply_to=thread)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(URL)


# How the briefing prints: notes under their paragraph or at the end; addresses on request


def between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_by_default_notes_print_under_their_paragraph(client, people, notes):
    client.force_login(people["lars"])
    page = html(client)
    op6 = between(page, 'id="op6"', 'id="op6-a"')
    assert "mine-op6" in op6
    assert "<strong>Note 2</strong>" in op6
    assert "colleague-op7" in between(page, 'id="op7"', 'id="cited-heading"')
    assert 'id="notes-heading"' not in page
    assert " · notes 2</span>" not in page
    assert 'value="paragraph" id="id_notes_at_0" checked>' in page


def test_endnotes_are_a_choice_in_the_address_and_keep_the_default_notes(client, people, notes):
    client.force_login(people["lars"])
    page = html(client, "?notes_at=end")
    assert 'id="notes-heading"' in page
    notes_section = page[page.index('id="notes-heading"') :]
    for body in ("mine-op6", "mine-private-pp3", "colleague-op7"):
        assert body in notes_section
    assert "mine-op6" not in between(page, 'id="op6"', 'id="op6-a"')
    assert "other-public-op1" not in page


def test_choosing_notes_and_their_place_together(client, people, notes):
    client.force_login(people["lars"])
    page = html(client, "?sections=text&notes=public&notes_at=end")
    assert "other-public-op1" in page[page.index('id="notes-heading"') :]
    assert "mine-op6" not in page


def test_documents_cited_are_symbols_unless_addresses_are_asked_for(client, db):
    page = html(client)
    cited = page[page.index('id="cited-heading"') :]
    assert '<ul class="cited-symbols">' in cited
    assert ">https://" not in cited
    with_addresses = html(client, "?addresses=1")
    cited = with_addresses[with_addresses.index('id="cited-heading"') :]
    assert '<ul class="cited-list">' in cited
    assert ">https://" in cited


def test_the_print_choices_are_a_form_on_screen_only(client, people):
    client.force_login(people["lars"])
    page = html(client, "?notes_at=end&addresses=1")
    controls = between(page, 'class="briefing-controls no-print"', "</form>")
    assert "<legend>Print notes</legend>" in controls
    assert "Under their paragraph" in controls
    assert "At the end, as endnotes" in controls
    assert "Print the addresses of the documents cited" in controls
    assert 'value="end" id="id_notes_at_1" checked>' in controls
    assert 'name="addresses" id="id_addresses" checked>' in controls


def test_a_note_prints_its_words_escaped_with_its_line_breaks_tags_and_replies(client, people):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    thread = make_annotation(people["lars"], op6, 'Keep <b>this</b>\nand "that"', tags=["red line"])
    make_annotation(people["ingrid"], op6, "Agreed & sent", reply_to=thread)
    client.force_login(people["lars"])
    page = html(client)
    assert "<strong>Note 1</strong> · lars, Norway · my delegation · " in page
    assert "Keep &lt;b&gt;this&lt;/b&gt;<br>and &quot;that&quot;" in page
    assert "<b>this</b>" not in page
    assert "Tags: red line" in page
    assert "Reply · ingrid, Norway · the thread&#x27;s delegation" in page
    assert "Agreed &amp; sent" in page
