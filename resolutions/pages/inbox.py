"""The inbox: what a delegate was told, newest first, each line written now from what it is
about and linking to the exact place; in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.db import connection

from resolutions.models import Notification, User

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
    return InboxPage(lines, Notification.objects.visible_to(user).unread().count())


@lru_cache(maxsize=4096)
def unread_count_sql(user_id: int, delegation_id: int | None, vendor: str) -> tuple[str, tuple]:
    """The SQL that counts a reader's unread notifications they may still see, and its
    parameters, built once per reader and process.

    Every page a delegate opens shows the count, and building the query (the visibility
    rules of notes, proposals and circles, as ``Notification.objects.visible_to``) took
    some 6 ms of Python, more than running it: 70% of the login form's time. The query
    depends on nothing but the reader's id and delegation, both in the key (with the
    database's kind, whose SQL it is); circle memberships are sub-queries in it, read
    afresh each time it runs."""
    reader = User(pk=user_id, delegation_id=delegation_id)
    query = Notification.objects.visible_to(reader).unread().order_by().values("pk").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    # Django's own SQL for the query, its values kept apart as parameters.
    return f"SELECT COUNT(*) FROM ({sql}) unread", tuple(params)  # noqa: S608


class InboxCount:
    """The header's "Inbox (3)": the unread count, asked for only when a page shows it, in
    one query (``unread_count_sql``)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        sql, params = unread_count_sql(self.user.pk, self.user.delegation_id, connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
