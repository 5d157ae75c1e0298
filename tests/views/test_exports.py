"""A delegation's downloads: all its notes on every document and all its actions, at any
time; never a colleague's private note, a deleted one, or another delegation's work."""

import csv
import datetime
import io
import json

import pytest

from resolutions import services
from resolutions.models import AgendaItem, FollowUpAction, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_document


@pytest.fixture
def work(db):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    outsider = make_delegate("ade", "Nigeria")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    other_document = make_document(symbol="A/C.1/99/L.7")
    pp1 = other_document.paragraphs.get(label="pp1")
    make_annotation(lars, op6, "lars private", visibility="private")
    make_annotation(lars, pp1, "=HYPERLINK(lars delegation)", tags=["capital"])
    make_annotation(ingrid, op6, "ingrid delegation")
    make_annotation(ingrid, op6, "ingrid private", visibility="private")
    public = make_annotation(outsider, op6, "ade public", visibility="public")
    make_annotation(ingrid, op6, "ingrid reply", reply_to=public)
    make_annotation(outsider, op6, "ade delegation")
    services.annotation_delete(make_annotation(lars, op6, "lars deleted"))
    item = AgendaItem.objects.get()
    for delegate, title in ((lars, "Norway sends views"), (outsider, "Nigeria sends views")):
        FollowUpAction.objects.create(
            agenda_item=item,
            delegation=delegate.delegation,
            title=title,
            due_date=datetime.date(2022, 5, 31),
            owner=delegate,
            paragraph=op6,
            note="-1 formula guard",
            created_by=delegate,
        )
    return lars


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode())))


WRITTEN_BY_NORWAY = {
    "lars private",
    "'=HYPERLINK(lars delegation)",
    "ingrid delegation",
    "ingrid reply",
}


def test_the_page_lists_the_downloads_with_their_counts(client, work):
    client.force_login(work)
    response = client.get("/exports/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Download your delegation's work" in html
    assert ">4</td>" in html
    assert ">1</td>" in html
    for name in ("notes.csv", "notes.jsonld", "actions.csv", "actions.json"):
        assert f'href="/exports/{name}"' in html


def test_the_page_costs_the_same_whatever_the_data(client, work, django_assert_num_queries):
    client.force_login(work)
    # session, user (with whether they are an editor: the menu's link), delegation, two counts
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(6):
        client.get("/exports/")


def test_notes_csv_holds_every_note_the_delegation_wrote_on_every_document(client, work):
    client.force_login(work)
    response = client.get("/exports/notes.csv")
    assert response["Content-Disposition"] == 'attachment; filename="norway-notes.csv"'
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_rows(response)
    assert {row["body"] for row in rows} == WRITTEN_BY_NORWAY
    assert {row["document"] for row in rows} == {"A/C.1/76/L.13", "A/C.1/99/L.7"}


def test_notes_json_is_a_web_annotation_collection_across_documents(client, work):
    client.force_login(work)
    collection = json.loads(client.get("/exports/notes.jsonld").content)
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert {item["body"][0]["value"] for item in items} == {
        body.lstrip("'") for body in WRITTEN_BY_NORWAY
    }
    sources = {item["target"]["source"] for item in items}
    assert sources == {
        "http://testserver/documents/a-c1-76-l13/",
        "http://testserver/documents/a-c1-99-l7/",
    }


def test_actions_are_the_delegations_own(client, work):
    client.force_login(work)
    rows = csv_rows(client.get("/exports/actions.csv"))
    assert [(row["title"], row["owner"], row["note"]) for row in rows] == [
        ("Norway sends views", "lars", "'-1 formula guard")
    ]
    data = json.loads(client.get("/exports/actions.json").content)
    assert data["delegation"] == "Norway"
    assert [action["title"] for action in data["actions"]] == ["Norway sends views"]
    assert data["actions"][0]["paragraph"] == "A/C.1/76/L.13 OP6"


def test_a_user_outside_any_delegation_gets_their_own_notes_only(client, work):
    from resolutions.models import User

    loner = User.objects.create_user("loner", password="x")
    make_annotation(loner, Paragraph.objects.get(document__slug=SEED_SLUG, label="pp1"), "mine")
    client.force_login(loner)
    assert [row["body"] for row in csv_rows(client.get("/exports/notes.csv"))] == ["mine"]
    assert csv_rows(client.get("/exports/actions.csv")) == []
    assert "belongs to no delegation" in client.get("/exports/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/exports/", "/exports/notes.csv", "/exports/notes.jsonld", "/exports/actions.csv"],
)
def test_downloads_need_a_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_nav_links_to_the_downloads_when_logged_in(client, work):
    assert 'href="/exports/"' not in client.get("/").content.decode()
    client.force_login(work)
    assert 'href="/exports/"' in client.get("/").content.decode()
