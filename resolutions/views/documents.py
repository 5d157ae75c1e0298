"""The home page and the reading view of a document."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import AgendaItem, Document, FollowUp, FollowUpAction, Sponsorship
from ..reading import cited_documents, notes_by_paragraph, reading_text, sponsor_sentence

NEXT_ACTIONS = 5


@require_GET
def home(request: HttpRequest) -> HttpResponse:
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
    request: HttpRequest, slug: str, *, bound_form=None, status: int = 200
) -> HttpResponse:
    """The document as issued: header, sponsors, title, preamble, operative part and
    footnotes, each paragraph with its permalink; for a logged-in delegate, each paragraph's
    notes and a form to add one.

    ``bound_form`` is ``(paragraph id, form)`` when a note could not be saved without
    JavaScript: the page comes back with that form, its errors and the delegate's text.
    """
    document = get_object_or_404(
        Document.objects.select_related("agenda_listing__agenda_item", "revision_of"), slug=slug
    )
    sponsorships = list(Sponsorship.objects.printed_for(document))
    text = reading_text(document)
    # What operative paragraphs ask for, linked to the tracker: one query.
    follow_ups = FollowUp.objects.by_paragraph(document)
    for item in text.all_paragraphs():
        item.follow_ups = follow_ups.get(item.paragraph.pk, [])
    if request.user.is_authenticated:
        paragraphs = [item.paragraph for item in text.all_paragraphs()]
        notes = notes_by_paragraph(document, request.user, paragraphs)
        if bound_form is not None:
            paragraph_id, form = bound_form
            notes[paragraph_id].form = form
            notes[paragraph_id].open = True
        for item in text.all_paragraphs():
            item.notes = notes[item.paragraph.pk]
    return render(
        request,
        "resolutions/document_detail.html",
        {
            "document": document,
            "sponsorships": sponsorships,
            "sponsor_sentence": sponsor_sentence(
                [s.name_as_printed for s in sponsorships], document
            ),
            "text": text,
            "cited": cited_documents(text),
        },
        status=status,
    )


document_detail_view = require_GET(document_detail)
