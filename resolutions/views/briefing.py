"""The printable briefing of a document."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from resolutions.forms import BriefingForm
from resolutions.htmx import HtmxHttpRequest
from resolutions.pages.briefing import build_briefing
from resolutions.pages.documents import BRIEFING, document_or_404
from resolutions.pages.versions import document_versions


@require_safe
def document_briefing(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Cover, key facts, the text with the chosen notes, and the follow-up, for the logged-in
    delegate (anonymous readers get it without notes). Sections and notes are chosen in the
    query string; with none, the user's own and delegation's notes are in. The notes print
    under their paragraph, or at the end with ``notes_at=end``; the documents cited print as
    symbols, with their addresses when ``addresses=1``."""
    document = document_or_404(slug, BRIEFING)
    form = BriefingForm.from_query(request.GET)
    sections, scopes, tag = form.options()
    notes_at_end, addresses = form.layout()
    briefing = build_briefing(
        document,
        request.user,
        sections,
        scopes,
        tag,
        notes_at_end=notes_at_end,
        addresses=addresses,
    )
    return render(
        request,
        "resolutions/briefing.html",
        {
            "document": document,
            "briefing": briefing,
            "form": form,
            "briefing_versions": document_versions(document),
        },
    )
