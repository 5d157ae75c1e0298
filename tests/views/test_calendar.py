"""The tracker's calendar: RFC 5545 built with icalendar, milestones for everyone, a
delegation's actions for its members only, and a secret per-user address that a calendar
app reads without a session."""

import datetime
import types

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from resolutions.formats.calendar_feed import follow_up_calendar
from resolutions.models import AgendaItem, CalendarFeed, FollowUpAction, Milestone, Paragraph
from tests.conftest import SEED_SLUG

SLUG = "ict-international-security"
CALENDAR = f"/agenda/{SLUG}/calendar.ics"
TRACKER = f"/agenda/{SLUG}/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(db):
    return AgendaItem.objects.get(slug=SLUG)


@pytest.fixture
def actions(item, lars, amina):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    norway = FollowUpAction.objects.create(
        agenda_item=item,
        delegation=lars.delegation,
        created_by=lars,
        owner=lars,
        paragraph=op6,
        title="Send Norway's views to the Secretary-General",
        due_date=datetime.date(2026, 5, 15),
        note="Ask the capital; copy the mission.",
    )
    nigeria = FollowUpAction.objects.create(
        agenda_item=item,
        delegation=amina.delegation,
        created_by=amina,
        title="Nigeria's statement for the First Committee",
        due_date=datetime.date(2026, 10, 5),
    )
    return norway, nigeria


def events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(body)]


def test_anonymous_calendar_holds_the_milestones_only(client, item, actions):
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response.content)
    assert len(found) == Milestone.objects.filter(agenda_item=item).count() == 14
    assert not any("views" in str(event["SUMMARY"]) for event in found)


def test_every_event_is_all_day_with_a_uid_and_a_stamp(client, lars, actions):
    client.force_login(lars)
    found = events(client.get(CALENDAR).content)
    uids = [str(event["UID"]) for event in found]
    assert len(uids) == len(set(uids)) == 15
    for event in found:
        assert isinstance(event["DTSTAMP"].dt, datetime.datetime)
        assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is datetime.date
        assert end > start
    session = next(e for e in found if "eleventh substantive" in str(e["SUMMARY"]))
    # DTEND is exclusive: 7–11 July ends on the 12th.
    assert (session["DTSTART"].dt, session["DTEND"].dt) == (
        datetime.date(2025, 7, 7),
        datetime.date(2025, 7, 12),
    )
    assert "DTSTART;VALUE=DATE:20250707" in client.get(CALENDAR).content.decode()


def test_a_delegates_calendar_holds_their_delegations_action_and_no_other(client, lars, actions):
    norway, nigeria = actions
    client.force_login(lars)
    found = events(client.get(CALENDAR).content)
    action = next(e for e in found if str(e["SUMMARY"]) == norway.title)
    assert action["DTSTART"].dt == datetime.date(2026, 5, 15)
    assert "Owner: lars" in str(action["DESCRIPTION"])
    assert "Answers: A/C.1/76/L.13 OP6" in str(action["DESCRIPTION"])
    assert "Ask the capital" in str(action["DESCRIPTION"])
    assert str(action["URL"]).endswith(f"{TRACKER}#action-{norway.pk}")
    assert nigeria.title not in summaries(client.get(CALENDAR).content)


def test_a_done_action_says_so(client, lars, actions):
    norway, _ = actions
    norway.status = FollowUpAction.Status.DONE
    norway.save()
    client.force_login(lars)
    assert f"{norway.title} (done)" in summaries(client.get(CALENDAR).content)


def test_an_open_action_reminds_the_day_before_and_a_milestone_does_not(client, lars, actions):
    norway, _ = actions
    client.force_login(lars)
    body = client.get(CALENDAR).content
    found = events(body)
    action = next(e for e in found if str(e["SUMMARY"]) == norway.title)
    (alarm,) = action.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == -datetime.timedelta(days=1)
    assert str(alarm["DESCRIPTION"]) == f"Due tomorrow: {norway.title}"
    assert "TRIGGER:-P1D" in body.decode()
    milestones = [e for e in found if "Milestone" in str(e.get("CATEGORIES").cats)]
    assert len(milestones) == 14
    assert not any(e.walk("VALARM") for e in milestones)


def test_a_done_action_reminds_no_one(client, lars, actions):
    norway, _ = actions
    norway.status = FollowUpAction.Status.DONE
    norway.save()
    client.force_login(lars)
    action = next(e for e in events(client.get(CALENDAR).content) if "(done)" in str(e["SUMMARY"]))
    assert not action.walk("VALARM")


def test_the_private_feed_is_shown_as_webcal_with_a_copy_button(client, lars, actions):
    client.force_login(lars)
    reset(client)
    token = CalendarFeed.objects.get(user=lars).token
    html = client.get(TRACKER).content.decode()
    address = f"webcal://testserver{feed_url(token)}"
    # Without JavaScript: a labelled read-only field to select; with it, a button to copy.
    assert '<label for="calendar-feed-url">' in html
    assert f'id="calendar-feed-url" value="{address}" readonly' in html
    assert (
        '<button type="button" class="button small secondary" data-copy="calendar-feed-url" hidden>'
        in html
    )
    assert f'<a href="{address}">Subscribe in your calendar app</a>' in html
    assert "js/copy.js" in html


def feed_url(token: str, slug: str = SLUG) -> str:
    return reverse("resolutions:agenda_calendar_feed", args=[slug, token])


def reset(client):
    return client.post(reverse("resolutions:calendar_feed_reset", args=[SLUG]))


def test_the_private_address_works_without_a_session(client, lars, actions):
    norway, nigeria = actions
    client.force_login(lars)
    assert reset(client).status_code == 302
    feed = CalendarFeed.objects.get(user=lars)
    html = client.get(TRACKER).content.decode()
    address = f"/agenda/{SLUG}/calendar/{feed.token}.ics"
    # Shown as a calendar app subscribes to it, and linked as plain https for a download.
    assert f'value="webcal://testserver{address}"' in html
    assert f'href="http://testserver{address}"' in html
    client.logout()
    response = client.get(address)
    assert response.status_code == 200
    found = summaries(response.content)
    assert norway.title in found
    assert nigeria.title not in found
    assert len(found) == 15


def test_a_bad_token_is_not_found(client, lars):
    client.force_login(lars)
    reset(client)
    client.logout()
    assert client.get(feed_url("not-the-token")).status_code == 404
    assert client.get(feed_url("x", "nope")).status_code == 404


def test_a_new_address_retires_the_old_one(client, lars):
    client.force_login(lars)
    reset(client)
    old = CalendarFeed.objects.get(user=lars).token
    reset(client)
    new = CalendarFeed.objects.get(user=lars).token
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_an_inactive_users_address_stops_working(client, lars):
    feed = CalendarFeed.objects.reset_for(lars)
    lars.is_active = False
    lars.save()
    assert client.get(feed_url(feed.token)).status_code == 404


def test_making_an_address_with_htmx_returns_the_calendar_part(client, lars):
    client.force_login(lars)
    html = client.post(
        reverse("resolutions:calendar_feed_reset", args=[SLUG]), **HTMX
    ).content.decode()
    assert html.lstrip().startswith('<section id="calendar"')
    assert CalendarFeed.objects.get(user=lars).token in html
    assert "<html" not in html


def test_making_an_address_needs_a_login_and_a_post(client, lars):
    url = reverse("resolutions:calendar_feed_reset", args=[SLUG])
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(lars)
    assert client.get(url).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_calendar_module_builds_all_day_events_from_plain_objects():
    milestone = types.SimpleNamespace(
        pk=1,
        title="A meeting; with, punctuation",
        start_date=datetime.date(2026, 3, 2),
        last_date=datetime.date(2026, 3, 6),
        place="New York",
        note="",
        source_list=[types.SimpleNamespace(label="A/80/257", url="https://undocs.org/A/80/257")],
    )
    now = timezone.now()
    action = types.SimpleNamespace(
        pk=7,
        title="Brief the capital",
        due_date=datetime.date(2026, 2, 27),
        is_done=False,
        owner=None,
        paragraph=None,
        note="",
        created_at=now,
        updated_at=now,
        get_status_display=lambda: "Open",
    )
    body = follow_up_calendar(
        name="Item — follow-up",
        milestones=[milestone],
        actions=[action],
        tracker_url="https://example.org/agenda/x/",
        uid_domain="example.org",
        now=now,
    )
    meeting, brief = events(body)
    assert str(meeting["SUMMARY"]) == "A meeting; with, punctuation"
    assert str(meeting["UID"]) == "milestone-1@example.org"
    assert meeting["DTEND"].dt == datetime.date(2026, 3, 7)
    assert "https://undocs.org/A/80/257" in str(meeting["DESCRIPTION"])
    assert str(brief["UID"]) == "action-7@example.org"
    assert brief["DTEND"].dt == datetime.date(2026, 2, 28)
    assert str(brief["URL"]) == "https://example.org/agenda/x/#action-7"
    assert b"\r\n" in body
