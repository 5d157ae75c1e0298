"""The follow-up tracker of an agenda item: the item session by session, what the draft asks
for, the reader's delegation's actions grouped by when they are due, the shared milestones,
the history, and the calendar address. A fixed number of queries whatever the number of
sessions, documents, timeline entries, milestones and actions.

The sessions, the history, the milestones and what the draft asks for are the same for every
reader (editors see an edit link by each milestone): they are rendered once per change and
per day and served from the cache (``shared_tracker``), under the item's ``cache_version``,
which every write to them moves on (``AgendaItemQuerySet.mark_changed``). What is the
reader's own (their delegation's actions, the "Next" list that merges them with the dated
facts, forms, the private calendar address) is worked out on every view."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from resolutions.formats.calendar_feed import webcal_address
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
    TimelineEntry,
)
from resolutions.models.follow_up import date_range
from resolutions.pages.shared import SHARED_SECONDS
from resolutions.rendering import rendered_html
from resolutions.un.dates import session_opening, sessions_named
from resolutions.un.symbols import session_title

DUE_SOON_DAYS = 14
# How many of the latest past items "Next" keeps above the today marker, for context.
RECENT_PAST = 2


@dataclass(frozen=True)
class NextItem:
    """One dated thing on the "Next" list: a milestone, a session's opening, what a paragraph
    asks for by a session, or one of the delegation's actions. ``anchor`` is where on the
    tracker it is told in full."""

    day: datetime.date
    kind: str
    title: str
    anchor: str
    last_day: datetime.date | None = None
    is_action: bool = False
    is_overdue: bool = False

    @property
    def dates(self) -> str:
        return date_range(self.day, self.last_day)

    @property
    def until(self) -> datetime.date:
        return self.last_day or self.day


@dataclass
class NextList:
    """The coming items in date order with the reader's today between the past and the
    future: a few of the latest past items (and every overdue action) above it."""

    today: datetime.date
    past: list[NextItem]
    coming: list[NextItem]

    @property
    def first(self) -> NextItem | None:
        return self.coming[0] if self.coming else None


def follow_up_due(follow_up: FollowUp) -> int | None:
    """The session what ``follow_up`` asks for is due at, when its paragraph (or the words
    that sum it up) names one: "at its seventy-seventh session" gives 77."""
    text = follow_up.paragraph.text if follow_up.paragraph else ""
    named = sessions_named(text) or sessions_named(follow_up.asks)
    return named[0] if named else None


def next_items(*, today: datetime.date, milestones, listings, follow_ups, actions) -> NextList:
    """Every dated thing of an agenda item in date order, split at ``today``: milestones
    (working group sessions, deadlines), the opening of each session the item is listed for
    ("Eighty-first session opens"), what the paragraphs ask for by a session, and the open
    actions given (the reader's delegation's). Plain data in, no query."""
    return next_list(
        today,
        [
            *dated_facts(
                today=today, milestones=milestones, listings=listings, follow_ups=follow_ups
            ),
            *action_items(actions, today),
        ],
    )


def dated_facts(*, today: datetime.date, milestones, listings, follow_ups) -> list[NextItem]:
    """The dated things of an agenda item that are the same for every reader: milestones,
    session openings (which say "opens" or "opened" as of ``today``) and what the paragraphs
    ask for by a session."""
    items = [
        NextItem(
            milestone.start_date,
            milestone.get_kind_display(),
            milestone.title,
            f"milestone-{milestone.pk}",
            last_day=milestone.end_date,
        )
        for milestone in milestones
    ]
    for listing in listings:
        opening = session_opening(listing.session)
        number = (
            f"agenda item {listing.item_number}"
            if listing.item_number
            else "agenda item number not yet known"
        )
        verb = "opens" if opening >= today else "opened"
        items.append(
            NextItem(
                opening,
                "Session",
                f"The {listing.session_title.lower()} {verb} ({number})",
                "sessions",
            )
        )
    for follow_up in follow_ups:
        session = follow_up_due(follow_up)
        if session is not None:
            paragraph = follow_up.paragraph
            items.append(
                NextItem(
                    session_opening(session),
                    f"Due under {paragraph.display_label}" if paragraph else "Due",
                    f"{follow_up.title}: at the opening of the {session_title(session).lower()}",
                    f"follow-up-{follow_up.key}",
                )
            )
    return items


def action_items(actions, today: datetime.date) -> list[NextItem]:
    """The open ones of a delegation's ``actions``, as lines of "Next"."""
    return [
        NextItem(
            action.due_date,
            "Your delegation's action",
            action.title,
            f"action-{action.pk}",
            is_action=True,
            is_overdue=action.due_date < today,
        )
        for action in actions
        if not action.is_done
    ]


def next_list(today: datetime.date, items: list[NextItem]) -> NextList:
    """``items`` in date order, split at ``today``."""
    items = sorted(items, key=lambda item: (item.day, item.until, item.title))
    coming = [item for item in items if item.until >= today]
    past = [item for item in items if item.until < today]
    kept = {*past[-RECENT_PAST:], *(item for item in past if item.is_overdue)}
    return NextList(today=today, past=[item for item in past if item in kept], coming=coming)


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
    today: datetime.date

    @property
    def opening(self) -> datetime.date:
        """The day the session opens (or opened): what the tracker says of a session whose
        item number is not yet known."""
        return session_opening(self.listing.session)

    @property
    def has_opened(self) -> bool:
        return self.opening <= self.today

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
class FollowUpDue:
    """What one operative paragraph asks for, with the session it is due at, when it names
    one."""

    follow_up: FollowUp
    due_session: int | None = None

    @property
    def due(self) -> datetime.date | None:
        return session_opening(self.due_session) if self.due_session else None

    @property
    def due_session_title(self) -> str:
        return session_title(self.due_session) if self.due_session else ""


@dataclass(frozen=True)
class FollowUpFacts:
    """What one operative paragraph asks for, as the tracker shows every reader, and the
    paragraph it answers (to count the reader's delegation's actions on it)."""

    key: str
    paragraph_id: int | None
    html: str


@dataclass
class FollowUpRow:
    """What one operative paragraph asks for, and how many of the reader's delegation's
    open actions answer it."""

    facts: FollowUpFacts
    pending_actions: int

    @property
    def html(self) -> SafeString:
        return rendered_html(self.facts.html)


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


TRACKER = "resolutions/agenda_item_detail.html"


@dataclass(frozen=True)
class SharedTracker:
    """The parts of the tracker that are the same for every reader, as the cache keeps
    them: HTML rendered from the tracker's partials, and the dated facts "Next" merges with
    the reader's delegation's actions."""

    sessions: str
    follow_ups: tuple[FollowUpFacts, ...]
    milestones: str
    history: str
    dated_facts: tuple[NextItem, ...]

    @property
    def sessions_html(self) -> SafeString:
        return rendered_html(self.sessions)

    @property
    def milestones_html(self) -> SafeString:
        return rendered_html(self.milestones)

    @property
    def history_html(self) -> SafeString:
        return rendered_html(self.history)


def shared_tracker_key(agenda_item: AgendaItem, today: datetime.date, is_editor: bool) -> str:
    """The key of the shared parts: the item's version, and the day, since sessions say
    whether they opened and milestones whether they are past or next; editors get the
    milestones with an edit link each."""
    return f"shared.tracker.{agenda_item.pk}:{agenda_item.cache_version}.{today}.{is_editor}"


def shared_tracker(agenda_item: AgendaItem, today: datetime.date, is_editor: bool) -> SharedTracker:
    """The shared parts of ``agenda_item``'s tracker as of ``today``, from the cache, or
    built (five queries) and cached for the next reader."""
    return cache.get_or_set(
        shared_tracker_key(agenda_item, today, is_editor),
        lambda: build_shared_tracker(agenda_item, today, is_editor),
        SHARED_SECONDS,
    )


def build_shared_tracker(
    agenda_item: AgendaItem, today: datetime.date, is_editor: bool
) -> SharedTracker:
    held: dict[int, list[Document]] = defaultdict(list)
    # One query for the documents of every listing (a prefetch would skip it when there are
    # no listings, and the count of queries would change with the data).
    for document in Document.objects.filter(agenda_listing__agenda_item=agenda_item).order_by(
        "date", "symbol"
    ):
        held[document.agenda_listing_id].append(document)
    listings = [
        SessionRow(listing, held[listing.pk], today)
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
    follow_ups = list(agenda_item.follow_ups.select_related("paragraph__document"))

    def render(part: str, context: dict) -> str:
        return render_to_string(f"{TRACKER}#{part}", {"agenda_item": agenda_item, **context})

    return SharedTracker(
        sessions=render("sessions-table", {"listings": listings}),
        follow_ups=tuple(
            FollowUpFacts(
                follow_up.key,
                follow_up.paragraph_id,
                render(
                    "follow-up-facts", {"row": FollowUpDue(follow_up, follow_up_due(follow_up))}
                ),
            )
            for follow_up in follow_ups
        ),
        milestones=render(
            "milestone-list",
            {
                "milestones": milestone_rows,
                "next_milestone": next_milestone,
                "is_editor": is_editor,
            },
        ),
        history=render(
            "history-entries",
            {
                "timeline_recalled": stages[TimelineEntry.Stage.RECALLED],
                "timeline_draft": stages[TimelineEntry.Stage.DRAFT],
                "timeline_following": stages[TimelineEntry.Stage.FOLLOWING],
                "recalled_source": next(
                    (e.source_paragraph for e in stages[TimelineEntry.Stage.RECALLED]), None
                ),
            },
        ),
        dated_facts=tuple(
            dated_facts(
                today=today,
                milestones=milestones,
                listings=[row.listing for row in listings],
                follow_ups=follow_ups,
            )
        ),
    )


@dataclass
class TrackerPage:
    """Everything the tracker shows one reader: the shared parts, and the reader's own. The
    forms are empty ones unless a view passes a bound form back with its errors."""

    agenda_item: AgendaItem
    today: datetime.date
    shared: SharedTracker
    next: NextList
    follow_ups: list[FollowUpRow]
    delegation: Delegation | None
    action_groups: list[ActionGroup]
    action_count: int
    is_editor: bool
    action_form: FollowUpActionForm | None
    milestone_form: MilestoneForm | None
    listing_form: AgendaListingForm | None
    feed_url: str
    webcal_url: str
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
    today: datetime.date | None = None,
) -> TrackerPage:
    """The tracker of ``agenda_item`` for ``request.user`` as of ``today`` (the local date
    unless given); the request also makes the calendar feed's absolute address."""
    user = request.user
    today = today or timezone.localdate()
    delegation = user.delegation if user.is_authenticated else None
    is_editor = user.is_authenticated and user.is_editor
    shared = shared_tracker(agenda_item, today, is_editor)

    actions = list(
        FollowUpAction.objects.visible_to(user).filter(agenda_item=agenda_item).for_display()
    )
    follow_ups = [
        FollowUpRow(
            facts,
            sum(1 for a in actions if a.paragraph_id == facts.paragraph_id and not a.is_done),
        )
        for facts in shared.follow_ups
    ]

    if delegation is not None and action_form is None:
        action_form = FollowUpActionForm(agenda_item=agenda_item, delegation=delegation)
    if is_editor and milestone_form is None:
        milestone_form = MilestoneForm(auto_id="milestone_%s")
    if is_editor and listing_form is None:
        listing_form = AgendaListingForm(auto_id="listing_%s")
    feed = CalendarFeed.objects.filter(user=user).first() if user.is_authenticated else None
    feed_url = request.build_absolute_uri(feed.url_for(agenda_item)) if feed else ""
    return TrackerPage(
        agenda_item=agenda_item,
        today=today,
        shared=shared,
        next=next_list(today, [*shared.dated_facts, *action_items(actions, today)]),
        follow_ups=follow_ups,
        delegation=delegation,
        action_groups=group_actions(actions, today),
        action_count=len(actions),
        is_editor=is_editor,
        action_form=action_form,
        milestone_form=milestone_form,
        listing_form=listing_form,
        feed_url=feed_url,
        webcal_url=webcal_address(feed_url) if feed_url else "",
    )


@dataclass
class AgendaListRow:
    """An agenda item on the list of items, with the next thing due under it."""

    agenda_item: AgendaItem
    listings: list[AgendaListing]
    next: NextItem | None


def agenda_list(user, today: datetime.date | None = None) -> list[AgendaListRow]:
    """Every agenda item with its sessions and the first thing ahead (a milestone, a session
    opening, a report due, one of ``user``'s delegation's open actions) as of ``today``;
    five queries whatever the number of items (four for a reader without a delegation)."""
    today = today or timezone.localdate()
    items = list(AgendaItem.objects.prefetch_related("listings"))
    by_item: dict[str, dict[int, list]] = {
        kind: defaultdict(list) for kind in ("milestones", "follow_ups", "actions")
    }
    for milestone in Milestone.objects.filter(end_date__gte=today) | Milestone.objects.filter(
        end_date__isnull=True, start_date__gte=today
    ):
        by_item["milestones"][milestone.agenda_item_id].append(milestone)
    for follow_up in FollowUp.objects.select_related("paragraph"):
        by_item["follow_ups"][follow_up.agenda_item_id].append(follow_up)
    for action in FollowUpAction.objects.visible_to(user).pending().filter(due_date__gte=today):
        by_item["actions"][action.agenda_item_id].append(action)
    rows = []
    for item in items:
        listings = list(item.listings.all())
        upcoming = next_items(
            today=today,
            milestones=by_item["milestones"][item.pk],
            listings=listings,
            follow_ups=by_item["follow_ups"][item.pk],
            actions=by_item["actions"][item.pk],
        )
        rows.append(AgendaListRow(item, listings, upcoming.first))
    return rows
