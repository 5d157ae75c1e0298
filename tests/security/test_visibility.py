"""Who sees what: author / same delegation / other delegation / anonymous, against
private / delegation / public notes, on every page and export that shows notes."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from resolutions.models import Annotation, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

EXPECTED = {
    # visibility: (author, same delegation, other delegation, anonymous)
    "private": (True, False, False, False),
    "delegation": (True, True, False, False),
    "public": (True, True, True, False),
}
VIEWERS = ["author", "colleague", "outsider", "anonymous"]


@pytest.fixture
def people(db):
    return {
        "author": make_delegate("author", "Norway"),
        "colleague": make_delegate("colleague", "Norway"),
        "outsider": make_delegate("outsider", "Nigeria"),
        "anonymous": None,
    }


@pytest.fixture
def notes(people):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    return {
        visibility: make_annotation(
            people["author"],
            op6,
            f"canary-{visibility}-body",
            visibility=visibility,
            tags=[f"canary-{visibility}-tag"],
            quote="Secretary-General",
        )
        for visibility in EXPECTED
    }


def client_for(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def pages(client):
    base = f"/documents/{SEED_SLUG}"
    return {
        "reading page": client.get(f"{base}/").content.decode(),
        "annotations list": client.get(f"{base}/annotations/").content.decode(),
        "CSV export": b"".join(client.get(f"{base}/annotations.csv").streaming_content).decode(),
        "JSON export": client.get(f"{base}/annotations.json").content.decode(),
    }


CASES = [
    (visibility, viewer_index, viewer)
    for visibility in EXPECTED
    for viewer_index, viewer in enumerate(VIEWERS)
]


@pytest.mark.parametrize(("visibility", "viewer_index", "viewer"), CASES)
def test_notes_reach_exactly_their_audience_on_every_page(
    people, notes, visibility, viewer_index, viewer
):
    client = client_for(people[viewer])
    should_see = EXPECTED[visibility][viewer_index]
    for page_name, body in pages(client).items():
        assert (f"canary-{visibility}-body" in body) is should_see, (page_name, viewer)
        assert (f"canary-{visibility}-tag" in body) is should_see, (page_name, viewer)


@pytest.mark.parametrize(("visibility", "viewer_index", "viewer"), CASES)
def test_thread_and_history_pages_are_404_to_those_who_may_not_see(
    people, notes, visibility, viewer_index, viewer
):
    client = client_for(people[viewer])
    note = notes[visibility]
    should_see = EXPECTED[visibility][viewer_index]
    for name in ("annotation_detail", "annotation_history"):
        response = client.get(reverse(f"resolutions:{name}", args=[note.pk]))
        if viewer == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == (200 if should_see else 404)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_include_only_what_the_viewer_may_see(people, notes, viewer):
    body = client_for(people[viewer]).get(f"/documents/{SEED_SLUG}/annotations/")
    html = body.content.decode()
    visible = {"author": 3, "colleague": 2, "outsider": 1, "anonymous": 0}[viewer]
    assert f">{visible} note{'s' if visible != 1 else ''}" in html
    if viewer != "anonymous":
        reading = client_for(people[viewer]).get(f"/documents/{SEED_SLUG}/").content.decode()
        assert f">{visible} note{'s' if visible != 1 else ''}</span>" in reading


def test_replies_follow_the_visibility_of_their_thread(people, notes):
    colleague = people["colleague"]
    thread = notes["delegation"]
    make_annotation(colleague, thread.paragraph, "canary-reply", reply_to=thread)
    assert "canary-reply" in pages(client_for(colleague))["annotations list"]
    for page_name, body in pages(client_for(people["outsider"])).items():
        assert "canary-reply" not in body, page_name


def test_making_a_thread_private_hides_its_replies(people, notes, client):
    author, colleague = people["author"], people["colleague"]
    thread = notes["delegation"]
    make_annotation(colleague, thread.paragraph, "canary-reply", reply_to=thread)
    client.force_login(author)
    client.post(
        reverse("resolutions:annotation_edit", args=[thread.pk]),
        {"body": "now private", "version": 1, "visibility": "private", "tags": ""},
    )
    assert "canary-reply" not in pages(client_for(colleague))["annotations list"]


def test_deleted_notes_are_seen_by_no_one(people, notes):
    Annotation.objects.filter(pk=notes["public"].pk).update(deleted_at=notes["public"].created_at)
    for viewer in VIEWERS:
        for page_name, body in pages(client_for(people[viewer])).items():
            assert "canary-public-body" not in body, (page_name, viewer)


def test_web_annotation_export_targets_the_paragraph(people, notes):
    client = client_for(people["author"])
    data = json.loads(client.get(f"/documents/{SEED_SLUG}/annotations.json").content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 3
    item = data["first"]["items"][0]
    assert item["type"] == "Annotation"
    assert item["target"]["source"] == f"http://testserver/documents/{SEED_SLUG}/"
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["FragmentSelector"]["value"] == "op6"
    assert selectors["TextQuoteSelector"]["exact"] == "Secretary-General"
    bodies = {b["purpose"]: b["value"] for b in item["body"]}
    assert bodies["commenting"].startswith("canary-")
    assert bodies["tagging"].startswith("canary-")


def test_csv_export_guards_against_spreadsheet_formulas(people, db):
    author = people["author"]
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    make_annotation(author, op6, '=HYPERLINK("http://evil")')
    csv_text = b"".join(
        client_for(author).get(f"/documents/{SEED_SLUG}/annotations.csv").streaming_content
    ).decode()
    assert "'=HYPERLINK" in csv_text
