"""The agenda items and the follow-up tracker of one item: its sessions, its history, the
milestones (editors keep them), what the draft's operative paragraphs ask for, each
delegation's own actions, and the item's calendar.

A delegation's actions are found through ``FollowUpAction.objects.visible_to(user)``: another
delegation's action answers 404, so its existence does not leak.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from resolutions import services
from resolutions.formats.calendar_feed import follow_up_calendar
from resolutions.forms import (
    AgendaListingForm,
    FollowUpActionForm,
    FollowUpActionStatusForm,
    MilestoneForm,
)
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import AgendaItem, CalendarFeed, FollowUpAction, Milestone
from resolutions.pages.tracker import agenda_list, tracker_page
from resolutions.permissions import delegation_required, editor_required

TRACKER = "resolutions/agenda_item_detail.html"
ONLY_EDITORS = "Only editors change the shared milestones and sessions."


@require_safe
def agenda_item_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every agenda item, each linked to its tracker, with the next thing due under it."""
    return render(request, "resolutions/agenda_item_list.html", {"rows": agenda_list(request.user)})


@require_safe
def agenda_item_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The tracker of one agenda item."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    return render(request, TRACKER, vars(tracker_page(request, agenda_item)))


def _tracker(
    request: HtmxHttpRequest, agenda_item: AgendaItem, partial: str, **forms
) -> HttpResponse:
    """The tracker, or for htmx its part ``partial``; with a bound form that has errors,
    the form comes back in its place (a 400 without htmx). Called after a write, so the
    item's version is read again: the one read before the write names the parts as they
    were."""
    agenda_item.refresh_from_db(fields=["cache_version"])
    page = tracker_page(request, agenda_item, **forms)
    failed = any(form is not None and form.errors for form in forms.values())
    return render_page(request, TRACKER, vars(page), partial=partial, failed=failed)


# A delegation's actions --------------------------------------------------------------------


def _own_action(request: HtmxHttpRequest, slug: str, pk: int) -> FollowUpAction:
    """One of the delegation's actions; anyone else's answers 404."""
    return get_object_or_404(
        FollowUpAction.objects.visible_to(request.user).select_related("agenda_item"),
        agenda_item__slug=slug,
        pk=pk,
    )


@delegation_required
@require_POST
def action_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Adds an action for the delegate's delegation. htmx gets the actions part back; a
    plain POST is redirected to the new action (or, with errors, gets the page back)."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = FollowUpActionForm(
        request.POST, agenda_item=agenda_item, delegation=request.user.delegation
    )
    if not form.is_valid():
        return _tracker(request, agenda_item, "follow-up-actions", action_form=form)
    # Sent twice (a double click), the form adds one action and both answers show it.
    action = services.action_create(
        agenda_item=agenda_item,
        delegation=request.user.delegation,
        created_by=request.user,
        **form.cleaned_data,
    )
    if request.htmx:
        return _tracker(request, agenda_item, "follow-up-actions")
    messages.success(request, f"“{action.title}” is on your delegation's list.")
    return redirect(action.get_absolute_url())


def _edit_in_place(request: HtmxHttpRequest, kind: str, context: dict) -> HttpResponse:
    """The edit form of an action or a milestone (``kind``): a page of its own, or with
    htmx in place of its row. A save with htmx targets the whole list, so a form with errors
    is put back in the row."""
    form, row = context["form"], context[kind]
    response = render_page(
        request,
        f"resolutions/agenda_{kind}_edit.html",
        context,
        partial=f"{kind}-edit",
        failed=form.is_bound,
    )
    if request.htmx and request.method == "POST":
        response = reswap(retarget(response, f"#{kind}-{row.pk}"), "outerHTML")
    return response


@delegation_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
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
                return _tracker(request, agenda_item, "follow-up-actions")
            messages.success(request, "Your changes are saved.")
            return redirect(action.get_absolute_url())
    else:
        form = FollowUpActionForm(instance=action, **form_args)
    context = {"agenda_item": agenda_item, "action": action, "form": form}
    return _edit_in_place(request, "action", context)


@delegation_required
@require_POST
def action_status(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Moves an action to open, in progress or done."""
    action = _own_action(request, slug, pk)
    form = FollowUpActionStatusForm(request.POST)
    if form.is_valid():
        action.status = form.cleaned_data["status"]
        action.save(update_fields=["status", "updated_at"])
    if request.htmx:
        return _tracker(request, action.agenda_item, "follow-up-actions")
    if form.errors:
        messages.error(request, " ".join(form.errors["status"]))
    return redirect(action.get_absolute_url())


@delegation_required
@require_POST
def action_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    action = _own_action(request, slug, pk)
    agenda_item = action.agenda_item
    action.delete()
    if request.htmx:
        return _tracker(request, agenda_item, "follow-up-actions")
    messages.success(request, f"“{action.title}” is removed from your delegation's list.")
    return redirect(agenda_item.get_absolute_url() + "#follow-up-actions")


# Shared milestones and sessions (editors) --------------------------------------------------


@editor_required(ONLY_EDITORS)
@require_POST
def milestone_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Adds a shared milestone, with its source."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = MilestoneForm(request.POST, auto_id="milestone_%s")
    if not form.is_valid():
        return _tracker(request, agenda_item, "milestones", milestone_form=form)
    milestone = services.milestone_create(
        agenda_item=agenda_item, updated_by=request.user, **form.cleaned_data
    )
    if request.htmx:
        return _tracker(request, agenda_item, "milestones")
    messages.success(request, f"The milestone “{milestone.title}” is added.")
    return redirect(f"{agenda_item.get_absolute_url()}#milestone-{milestone.pk}")


@editor_required(ONLY_EDITORS)
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Changes a shared milestone; in place with htmx, as a page of its own without."""
    milestone = get_object_or_404(
        Milestone.objects.select_related("agenda_item"), agenda_item__slug=slug, pk=pk
    )
    agenda_item = milestone.agenda_item
    auto_id = f"milestone_{milestone.pk}_%s"
    if request.method == "POST":
        form = MilestoneForm(request.POST, instance=milestone, auto_id=auto_id)
        if form.is_valid():
            services.milestone_update(milestone=form.save(commit=False), updated_by=request.user)
            if request.htmx:
                return _tracker(request, agenda_item, "milestones")
            messages.success(request, "The milestone is saved.")
            return redirect(f"{agenda_item.get_absolute_url()}#milestone-{milestone.pk}")
    else:
        form = MilestoneForm(instance=milestone, auto_id=auto_id)
    context = {"agenda_item": agenda_item, "milestone": milestone, "form": form}
    return _edit_in_place(request, "milestone", context)


@editor_required(ONLY_EDITORS)
@require_POST
def listing_save(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Records the item at a session: a new session, or the item number of one already
    listed (its documents stay with it)."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    form = AgendaListingForm(request.POST, auto_id="listing_%s")
    if not form.is_valid():
        return _tracker(request, agenda_item, "sessions", listing_form=form)
    listing, created = services.agenda_listing_record(
        agenda_item=agenda_item,
        session=form.cleaned_data["session"],
        item_number=form.cleaned_data["item_number"],
        note=form.cleaned_data["note"],
    )
    if request.htmx:
        return _tracker(request, agenda_item, "sessions")
    messages.success(request, f"{listing.session_title} {'added' if created else 'updated'}.")
    return redirect(agenda_item.get_absolute_url() + "#sessions")


# The calendar ------------------------------------------------------------------------------


def _calendar_response(request: HtmxHttpRequest, agenda_item: AgendaItem, user) -> HttpResponse:
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
    return response


@require_safe
def agenda_calendar(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The item's milestones, with the logged-in delegate's delegation's actions."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    response = _calendar_response(request, agenda_item, request.user)
    response["Vary"] = "Cookie"
    return response


# Made for a user who is not logged in, so PrivateResponseMiddleware cannot tell: the
# view says itself that the delegation's actions in it are for no cache to keep.
@cache_control(private=True, no_store=True)
@require_safe
def agenda_calendar_feed(request: HtmxHttpRequest, slug: str, token: str) -> HttpResponse:
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
def calendar_feed_reset(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Makes the user's secret calendar address (again: the old one stops working)."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    CalendarFeed.objects.reset_for(request.user)
    if request.htmx:
        return _tracker(request, agenda_item, "calendar-feed")
    messages.success(
        request, "Your private calendar address is ready; the old one, if any, no longer works."
    )
    return redirect(agenda_item.get_absolute_url() + "#calendar")
