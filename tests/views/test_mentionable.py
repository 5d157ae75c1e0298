"""Who the note, reply, edit and proposal forms offer to mention: the people who could
read what is written, as buttons under the text for htmx and as a page of its own without;
and what a mention written in each form does."""

import pytest
from django.test import Client
from django.urls import reverse

from resolutions import services
from resolutions.models import Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import (
    make_annotation,
    make_circle_of_delegates,
    make_delegate,
    make_proposal,
)

URL = f"/documents/{SEED_SLUG}/paragraphs/op6/mentionable/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(lars):
    client = Client()
    client.force_login(lars)
    return client


def offered(response) -> list[str]:
    text = response.content.decode()
    return [part.split('"')[0] for part in text.split('data-username="')[1:]]


def test_a_delegation_note_offers_the_delegation(client, ingrid, amina):
    assert offered(client.get(URL, {"q": "", "visibility": "delegation"}, **HTMX)) == ["ingrid"]


def test_a_public_note_offers_everyone_matching_what_was_typed(client, ingrid, amina):
    make_delegate("anders", "Norway")
    response = client.get(URL, {"q": "a", "visibility": "public"}, **HTMX)
    assert offered(response) == ["amina", "anders"]
    assert "<html" not in response.content.decode()


def test_a_private_note_offers_no_one(client, ingrid):
    response = client.get(URL, {"visibility": "private"}, **HTMX)
    assert offered(response) == []
    assert "could read the note but you" in response.content.decode()


def test_a_circle_note_offers_the_circle(client, lars, ingrid, amina, sven):
    circle = make_circle_of_delegates("Friends of OP6", lars, amina)
    response = client.get(URL, {"visibility": "circle", "circle": circle.pk}, **HTMX)
    assert offered(response) == ["amina", "ingrid"]


def test_the_plain_page_lists_them_with_the_form(client, ingrid):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who can be mentioned in a note on OP6" in page
    assert 'name="visibility"' in page
    assert offered(response) == ["ingrid"]


def test_the_note_form_links_to_it(client):
    page = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert f'data-mentions-url="{URL}"' in page
    assert f'<a href="{URL}">who can be mentioned</a>' in page


def test_an_unknown_paragraph_is_not_found(client):
    assert client.get(f"/documents/{SEED_SLUG}/paragraphs/op99/mentionable/").status_code == 404


def test_visitors_are_sent_to_log_in(db):
    assert Client().get(URL).status_code == 302


# Replies and edits ------------------------------------------------------------------------


def note_url(note) -> str:
    return reverse("resolutions:note_mentionable", args=[note.pk])


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def test_a_reply_offers_its_threads_audience(client, lars, ingrid, amina, op6):
    thread = make_annotation(ingrid, op6, "Too strong?")
    assert offered(client.get(note_url(thread), {"q": ""}, **HTMX)) == ["ingrid"]
    public = make_annotation(ingrid, op6, "Too strong?", visibility="public")
    assert offered(client.get(note_url(public), {"q": "a"}, **HTMX)) == ["amina"]


def test_a_reply_in_a_circles_thread_offers_the_circle(client, lars, ingrid, amina, sven, op6):
    circle = make_circle_of_delegates("Friends of OP6", lars, amina)
    thread = make_annotation(lars, op6, "Agreed?", visibility="circle", circle=circle)
    assert offered(client.get(note_url(thread), **HTMX)) == ["amina", "ingrid"]


def test_a_reply_as_it_stands_offers_those_who_read_it(client, lars, ingrid, amina, op6):
    """A reply written for the delegation stays with it when the thread is widened: its
    edit offers the delegation, not everyone the thread now reaches."""
    thread = make_annotation(ingrid, op6, "Too strong?")
    reply = make_annotation(lars, op6, "Yes", reply_to=thread)
    services.annotation_update(
        thread, editor=ingrid, version=1, body=thread.body, tags=[], quote="", visibility="public"
    )
    assert offered(client.get(note_url(thread), **HTMX)) == ["amina", "ingrid"]
    assert offered(client.get(note_url(reply), **HTMX)) == ["ingrid"]


def test_a_note_one_may_not_see_is_not_found(client, amina, op6):
    thread = make_annotation(amina, op6, "Nigeria only")
    assert client.get(note_url(thread), **HTMX).status_code == 404
    assert client.get(note_url(thread)).status_code == 404


def test_the_plain_page_for_a_reply_lists_them_without_an_audience_to_choose(client, ingrid, op6):
    thread = make_annotation(ingrid, op6, "Too strong?")
    response = client.get(note_url(thread))
    page = response.content.decode()
    assert "Who can be mentioned in a reply to this note on OP6" in page
    assert 'name="visibility"' not in page
    assert offered(response) == ["ingrid"]


def test_the_reply_form_asks_for_its_threads_audience(client, ingrid, op6):
    thread = make_annotation(ingrid, op6, "Too strong?")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'data-mentions-url="{note_url(thread)}"' in page
    assert f'<a href="{note_url(thread)}">who can be mentioned</a>' in page


def test_the_edit_form_of_a_reply_asks_for_the_reply(client, lars, ingrid, op6):
    reply = make_annotation(lars, op6, "Yes", reply_to=make_annotation(ingrid, op6))
    page = client.get(reverse("resolutions:annotation_edit", args=[reply.pk])).content.decode()
    assert f'data-mentions-url="{note_url(reply)}"' in page
    assert f'<a href="{note_url(reply)}">who can be mentioned</a>' in page


def test_the_edit_form_of_a_note_asks_for_the_audience_chosen_in_it(client, lars, op6):
    circle = make_circle_of_delegates("Friends of OP6", lars)
    note = make_annotation(lars, op6, "Ours", visibility="circle", circle=circle)
    page = client.get(reverse("resolutions:annotation_edit", args=[note.pk])).content.decode()
    assert f'data-mentions-url="{URL}"' in page
    plain = f"{URL}?visibility=circle&amp;circle={circle.pk}"
    assert f'<a href="{plain}">who can be mentioned</a>' in page


# Proposals --------------------------------------------------------------------------------


NEW_PROPOSAL = f"/documents/{SEED_SLUG}/paragraphs/op6/proposals/mentionable/"


def proposal_url(proposal) -> str:
    return reverse("resolutions:proposal_mentionable", args=[proposal.pk])


def test_a_new_proposal_offers_who_would_see_it(client, lars, ingrid, amina, sven):
    circle = make_circle_of_delegates("Friends of OP6", lars, sven)
    assert offered(client.get(NEW_PROPOSAL, **HTMX)) == ["ingrid"]
    as_draft = {"state": "draft", "circle": circle.pk}
    assert offered(client.get(NEW_PROPOSAL, as_draft, **HTMX)) == ["ingrid", "sven"]
    tabled = {"state": "tabled", "circle": "", "q": "a"}
    assert offered(client.get(NEW_PROPOSAL, tabled, **HTMX)) == ["amina"]


def test_a_circle_the_delegation_is_not_in_offers_only_the_delegation(client, ingrid, amina):
    theirs = make_circle_of_delegates("Elsewhere", amina)
    as_draft = {"state": "draft", "circle": theirs.pk}
    assert offered(client.get(NEW_PROPOSAL, as_draft, **HTMX)) == ["ingrid"]


def test_a_draft_offers_its_delegation_and_its_circle(client, lars, ingrid, amina, sven, op6):
    circle = make_circle_of_delegates("Friends of OP6", lars, sven)
    draft = make_proposal(lars, op6, state="draft", on_behalf_of=circle)
    assert offered(client.get(proposal_url(draft), **HTMX)) == ["ingrid", "sven"]
    # Its edit form may table it for everyone, or keep it for the delegation alone.
    tabling = {"state": "tabled", "circle": circle.pk, "q": "a"}
    assert offered(client.get(proposal_url(draft), tabling, **HTMX)) == ["amina"]
    alone = {"state": "draft", "circle": ""}
    assert offered(client.get(proposal_url(draft), alone, **HTMX)) == ["ingrid"]


def test_a_draft_seen_from_its_circle_is_as_it_stands(lars, ingrid, sven, amina, op6):
    """Sweden reads Norway's draft made on behalf of their circle, but does not edit it: what
    it asks changes nothing."""
    circle = make_circle_of_delegates("Friends of OP6", lars, sven)
    draft = make_proposal(lars, op6, state="draft", on_behalf_of=circle)
    sweden = Client()
    sweden.force_login(sven)
    asked = {"state": "tabled", "circle": ""}
    assert offered(sweden.get(proposal_url(draft), asked, **HTMX)) == ["ingrid", "lars"]
    assert 'name="state"' not in sweden.get(proposal_url(draft)).content.decode()


def test_a_tabled_proposal_offers_everyone(client, ingrid, amina, op6):
    proposal = make_proposal(amina, op6)
    assert offered(client.get(proposal_url(proposal), {"q": "", "state": "draft"}, **HTMX)) == [
        "amina",
        "ingrid",
    ]


def test_another_delegations_draft_is_not_found(client, amina, op6):
    draft = make_proposal(amina, op6, state="draft")
    assert client.get(proposal_url(draft), **HTMX).status_code == 404
    assert client.get(proposal_url(draft)).status_code == 404


def test_the_plain_page_for_a_proposal_lists_them_with_the_audience_to_choose(client, ingrid):
    response = client.get(NEW_PROPOSAL, {"state": "tabled"})
    page = response.content.decode()
    assert "Who can be mentioned in a proposal on OP6" in page
    assert '<option value="tabled" selected>' in page
    assert offered(response) == ["ingrid"]


def test_every_proposal_form_asks_who_would_see_it(client, lars, op6):
    page = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    # The wording and the reason of the form on OP6.
    assert page.count(f'data-mentions-url="{NEW_PROPOSAL}"') == 2
    assert f'<a href="{NEW_PROPOSAL}">who can be mentioned</a>' in page
    draft = make_proposal(lars, op6, state="draft")
    edit = client.get(reverse("resolutions:proposal_edit", args=[draft.pk])).content.decode()
    assert edit.count(f'data-mentions-url="{proposal_url(draft)}"') == 2
    listed = client.get(f"/documents/{SEED_SLUG}/proposals/").content.decode()
    assert listed.count(f'data-mentions-url="{proposal_url(draft)}"') == 2


def test_the_discussion_asks_who_sees_the_proposal(client, amina, op6):
    proposal = make_proposal(amina, op6)
    listed = client.get(f"/documents/{SEED_SLUG}/proposals/").content.decode()
    discussion = f'id="id_discussion_{proposal.pk}_body" rows="2" maxlength="10000" '
    assert f'{discussion}data-mentions-url="{proposal_url(proposal)}"' in listed
    assert f'<a href="{proposal_url(proposal)}">who can be mentioned</a>' in listed


# What a mention written in each form does -------------------------------------------------


def mentioned_in(user) -> list[str]:
    """The lines of ``user``'s inbox that say they were mentioned."""
    inbox = logged_in(user).get("/inbox.json").json()
    return [item["text"] for item in inbox["items"] if item["kind"] == "mention"]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_mention_in_a_reply_reaches_those_who_read_the_thread(client, ingrid, amina, op6):
    thread = make_annotation(ingrid, op6, "Too strong?")
    reply = reverse("resolutions:annotation_reply", args=[thread.pk])
    assert client.post(reply, {"body": "@ingrid yes; @amina will agree"}).status_code == 302
    assert mentioned_in(ingrid) == [
        "lars (Norway) mentioned you in a reply on OP6 of A/C.1/76/L.13"
    ]
    assert mentioned_in(amina) == []  # the thread is Norway's: she may not read the reply


def test_a_mention_added_in_an_edit_reaches_those_who_read_the_note(client, lars, amina, op6):
    ingrid = make_delegate("ingrid", "Norway")
    note = make_annotation(lars, op6, "Draft wording", visibility="public")
    reply = make_annotation(lars, op6, "Ours", reply_to=make_annotation(ingrid, op6))
    edit = reverse("resolutions:annotation_edit", args=[note.pk])
    sent = {"body": "@amina can Nigeria live with it?", "version": 1, "visibility": "public"}
    assert client.post(edit, sent).status_code == 302
    edit_reply = reverse("resolutions:annotation_edit", args=[reply.pk])
    assert client.post(edit_reply, {"body": "Ours, @amina?", "version": 1}).status_code == 302
    assert mentioned_in(amina) == ["lars (Norway) mentioned you in a note on OP6 of A/C.1/76/L.13"]


def test_a_mention_in_a_proposal_reaches_those_who_see_it(client, lars, ingrid, amina, op6):
    create = reverse("resolutions:proposal_create", args=[SEED_SLUG, "op6"])
    draft = {"kind": "delete", "reason": "@ingrid @amina too much", "state": "draft"}
    assert client.post(create, draft).status_code == 302
    assert len(mentioned_in(ingrid)) == 1
    assert mentioned_in(amina) == []  # a draft is Norway's
    tabled = {"kind": "insert", "text": "A new paragraph, @amina.", "state": "tabled"}
    assert client.post(create, tabled).status_code == 302
    assert len(mentioned_in(amina)) == 1


def test_tabling_a_draft_tells_those_it_named_who_may_now_see_it(client, lars, ingrid, amina, op6):
    draft = make_proposal(lars, op6, state="draft", reason="@amina will object; @ingrid?")
    assert (len(mentioned_in(amina)), len(mentioned_in(ingrid))) == (0, 1)
    edit = reverse("resolutions:proposal_edit", args=[draft.pk])
    sent = {"version": 1, "kind": "amend", "text": draft.text, "reason": draft.reason}
    assert client.post(edit, {**sent, "state": "tabled"}).status_code == 302
    assert mentioned_in(amina) == [
        "lars (Norway) mentioned you in Norway's proposal on OP6 of A/C.1/76/L.13"
    ]
    assert len(mentioned_in(ingrid)) == 1  # told once, when she could first read it


def test_a_mention_in_a_proposals_discussion_reaches_everyone(client, ingrid, amina, op6):
    proposal = make_proposal(amina, op6)
    discuss = reverse("resolutions:proposal_discuss", args=[proposal.pk])
    assert client.post(discuss, {"body": "@amina why?"}).status_code == 302
    assert client.post(discuss, {"body": "@ingrid see this"}).status_code == 302
    assert len(mentioned_in(amina)) == 1
    assert len(mentioned_in(ingrid)) == 1


# What the suggestions cost ----------------------------------------------------------------


# The session, the user, the suggestions with their delegations, and what they are for: the
# paragraph and the circles of the user's delegation for a new note or proposal, the thread
# or the (tabled) proposal asked about.
QUERIES = {"note": 5, "reply": 4, "new proposal": 5, "proposal": 4}


@pytest.mark.parametrize("kind", list(QUERIES))
def test_the_suggestions_cost_the_same_however_many_are_offered(
    client, lars, amina, op6, kind, django_assert_num_queries
):
    thread = make_annotation(amina, op6, "Ours", visibility="public")
    urls = {
        "note": URL,
        "reply": note_url(thread),
        "new proposal": NEW_PROPOSAL,
        "proposal": proposal_url(make_proposal(amina, op6)),
    }
    asked = {"q": "", "visibility": "public", "state": "tabled"}
    with django_assert_num_queries(QUERIES[kind]):
        assert offered(client.get(urls[kind], asked, **HTMX)) == ["amina"]
    for name, state in [("bo", "Sweden"), ("ca", "Japan"), ("di", "Ghana"), ("ed", "Chile")]:
        make_delegate(name, state)
    with django_assert_num_queries(QUERIES[kind]):
        assert len(offered(client.get(urls[kind], asked, **HTMX))) == 5
