"""The follow-up of an agenda item as an RFC 5545 calendar, built with the icalendar library.

Plain Python: the caller passes milestones and actions (any objects with the attributes used
below) and gets the bytes of a ``text/calendar`` body. Every event is an all-day event
(``DTSTART;VALUE=DATE``), with a ``UID`` that stays the same from one download to the next so
that a subscribed calendar updates its events instead of duplicating them. An action not yet
done carries a reminder the day before it is due (``VALARM``, ``TRIGGER:-P1D``).

An event dated outside the years the workbench keeps (``resolutions.un.dates``; the forms
refuse such dates, but a row saved before they did, or through the admin, may hold one) is
left out: 9999-12-31 has no day after it to end on, and one slip must not break the feed
a delegation's calendars subscribe to.
"""

import datetime

from icalendar import Alarm, Calendar, Event

from resolutions.un.dates import within_range

PRODID = "-//Resolution workbench//Follow-up tracker//EN"
REFRESH = datetime.timedelta(hours=12)
ONE_DAY = datetime.timedelta(days=1)


def follow_up_calendar(
    *,
    name: str,
    milestones,
    actions,
    tracker_url: str,
    uid_domain: str,
    now: datetime.datetime,
) -> bytes:
    """The calendar of one agenda item: its milestones, then the given actions.

    ``tracker_url`` is the absolute address of the tracker (events link back to it);
    ``uid_domain`` makes the UIDs globally unique; ``now`` (aware) is the DTSTAMP.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    stamp = now.astimezone(datetime.UTC)
    for milestone in milestones:
        if within_range(milestone.start_date) and within_range(milestone.last_date):
            calendar.add_component(_milestone_event(milestone, tracker_url, uid_domain, stamp))
    for action in actions:
        if within_range(action.due_date):
            calendar.add_component(_action_event(action, tracker_url, uid_domain, stamp))
    return calendar.to_ical()


def webcal_address(url: str) -> str:
    """The address a calendar app subscribes to when it is clicked: ``webcal://`` in place of
    ``https://`` (or ``http://``), the rest the same."""
    scheme, separator, rest = url.partition("://")
    return f"webcal://{rest}" if separator and scheme in ("http", "https") else url


def _all_day_event(uid: str, stamp, first: datetime.date, last: datetime.date) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    # DTEND of an all-day event is exclusive: the day after the last day.
    event.add("dtend", last + ONE_DAY)
    # A deadline or a meeting far away should not show the delegate as busy.
    event.add("transp", "TRANSPARENT")
    return event


def _reminder(action) -> Alarm:
    """A reminder the day before an action is due (the calendar app shows it)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ONE_DAY)
    alarm.add("description", f"Due tomorrow: {action.title}")
    return alarm


def _milestone_event(milestone, tracker_url: str, uid_domain: str, stamp) -> Event:
    event = _all_day_event(
        f"milestone-{milestone.pk}@{uid_domain}", stamp, milestone.start_date, milestone.last_date
    )
    event.add("summary", milestone.title)
    if milestone.place:
        event.add("location", milestone.place)
    lines = [milestone.note] if milestone.note else []
    sources = [source.url or source.label for source in milestone.source_list]
    if sources:
        lines.append("Sources:\n" + "\n".join(sources))
    if lines:
        event.add("description", "\n\n".join(lines))
    event.add("url", f"{tracker_url}#milestone-{milestone.pk}")
    event.add("categories", ["Milestone"])
    return event


def _action_event(action, tracker_url: str, uid_domain: str, stamp) -> Event:
    event = _all_day_event(
        f"action-{action.pk}@{uid_domain}", stamp, action.due_date, action.due_date
    )
    event.add("summary", f"{action.title} (done)" if action.is_done else action.title)
    lines = [f"Status: {action.get_status_display()}"]
    if action.owner is not None:
        lines.append(f"Owner: {action.owner.get_full_name() or action.owner.get_username()}")
    if action.paragraph is not None:
        paragraph = action.paragraph
        lines.append(f"Answers: {paragraph.document.symbol} {paragraph.display_label}")
    if action.note:
        lines.append("")
        lines.append(action.note)
    event.add("description", "\n".join(lines))
    event.add("url", f"{tracker_url}#action-{action.pk}")
    event.add("categories", ["Delegation action"])
    if not action.is_done:
        event.add_component(_reminder(action))
    event.add("created", action.created_at.astimezone(datetime.UTC))
    event.add("last-modified", action.updated_at.astimezone(datetime.UTC))
    return event
