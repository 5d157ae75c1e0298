"""The inbox: what a delegate was told, newest first, each line written now from what it is
about and linking to the exact place; in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from resolutions.models import Notification

# The newest this many are shown; older ones stay, marked read or not, out of sight.
SHOWN = 100


@dataclass(frozen=True)
class InboxLine:
    pk: int
    kind: str
    line: str
    url: str
    unread: bool
    created_at: datetime.datetime

    def as_json(self) -> dict:
        return {
            "id": self.pk,
            "kind": self.kind,
            "text": self.line,
            "url": self.url,
            "unread": self.unread,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class InboxPage:
    lines: list[InboxLine]
    unread: int


def inbox_page(user) -> InboxPage:
    """``user``'s notifications about what they may still see (``visible_to``): two
    queries, the lines and the unread count."""
    notifications = Notification.objects.visible_to(user).for_display()[:SHOWN]
    lines = [
        InboxLine(
            pk=n.pk,
            kind=n.kind,
            line=n.line,
            url=n.get_absolute_url(),
            unread=n.is_unread,
            created_at=n.created_at,
        )
        for n in notifications
    ]
    return InboxPage(lines, Notification.objects.unread_count(user))


class InboxCount:
    """The header's "Inbox (3)": the unread count, asked for only when a page shows it, in
    one query (``Notification.objects.unread_count``)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return Notification.objects.unread_count(self.user)


def inbox_count(request) -> InboxCount:
    """The request's one ``InboxCount``: the header and whatever else asks (a page kept
    under the count it shows, ``pages.shared.reader_page``) see the same number, counted
    once."""
    if not hasattr(request, "_inbox_count"):
        request._inbox_count = InboxCount(request.user)
    return request._inbox_count
