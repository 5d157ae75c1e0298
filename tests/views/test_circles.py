"""The circles pages (the delegation's circles and invitations; one circle with its members,
invitations, invite form and leave button), their buttons with and without htmx, and the
note form's "My circle"."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, Circle, CircleMembership, Paragraph, User
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST_URL = "/circles/"
READING_URL = f"/documents/{SEED_SLUG}/"


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, circle: Circle) -> str:
    return reverse(f"resolutions:{name}", args=[circle.pk])


def text(response) -> str:
    return response.content.decode()


def form_key(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}"') :]
    return re.search(r'name="submission_key" value="([^"]+)"', form)[1]


def flash(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# The list ---------------------------------------------------------------------------------


def test_circles_need_a_login_and_a_delegation(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    refused = logged_in(loner).get(LIST_URL)
    assert refused.status_code == 403
    assert "Your account belongs to no delegation" in text(refused)


def test_the_header_leads_to_the_circles(lars):
    html = text(logged_in(lars).get("/"))
    assert f'<a href="{LIST_URL}">Circles</a>' in html
    assert f'href="{LIST_URL}"' not in text(Client().get("/"))


def test_the_list_shows_the_delegations_circles_and_its_invitations(lars, ingrid, sven, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    core = services.circle_create(creator=sven, name="Core group on ICT")
    services.circle_invite(circle=core, inviter=sven, delegation_name="Norway")
    services.circle_create(creator=make_delegate("amina-2", "Nigeria"), name="Not ours")
    html = text(logged_in(ingrid).get(LIST_URL))
    circles = html[html.index('id="circles-heading"') : html.index('id="create-heading"')]
    invitations = html[html.index('id="invitations-heading"') : html.index('id="circles-heading"')]
    assert "Nordic group" in circles
    assert "1 delegation: Norway · 1 invited" in circles
    assert "Core group on ICT" in invitations
    assert "Invited by sven of Sweden" in invitations
    assert "In it: Sweden." in invitations
    assert f'action="{url("circle_accept", core)}"' in invitations
    assert f'action="{url("circle_decline", core)}"' in invitations
    assert "Not ours" not in html


def test_the_create_form_is_labelled(lars):
    html = text(logged_in(lars).get(LIST_URL))
    assert '<label for="id_name">Name of the circle</label>' in html
    assert 'id="id_name" maxlength="100"' in html
    assert "Your delegation is in no circle yet." in html


def test_creating_a_circle_leads_to_it(lars):
    client = logged_in(lars)
    key = form_key(text(client.get(LIST_URL)), LIST_URL)
    response = client.post(LIST_URL, {"name": "Nordic group", "submission_key": key})
    circle = Circle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == circle.get_absolute_url()
    page = text(client.get(response["Location"]))
    assert "Nordic group is made, with your delegation in it." in page
    assert "<h1>Nordic group</h1>" in page
    assert "Norway" in page


def test_a_create_form_sent_twice_makes_one_circle(lars):
    client = logged_in(lars)
    key = form_key(text(client.get(LIST_URL)), LIST_URL)
    for _ in range(2):
        assert client.post(LIST_URL, {"name": "Nordic", "submission_key": key}).status_code == 302
    assert Circle.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Give the circle a name, e.g. “Nordic group” or “Core group on ICT”."),
        ("x" * 101, "A circle’s name can be at most 100 characters (this one has 101)."),
        ("nordic GROUP", "Your delegation is already in a circle called nordic GROUP."),
    ],
)
def test_a_refused_circle_comes_back_with_its_message(lars, nordic, name, message):
    response = logged_in(lars).post(LIST_URL, {"name": name})
    assert response.status_code == 400
    html = text(response)
    assert message.replace("’", "&#x27;") in html or message in html
    assert 'aria-invalid="true"' in html
    assert Circle.objects.count() == 1


def test_the_list_costs_the_same_however_many_circles(lars, db, django_assert_num_queries):
    client = logged_in(lars)
    services.circle_create(creator=lars, name="One")
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(5) as few:  # session, user with editor check, two for circles
        client.get(LIST_URL)
    others = [make_delegate(f"d{n}", state) for n, state in enumerate(["Sweden", "Ghana", "Japan"])]
    for n in range(8):
        circle = services.circle_create(creator=lars, name=f"Circle {n}")
        for other in others:
            services.circle_invite(
                circle=circle, inviter=lars, delegation_name=other.delegation.name
            )
        services.circle_invitation_accept(user=others[0], circle=circle)
        invited = services.circle_create(creator=others[1], name=f"Their circle {n}")
        services.circle_invite(circle=invited, inviter=others[1], delegation_name="Norway")
    with django_assert_num_queries(len(few.captured_queries)):
        html = text(client.get(LIST_URL))
    assert html.count('class="circle-item"') == 17


# One circle -------------------------------------------------------------------------------


def test_a_circle_is_404_to_delegations_neither_in_nor_invited(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    assert logged_in(amina).get(nordic.get_absolute_url()).status_code == 404
    assert logged_in(sven).get(nordic.get_absolute_url()).status_code == 200
    services.circle_invitation_decline(user=sven, circle=nordic)
    assert logged_in(sven).get(nordic.get_absolute_url()).status_code == 404


def test_a_member_sees_members_invitations_the_invite_form_and_the_leave_button(
    lars, ingrid, sven, nordic
):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    html = text(logged_in(ingrid).get(nordic.get_absolute_url()))
    members = html[html.index('id="members-heading"') : html.index('id="invited-heading"')]
    invited = html[html.index('id="invited-heading"') : html.index('id="invite-heading"')]
    assert 'Norway <span class="muted">(yours)</span>' in members
    assert "Sweden" in invited
    assert "invited by lars of Norway" in invited
    assert '<label for="id_delegation">Delegation to invite</label>' in html
    assert f'action="{url("circle_invite", nordic)}"' in html
    assert f'hx-post="{url("circle_invite", nordic)}"' in html
    assert f'action="{url("circle_leave", nordic)}"' in html
    assert "Leave Nordic group</button>" in html


def test_an_invited_delegation_is_asked_to_answer_and_cannot_invite(lars, sven, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    html = text(logged_in(sven).get(nordic.get_absolute_url()))
    assert "Your delegation is invited" in html
    assert f'action="{url("circle_accept", nordic)}"' in html
    assert f'action="{url("circle_decline", nordic)}"' in html
    assert "data-circle-invite-form" not in html
    assert f'action="{url("circle_leave", nordic)}"' not in html
    response = logged_in(sven).post(url("circle_invite", nordic), {"delegation": "Iceland"})
    assert response.status_code == 400
    assert "Your delegation is not in Nordic group, so you cannot invite" in text(response)
    assert not nordic.memberships.filter(delegation__name="Iceland").exists()


def test_the_circle_page_costs_the_same_however_many_members(
    lars, nordic, django_assert_num_queries
):
    client = logged_in(lars)
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(5) as few:  # session, user with editor check, circle, members
        client.get(nordic.get_absolute_url())
    for n, state in enumerate(["Sweden", "Ghana", "Japan", "Germany"]):
        other = make_delegate(f"d{n}", state)
        services.circle_invite(circle=nordic, inviter=lars, delegation_name=state)
        if n % 2:
            services.circle_invitation_accept(user=other, circle=nordic)
    with django_assert_num_queries(len(few.captured_queries)):
        html = text(client.get(nordic.get_absolute_url()))
    assert "invited by lars of Norway" in html


# Inviting, with and without htmx ----------------------------------------------------------


def test_inviting_without_javascript_redirects_to_the_circle(lars, nordic):
    client = logged_in(lars)
    response = client.post(url("circle_invite", nordic), {"delegation": "Turkey"})
    assert response.status_code == 302
    assert response["Location"] == nordic.get_absolute_url()
    assert flash(response) == ["Türkiye is invited: it joins when one of its delegates accepts."]
    assert nordic.memberships.get(delegation__name="Türkiye").state == "invited"


def test_inviting_with_htmx_swaps_the_members_and_invitations(lars, nordic):
    response = logged_in(lars).post(url("circle_invite", nordic), {"delegation": "Sweden"}, **HTMX)
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith('<div id="circle-membership"')
    assert "<h1>" not in html
    assert "Sweden" in html
    # A fresh, empty form for the next one.
    assert 'name="delegation" id="id_delegation" maxlength="150" value=""' in html
    assert "HX-Request" in response["Vary"]


def test_a_refused_invitation_says_why_with_and_without_htmx(lars, nordic):
    client = logged_in(lars)
    plain = client.post(url("circle_invite", nordic), {"delegation": "Norway"})
    assert plain.status_code == 400
    assert "Norway is already in Nordic group." in text(plain)
    assert "<h1>Nordic group</h1>" in text(plain)
    swapped = client.post(url("circle_invite", nordic), {"delegation": "Swedn"}, **HTMX)
    assert swapped.status_code == 200
    html = text(swapped)
    assert "No delegation or Member State is called “Swedn”." in html
    assert 'aria-invalid="true"' in html
    assert 'value="Swedn"' in html
    assert nordic.memberships.count() == 1


def test_an_invite_form_sent_twice_invites_once(lars, nordic):
    client = logged_in(lars)
    key = form_key(text(client.get(nordic.get_absolute_url())), url("circle_invite", nordic))
    for _ in range(2):
        response = client.post(
            url("circle_invite", nordic), {"delegation": "Sweden", "submission_key": key}
        )
        assert response.status_code == 302
    assert nordic.memberships.count() == 2


# Answering and leaving --------------------------------------------------------------------


def test_accepting_joins_and_declining_leaves_the_invitation_behind(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Nigeria")
    accepted = logged_in(sven).post(url("circle_accept", nordic))
    assert accepted.status_code == 302
    assert accepted["Location"] == nordic.get_absolute_url()
    assert nordic.memberships.get(delegation=sven.delegation).state == "member"
    declined = logged_in(amina).post(url("circle_decline", nordic))
    assert declined["Location"] == LIST_URL
    assert flash(declined) == ["Your delegation declined the invitation to Nordic group."]
    assert logged_in(amina).get(nordic.get_absolute_url()).status_code == 404


def test_leaving_ends_the_access_at_once_and_twice_is_no_error(lars, sven, nordic, op6):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invitation_accept(user=sven, circle=nordic)
    make_annotation(lars, op6, "For the Nordics only", visibility="circle", circle=nordic)
    client = logged_in(sven)
    assert "For the Nordics only" in text(client.get(READING_URL))
    response = client.post(url("circle_leave", nordic))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert flash(response) == [
        "Your delegation has left Nordic group: you no longer see the notes shared with it."
    ]
    # A double click is told so, without the circle's name, rather than shown a 404.
    again = client.post(url("circle_leave", nordic))
    assert again["Location"] == LIST_URL
    assert flash(again)[-1] == "Your delegation is no longer in that circle, nor invited to it."
    client.get(LIST_URL)  # shows the messages
    assert f'data-circle-id="{nordic.pk}"' not in text(client.get(LIST_URL))
    assert "For the Nordics only" not in text(client.get(READING_URL))
    assert client.get(nordic.get_absolute_url()).status_code == 404


def test_a_refused_answer_says_why(lars, sven, amina, nordic):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    response = logged_in(sven).post(url("circle_leave", nordic))
    assert response["Location"] == LIST_URL
    assert flash(response) == [
        "Your delegation is not in Nordic group yet: decline the invitation instead."
    ]
    assert nordic.memberships.get(delegation=sven.delegation).state == "invited"
    # A delegation never invited does not learn the circle exists.
    for name in ("circle_accept", "circle_decline", "circle_leave"):
        assert logged_in(amina).post(url(name, nordic)).status_code == 404
    assert not nordic.memberships.filter(delegation=amina.delegation).exists()


def test_the_buttons_take_only_post(lars, nordic):
    client = logged_in(lars)
    for name in ("circle_invite", "circle_accept", "circle_decline", "circle_leave"):
        assert client.get(url(name, nordic)).status_code == 405
    assert CircleMembership.objects.get().state == "member"


# The note form's "My circle" --------------------------------------------------------------


def test_my_circle_is_offered_only_to_a_delegation_in_a_circle(lars, amina):
    html = text(logged_in(amina).get(READING_URL))
    assert '<option value="circle">' not in html
    # No note form asks which circle (the proposal form's "On behalf of" is its own field).
    assert not re.search(r'name="circle" id="id_[a-z0-9-]+_circle"', html)
    services.circle_create(creator=lars, name="Nordic group")
    html = text(logged_in(lars).get(READING_URL))
    margin = html[html.index('id="notes-op6"') :]
    margin = margin[: margin.index("</aside>")]
    assert '<option value="circle">My circle</option>' in margin
    assert (
        '<label for="id_op6_circle" class="visually-hidden">Which circle sees the note on OP6, '
        "when it is for “My circle”</label>"
    ) in margin
    assert re.search(
        r'<select name="circle" id="id_op6_circle"><option value="\d+">Nordic group', margin
    )


def test_a_margin_drawn_again_after_a_note_offers_the_circles_the_delegation_is_in_now(
    lars, ingrid, sven, nordic, op6
):
    """The delegation's circles are cached with the page's parts, and a margin drawn again
    after a note offers them from there; joining or leaving a circle starts the page
    afresh, so such a margin never offers a circle left, nor misses one joined."""
    client = logged_in(lars)

    def offered() -> list[str]:
        html = text(client.get(READING_URL))
        margin = html[html.index('id="notes-op6"') :]
        choice = margin[margin.index('<select name="circle" id="id_op6_circle">') :]
        return re.findall(
            r'<option value="\d+">([^<]+)</option>', choice[: choice.index("</select>")]
        )

    assert offered() == ["Nordic group"]
    make_annotation(ingrid, op6, "Drawn again", visibility="public")
    assert offered() == ["Nordic group"]
    core = services.circle_create(creator=sven, name="Core group")
    services.circle_invite(inviter=sven, circle=core, delegation_name="Norway")
    services.circle_invitation_accept(user=ingrid, circle=core)
    assert sorted(offered()) == ["Core group", "Nordic group"]
    make_annotation(ingrid, op6, "Drawn again after joining", visibility="public")
    assert sorted(offered()) == ["Core group", "Nordic group"]
    services.circle_leave(user=ingrid, circle=nordic)
    assert offered() == ["Core group"]
    make_annotation(ingrid, op6, "Drawn again after leaving", visibility="public")
    assert offered() == ["Core group"]


def test_a_note_for_my_circle_reaches_the_circle(lars, sven, amina, nordic, op6):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invitation_accept(user=sven, circle=nordic)
    data = {"body": "Hold the line on OP6", "visibility": "circle", "circle": nordic.pk}
    response = logged_in(lars).post(
        reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"]), data
    )
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert (note.visibility, note.circle) == ("circle", nordic)
    label = '<span class="visibility visibility-circle">My circle: Nordic group</span>'
    for reader, sees in ((lars, True), (sven, True), (amina, False)):
        html = text(logged_in(reader).get(READING_URL))
        assert ("Hold the line on OP6" in html) is sees
        assert (label in html) is sees


def test_a_note_for_a_circle_the_delegation_is_not_in_is_refused(lars, sven, nordic, op6):
    create = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
    theirs = services.circle_create(creator=sven, name="Baltic Sea")
    client = logged_in(lars)
    response = client.post(create, {"body": "Hi", "visibility": "circle", "circle": theirs.pk})
    assert response.status_code == 400
    assert "Your delegation is not in that circle (it may have left it)" in text(response)
    response = client.post(create, {"body": "Hi", "visibility": "circle"}, **HTMX)
    assert response.status_code == 200
    assert "Choose which of your circles can see the note." in text(response)
    assert text(response).lstrip().startswith('<aside class="notes" id="notes-op6"')
    assert not Annotation.objects.exists()


def test_a_delegation_in_no_circle_cannot_pick_my_circle(amina, op6):
    create = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
    response = logged_in(amina).post(create, {"body": "Hi", "visibility": "circle"})
    assert response.status_code == 400
    assert "Your delegation is in no circle to share it with." in text(response)
    assert not Annotation.objects.exists()


def test_the_edit_form_keeps_the_notes_circle(lars, nordic, op6):
    note = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    html = text(logged_in(lars).get(reverse("resolutions:annotation_edit", args=[note.pk])))
    assert f'<option value="{nordic.pk}" selected>Nordic group</option>' in html
    assert '<label for="id_circle">Which circle, when it is for “My circle”</label>' in html


def test_after_leaving_the_edit_form_asks_for_another_audience(lars, ingrid, nordic, op6):
    core = services.circle_create(creator=lars, name="Core group")
    note = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    services.circle_leave(user=ingrid, circle=nordic)
    client = logged_in(lars)
    edit_url = reverse("resolutions:annotation_edit", args=[note.pk])
    html = text(client.get(edit_url))
    assert (
        f'<option value="{nordic.pk}" selected>Nordic group (your delegation left it)</option>'
        in html
    )
    data = {"body": "Edited", "version": 1, "tags": "", "visibility": "circle", "circle": nordic.pk}
    refused = text(client.post(edit_url, data))
    assert "Your delegation has left Nordic group: choose one of your circles" in refused
    note.refresh_from_db()
    assert (note.body, note.circle) == ("Nordic line", nordic)
    assert client.post(edit_url, data | {"circle": core.pk}).status_code == 302
    note.refresh_from_db()
    assert (note.body, note.circle) == ("Edited", core)


def test_exports_name_the_circle(lars, sven, nordic, op6):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invitation_accept(user=sven, circle=nordic)
    thread = make_annotation(lars, op6, "Nordic line", visibility="circle", circle=nordic)
    make_annotation(sven, op6, "Swedish reply", reply_to=thread)
    client = logged_in(sven)
    csv_text = b"".join(client.get(f"{READING_URL[:-1]}/annotations.csv").streaming_content)
    rows = {row["body"]: row for row in csv.DictReader(io.StringIO(csv_text.decode()))}
    assert (rows["Nordic line"]["visibility"], rows["Nordic line"]["circle"]) == (
        "circle",
        "Nordic group",
    )
    assert rows["Nordic line"]["audience"] == "My circle: Nordic group"
    assert (
        rows["Swedish reply"]["audience"]
        == "The thread's circle: Nordic group (the thread's audience)"
    )
    items = json.loads(client.get(f"{READING_URL[:-1]}/annotations.json").content)["first"]["items"]
    assert {item["audienceCircle"] for item in items} == {"Nordic group"}
    # The reading page, the thread and the list say it too.
    for path in (READING_URL, thread.get_absolute_url(), f"{READING_URL}annotations/"):
        assert "My circle: Nordic group" in text(client.get(path)), path
    thread_page = text(client.get(thread.get_absolute_url()))
    assert "Seen by the thread's audience: the delegations in Nordic group." in thread_page


def test_the_briefing_can_include_other_delegations_notes_in_my_circles(
    lars, sven, amina, nordic, op6
):
    services.circle_invite(circle=nordic, inviter=lars, delegation_name="Sweden")
    services.circle_invitation_accept(user=sven, circle=nordic)
    make_annotation(sven, op6, "A Swedish line", visibility="circle", circle=nordic)
    client = logged_in(lars)
    default = text(client.get(f"{READING_URL}briefing/"))
    assert "A Swedish line" not in default
    assert "Other delegations&#x27; notes in my circles" in default
    chosen = text(client.get(f"{READING_URL}briefing/?sections=text&notes=circles"))
    assert "A Swedish line" in chosen
    assert "my circle: Nordic group" in chosen
    outsider = text(logged_in(amina).get(f"{READING_URL}briefing/?sections=text&notes=circles"))
    assert "A Swedish line" not in outsider


def test_saving_a_note_costs_the_same_however_many_circles(
    lars, sven, op6, django_assert_num_queries
):
    """The circles are read once for the form that checks the note and the margin that
    comes back with htmx."""
    create = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
    client = logged_in(lars)
    # 15, and the paragraph's footnotes and citations for its text, sent back with the
    # note's quoted words highlighted; the event for the pages open on OP6 (and, on
    # PostgreSQL, its NOTIFY, in the transaction), and OP6's version, which its part of the
    # reading page is cached under; and the note counted into its tally (read again under
    # the paragraph's lock; none is of its kind yet: tried, then made), and into the notes
    # list's (read again with its tags; tried, looked for, made).
    announced = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(26 + announced) as none:
        client.post(create, {"body": "First", "visibility": "delegation"}, **HTMX)
    circles = [services.circle_create(creator=lars, name=f"Circle {n}") for n in range(6)]
    services.circle_invite(circle=circles[0], inviter=lars, delegation_name="Sweden")
    services.circle_invitation_accept(user=sven, circle=circles[0])
    data = {"body": "Second", "visibility": "circle", "circle": circles[0].pk}
    # The membership check, and the circle's delegations, who hear of the note.
    with django_assert_num_queries(len(none.captured_queries) + 2):
        response = client.post(create, data, **HTMX)
    assert "My circle: Circle 0" in text(response)
    assert text(response).count("<option value=") == 4 + 6
