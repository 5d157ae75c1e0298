"""Issuing the next revision of a document (its pen holders)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from resolutions import services
from resolutions.htmx import HtmxHttpRequest
from resolutions.models import Document
from resolutions.pages.revising import revise_page
from resolutions.permissions import pen_holder_required


@pen_holder_required(
    "Only the pen holder of this document issues its next revision: the delegations named "
    "as its pen holders, or the editors while none is named."
)
@require_http_methods(["GET", "HEAD", "POST"])
def document_revise(request: HtmxHttpRequest, document: Document) -> HttpResponse:
    """GET: what the next revision will hold (the accepted proposals applied, the
    paragraphs renumbered, what carries across) and the form to issue it. POST (``symbol``,
    ``carry_notes``): the revision issued, then its reading page; the page again, with the
    reason, when it cannot be."""
    page = revise_page(document, request.POST if request.method == "POST" else None)
    form = page.form
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.issue_revision(
                document,
                request.user,
                form.cleaned_data["symbol"],
                carry_notes=form.cleaned_data["carry_notes"],
            )
        except services.RevisionRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _issued_message(document, issued))
            return redirect(issued.document)
    return render(
        request,
        "resolutions/document_revise.html",
        {"document": document, "page": page},
        status=400 if form.errors else 200,
    )


def _issued_message(document: Document, issued: services.IssuedRevision) -> str:
    revision = issued.document
    text = (
        f"Issued {revision.symbol}: {issued.plan.summary()}. Every paragraph is open again; "
        f"proposals not yet decided stay on {document.symbol}."
    )
    carried = issued.carried
    if carried is not None and carried.copied:
        one = carried.copied == 1
        text += (
            f" {carried.copied} note{'' if one else 's'} of your delegation brought across: "
            f"{len(carried.landed)} on {'its paragraph' if one else 'their paragraphs'}"
        )
        if carried.orphaned:
            text += f", {len(carried.orphaned)} kept where their paragraph was, to check"
        text += "."
    return text
