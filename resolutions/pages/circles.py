"""The circles pages: a delegation's circles and open invitations, and one circle with its
members and invitations, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from resolutions.models import Circle, CircleMembership

# A membership as the pages show it: with its delegation, and who invited it (and theirs).
SHOWN_WITH = ("delegation", "invited_by__delegation")


def _current(memberships):
    """Members and open invitations: not declined, not left."""
    return memberships.filter(declined_at__isnull=True, left_at__isnull=True)


@dataclass
class CircleSummary:
    """A circle as the list shows it: its members, and how many are invited."""

    circle: Circle
    own: CircleMembership  # the reader's delegation's place in it
    members: list[CircleMembership] = field(default_factory=list)
    invited: list[CircleMembership] = field(default_factory=list)

    @property
    def member_names(self) -> str:
        return ", ".join(membership.delegation.name for membership in self.members)


@dataclass
class CirclesPage:
    """The reader's delegation's circles, and the invitations it has not answered."""

    circles: list[CircleSummary]
    invitations: list[CircleSummary]


def circles_page(user) -> CirclesPage:
    """What ``/circles/`` shows ``user`` (a delegate with a delegation), in two queries:
    their delegation's memberships and invitations, then every member and invitation of
    those circles."""
    own = list(
        _current(CircleMembership.objects.filter(delegation_id=user.delegation_id))
        .select_related("circle", "invited_by__delegation")
        .order_by("circle__name", "circle_id")
    )
    summaries = {
        membership.circle_id: CircleSummary(membership.circle, membership) for membership in own
    }
    everyone = _current(CircleMembership.objects.filter(circle_id__in=list(summaries) or [0]))
    for membership in everyone.select_related(*SHOWN_WITH).order_by("delegation__name"):
        summary = summaries[membership.circle_id]
        (summary.members if membership.is_active else summary.invited).append(membership)
    listed = list(summaries.values())
    return CirclesPage(
        circles=[summary for summary in listed if summary.own.is_active],
        invitations=[summary for summary in listed if not summary.own.is_active],
    )


@dataclass
class CirclePage:
    """One circle for a reader whose delegation is in it or invited to it."""

    circle: Circle
    members: list[CircleMembership]
    invited: list[CircleMembership]
    own: CircleMembership | None

    @property
    def is_member(self) -> bool:
        return self.own is not None and self.own.is_active

    @property
    def is_invited(self) -> bool:
        return self.own is not None and self.own.state == CircleMembership.State.INVITED


def circle_page(circle: Circle, user) -> CirclePage:
    """What ``/circles/<id>/`` shows ``user``: the members (oldest first) and the open
    invitations (newest first), in one query."""
    members: list[CircleMembership] = []
    invited: list[CircleMembership] = []
    own = None
    rows = _current(circle.memberships.all()).select_related(*SHOWN_WITH)
    for membership in rows.order_by("joined_at", "delegation__name"):
        (members if membership.is_active else invited).append(membership)
        if membership.delegation_id == user.delegation_id:
            own = membership
    invited.sort(key=lambda membership: membership.invited_at, reverse=True)
    return CirclePage(circle, members, invited, own)
