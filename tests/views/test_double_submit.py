"""A form sent twice (a double click, a request the browser sends again) saves once, and the
second answer is the first one's: back to the paragraph, or the same margin, list or thread
for htmx. Each form shown carries a submission key of its own for this."""

import datetime
import re

import pytest
from django.urls import reverse

from resolutions.models import AgendaItem, Annotation, FollowUpAction, Milestone, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

READING_URL = f"/documents/{SEED_SLUG}/"
CREATE_URL = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
TRACKER = "/agenda/ict-international-security/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def key_in(html: str, after: str = "") -> str:
    """The submission key of the first form in ``html`` (after the text ``after``)."""
    start = html.index(after) if after else 0
    return re.search(r'name="submission_key" value="([^"]+)"', html[start:])[1]


def without_token(response) -> str:
    """The page as a reader sees it: the CSRF token is masked anew on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def note(**fields) -> dict:
    return {"body": "Ask the capital", "visibility": "delegation", "tags": "", **fields}


# Notes ------------------------------------------------------------------------------------


def test_a_note_form_sent_twice_saves_one_note(client, lars):
    client.force_login(lars)
    key = key_in(client.get(READING_URL).content.decode(), f'action="{CREATE_URL}"')
    first = client.post(CREATE_URL, note(submission_key=key))
    second = client.post(CREATE_URL, note(submission_key=key))
    assert Annotation.objects.count() == 1
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == f"{READING_URL}#op6"


def test_a_note_form_sent_twice_with_htmx_answers_twice_with_the_one_note(client, lars):
    client.force_login(lars)
    key = key_in(client.get(READING_URL).content.decode(), f'action="{CREATE_URL}"')
    answers = [client.post(CREATE_URL, note(submission_key=key), **HTMX) for _ in range(2)]
    assert Annotation.objects.count() == 1
    for answer in answers:
        html = answer.content.decode()
        assert answer.status_code == 200
        assert html.count("Ask the capital") == 1
        assert "1 note<" in html
        # A new form, with a new key, for the next note.
        assert key_in(html) != key


def test_two_forms_save_two_notes_even_with_the_same_words(client, lars):
    client.force_login(lars)
    for _ in range(2):
        key = key_in(client.get(READING_URL).content.decode(), f'action="{CREATE_URL}"')
        client.post(CREATE_URL, note(submission_key=key))
    # With htmx, each note saved brings back a new form with a new key.
    key = key_in(client.get(READING_URL).content.decode(), f'action="{CREATE_URL}"')
    for _ in range(2):
        margin = client.post(CREATE_URL, note(body="By htmx", submission_key=key), **HTMX)
        key = key_in(margin.content.decode())
    assert Annotation.objects.filter(body="Ask the capital").count() == 2
    assert Annotation.objects.filter(body="By htmx").count() == 2


def test_new_words_in_a_form_already_sent_are_a_new_note(client, lars):
    """A form that comes back from the browser's history still holds its old key: what is
    typed into it again is a note of its own, never lost as a repeat."""
    client.force_login(lars)
    key = key_in(client.get(READING_URL).content.decode(), f'action="{CREATE_URL}"')
    client.post(CREATE_URL, note(submission_key=key))
    client.post(CREATE_URL, note(body="A second thought", submission_key=key))
    assert set(Annotation.objects.values_list("body", flat=True)) == {
        "Ask the capital",
        "A second thought",
    }


def test_the_same_key_from_two_delegates_is_two_notes(client, lars, ingrid):
    for delegate in (lars, ingrid):
        client.force_login(delegate)
        client.post(CREATE_URL, note(submission_key="the-same-key"))
    assert Annotation.objects.count() == 2


def test_a_form_without_a_key_still_saves(client, lars):
    client.force_login(lars)
    client.post(CREATE_URL, note())
    client.post(CREATE_URL, note())
    assert Annotation.objects.count() == 2


def test_a_tampered_key_is_refused_in_a_delegates_words(client, lars):
    client.force_login(lars)
    response = client.post(CREATE_URL, note(submission_key="<script>"))
    assert response.status_code == 400
    assert "reload the page and send it again" in response.content.decode()
    assert not Annotation.objects.exists()


# Replies and edits ------------------------------------------------------------------------


def test_a_reply_form_sent_twice_saves_one_reply(client, lars, ingrid, op6):
    thread = make_annotation(ingrid, op6, "Our line?")
    url = reverse("resolutions:annotation_reply", args=[thread.pk])
    client.force_login(lars)
    key = key_in(client.get(thread.get_absolute_url()).content.decode(), f'action="{url}"')
    plain = client.post(url, {"body": "Agreed", "submission_key": key})
    again = client.post(url, {"body": "Agreed", "submission_key": key}, **HTMX)
    assert thread.replies.count() == 1
    assert plain.status_code == 302
    assert again.status_code == 200
    assert again.content.decode().count("Agreed") == 1
    assert key_in(again.content.decode()) != key


def test_an_edit_sent_twice_is_saved_once_and_is_no_conflict(client, lars, op6):
    mine = make_annotation(lars, op6, "First wording")
    url = reverse("resolutions:annotation_edit", args=[mine.pk])
    client.force_login(lars)
    edit = {"body": "Second wording", "visibility": "delegation", "tags": "", "version": 1}
    first = client.post(url, edit)
    second = client.post(url, edit)
    assert (first.status_code, second.status_code) == (302, 302)
    mine.refresh_from_db()
    assert (mine.body, mine.version, mine.revisions.count()) == ("Second wording", 2, 1)
    # A different text sent on the old version is still a conflict.
    assert client.post(url, {**edit, "body": "Third wording"}).status_code == 409


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_delete_or_an_undo_sent_twice_answers_as_the_first(client, lars, op6, headers):
    mine = make_annotation(lars, op6, "Delete me twice")
    client.force_login(lars)
    for name, deleted in [("annotation_delete", True), ("annotation_restore", False)]:
        url = reverse(f"resolutions:{name}", args=[mine.pk])
        first, second = client.post(url, **headers), client.post(url, **headers)
        assert first.status_code == second.status_code
        assert first.get("Location") == second.get("Location")
        if headers:
            assert without_token(first) == without_token(second)
        mine.refresh_from_db()
        assert (mine.deleted_at is not None) is deleted


def test_nobody_deletes_or_restores_another_delegates_note(client, lars, ingrid, op6):
    theirs = make_annotation(ingrid, op6, "Not yours")
    client.force_login(lars)
    for name in ["annotation_delete", "annotation_restore"]:
        assert client.post(reverse(f"resolutions:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.deleted_at is None


# A delegation's actions and the shared milestones ----------------------------------------


def action(**fields) -> dict:
    return {"title": "Brief the capital", "due_date": "2026-05-01", "status": "open", **fields}


def test_an_action_form_sent_twice_adds_one_action(client, lars):
    url = reverse("resolutions:action_create", args=["ict-international-security"])
    client.force_login(lars)
    key = key_in(client.get(TRACKER).content.decode(), "data-action-form")
    plain = client.post(url, action(submission_key=key))
    again = client.post(url, action(submission_key=key), **HTMX)
    assert FollowUpAction.objects.count() == 1
    assert plain.status_code == 302
    assert plain["Location"] == FollowUpAction.objects.get().get_absolute_url()
    assert again.status_code == 200
    assert again.content.decode().count("data-action-id=") == 1
    # Another form is another action.
    client.post(url, action(submission_key=key_in(again.content.decode())), **HTMX)
    assert FollowUpAction.objects.count() == 2


def test_a_milestone_form_sent_twice_adds_one_milestone(client, db):
    editor = make_delegate("eve", "Ireland", editor=True)
    item = AgendaItem.objects.get()
    url = reverse("resolutions:milestone_create", args=[item.slug])
    before = Milestone.objects.count()
    client.force_login(editor)
    key = key_in(client.get(TRACKER).content.decode(), "data-milestone-form")
    milestone = {
        "title": "Informal consultations",
        "start_date": datetime.date(2026, 4, 2).isoformat(),
        "sources": "A/80/1",
        "submission_key": key,
    }
    assert client.post(url, milestone).status_code == 302
    assert client.post(url, milestone, **HTMX).status_code == 200
    assert Milestone.objects.count() == before + 1
