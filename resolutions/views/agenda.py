"""The agenda items and the tracker of one item across sessions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import AgendaItem, AgendaListing


@require_GET
def agenda_item_list(request: HttpRequest) -> HttpResponse:
    """Every agenda item, each linked to its tracker."""
    return render(
        request,
        "resolutions/agenda_item_list.html",
        {"agenda_items": AgendaItem.objects.prefetch_related("listings")},
    )


@require_GET
def agenda_item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One agenda item: its listing session by session with the documents under it."""
    agenda_item = get_object_or_404(AgendaItem, slug=slug)
    listings = AgendaListing.objects.filter(agenda_item=agenda_item).prefetch_related("documents")
    return render(
        request,
        "resolutions/agenda_item_detail.html",
        {"agenda_item": agenda_item, "listings": listings},
    )
