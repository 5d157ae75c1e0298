"""Comparing two versions of a document paragraph by paragraph, and bringing a delegation's
notes from a document to its revision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from resolutions import services
from resolutions.htmx import HtmxHttpRequest
from resolutions.models import Document
from resolutions.pages.sponsors import sponsor_changes
from resolutions.pages.text_comparison import compare_documents, text_comparison_page


def _documents_from_query(request: HtmxHttpRequest) -> tuple[Document, Document] | None:
    """The two documents named by ``?a=&b=``; None when one is missing; 404 when unknown."""
    a_slug = request.GET.get("a", "").strip()
    b_slug = request.GET.get("b", "").strip()
    if not a_slug or not b_slug:
        return None
    documents = {d.slug: d for d in Document.objects.filter(slug__in=[a_slug, b_slug])}
    if a_slug not in documents or b_slug not in documents:
        raise Http404("No such document")
    return documents[a_slug], documents[b_slug]


@require_safe
def compare_text(request: HtmxHttpRequest) -> HttpResponse:
    """Two versions side by side in one column: each paragraph of the later version with the
    words inserted and deleted since the earlier one, the paragraphs only in one, and the
    counts. ``?show=changes`` hides the unchanged paragraphs. Without two documents, a form
    to choose them."""
    chosen = _documents_from_query(request)
    context = {
        "documents": Document.objects.order_by("symbol").only("symbol", "slug", "title"),
        "chosen_a": request.GET.get("a", ""),
        "chosen_b": request.GET.get("b", ""),
    }
    if chosen is not None:
        page = text_comparison_page(
            *chosen, request.user, only_changes=request.GET.get("show") == "changes"
        )
        context.update(vars(page))
    return render(request, "resolutions/compare_text.html", context)


@require_safe
def compare_text_json(request: HtmxHttpRequest) -> HttpResponse:
    """``{"summary": {...}, "pairs": [{"a": label, "b": label, "status": ...}], "sponsors":
    {"a": count, "b": count, "added": [iso3], "withdrawn": [iso3]}}``: every paragraph and
    sub-paragraph of either version in exactly one pair; a version with no sponsor list
    counts ``null``."""
    try:
        chosen = _documents_from_query(request)
    except Http404:
        return JsonResponse({"error": "No document has that slug."}, status=404)
    if chosen is None:
        return JsonResponse(
            {"error": "Name the two documents to compare: ?a=<slug>&b=<slug>."}, status=400
        )
    result = compare_documents(*chosen).result
    return JsonResponse(
        {
            "summary": result.summary,
            "pairs": [{"a": p.a, "b": p.b, "status": p.status} for p in result.pairs],
            "sponsors": sponsor_changes(*chosen).as_json(),
        }
    )


@login_required
@require_POST
def annotations_carry_forward(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Brings the user's delegation's notes from the document this one revises onto this
    one (see ``services.annotations_carry_forward``), then shows this document."""
    target = get_object_or_404(Document.objects.select_related("revision_of"), slug=slug)
    source = target.revision_of
    if source is None:
        raise Http404("This document revises no other")
    result = services.annotations_carry_forward(user=request.user, source=source, target=target)
    if result.copied:
        text = f"{result.copied} note{'s' if result.copied != 1 else ''} brought from "
        text += f"{source.symbol}: {len(result.landed)} on their paragraphs"
        if result.orphaned:
            text += (
                f", {len(result.orphaned)} kept where their paragraph was, because it was "
                "deleted or its words changed: check them"
            )
        messages.success(request, text + ".")
    elif result.already_there:
        messages.info(request, f"Your notes from {source.symbol} are already here.")
    else:
        messages.info(request, f"You have no notes on {source.symbol} to bring across.")
    return redirect(target)
