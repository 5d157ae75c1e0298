"""The compilation text of a document, for logged-in delegates: the page, its JSON twin and
the Word file with tracked changes. Each takes the same filters from the query string."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from resolutions.formats.compilation import compilation_record
from resolutions.formats.word import CONTENT_TYPE, compilation_docx
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Document
from resolutions.pages.compilation import Compilation


def _compilation(request: HtmxHttpRequest, slug: str) -> Compilation:
    document = get_object_or_404(
        Document.objects.select_related("agenda_listing__agenda_item"), slug=slug
    )
    return Compilation(document, request.GET)


@login_required
@require_safe
def document_compilation(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The whole document with each paragraph's status and, under it, every tabled proposal
    as a tracked change with its proposer and stances; a status board at the top. Filters
    (``status``, ``delegation``, ``circle``) come from the query string; htmx gets the text
    alone."""
    compilation = _compilation(request, slug)
    return render_page(
        request,
        "resolutions/compilation.html",
        {"document": compilation.document, "compilation": compilation},
        partial="compilation-text",
    )


@login_required
@require_safe
def document_compilation_json(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    """The compilation as JSON, with the page's filters."""
    compilation = _compilation(request, slug)
    document_url = request.build_absolute_uri(compilation.document.get_absolute_url())
    return JsonResponse(
        compilation_record(compilation, document_url),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


@login_required
@require_safe
def document_compilation_docx(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The compilation as a Word document: the current text with every tabled proposal as a
    tracked revision by its delegation, and statuses and reasons as comments."""
    compilation = _compilation(request, slug)
    response = HttpResponse(compilation_docx(compilation), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}-compilation.docx"'
    return response
