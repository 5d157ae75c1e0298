"""The inbox: a delegate's notifications, their JSON twin, opening one (which marks it
read) and marking one or all read. Only one's own notifications about what one may still
see are found: any other answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from resolutions import services
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Notification
from resolutions.pages.inbox import inbox_page

TEMPLATE = "resolutions/inbox.html"


def _own(request: HtmxHttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.visible_to(request.user).for_display(), pk=pk)


def _list(request: HtmxHttpRequest) -> HttpResponse:
    return render_page(request, TEMPLATE, {"page": inbox_page(request.user)}, partial="inbox")


@login_required
@require_safe
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    """The delegate's notifications, newest first, unread ones marked."""
    return _list(request)


@login_required
@require_safe
def inbox_link(request: HtmxHttpRequest) -> HttpResponse:
    """The header's link to the inbox, with its unread count: what an open page fetches
    again when told its reader's inbox changed."""
    return render(request, "resolutions/_inbox_link.html")


@login_required
@require_safe
def inbox_json(request: HtmxHttpRequest) -> JsonResponse:
    """The inbox as JSON: ``{"unread": 3, "items": [...]}``."""
    page = inbox_page(request.user)
    return JsonResponse({"unread": page.unread, "items": [line.as_json() for line in page.lines]})


@login_required
@require_safe
def inbox_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Go to what the notification is about, marking it read on the way."""
    notification = _own(request, pk)
    services.inbox_mark_read(request.user, notification.pk)
    return redirect(notification.get_absolute_url())


@login_required
@require_POST
def inbox_mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read: the list again for htmx, else back to the inbox."""
    services.inbox_mark_read(request.user, _own(request, pk).pk)
    return _list(request) if request.htmx else redirect("resolutions:inbox")


@login_required
@require_POST
def inbox_mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    """Mark every notification read."""
    services.inbox_mark_read(request.user)
    return _list(request) if request.htmx else redirect("resolutions:inbox")
