"""The inbox: what a delegate was told, newest first, unread marked, each line going to the
exact place; one or all marked read (htmx and plain); its JSON twin; the header's count on
every page in one query; nobody else's notifications."""

import pytest
from django.test import Client

from resolutions import services
from resolutions.models import Notification, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_proposal

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def told(lars, ingrid, amina, op6):
    """ingrid mentioned lars in a delegation note; amina then tabled a proposal on OP6."""
    note = make_annotation(ingrid, op6, "@lars the figures in OP6?")
    proposal = make_proposal(amina, op6)
    return note, proposal


def test_the_inbox_lists_newest_first_with_unread_marked(lars, told):
    note, proposal = told
    page = logged_in(lars).get("/inbox/").content.decode()
    tabled = page.index("amina (Nigeria) tabled Nigeria&#x27;s proposal on OP6 of A/C.1/76/L.13")
    mentioned = page.index("ingrid (Norway) mentioned you in a note on OP6 of A/C.1/76/L.13")
    assert tabled < mentioned
    assert "2 unread." in page
    assert page.count('class="inbox-item unread"') == 2
    assert page.count(", unread:</span>") == 2  # said to screen readers too
    assert "Inbox (2)" in page


def test_opening_a_line_goes_to_the_paragraph_and_marks_it_read(lars, told, op6):
    note, _ = told
    notification = Notification.objects.get(recipient=lars, annotation=note)
    response = logged_in(lars).get(f"/inbox/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{SEED_SLUG}/#op6"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_reply_links_to_itself_in_its_thread(lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Too strong?")
    reply = make_annotation(ingrid, op6, "Agreed", reply_to=thread)
    notification = Notification.objects.get(recipient=lars)
    response = logged_in(lars).get(f"/inbox/{notification.pk}/")
    assert response["Location"] == f"/annotations/{reply.pk}/#annotation-{reply.pk}"


def test_a_proposal_links_to_its_anchor(lars, told):
    _, proposal = told
    notification = Notification.objects.get(recipient=lars, proposal=proposal)
    response = logged_in(lars).get(f"/inbox/{notification.pk}/")
    assert response["Location"] == f"/documents/{SEED_SLUG}/proposals/#proposal-{proposal.pk}"


def test_mark_one_read_plain_redirects_and_htmx_swaps_the_list(lars, told):
    first, second = Notification.objects.filter(recipient=lars)
    client = logged_in(lars)
    plain = client.post(f"/inbox/{first.pk}/read/")
    assert (plain.status_code, plain["Location"]) == (302, "/inbox/")
    swapped = client.post(f"/inbox/{second.pk}/read/", **HTMX)
    text = swapped.content.decode()
    assert swapped.status_code == 200
    assert text.lstrip().startswith('<section id="inbox"')
    assert "Nothing unread." in text
    assert "<html" not in text
    assert Notification.objects.filter(recipient=lars).unread().count() == 0


def test_mark_all_read(lars, told):
    client = logged_in(lars)
    assert client.post("/inbox/read/").status_code == 302
    assert Notification.objects.filter(recipient=lars).unread().count() == 0
    page = client.get("/inbox/").content.decode()
    assert "Nothing unread." in page
    assert "Mark all read" not in page
    assert "Inbox (" not in page


def test_the_htmx_inbox_is_the_list_alone(lars, told):
    response = logged_in(lars).get("/inbox/", **HTMX)
    assert "<html" not in response.content.decode()
    assert "2 unread." in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_json_twin(lars, told):
    note, _ = told
    data = logged_in(lars).get("/inbox.json").json()
    assert data["unread"] == 2
    assert [item["kind"] for item in data["items"]] == ["proposal_tabled", "mention"]
    mention = data["items"][1]
    assert mention["unread"] is True
    assert mention["text"] == "ingrid (Norway) mentioned you in a note on OP6 of A/C.1/76/L.13"
    assert mention["url"] == f"/documents/{SEED_SLUG}/#op6"


def test_another_delegates_notification_is_not_found(lars, amina, told):
    mine = Notification.objects.filter(recipient=lars).first()
    client = logged_in(amina)
    assert client.get(f"/inbox/{mine.pk}/").status_code == 404
    assert client.post(f"/inbox/{mine.pk}/read/").status_code == 404
    client.post("/inbox/read/")  # marks amina's own, none of lars's
    assert Notification.objects.filter(recipient=lars).unread().count() == 2
    assert client.get("/inbox.json").json() == {"unread": 0, "items": []}


def test_visitors_are_sent_to_log_in(db):
    for url in ("/inbox/", "/inbox.json"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_header_count_costs_one_query(lars, told, django_assert_num_queries):
    client = logged_in(lars)
    client.get("/circles/")
    # The circles page, the count included (pinned at 5 in tests/views/test_circles.py).
    with django_assert_num_queries(5) as counted:
        page = client.get("/circles/").content.decode()
    assert "Inbox (2)" in page
    assert sum("resolutions_notification" in q["sql"] for q in counted.captured_queries) == 1


def test_the_inbox_costs_the_same_however_many_notifications(
    lars, ingrid, op6, django_assert_num_queries
):
    client = logged_in(lars)
    make_annotation(ingrid, op6, "@lars one")
    # Session, user (with the header's editor check), the lines, the unread count, the
    # header's count.
    with django_assert_num_queries(5):
        client.get("/inbox/")
    for n in range(20):
        make_annotation(ingrid, op6, f"@lars {n}", visibility="public")
    services.circle_create(creator=ingrid, name="Nordic")
    with django_assert_num_queries(5):
        page = client.get("/inbox/").content.decode()
    assert page.count('class="inbox-item unread"') == 21


def test_a_narrowed_note_leaves_inbox_and_count(lars, amina, op6):
    note = make_annotation(amina, op6, "@lars your view?", visibility="public")
    client = logged_in(lars)
    assert "Inbox (1)" in client.get("/inbox/").content.decode()
    services.annotation_update(
        note, editor=amina, version=1, body=note.body, tags=[], quote="", visibility="private"
    )
    page = client.get("/inbox/").content.decode()
    assert "Inbox (" not in page
    assert "mentioned you" not in page


def test_the_header_link_alone_counts_the_unread_for_a_live_page(db):
    lars, amina = make_delegate("lars", "Norway"), make_delegate("amina", "Nigeria")
    client = Client()
    client.force_login(lars)
    link = client.get("/inbox/link/")
    assert link.status_code == 200
    assert link.content.decode().strip().endswith(">Inbox</a>")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    make_annotation(amina, op6, "@lars can Norway agree?", visibility="public")
    assert "Inbox (1)" in client.get("/inbox/link/").content.decode()
    assert Client().get("/inbox/link/").status_code == 302


def test_the_header_count_is_built_once_per_reader_and_follows_a_change_of_delegation(
    lars, amina, op6
):
    """The count's SQL is kept per reader and delegation (``unread_count_sql``): shown
    again it is not built again, and a delegate moved to another delegation is counted
    under the new one's notes (a note for Nigeria's delegation stops counting for one who
    left it)."""
    from resolutions.models.notifications import unread_count_sql

    sani = make_delegate("sani", "Nigeria")
    make_annotation(amina, op6, "@sani our line on OP6", visibility="delegation")
    client = logged_in(sani)
    assert "Inbox (1)" in client.get("/inbox/link/").content.decode()
    built = unread_count_sql.cache_info().misses
    assert "Inbox (1)" in client.get("/inbox/link/").content.decode()
    assert unread_count_sql.cache_info().misses == built
    sani.delegation = lars.delegation
    sani.save()
    page = client.get("/inbox/link/").content.decode()
    assert "Inbox (" not in page
    assert unread_count_sql.cache_info().misses == built + 1
