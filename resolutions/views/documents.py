"""The home page and the reading view of a document."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from resolutions.htmx import HtmxHttpRequest, partial_renderer, render_page
from resolutions.models import AgendaItem, Document, FollowUpAction
from resolutions.pages import documents as by_slug
from resolutions.pages.reading import ReadingPage, Render, with_fresh_forms
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


READING = "resolutions/document_detail.html"


def _reading_parts(request: HtmxHttpRequest) -> Render:
    """Renders a named partial of the reading page for the reader of ``request``."""
    return partial_renderer(request, READING)


def _reading_document(slug: str) -> Document:
    return by_slug.document_or_404(slug, by_slug.READING)


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

    Each paragraph is cached for each reader until its notes or proposals change, the rest
    until the document changes (``ReadingPage``). With ``bound_form``, ``(paragraph id,
    form)``, a note could not be saved without JavaScript: the page comes back, uncached,
    with that form, its errors and the delegate's text; ``bound_proposal_form`` is the same
    for a proposal.
    """
    document = _reading_document(slug)
    page = ReadingPage(
        document,
        request.user,
        bound_form,
        bound_proposal_form,
        render=_reading_parts(request),
    )
    response = render(request, READING, {"document": document, "page": page}, status=status)
    return with_fresh_forms(request, response)


document_detail_view = require_safe(document_detail)


@require_safe
def paragraph_detail(request: HtmxHttpRequest, slug: str, label: str) -> HttpResponse:
    """One paragraph of the reading page, as the page shows it to the reader (the same
    rendering, from the same cache): with its notes and proposals and a link back to the
    whole document. htmx gets the paragraph alone: an open reading page fetches it again
    when the paragraph changes."""
    document = _reading_document(slug)
    page = ReadingPage(document, request.user, render=_reading_parts(request))
    paragraph = page.paragraph(label)
    if paragraph is None:
        raise Http404(f"{document.symbol} has no paragraph {label}.")
    place = next(place for place in page.places if place.label == label)
    response = render_page(
        request,
        "resolutions/paragraph_detail.html",
        {"document": document, "paragraph": paragraph, "place": place},
        partial="paragraph",
    )
    return with_fresh_forms(request, response)


@require_safe
def document_go_to(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The "Go to paragraph" field without JavaScript: redirects to the paragraph typed in
    ``paragraph`` ("OP6", "op6(a)", "6"), or back to the document saying there is none."""
    document = by_slug.document_or_404(slug)
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
