"""Every URL of the project, read as a delegate with their own notes, actions and calendar
address: whatever is made for them says ``Cache-Control: private, no-store`` (no proxy keeps
a copy, the browser writes none to disk), and ``HEAD`` answers wherever ``GET`` does.

The URL map is walked as in test_attack_surface, so that a new URL is read here too; one
whose path takes a value not listed below fails the test until it is added."""

import datetime
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from resolutions import services
from resolutions.models import (
    AgendaItem,
    Annotation,
    CalendarFeed,
    FollowUpAction,
    Milestone,
    Paragraph,
)
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_proposal
from tests.security.crawl import body, project_urls

HTMX = {"HTTP_HX_REQUEST": "true"}

# What must come back private whenever it is read by its owner (htmx or not): the pages and
# files that hold notes, actions, a calendar address or the account itself.
PERSONAL = {
    "resolutions:document_detail",
    "resolutions:annotation_list",
    "resolutions:annotation_export_csv",
    "resolutions:annotation_export_json",
    "resolutions:annotation_detail",
    "resolutions:annotation_edit",
    "resolutions:annotation_history",
    "resolutions:annotation_deleted",
    "resolutions:document_briefing",
    "resolutions:agenda_item_detail",
    "resolutions:agenda_calendar",
    "resolutions:agenda_calendar_feed",
    "resolutions:exports",
    "resolutions:exports_notes_csv",
    "resolutions:exports_notes_json",
    "resolutions:exports_actions_csv",
    "resolutions:exports_actions_json",
    "resolutions:account",
    "resolutions:notification_preferences",
    "resolutions:document_proposals",
    "resolutions:document_proposals_json",
    "resolutions:proposal_edit",
    "resolutions:circle_list",
    "resolutions:circle_detail",
    "resolutions:search",
    "resolutions:inbox",
    "resolutions:inbox_json",
    "password_change",
    "password_change_done",
}


class Own:
    """A delegate's work, each piece marked with a word found nowhere else."""

    def __init__(self):
        self.user = make_delegate("owner-of-the-work", "Norway", editor=True)
        # Staff, so that the admin's own pages are read too, not only its login redirect.
        self.user.is_staff = True
        self.user.save()
        op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
        private = make_annotation(self.user, op6, "marker-private", visibility="private")
        shared = make_annotation(self.user, op6, "marker-shared", tags=["marker-tag"])
        reply = make_annotation(self.user, op6, "marker-reply", reply_to=shared)
        edited = make_annotation(self.user, op6, "marker-before-edit")
        services.annotation_update(
            edited,
            editor=self.user,
            version=1,
            body="marker-edited",
            visibility="delegation",
            tags=[],
            quote="",
        )
        deleted = make_annotation(self.user, op6, "marker-deleted")
        services.annotation_delete(deleted)
        circle = services.circle_create(creator=self.user, name="marker-circle")
        self.circle_id = circle.pk
        circle_note = make_annotation(
            self.user, op6, "marker-circle-note", visibility="circle", circle=circle
        )
        self.note_ids = [note.pk for note in (private, shared, reply, edited, deleted, circle_note)]
        item = AgendaItem.objects.get()
        self.action_id = FollowUpAction.objects.create(
            agenda_item=item,
            delegation=self.user.delegation,
            title="marker-action",
            due_date=datetime.date(2026, 5, 31),
            created_by=self.user,
        ).pk
        self.milestone_id = Milestone.objects.create(
            agenda_item=item, title="A milestone", start_date=datetime.date(2026, 3, 2), sources="x"
        ).pk
        self.feed = CalendarFeed.objects.reset_for(self.user)
        draft = make_proposal(self.user, op6, "marker-draft-proposal", kind="insert", state="draft")
        tabled = make_proposal(self.user, op6, "Tabled words", kind="insert")
        self.proposal_ids = [draft.pk, tabled.pk]
        colleague = make_delegate("colleague-of-the-owner", "Norway")
        make_annotation(colleague, op6, "@owner-of-the-work marker-mention")
        self.notification_ids = list(self.user.notifications.values_list("pk", flat=True))
        self.markers = [
            "owner-of-the-work",
            "marker-private",
            "marker-shared",
            "marker-reply",
            "marker-edited",
            "marker-action",
            "marker-draft-proposal",
            "marker-circle",
            self.feed.token,
        ]


def parameter_values(route: str, name: str, own: Own) -> list:
    """The delegate's own objects wherever a path names one."""
    if route.startswith("admin/"):
        return {
            "object_id": [str(own.note_ids[0])],
            "id": [str(own.user.pk)],
            "content_type_id": [ContentType.objects.get_for_model(Annotation).pk],
            "app_label": ["resolutions"],
        }[name]
    if name == "slug":
        return [AgendaItem.objects.get().slug] if route.startswith("agenda/") else [SEED_SLUG]
    if name == "label":
        return ["op6"]
    if name == "pk" and route.startswith("annotations/"):
        return own.note_ids
    if name == "pk" and route.startswith("proposals/"):
        return own.proposal_ids
    if name == "pk" and route.startswith("circles/"):
        return [own.circle_id]
    if name == "pk" and route.startswith("inbox/"):
        return own.notification_ids
    if name == "pk" and "/actions/" in route:
        return [own.action_id]
    if name == "pk" and "/milestones/" in route:
        return [own.milestone_id]
    if name == "pk" and route.startswith("accounts/calendar/"):
        return [own.feed.pk]
    if name == "token":
        return [own.feed.token]
    raise AssertionError(f"No test values for <{name}> in {route}: add some here.")


def urls(own: Own):
    """(name, URL) of every named URL, filled with the delegate's own objects."""
    for route, name, parameters in project_urls():
        choices = [parameter_values(route, p, own) for p in parameters]
        for values in itertools.product(*choices):
            yield name, reverse(name, kwargs=dict(zip(parameters, values, strict=True)))


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def own(db):
    return Own()


def test_every_response_made_for_a_delegate_is_private_and_not_stored(own):
    client = Client()
    client.force_login(own.user)
    shared, private_names = [], set()
    for name, url in urls(own):
        for headers in ({}, HTMX):
            response = client.get(url, **headers)
            text = body(response)
            if {"private", "no-store"} <= directives(response):
                private_names.add(name)
            elif any(marker in text for marker in own.markers):
                shared.append((name, url, headers, response.get("Cache-Control")))
    assert shared == []
    # The crawl did read the delegate's work, in every kind of page that holds it.
    assert private_names >= PERSONAL, PERSONAL - private_names


def test_the_calendar_address_is_private_without_a_session(own):
    """A calendar app reads the address with no session; the delegation's actions in it are
    still for no shared cache to keep."""
    response = Client().get(own.feed.url_for(AgendaItem.objects.get()))
    assert "marker-action" in response.content.decode()
    assert {"private", "no-store"} <= directives(response)


def test_public_pages_stay_cacheable_for_visitors(db):
    anonymous = Client()
    for url in ["/", f"/documents/{SEED_SLUG}/", f"/documents/{SEED_SLUG}/sponsors/"]:
        response = anonymous.get(url)
        assert response.status_code == 200
        assert "no-store" not in directives(response), url


def test_head_answers_wherever_get_does(own):
    """A link checker or a monitor asks ``HEAD``: the status and type ``GET`` would give, and
    no body (the test client drops it as a server does)."""
    anonymous, delegate = Client(), Client()
    delegate.force_login(own.user)
    differ = []
    for client, (name, url) in itertools.product((anonymous, delegate), urls(own)):
        if name == "admin:login" and client is delegate:
            # Django's admin sends a logged-in member of staff on from its login page only
            # for GET (AdminSite.login tests the method); HEAD shows the form. Not ours.
            continue
        got, head = client.get(url), client.head(url)
        if (head.status_code, head.get("Content-Type")) != (
            got.status_code,
            got.get("Content-Type"),
        ) or body(head):
            differ.append((name, url, got.status_code, head.status_code))
    assert differ == []
    # Not vacuous: pages that answer GET answer HEAD with 200.
    assert delegate.head(f"/documents/{SEED_SLUG}/").status_code == 200
