"""A note on words of its paragraph: the "Quoted words" field (what selecting the words in
the text fills in, and what a delegate without JavaScript types), checked against the
paragraph, and kept with where the words stand."""

import pytest
from django.urls import reverse

from resolutions.models import Annotation, Paragraph
from tests.conftest import SEED_SLUG

READING_URL = f"/documents/{SEED_SLUG}/"
HTMX = {"HTTP_HX_REQUEST": "true"}
# OP3 says "the 2021 report of the" twice: of the Open-ended Working Group, then of the
# Group of Governmental Experts.
TWICE = "2021 report of the"


@pytest.fixture
def op3(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")


def post_note(client, label="op3", htmx=False, **data):
    fields = {"body": "Which report?", "visibility": "delegation", "tags": "", **data}
    url = reverse("resolutions:annotation_create", args=[SEED_SLUG, label])
    return client.post(url, fields, **(HTMX if htmx else {}))


def test_each_note_form_has_a_labelled_quoted_words_field(client, lars):
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    margin = html[html.index('id="notes-op3"') :]
    margin = margin[: margin.index("</aside>")]
    assert '<label for="id_op3_quote">Quoted words' in margin
    assert '<input type="text" name="quote" id="id_op3_quote"' in margin
    for selector in ("quote_prefix", "quote_suffix", "quote_start"):
        assert f'type="hidden" name="{selector}"' in margin


def test_a_quote_typed_without_javascript_is_saved_with_its_selectors(client, lars, op3):
    client.force_login(lars)
    response = post_note(client, quote="Open-ended  Working Group")
    assert response.status_code == 302
    note = Annotation.objects.get()
    start = op3.text.index("Open-ended Working Group")
    assert (note.quote, note.quote_start) == ("Open-ended Working Group", start)
    assert note.quote_prefix == op3.text[start - 32 : start]
    assert note.quote_suffix == op3.text[start + 24 : start + 24 + 32]


def test_words_typed_with_other_hyphens_and_quotes_are_the_paragraphs_words(client, lars, op3):
    """A non-breaking hyphen typed for the printed hyphen still finds the words; the note
    keeps them as the paragraph prints them."""
    client.force_login(lars)
    assert post_note(client, quote="Open\u2011ended Working Group").status_code == 302
    assert Annotation.objects.get().quote == "Open-ended Working Group"


def test_words_twice_in_the_paragraph_without_a_position_are_the_first(client, lars, op3):
    client.force_login(lars)
    post_note(client, quote=TWICE)
    assert Annotation.objects.get().quote_start == op3.text.index(TWICE)


def test_the_selected_occurrence_is_kept_by_its_position(client, lars, op3):
    client.force_login(lars)
    second = op3.text.index(TWICE, op3.text.index(TWICE) + 1)
    post_note(client, quote=TWICE, quote_start=str(second))
    note = Annotation.objects.get()
    assert note.quote_start == second
    assert note.quote_suffix.startswith(" Group of Governmental Experts")


def test_the_selected_occurrence_is_found_by_its_context_without_a_position(client, lars, op3):
    """The browser sends the words around a selection too: they tell the two places apart
    when the position is missing."""
    client.force_login(lars)
    second = op3.text.index(TWICE, op3.text.index(TWICE) + 1)
    post_note(
        client,
        quote=TWICE,
        quote_prefix=op3.text[second - 32 : second],
        quote_suffix=op3.text[second + len(TWICE) :][:32],
    )
    assert Annotation.objects.get().quote_start == second


def test_words_not_in_the_paragraph_are_refused_in_the_delegates_words(client, lars):
    client.force_login(lars)
    response = post_note(client, quote="Group of Friends", body="Kept")
    assert response.status_code == 400
    html = response.content.decode()
    assert "These words are not in OP3; copy them from the paragraph" in html
    # The field says so to a screen reader, and keeps what was typed and written.
    assert 'id="id_op3_quote" value="Group of Friends"' in html
    assert 'aria-describedby="id_op3_quote-help id_op3_quote-error" aria-invalid="true"' in html
    assert ">Kept</textarea>" in html
    fragment = post_note(client, quote="Group of Friends", htmx=True).content.decode()
    assert "These words are not in OP3" in fragment
    assert not Annotation.objects.exists()


def test_words_of_another_paragraph_are_refused(client, lars):
    client.force_login(lars)
    response = post_note(client, label="op6", quote="Open-ended Working Group on Developments")
    assert "These words are not in OP6" in response.content.decode()
    assert not Annotation.objects.exists()


def test_saving_with_htmx_highlights_the_words_in_the_text_at_once(client, lars, op3):
    """The margin comes back with the paragraph's text swapped in beside it, the new
    note's words marked."""
    client.force_login(lars)
    fragment = post_note(client, quote="Open-ended Working Group", htmx=True).content.decode()
    note = Annotation.objects.get()
    assert '<p class="paragraph-text" id="text-op3" hx-swap-oob="true">' in fragment
    assert f'id="quote-{note.pk}"' in fragment
    assert '>Open-ended Working Group<span class="quote-tip"' in fragment


def test_a_note_links_its_quote_back_to_the_words(client, lars):
    client.force_login(lars)
    post_note(client, quote="Open-ended Working Group")
    note = Annotation.objects.get()
    html = client.get(READING_URL).content.decode()
    assert f'<a href="{READING_URL}#quote-{note.pk}">' in html
    assert f'id="quote-{note.pk}"' in html
