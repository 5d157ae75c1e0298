"""Sponsors of a document by region, recording later lists, and comparing lists."""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_safe

from resolutions import services
from resolutions.formats.spreadsheets import SPONSOR_COLUMNS, csv_response, sponsor_rows
from resolutions.forms import SponsorListForm
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Document
from resolutions.pages.documents import document_or_404
from resolutions.pages.shared import SHARED_SECONDS, reader_page, shared_key, shared_response
from resolutions.pages.sponsors import (
    SponsorComparison,
    SponsorOverview,
    UnknownDocument,
    compare_sponsor_lists,
    parse_document_reference,
    sponsor_overview,
)
from resolutions.permissions import editor_required, may_edit_shared
from resolutions.rendering import rendered_html
from resolutions.un.state_names import PastedListError


def _overview(request: HtmxHttpRequest, document: Document) -> SponsorOverview:
    return sponsor_overview(document, request.GET.get("group", ""), request.GET.get("region", ""))


@require_safe
def sponsor_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The sponsors in the document's order, filtered by ``?group=`` and ``?region=``, with
    the share of each regional group and M49 region, and who is not sponsoring.

    The same for every reader but editors (who are offered to record a list): the page's
    body is cached under the document's version and the query string, and the overview is
    worked out only when the body is built. A delegate's whole page, header included, is
    kept for them by the process (``reader_page``)."""
    document = document_or_404(slug)
    key = shared_key(
        "sponsors", [document], request.GET, bool(request.htmx), may_edit_shared(request.user)
    )
    context = {
        "overview": SimpleLazyObject(lambda: _overview(request, document)),
        "document": document,
        "shared_key": key,
        "shared_seconds": SHARED_SECONDS,
    }
    return reader_page(
        request,
        key,
        lambda: render_page(request, "resolutions/sponsors.html", context, partial="sponsor-table"),
    )


@require_safe
def sponsor_list_json(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    document = document_or_404(slug)

    def build() -> HttpResponse:
        overview = _overview(request, document)
        if overview.errors:
            return JsonResponse({"error": " ".join(overview.errors)}, status=400)
        return JsonResponse(overview.as_json(), json_dumps_params={"ensure_ascii": False})

    return shared_response(shared_key("sponsors.json", [document], request.GET), build)


@require_safe
def sponsor_list_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    document = document_or_404(slug)

    def build() -> HttpResponse:
        rows = _overview(request, document).rows
        return csv_response(f"{slug}-sponsors.csv", SPONSOR_COLUMNS, sponsor_rows(rows))

    return shared_response(shared_key("sponsors.csv", [document], request.GET), build)


@editor_required("Only editors record sponsor lists.")
@require_http_methods(["GET", "HEAD", "POST"])
def sponsor_list_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Editors record a later sponsor list: a full list, or the states that joined."""
    document = document_or_404(slug)
    form = SponsorListForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            sponsor_list = services.sponsor_list_record(document=document, **form.cleaned_data)
        except services.SponsorListLabelTaken as taken:
            # Recorded by another editor since the form checked the label.
            form.add_error("label", taken.message)
        else:
            messages.success(
                request,
                f"Recorded “{sponsor_list.label}”: {sponsor_list.sponsorships.count()} sponsors.",
            )
            return redirect("resolutions:sponsor_list", slug)
    return render(
        request,
        "resolutions/sponsor_list_new.html",
        {"document": document, "form": form},
        status=400 if form.errors else 200,
    )


def _comparison(request: HtmxHttpRequest) -> tuple[SponsorComparison | None, str | None]:
    """The comparison the query string asks for, or the reason it cannot be made."""
    references = request.GET.getlist("documents")
    pasted = request.GET.get("pasted", "")
    try:
        return compare_sponsor_lists(references, pasted), None
    except UnknownDocument as error:
        raise Http404(str(error)) from None
    except (PastedListError, ValueError) as error:
        return None, str(error)


COMPARE = "resolutions/sponsors_compare.html"


def _comparison_html(request: HtmxHttpRequest) -> str:
    """The comparison the query string asks for, rendered: the same for every reader but
    editors (who are offered to record new sponsors), so cached under each compared
    document's version and the query string. A comparison that cannot be made (a document
    not held, fewer than two lists, an empty paste) is never cached: once the document is
    imported, or a list recorded, the same address must give the comparison."""
    may_edit = may_edit_shared(request.user)
    slugs = {
        parse_document_reference(reference)[0] for reference in request.GET.getlist("documents")
    }
    documents = list(Document.objects.filter(slug__in=slugs).order_by("pk"))
    key = None
    if len(documents) == len(slugs):
        key = shared_key("sponsors-compare", documents, request.GET, may_edit)
        cached = cache.get(key)
        if cached is not None:
            return cached
    comparison, error = _comparison(request)
    html = render_to_string(
        f"{COMPARE}#comparison-body",
        {"comparison": comparison, "error": error, "may_edit": may_edit},
    )
    if key is not None and error is None:
        cache.set(key, html, SHARED_SECONDS)
    return html


@require_safe
def sponsors_compare(request: HtmxHttpRequest) -> HttpResponse:
    """Two or more sponsor lists side by side: documents' latest lists, named snapshots
    (``slug@label``) and a pasted list, all in the query string. The form lists every
    document and is read on each view; the comparison is built once per change to the
    documents compared."""
    return render_page(
        request,
        COMPARE,
        {
            "comparison_html": rendered_html(_comparison_html(request)) if request.GET else "",
            "documents": Document.objects.order_by("symbol").prefetch_related("sponsor_lists"),
            "selected": request.GET.getlist("documents"),
            "pasted": request.GET.get("pasted", ""),
        },
        partial="comparison",
    )


@require_safe
def sponsors_compare_json(request: HtmxHttpRequest) -> HttpResponse:
    comparison, error = _comparison(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    return JsonResponse(comparison.as_json(), json_dumps_params={"ensure_ascii": False})
