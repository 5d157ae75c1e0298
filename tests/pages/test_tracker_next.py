"""The tracker's "Next": what is coming under the item in date order, with today between
the past and the future, as of a day the tests give (``tracker_page(..., today=...)``)."""

import datetime
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from resolutions.models import AgendaItem, FollowUpAction, Milestone
from resolutions.pages.tracker import agenda_list, tracker_page
from tests.factories import make_delegate

SLUG = "ict-international-security"
TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def item(db):
    return AgendaItem.objects.get(slug=SLUG)


@pytest.fixture
def delegate(db):
    return make_delegate("ngozi", "Nigeria")


def render_tracker(user, item, today=TODAY) -> str:
    request = RequestFactory().get(item.get_absolute_url())
    request.user = user
    page = tracker_page(request, item, today=today)
    return render_to_string("resolutions/agenda_item_detail.html", vars(page), request=request)


def next_section(html: str) -> list[str]:
    """Each line of "Next" as its text: "date · kind title", and the today marker."""
    section = html[html.index('id="next"') : html.index('id="sessions"')]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", line)).split()).replace(" ,", ",")
        for line in re.findall(
            r"<li class=\"(?:next-item|today-marker|next-none).*?</li>", section, re.S
        )
    ]


def add_action(user, item, title, due, **fields):
    return FollowUpAction.objects.create(
        agenda_item=item,
        delegation=user.delegation,
        created_by=user,
        title=title,
        due_date=due,
        **fields,
    )


def test_next_puts_the_coming_items_in_date_order_below_today(item, delegate):
    Milestone.objects.create(
        agenda_item=item,
        kind=Milestone.Kind.SPONSORSHIP_DEADLINE,
        title="Last day to join the sponsors",
        start_date=datetime.date(2026, 12, 3),
        sources="First Committee secretariat",
    )
    add_action(delegate, item, "Send views to the Secretary-General", datetime.date(2026, 12, 10))
    add_action(delegate, item, "Brief the capital", datetime.date(2026, 11, 20))
    add_action(delegate, item, "Done long ago", datetime.date(2026, 11, 1), status="done")
    assert next_section(render_tracker(delegate, item)) == [
        "8 September 2026 Session The eighty-first session opened "
        "(agenda item number not yet known)",
        "20 November 2026 Your delegation's action, overdue Brief the capital",
        "Today, 29 November 2026",
        "3 December 2026 Sponsorship deadline Last day to join the sponsors",
        "10 December 2026 Your delegation's action Send views to the Secretary-General",
    ]


def test_a_session_not_yet_numbered_says_when_it_opens(item, delegate):
    html = render_tracker(delegate, item, today=datetime.date(2026, 6, 1))
    lines = next_section(html)
    assert lines[-1] == (
        "8 September 2026 Session The eighty-first session opens (agenda item number not yet known)"
    )
    assert "Number not yet known</span>; the session opens" in html
    assert '<time datetime="2026-09-08">8 September 2026</time>' in html


def test_what_the_draft_asks_for_by_a_session_is_due_at_its_opening(item, delegate):
    """OP7 of A/C.1/76/L.13 puts the item on the agenda of the seventy-seventh session."""
    html = render_tracker(delegate, item, today=datetime.date(2022, 1, 10))
    assert "Due at the opening of the seventy-seventh session: " in html
    lines = next_section(html)
    today = lines.index("Today, 10 January 2022")
    due = [line for line in lines if "Due under OP7" in line]
    assert due == [
        "13 September 2022 Due under OP7 The item on the agenda of the seventy-seventh session: "
        "at the opening of the seventy-seventh session"
    ]
    assert lines.index(due[0]) > today


def test_working_group_sessions_come_in_order_with_their_dates(item, delegate):
    lines = next_section(render_tracker(delegate, item, today=datetime.date(2022, 1, 10)))
    coming = lines[lines.index("Today, 10 January 2022") + 1 :]
    sessions = [line for line in coming if "Working group session" in line]
    # The first substantive session, just past, stays above today.
    assert "first substantive session" in lines[1]
    assert sessions[:2] == [
        "28 March – 1 April 2022 Working group session Open-ended working group 2021–2025: "
        "second substantive session",
        "25–29 July 2022 Working group session Open-ended working group 2021–2025: third "
        "substantive session",
    ]


def test_with_nothing_ahead_the_today_marker_says_so(item, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    lines = next_section(render_tracker(AnonymousUser(), item, today=datetime.date(2027, 12, 1)))
    assert lines[-2:] == ["Today, 1 December 2027", "Nothing ahead is recorded yet."]


def test_the_agenda_list_names_each_items_next_thing(item, delegate, django_assert_num_queries):
    add_action(delegate, item, "Send views", datetime.date(2026, 12, 10))
    with django_assert_num_queries(5):
        rows = agenda_list(delegate, today=TODAY)
    (row,) = rows
    assert (row.next.title, row.next.day) == ("Send views", datetime.date(2026, 12, 10))
    rows = agenda_list(delegate, today=datetime.date(2026, 6, 1))
    assert rows[0].next.title == (
        "The eighty-first session opens (agenda item number not yet known)"
    )
