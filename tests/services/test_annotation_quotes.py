"""A note's quote is kept with its selectors (the words as printed, the words around them
and where they start), so it can be found again when the paragraph is revised."""

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation

TWICE = "information and communications technologies"


@pytest.fixture
def pp2(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="pp2")


@pytest.fixture
def op7(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op7")


def test_a_quote_is_saved_with_its_context_and_position(lars, pp2):
    note = make_annotation(lars, pp2, quote="promote the use")
    start = pp2.text.index("promote the use")
    assert (note.quote, note.quote_start) == ("promote the use", start)
    assert note.quote_prefix == pp2.text[start - 32 : start]
    assert note.quote_suffix == pp2.text[start + 15 : start + 47]
    assert note.quote_selector.end == start + len("promote the use")


def test_of_words_printed_twice_the_first_is_quoted_unless_the_selection_says_otherwise(lars, pp2):
    first = pp2.text.index(TWICE)
    second = pp2.text.index(TWICE, first + 1)
    assert make_annotation(lars, pp2, quote=TWICE).quote_start == first
    note = make_annotation(lars, pp2, body="The second", quote=TWICE, quote_start=second - 2)
    assert note.quote_start == second
    assert note.quote_prefix == "nflicts arising from the use of "


def test_a_quote_typed_with_plain_quotation_marks_is_kept_as_printed(lars, op7):
    note = make_annotation(lars, op7, quote='entitled "Developments in the field')
    assert note.quote == "entitled \u201cDevelopments in the field"
    assert op7.text[note.quote_start :].startswith(note.quote)


def test_a_note_without_a_quote_has_no_selectors(lars, pp2):
    note = make_annotation(lars, pp2)
    assert (note.quote, note.quote_prefix, note.quote_suffix, note.quote_start) == (
        "",
        "",
        "",
        None,
    )
    assert note.quote_selector is None


def test_an_edit_that_keeps_the_quote_keeps_the_words_it_was_on(lars, pp2):
    second = pp2.text.index(TWICE, pp2.text.index(TWICE) + 1)
    note = make_annotation(lars, pp2, quote=TWICE, quote_start=second)
    edited = services.annotation_update(
        note, editor=lars, version=1, body="Reworded", tags=[], quote=TWICE
    )
    assert edited.quote_start == second
    edited = services.annotation_update(
        edited, editor=lars, version=2, body="Reworded", tags=[], quote="peaceful purposes"
    )
    assert edited.quote_start == pp2.text.index("peaceful purposes")
    assert edited.quote_suffix.startswith(" and to prevent")
    edited = services.annotation_update(
        edited, editor=lars, version=3, body="Reworded", tags=[], quote=""
    )
    assert (edited.quote_prefix, edited.quote_suffix, edited.quote_start) == ("", "", None)


def test_the_note_form_takes_the_selections_position(client, lars, pp2):
    client.force_login(lars)
    second = pp2.text.index(TWICE, pp2.text.index(TWICE) + 1)
    response = client.post(
        reverse("resolutions:annotation_create", args=[SEED_SLUG, "pp2"]),
        {
            "body": "On the second",
            "visibility": "delegation",
            "quote": TWICE,
            "quote_start": second,
        },
    )
    assert response.status_code == 302
    assert Annotation.objects.get().quote_start == second


def test_the_note_form_refuses_words_not_in_the_paragraph(client, lars):
    client.force_login(lars)
    response = client.post(
        reverse("resolutions:annotation_create", args=[SEED_SLUG, "pp2"]),
        {"body": "Hm", "visibility": "delegation", "quote": "peaceful porpoises"},
    )
    assert response.status_code == 400
    assert "These words are not in PP2" in response.content.decode()
    assert not Annotation.objects.exists()


def test_the_web_annotation_export_carries_the_selectors(client, lars, pp2):
    second = pp2.text.index(TWICE, pp2.text.index(TWICE) + 1)
    make_annotation(lars, pp2, "Second", quote=TWICE, quote_start=second)
    client.force_login(lars)
    data = client.get(reverse("resolutions:annotation_export_json", args=[SEED_SLUG])).json()
    fragment, quote = data["first"]["items"][0]["target"]["selector"]
    assert fragment["value"] == "pp2"
    assert fragment["refinedBy"] == {
        "type": "TextPositionSelector",
        "start": second,
        "end": second + len(TWICE),
    }
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": TWICE,
        "prefix": pp2.text[second - 32 : second],
        "suffix": pp2.text[second + len(TWICE) :][:32],
    }
