"""The tracker's parts that are the same for every reader (the sessions and their documents,
the history, the milestones, what the draft asks for) are rendered once per change to the
agenda item and per day, and served from the cache until then. Every write to them shows on
the next view, and what is a delegation's own (its actions, "Next", the follow-up counts)
never passes from one delegation to another."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from resolutions.models import AgendaItem, Document, FollowUp, FollowUpAction, Milestone, Paragraph
from resolutions.pages.tracker import tracker_page
from resolutions.services import importing
from resolutions.un.dates import session_opening
from resolutions.un.reference import TEXTS_DIR
from tests.caching import cached_keys
from tests.conftest import SEED_SLUG
from tests.factories import admin_save, make_delegate

SLUG = "ict-international-security"
TRACKER = f"/agenda/{SLUG}/"
TODAY = timezone.localdate()

# Every test twice: on this process's own cache, and on the Redis that app servers share.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


@pytest.fixture
def item(db) -> AgendaItem:
    return AgendaItem.objects.get(slug=SLUG)


@pytest.fixture
def editor(db) -> Client:
    client = Client()
    client.force_login(make_delegate("eve", "Ireland", editor=True))
    return client


def text(client, url: str = TRACKER) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page without its header, whose CSRF token is new on every response."""
    return html[html.index("<main") : html.index("</main>")]


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def add_action(user, item, title: str, paragraph_label: str = "op6") -> FollowUpAction:
    return FollowUpAction.objects.create(
        agenda_item=item,
        delegation=user.delegation,
        created_by=user,
        title=title,
        due_date=TODAY + datetime.timedelta(days=5),
        paragraph=Paragraph.objects.get(document__slug=SEED_SLUG, label=paragraph_label),
    )


# Built once, and the same for everyone --------------------------------------------------------


def test_the_shared_parts_are_built_once_for_every_reader(
    client, lars, item, django_assert_num_queries
):
    # Cold: the item, then the shared parts (the listings' documents, the listings, the
    # history, the milestones, the follow-ups).
    with django_assert_num_queries(6):
        first = text(client)
    # Warm: the item alone, whose version names the cached parts.
    with django_assert_num_queries(1):
        again = text(client)
    assert main(again) == main(first)
    # A delegate gets the same shared parts from the cache: the session, the user and the
    # header's inbox, the item, the delegation's actions and calendar address (9; 14
    # without the cache).
    client.force_login(lars)
    with django_assert_num_queries(9):
        html = text(client)
    assert section(html, "sessions") == section(first, "sessions")
    assert len(cached_keys("shared.tracker")) == 1


def test_each_delegation_sees_only_its_own_actions_beside_the_shared_parts(
    client, lars, amina, item
):
    add_action(lars, item, "Brief Oslo on the working group")
    add_action(amina, item, "Send Abuja's views")
    add_action(amina, item, "Draft the statement", paragraph_label="op4")

    client.force_login(lars)
    norway = text(client)
    client.force_login(amina)
    nigeria = text(client)
    client.logout()
    anonymous = text(client)
    # One copy of the shared parts served all three.
    assert len(cached_keys("shared.tracker")) == 1

    assert "Brief Oslo on the working group" in section(norway, "follow-up-actions")
    assert "Brief Oslo on the working group" in section(norway, "next")
    assert "Send Abuja" not in norway
    assert "Draft the statement" not in norway
    assert "Send Abuja" in section(nigeria, "follow-up-actions")
    assert "Draft the statement" in section(nigeria, "next")
    assert "Brief Oslo" not in nigeria
    for title in ("Brief Oslo", "Send Abuja", "Draft the statement"):
        assert title not in anonymous

    def counts(html: str) -> list[str]:
        return re.findall(r'class="follow-up-status">(.*?)</p>', section(html, "follow-up"))

    assert sum("1 open action" in line for line in counts(norway)) == 1
    assert sum("1 open action" in line for line in counts(nigeria)) == 2
    assert counts(anonymous) == []
    assert "Norway" in section(norway, "follow-up-actions")
    assert "Norway" not in section(nigeria, "follow-up-actions")


def test_editors_get_the_edit_links_and_no_one_else_does(client, lars, editor, item):
    assert "milestone-controls" in text(editor)
    client.force_login(lars)
    assert "milestone-controls" not in text(client)
    assert "Save the session" not in text(client)
    assert "milestone-controls" in text(editor)


def test_no_csrf_token_is_kept_with_the_shared_parts(client, lars, editor, item):
    client.force_login(lars)
    tokens = set()
    for reader in (client, editor):
        html = text(reader)
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    for key in cached_keys("shared.tracker"):
        shared = cache.get(key)
        parts = [shared.sessions, shared.milestones, shared.history]
        parts += [facts.html for facts in shared.follow_ups]
        assert "csrfmiddlewaretoken" not in "".join(parts)
        assert not any(token in "".join(parts) for token in tokens)


def test_the_today_markers_follow_the_date(item, lars):
    opening = session_opening(81)
    request = RequestFactory().get(TRACKER)
    request.user = lars

    def render(today: datetime.date) -> str:
        page = tracker_page(request, item, today=today)
        return render_to_string("resolutions/agenda_item_detail.html", vars(page), request=request)

    before = render(opening - datetime.timedelta(days=1))
    after = render(opening + datetime.timedelta(days=1))
    again = render(opening - datetime.timedelta(days=1))
    assert "the session opens" in section(before, "sessions")
    assert "the session opened" in section(after, "sessions")
    assert section(again, "sessions") == section(before, "sessions")
    assert len(cached_keys("shared.tracker")) == 2


# Every write shows on the next view -------------------------------------------------------------


def test_a_milestone_added_edited_and_removed_shows_on_the_next_view(client, editor, staff, item):
    assert "Closing session" not in text(client)
    response = editor.post(
        reverse("resolutions:milestone_create", args=[SLUG]),
        {
            "kind": "event",
            "title": "Closing session",
            "start_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "sources": "A/80/1",
        },
    )
    assert response.status_code == 302
    assert "Closing session" in section(text(client), "milestones")
    assert "Closing session" in section(text(client), "next")

    milestone = Milestone.objects.get(agenda_item=item, title="Closing session")
    edit = reverse("resolutions:milestone_edit", args=[SLUG, milestone.pk])
    response = editor.post(
        edit,
        {
            "kind": "event",
            "title": "Closing plenary",
            "start_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "sources": "A/80/1",
        },
    )
    assert response.status_code == 302
    html = text(client)
    assert "Closing plenary" in section(html, "milestones")
    assert "Closing session" not in html

    delete = reverse("admin:resolutions_milestone_delete", args=[milestone.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 302
    assert "Closing plenary" not in text(client)


def test_a_session_recorded_shows_on_the_next_view(client, editor, item):
    assert "Item 96" not in text(client)
    response = editor.post(
        reverse("resolutions:listing_save", args=[SLUG]),
        {"session": "81", "item_number": "96", "note": "As printed on A/81/150."},
    )
    assert response.status_code == 302
    html = text(client)
    assert "Item 96" in section(html, "sessions")
    assert "As printed on A/81/150." in section(html, "sessions")
    assert "agenda item 96" in section(html, "next")


def test_a_timeline_entry_added_in_the_admin_shows_on_the_next_view(client, staff, item):
    assert "A/RES/81/1" not in text(client)
    response = staff.post(
        reverse("admin:resolutions_timelineentry_add"),
        {
            "agenda_item": item.pk,
            "stage": "following",
            "kind": "resolution",
            "symbol": "A/RES/81/1",
            "text": "81/1",
            "date": "2026-12-01",
            "source": "A/RES/81/1",
        },
    )
    assert response.status_code == 302
    assert "81/1" in section(text(client), "history")


def test_a_follow_up_changed_in_the_admin_shows_on_the_next_view(client, staff, item):
    follow_up = FollowUp.objects.filter(agenda_item=item).first()
    assert "Views of Member States, gathered" not in text(client)
    admin_save(
        staff,
        reverse("admin:resolutions_followup_change", args=[follow_up.pk]),
        title="Views of Member States, gathered",
    )
    assert "Views of Member States, gathered" in section(text(client), "follow-up")


def test_a_documents_symbol_changed_in_the_admin_shows_on_the_next_view(client, staff, item):
    assert "A/C.1/76/L.13/Corr.1" not in text(client)
    document = Document.objects.get(slug=SEED_SLUG)
    admin_save(
        staff,
        reverse("admin:resolutions_document_change", args=[document.pk]),
        symbol="A/C.1/76/L.13/Corr.1",
    )
    assert "A/C.1/76/L.13/Corr.1" in section(text(client), "sessions")


def test_a_document_imported_under_the_item_shows_on_the_next_view(client, item):
    html = text(client)
    assert 'href="/documents/a-res-80-16/"' not in html
    importing.import_document(
        importing.prepare_import((TEXTS_DIR / "A-RES-80-16.txt").read_text(encoding="utf-8"))
    )
    html = text(client)
    assert 'href="/documents/a-res-80-16/"' in section(html, "sessions")
    # The history, which named it, now links the app's copy.
    assert 'href="/documents/a-res-80-16/"' in section(html, "history")


def test_the_parts_htmx_gets_back_after_a_write_show_it(editor, item):
    text(editor)  # the shared parts cached as they were before the writes
    htmx = {"HX-Request": "true"}
    response = editor.post(
        reverse("resolutions:milestone_create", args=[SLUG]),
        {
            "kind": "event",
            "title": "Closing session",
            "start_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "sources": "A/80/1",
        },
        headers=htmx,
    )
    assert "Closing session" in response.content.decode()
    milestone = Milestone.objects.get(agenda_item=item, title="Closing session")
    response = editor.post(
        reverse("resolutions:milestone_edit", args=[SLUG, milestone.pk]),
        {
            "kind": "event",
            "title": "Closing plenary",
            "start_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "sources": "A/80/1",
        },
        headers=htmx,
    )
    assert "Closing plenary" in response.content.decode()
    response = editor.post(
        reverse("resolutions:listing_save", args=[SLUG]),
        {"session": "81", "item_number": "96", "note": ""},
        headers=htmx,
    )
    assert "Item 96" in response.content.decode()
