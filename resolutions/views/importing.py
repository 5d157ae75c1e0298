"""Importing a document from its text (editors), and its exports (everyone).

The import is two steps with nothing kept on the server in between: the first POST parses
the text and shows the preview; the preview's form carries the text back in a hidden field,
and the second POST (with ``save``) parses it again and saves it in one transaction.
"""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_safe

from resolutions.formats.akn import ExportedDocument, document_akn, document_json
from resolutions.forms import ImportForm
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Document
from resolutions.pages.shared import shared_key, shared_response
from resolutions.pages.versions import document_versions
from resolutions.permissions import editor_required
from resolutions.services import importing

IMPORT_TEMPLATE = "resolutions/import.html"


@editor_required(
    "Only editors can import documents, because an imported document is shared with every "
    "delegation."
)
@require_http_methods(["GET", "HEAD", "POST"])
def document_import(request: HtmxHttpRequest) -> HttpResponse:
    """GET: the import form. POST: the preview of what the text holds, or (with ``save``)
    the import itself, then the new document's page. Editors only; others get a 403 page
    that says so."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        try:
            document = importing.import_document(form.plan)
        except importing.ImportRefused as refused:
            form.refuse(refused)
        else:
            messages.success(request, f"Imported {form.plan.summary()}.")
            return redirect(document)
    return render_page(
        request,
        IMPORT_TEMPLATE,
        {"form": form, "plan": form.plan},
        partial="import-step",
        failed=bool(form.errors),
    )


def _document_for_export(slug: str) -> Document:
    return get_object_or_404(
        Document.objects.select_related("agenda_listing", "revision_of"), slug=slug
    )


@require_safe
def document_export_akn(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The document as Akoma Ntoso 3.0 XML (AKN4UN); eIds are the page's paragraph ids.
    The same for every reader: built once per version of the document."""
    document = _document_for_export(slug)

    def build() -> HttpResponse:
        exported = ExportedDocument.load(document)
        response = HttpResponse(
            document_akn(exported), content_type="application/akn+xml; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{slug}.akn.xml"'
        return response

    return shared_response(shared_key("akn", [document], request.GET), build)


@require_safe
def document_export_json(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The same content as the XML, as JSON, with the document's versions (oldest first).
    Built once per version of the document and address of the site (the versions' links
    are absolute)."""
    document = _document_for_export(slug)

    def build() -> HttpResponse:
        exported = ExportedDocument.load(document)
        data = document_json(exported)
        data["versions"] = document_versions(document).as_data(request.build_absolute_uri)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    site = request.build_absolute_uri("/")
    return shared_response(shared_key("json", [document], request.GET, site), build)
