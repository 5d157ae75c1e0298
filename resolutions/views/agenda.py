"""The agenda items and the follow-up tracker of one item: its sessions, its history, the
milestones (editors keep them), what the draft's operative paragraphs ask for, each
delegation's own actions, and the item's calendar.

A delegation's actions are found through ``FollowUpAction.objects.visible_to(user)``: another
delegation's action answers 404, so its existence does not leak.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from resolutions import services
from resolutions.formats.calendar_feed import follow_up_calendar
from resolutions.forms import (
    AgendaListingForm,
    FollowUpActionForm,
    FollowUpActionStatusForm,
    MilestoneForm,
)
from resolutions.models import (
    AgendaItem,
    AgendaListing,
    CalendarFeed,
    Document,
    FollowUpAction,
    Milestone,
    TimelineEntry,
)
from resolutions.un.symbols import session_title

DUE_SOON_DAYS = 14
TRACKER = "resolutions/agenda_item_detail.html"


@require_GET
def agenda_item_list(request: HttpRequest) -> HttpResponse:
    """Every agenda item, each linked to its tracker."""
    return render(
        request,
        "resolutions/agenda_item_list.html",
        {"agenda_items": AgendaItem.objects.prefetch_related("listings")},
    )


# The tracker -------------------------------------------------------------------------------


@dataclass
class ActionGroup:
    key: str
    heading: str
    empty: str
    actions: list = field(default_factory=list)


def group_actions(actions, today: datetime.date) -> list[ActionGroup]:
    """Overdue, due within 14 days, later, and done; each action gets ``days_left`` (negative
    when overdue) for the template to phrase."""
    groups = {
        "overdue": ActionGroup("overdue", "Overdue", "Nothing overdue."),
        "due-soon": ActionGroup(
            "due-soon", f"Due within {DUE_SOON_DAYS} days", "Nothing due in the next two weeks."
        ),
        "later": ActionGroup("later", "Later", "Nothing further ahead."),
        "done": ActionGroup("done", "Done", "Nothing done yet."),
    }
    for action in actions:
        action.days_left = (action.due_date - today).days
        action.days_overdue = -action.days_left
        if action.is_done:
            key = "done"
        elif action.days_left < 0:
            key = "overdue"
        elif action.days_left <= DUE_SOON_DAYS:
            key = "due-soon"
        else:
            key = "later"
        groups[key].actions.append(action)
    # Most recent first for what is done; soonest first (the query's order) for the rest.
    groups["done"].actions.sort(key=lambda action: (action.due_date, action.pk), reverse=True)
    return list(groups.values())


def tracker_context(
    request: HttpRequest,
    agenda_item: AgendaItem,
    *,
    action_form=None,
    milestone_form=None,
    listing_form=None,
) -> dict:
    """Everything the tracker shows, in a fixed number of queries whatever the number of
    sessions, documents, timeline entries, milestones and actions."""
    user = request.user
    today = timezone.localdate()
    listings = list(AgendaListing.objects.filter(agenda_item=agenda_item))
    held: dict[int, list[Document]] = defaultdict(list)
    # One query for the documents of every listing (a prefetch would skip it when there are
    # no listings, and the count of queries would change with the data).
    for document in Document.objects.filter(agenda_listing__agenda_item=agenda_item).order_by(
        "date", "symbol"
    ):
        held[document.agenda_listing_id].append(document)
    for listing in listings:
        listing.held_documents = held[listing.pk]
        listing.session_title = session_title(listing.session)

    timeline = (
        TimelineEntry.objects.filter(agenda_item=agenda_item)
        .with_document_slug()
        .select_related("source_paragraph__document")
    )
    stages = {stage: [] for stage in TimelineEntry.Stage}
    for entry in timeline:
        stages[entry.stage].append(entry)

    milestones = list(Milestone.objects.filter(agenda_item=agenda_item))
    upcoming = [milestone for milestone in milestones if milestone.last_date >= today]
    for milestone in milestones:
        milestone.is_past = milestone.last_date < today
        milestone.is_next = bool(upcoming) and milestone is upcoming[0]

    actions = list(
        FollowUpAction.objects.visible_to(user).filter(agenda_item=agenda_item).for_display()
    )
    follow_ups = list(agenda_item.follow_ups.select_related("paragraph__document"))
    for follow_up in follow_ups:
        follow_up.pending_actions = sum(
            1 for a in actions if a.paragraph_id == follow_up.paragraph_id and not a.is_done
        )

    delegation = user.delegation if user.is_authenticated else None
    is_editor = user.is_authenticated and user.is_editor
    if delegation is not None and action_form is None:
        action_form = FollowUpActionForm(agenda_item=agenda_item, delegation=delegation)
    if is_editor and milestone_form is None:
        milestone_form = MilestoneForm(auto_id="milestone_%s")
    if is_editor and listing_form is None:
        listing_form = AgendaListingForm(auto_id="listing_%s")
    feed = CalendarFeed.objects.filter(user=user).first() if user.is_authenticated else None
    return {
        "agenda_item": agenda_item,
        "listings": listings,
        "timeline_recalled": stages[TimelineEntry.Stage.RECALLED],
        "timeline_draft": stages[TimelineEntry.Stage.DRAFT],
        "timeline_following": stages[TimelineEntry.Stage.FOLLOWING],
        "recalled_source": next(
            (e.source_paragraph for e in stages[TimelineEntry.Stage.RECALLED]), None
        ),
        "milestones": milestones,
        "next_milestone": upcoming[0] if upcoming else None,
        "follow_ups": follow_ups,
        "delegation": delegation,
        "action_groups": group_actions(actions, today),
        "action_count": len(actions),
        "action_form": action_form,
        "status_choices": FollowUpAction.Status.choices,
        "is_editor": is_editor,
        "milestone_form": milestone_form,
        "listing_form": listing_form,
        "feed_url": request.build_absolute_uri(feed.url_for(agenda_item)) if feed else "",
    }


@require_GET
def agenda_item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The tracker of one agenda item."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    return render(request, TRACKER, tracker_context(request, agenda_item))


def _tracker_part(request, agenda_item, partial: str, **forms) -> HttpResponse:
    """One named part of the tracker, for htmx."""
    return render(request, f"{TRACKER}#{partial}", tracker_context(request, agenda_item, **forms))


# A delegation's actions --------------------------------------------------------------------


def _delegate(request) -> None:
    if request.user.delegation_id is None:
        raise PermissionDenied("Your account belongs to no delegation.")


def _own_action(request, slug: str, pk: int) -> FollowUpAction:
    return get_object_or_404(
        FollowUpAction.objects.visible_to(request.user).select_related("agenda_item"),
        agenda_item__slug=slug,
        pk=pk,
    )


@login_required
@require_POST
def action_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Adds an action for the delegate's delegation. htmx gets the actions part back; a
    plain POST is redirected to the new action (or, with errors, gets the page back)."""
    _delegate(request)
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = FollowUpActionForm(
        request.POST, agenda_item=agenda_item, delegation=request.user.delegation
    )
    if not form.is_valid():
        if request.htmx:
            return _tracker_part(request, agenda_item, "follow-up-actions", action_form=form)
        context = tracker_context(request, agenda_item, action_form=form)
        return render(request, TRACKER, context, status=400)
    action = form.save(commit=False)
    action.agenda_item = agenda_item
    action.delegation_id = request.user.delegation_id
    action.created_by = request.user
    action.save()
    if request.htmx:
        return _tracker_part(request, agenda_item, "follow-up-actions")
    messages.success(request, f"“{action.title}” is on your delegation's list.")
    return redirect(action.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every field of one of the delegation's actions. With htmx the form replaces the action
    in the list, and a save brings the whole list back."""
    action = _own_action(request, slug, pk)
    agenda_item = action.agenda_item
    form_args = {
        "agenda_item": agenda_item,
        "delegation": request.user.delegation,
        # Ids of its own: in place, the form shares the page with the form that adds one.
        "auto_id": f"action_{action.pk}_%s",
    }
    if request.method == "POST":
        form = FollowUpActionForm(request.POST, instance=action, **form_args)
        if form.is_valid():
            form.save()
            if request.htmx:
                return _tracker_part(request, agenda_item, "follow-up-actions")
            messages.success(request, "Your changes are saved.")
            return redirect(action.get_absolute_url())
    else:
        form = FollowUpActionForm(instance=action, **form_args)
    context = {"agenda_item": agenda_item, "action": action, "form": form}
    if request.htmx:
        response = render(request, "resolutions/agenda_action_edit.html#action-edit", context)
        if request.method == "POST":
            # The save target is the whole list; a form with errors goes back in place.
            response = reswap(retarget(response, f"#action-{action.pk}"), "outerHTML")
    else:
        status = 400 if form.is_bound else 200
        response = render(request, "resolutions/agenda_action_edit.html", context, status=status)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def action_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Moves an action to open, in progress or done."""
    action = _own_action(request, slug, pk)
    form = FollowUpActionStatusForm(request.POST)
    if form.is_valid():
        action.status = form.cleaned_data["status"]
        action.save(update_fields=["status", "updated_at"])
    elif not request.htmx:
        messages.error(request, " ".join(form.errors["status"]))
    if request.htmx:
        return _tracker_part(request, action.agenda_item, "follow-up-actions")
    return redirect(action.get_absolute_url())


@login_required
@require_POST
def action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _own_action(request, slug, pk)
    agenda_item = action.agenda_item
    action.delete()
    if request.htmx:
        return _tracker_part(request, agenda_item, "follow-up-actions")
    messages.success(request, f"“{action.title}” is removed from your delegation's list.")
    return redirect(agenda_item.get_absolute_url() + "#follow-up-actions")


# Shared milestones and sessions (editors) --------------------------------------------------


def _editor(request) -> None:
    if not request.user.is_editor:
        raise PermissionDenied("Only editors change the shared milestones.")


def _save_milestone(request, form: MilestoneForm, agenda_item: AgendaItem) -> Milestone:
    milestone = form.save(commit=False)
    milestone.agenda_item = agenda_item
    milestone.updated_by = request.user
    milestone.updated_at = timezone.now()
    milestone.save()
    return milestone


@login_required
@require_POST
def milestone_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Adds a shared milestone, with its source."""
    _editor(request)
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = MilestoneForm(request.POST, auto_id="milestone_%s")
    if not form.is_valid():
        if request.htmx:
            return _tracker_part(request, agenda_item, "milestones", milestone_form=form)
        context = tracker_context(request, agenda_item, milestone_form=form)
        return render(request, TRACKER, context, status=400)
    milestone = _save_milestone(request, form, agenda_item)
    if request.htmx:
        return _tracker_part(request, agenda_item, "milestones")
    messages.success(request, f"The milestone “{milestone.title}” is added.")
    return redirect(f"{agenda_item.get_absolute_url()}#milestone-{milestone.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Changes a shared milestone; in place with htmx, as a page of its own without."""
    _editor(request)
    milestone = get_object_or_404(
        Milestone.objects.select_related("agenda_item"), agenda_item__slug=slug, pk=pk
    )
    agenda_item = milestone.agenda_item
    auto_id = f"milestone_{milestone.pk}_%s"
    if request.method == "POST":
        form = MilestoneForm(request.POST, instance=milestone, auto_id=auto_id)
        if form.is_valid():
            _save_milestone(request, form, agenda_item)
            if request.htmx:
                return _tracker_part(request, agenda_item, "milestones")
            messages.success(request, "The milestone is saved.")
            return redirect(f"{agenda_item.get_absolute_url()}#milestone-{milestone.pk}")
    else:
        form = MilestoneForm(instance=milestone, auto_id=auto_id)
    context = {"agenda_item": agenda_item, "milestone": milestone, "form": form}
    if request.htmx:
        response = render(request, "resolutions/agenda_milestone_edit.html#milestone-edit", context)
        if request.method == "POST":
            response = reswap(retarget(response, f"#milestone-{milestone.pk}"), "outerHTML")
    else:
        status = 400 if form.is_bound else 200
        response = render(request, "resolutions/agenda_milestone_edit.html", context, status=status)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def listing_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Records the item at a session: a new session, or the item number of one already
    listed (its documents stay with it)."""
    _editor(request)
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = AgendaListingForm(request.POST, auto_id="listing_%s")
    if not form.is_valid():
        if request.htmx:
            return _tracker_part(request, agenda_item, "sessions", listing_form=form)
        context = tracker_context(request, agenda_item, listing_form=form)
        return render(request, TRACKER, context, status=400)
    listing, created = services.agenda_listing_record(
        agenda_item=agenda_item,
        session=form.cleaned_data["session"],
        item_number=form.cleaned_data["item_number"],
        note=form.cleaned_data["note"],
    )
    if request.htmx:
        return _tracker_part(request, agenda_item, "sessions")
    title = session_title(listing.session)
    messages.success(request, f"{title} {'added' if created else 'updated'}.")
    return redirect(agenda_item.get_absolute_url() + "#sessions")


# The calendar ------------------------------------------------------------------------------


def _calendar_response(request, agenda_item: AgendaItem, user) -> HttpResponse:
    actions = FollowUpAction.objects.visible_to(user).filter(agenda_item=agenda_item).for_display()
    body = follow_up_calendar(
        name=f"{agenda_item.title} — follow-up",
        milestones=Milestone.objects.filter(agenda_item=agenda_item),
        actions=actions,
        tracker_url=request.build_absolute_uri(agenda_item.get_absolute_url()),
        uid_domain=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{agenda_item.slug}.ics"'
    # A delegation's actions are in it: no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=0"
    return response


@require_GET
def agenda_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The item's milestones, with the logged-in delegate's delegation's actions."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    response = _calendar_response(request, agenda_item, request.user)
    response["Vary"] = "Cookie"
    return response


@require_GET
def agenda_calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The same calendar for the holder of a user's secret address, with no session: what a
    calendar app subscribes to."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    response = _calendar_response(request, agenda_item, feed.user)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_feed_reset(request: HttpRequest, slug: str) -> HttpResponse:
    """Makes the user's secret calendar address (again: the old one stops working)."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    CalendarFeed.objects.reset_for(request.user)
    if request.htmx:
        return _tracker_part(request, agenda_item, "calendar-feed")
    messages.success(
        request, "Your private calendar address is ready; the old one, if any, no longer works."
    )
    return redirect(agenda_item.get_absolute_url() + "#calendar")
