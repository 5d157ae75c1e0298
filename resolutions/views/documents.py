"""The home page and the reading view of a document."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from resolutions.htmx import HtmxHttpRequest
from resolutions.models import AgendaItem, Document, FollowUpAction
from resolutions.pages.reading import (
    PAGE_SECONDS,
    ReadingPage,
    fresh_form_fields,
    reading_page_key,
)
from resolutions.un.paragraph_labels import find_label
from resolutions.un.symbols import normalise_space

NEXT_ACTIONS = 5


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Lists the documents and the agenda items they are issued under and, for a delegate,
    their delegation's next open actions."""
    return render(
        request,
        "resolutions/home.html",
        {
            "documents": Document.objects.for_listing(),
            "agenda_items": AgendaItem.objects.all(),
            "next_actions": FollowUpAction.objects.visible_to(request.user)
            .pending()
            .for_display()[:NEXT_ACTIONS],
        },
    )


def document_detail(
    request: HtmxHttpRequest,
    slug: str,
    *,
    bound_form=None,
    bound_proposal_form=None,
    status: int = 200,
) -> HttpResponse:
    """The document as issued: header, sponsors, title, preamble, operative part and
    footnotes, each paragraph with its permalink; for a logged-in delegate, each paragraph's
    notes and a form to add one, and the proposals on it with a form to propose.

    The rendered document is cached for each reader until the document changes. With
    ``bound_form``, ``(paragraph id, form)``, a note could not be saved without JavaScript:
    the page comes back, uncached, with that form, its errors and the delegate's text;
    ``bound_proposal_form`` is the same for a proposal.
    """
    bound = bound_form is not None or bound_proposal_form is not None
    document = get_object_or_404(
        Document.objects.select_related("agenda_listing__agenda_item", "revision_of")
        .with_adoption()
        .with_later_revision(),
        slug=slug,
    )
    response = render(
        request,
        "resolutions/document_detail.html",
        {
            "document": document,
            "page": ReadingPage(document, request.user, bound_form, bound_proposal_form),
            "page_key": None if bound else reading_page_key(document, request.user),
            "page_seconds": PAGE_SECONDS,
        },
        status=status,
    )
    if request.user.is_authenticated:
        # The margins' forms, cached with the page, leave with this response's values.
        response.content = fresh_form_fields(response.content.decode(), get_token(request))
    return response


document_detail_view = require_safe(document_detail)


@require_safe
def document_go_to(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The "Go to paragraph" field without JavaScript: redirects to the paragraph typed in
    ``paragraph`` ("OP6", "op6(a)", "6"), or back to the document saying there is none."""
    document = get_object_or_404(Document, slug=slug)
    typed = normalise_space(request.GET.get("paragraph", ""))
    label = find_label(typed, document.paragraphs.values_list("label", flat=True))
    if label is None:
        messages.error(
            request,
            f"There is no paragraph “{typed[:30]}” in {document.symbol}."
            if typed
            else "Type the paragraph to go to, such as OP6 or PP3.",
        )
        return redirect(f"{document.get_absolute_url()}#go-to-paragraph")
    return redirect(f"{document.get_absolute_url()}#{label}")
