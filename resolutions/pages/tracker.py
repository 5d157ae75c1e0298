"""The follow-up tracker of an agenda item: the item session by session, what the draft asks
for, the reader's delegation's actions grouped by when they are due, the shared milestones,
the history, and the calendar address. A fixed number of queries whatever the number of
sessions, documents, timeline entries, milestones and actions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from resolutions.forms import AgendaListingForm, FollowUpActionForm, MilestoneForm
from resolutions.models import (
    AgendaItem,
    AgendaListing,
    CalendarFeed,
    Delegation,
    Document,
    FollowUp,
    FollowUpAction,
    Milestone,
    Paragraph,
    TimelineEntry,
)

DUE_SOON_DAYS = 14


@dataclass
class SessionDocument:
    """A document of a session as the tracker lists it: a draft with the resolution it was
    adopted as, when the workbench holds both ("A/C.1/80/L.9 → adopted as A/RES/80/46"), or
    a document on its own."""

    document: Document
    adopted_as: Document | None = None


@dataclass
class SessionRow:
    """The item at one session, with the documents issued under it there."""

    listing: AgendaListing
    documents: list[Document]

    @property
    def entries(self) -> list[SessionDocument]:
        """The documents in order of issue, each resolution beside the draft it was adopted
        from when that draft is listed here too, rather than on a line of its own."""
        listed = {document.pk for document in self.documents if not document.is_resolution}
        adopted = {
            document.revision_of_id: document
            for document in self.documents
            if document.is_resolution and document.revision_of_id in listed
        }
        placed = {resolution.pk for resolution in adopted.values()}
        return [
            SessionDocument(document, adopted.get(document.pk))
            for document in self.documents
            if document.pk not in placed
        ]


@dataclass
class FollowUpRow:
    """What one operative paragraph asks for, and how many of the reader's delegation's
    open actions answer it."""

    follow_up: FollowUp
    pending_actions: int


@dataclass
class MilestoneRow:
    milestone: Milestone
    is_past: bool
    is_next: bool


@dataclass
class ActionRow:
    """One of the delegation's actions and how many days are left until it is due
    (negative when overdue)."""

    action: FollowUpAction
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and not self.action.is_done


@dataclass
class ActionGroup:
    key: str
    heading: str
    empty: str
    actions: list[ActionRow] = field(default_factory=list)


def group_actions(actions, today: datetime.date) -> list[ActionGroup]:
    """Overdue, due within 14 days, later, and done, each action with its days left."""
    groups = {
        "overdue": ActionGroup("overdue", "Overdue", "Nothing overdue."),
        "due-soon": ActionGroup(
            "due-soon", f"Due within {DUE_SOON_DAYS} days", "Nothing due in the next two weeks."
        ),
        "later": ActionGroup("later", "Later", "Nothing further ahead."),
        "done": ActionGroup("done", "Done", "Nothing done yet."),
    }
    for action in actions:
        row = ActionRow(action, (action.due_date - today).days)
        if action.is_done:
            key = "done"
        elif row.days_left < 0:
            key = "overdue"
        elif row.days_left <= DUE_SOON_DAYS:
            key = "due-soon"
        else:
            key = "later"
        groups[key].actions.append(row)
    # Most recent first for what is done; soonest first (the query's order) for the rest.
    groups["done"].actions.sort(key=lambda row: (row.action.due_date, row.action.pk), reverse=True)
    return list(groups.values())


@dataclass
class TrackerPage:
    """Everything the tracker shows one reader. The forms are empty ones unless a view
    passes a bound form back with its errors."""

    agenda_item: AgendaItem
    listings: list[SessionRow]
    timeline_recalled: list[TimelineEntry]
    timeline_draft: list[TimelineEntry]
    timeline_following: list[TimelineEntry]
    recalled_source: Paragraph | None
    milestones: list[MilestoneRow]
    next_milestone: Milestone | None
    follow_ups: list[FollowUpRow]
    delegation: Delegation | None
    action_groups: list[ActionGroup]
    action_count: int
    is_editor: bool
    action_form: FollowUpActionForm | None
    milestone_form: MilestoneForm | None
    listing_form: AgendaListingForm | None
    feed_url: str
    status_choices: list[tuple[str, str]] = field(
        default_factory=lambda: list(FollowUpAction.Status.choices)
    )


def tracker_page(
    request,
    agenda_item: AgendaItem,
    *,
    action_form: FollowUpActionForm | None = None,
    milestone_form: MilestoneForm | None = None,
    listing_form: AgendaListingForm | None = None,
) -> TrackerPage:
    """The tracker of ``agenda_item`` for ``request.user``; the request also makes the
    calendar feed's absolute address."""
    user = request.user
    today = timezone.localdate()
    held: dict[int, list[Document]] = defaultdict(list)
    # One query for the documents of every listing (a prefetch would skip it when there are
    # no listings, and the count of queries would change with the data).
    for document in Document.objects.filter(agenda_listing__agenda_item=agenda_item).order_by(
        "date", "symbol"
    ):
        held[document.agenda_listing_id].append(document)
    listings = [
        SessionRow(listing, held[listing.pk])
        for listing in AgendaListing.objects.filter(agenda_item=agenda_item)
    ]

    timeline = (
        TimelineEntry.objects.filter(agenda_item=agenda_item)
        .with_document_slug()
        .select_related("source_paragraph__document")
    )
    stages: dict[str, list[TimelineEntry]] = {stage: [] for stage in TimelineEntry.Stage}
    for entry in timeline:
        stages[entry.stage].append(entry)

    milestones = list(Milestone.objects.filter(agenda_item=agenda_item))
    upcoming = [milestone for milestone in milestones if milestone.last_date >= today]
    next_milestone = upcoming[0] if upcoming else None
    milestone_rows = [
        MilestoneRow(m, is_past=m.last_date < today, is_next=m is next_milestone)
        for m in milestones
    ]

    actions = list(
        FollowUpAction.objects.visible_to(user).filter(agenda_item=agenda_item).for_display()
    )
    follow_ups = [
        FollowUpRow(
            follow_up,
            sum(1 for a in actions if a.paragraph_id == follow_up.paragraph_id and not a.is_done),
        )
        for follow_up in agenda_item.follow_ups.select_related("paragraph__document")
    ]

    delegation = user.delegation if user.is_authenticated else None
    is_editor = user.is_authenticated and user.is_editor
    if delegation is not None and action_form is None:
        action_form = FollowUpActionForm(agenda_item=agenda_item, delegation=delegation)
    if is_editor and milestone_form is None:
        milestone_form = MilestoneForm(auto_id="milestone_%s")
    if is_editor and listing_form is None:
        listing_form = AgendaListingForm(auto_id="listing_%s")
    feed = CalendarFeed.objects.filter(user=user).first() if user.is_authenticated else None
    return TrackerPage(
        agenda_item=agenda_item,
        listings=listings,
        timeline_recalled=stages[TimelineEntry.Stage.RECALLED],
        timeline_draft=stages[TimelineEntry.Stage.DRAFT],
        timeline_following=stages[TimelineEntry.Stage.FOLLOWING],
        recalled_source=next(
            (e.source_paragraph for e in stages[TimelineEntry.Stage.RECALLED]), None
        ),
        milestones=milestone_rows,
        next_milestone=next_milestone,
        follow_ups=follow_ups,
        delegation=delegation,
        action_groups=group_actions(actions, today),
        action_count=len(actions),
        is_editor=is_editor,
        action_form=action_form,
        milestone_form=milestone_form,
        listing_form=listing_form,
        feed_url=request.build_absolute_uri(feed.url_for(agenda_item)) if feed else "",
    )
