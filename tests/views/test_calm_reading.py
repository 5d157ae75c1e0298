"""The calm reading page over plain HTTP: every paragraph keeps its forms, folded behind one
"Add note" control; "Go to paragraph" works as a GET; a reader not logged in is offered to
log in; the footnotes are headed "Footnotes"; a note saved with htmx is marked for the focus."""

import pytest
from django.urls import reverse

from resolutions.models import Annotation
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD
from tests.markup import parse

READING_URL = f"/documents/{SEED_SLUG}/"
GO_URL = f"/documents/{SEED_SLUG}/go/"
HTMX = {"HTTP_HX_REQUEST": "true"}
LABELS = ["pp1", "pp13", "op6", "op6-a", "op6-b", "op7"]

pytestmark = pytest.mark.django_db


def create_url(label="op6"):
    return reverse("resolutions:annotation_create", args=[SEED_SLUG, label])


def paragraph(page, label):
    return parse(page).find("div", id=label)


def test_each_paragraph_folds_its_forms_behind_one_add_note_control(client, lars):
    client.force_login(lars)
    page = client.get(READING_URL).content.decode()
    for label in LABELS:
        element = paragraph(page, label)
        add_note = element.find("details", **{"class": "add-note"})
        assert not add_note.has("open"), label
        assert add_note.find("summary").text.startswith("Add note"), label
        assert len(add_note.find_all("form", data_annotation_form=True)) == 1, label
        # Named by its label, and a place the focus can be moved to.
        assert element["role"] == "region"
        assert element["tabindex"] == "-1"
        assert (
            element.find(id=element["aria-labelledby"]).text
            == element.find("a", **{"class": "paragraph-label"}).text
        )
        # One row of controls: "Add note", then "Propose wording".
        summaries = [summary.text for summary in element.find_all("summary")]
        assert len(summaries) == 2, label
        assert summaries[0].startswith("Add note")
        assert summaries[1].startswith("Propose wording")
    assert 'id="reading-status" role="status"' in page


def test_a_note_sent_back_with_errors_comes_with_its_form_unfolded(client, lars):
    client.force_login(lars)
    refused = client.post(create_url(), {"body": "   ", "visibility": "delegation"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert paragraph(page, "op6").find("details", **{"class": "add-note"}).has("open")
    assert not paragraph(page, "op7").find("details", **{"class": "add-note"}).has("open")

    refused = client.post(create_url(), {"body": "   ", "visibility": "delegation"}, **HTMX)
    margin = parse(refused.content.decode()).find("aside")
    assert margin.find("details", **{"class": "add-note"}).has("open")
    assert not margin.has("data-saved-note")


def test_a_note_saved_with_htmx_is_marked_for_the_focus_and_the_announcement(client, lars):
    client.force_login(lars)
    response = client.post(create_url(), {"body": "Noted", "visibility": "private"}, **HTMX)
    note = Annotation.objects.get(body="Noted")
    margin = parse(response.content.decode()).find("aside")
    assert margin["data-saved-note"] == f"annotation-{note.pk}"
    assert margin["data-saved-message"] == "Note saved on OP6"
    assert margin.find("article", id=f"annotation-{note.pk}")
    assert not margin.find("details", **{"class": "add-note"}).has("open")

    # Without htmx, back to the paragraph, saying so.
    response = client.post(create_url(), {"body": "Noted again", "visibility": "private"})
    assert response["Location"] == READING_URL + "#op6"


def test_go_to_paragraph_redirects_to_the_paragraph_typed(client, db):
    for typed, label in [("OP6", "op6"), ("op6(a)", "op6-a"), (" pp 13 ", "pp13"), ("7", "op7")]:
        response = client.get(GO_URL, {"paragraph": typed})
        assert response.status_code == 302
        assert response["Location"] == f"{READING_URL}#{label}", typed


def test_go_to_a_paragraph_the_document_does_not_have_says_so(client, db):
    response = client.get(GO_URL, {"paragraph": "OP9"}, follow=True)
    assert response.redirect_chain == [(READING_URL + "#go-to-paragraph", 302)]
    assert "There is no paragraph “OP9” in A/C.1/76/L.13." in response.content.decode()
    response = client.get(GO_URL, follow=True)
    assert "Type the paragraph to go to, such as OP6 or PP3." in response.content.decode()
    assert client.get("/documents/no-such-document/go/", {"paragraph": "op6"}).status_code == 404


def test_the_go_to_field_is_labelled_and_sends_a_get(client, db):
    form = parse(client.get(READING_URL).content.decode()).find("form", data_go_to_paragraph=True)
    assert (form["method"], form["action"]) == ("get", GO_URL)
    field = form.find("input", name="paragraph")
    assert form.find("label", **{"for": field["id"]}).text == "Go to paragraph"


def test_a_reader_not_logged_in_is_offered_to_log_in_where_the_notes_would_be(client, db):
    page = client.get(READING_URL).content.decode()
    assert "data-annotation-form" not in page
    for label in LABELS:
        margin = paragraph(page, label).find(
            "p", **{"class": "paragraph-margin log-in-to-annotate no-print"}
        )
        link = margin.find("a")
        assert link["href"] == f"/accounts/login/?next={READING_URL}%23{label}"
        assert link.text.startswith("Log in to annotate")


def test_a_delegate_is_not_asked_to_log_in(client, lars):
    client.force_login(lars)
    assert "Log in to annotate" not in client.get(READING_URL).content.decode()


def test_logging_in_from_a_paragraph_returns_to_it(client, lars):
    response = client.post(
        f"/accounts/login/?next={READING_URL}%23op6",
        {"username": "lars", "password": PASSWORD, "next": f"{READING_URL}#op6"},
    )
    assert response["Location"] == f"{READING_URL}#op6"


def test_the_footnotes_are_footnotes_and_their_back_links_name_what_they_show(client, db):
    page = parse(client.get(READING_URL).content.decode())
    assert page.find("h2", id="footnotes-heading").text == "Footnotes"
    for back in page.find_all("a", **{"class": "footnote-back"}):
        assert not back.has("aria-label")
        hidden = back.find("span", **{"class": "visually-hidden"}).text
        visible = back.text.removesuffix(hidden)
        assert visible.startswith("↩ ")
        assert back.text == visible + hidden
        assert "back to where footnote" in hidden
