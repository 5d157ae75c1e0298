"""The search box's results."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from resolutions.htmx import HtmxHttpRequest
from resolutions.pages.search import search_results


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    """``/search/?q=<words>&notes=<open|resolved|orphaned>``: the paragraphs of every
    document and the notes the user may see that hold the words, by document. A search that
    cannot be made (too long, no word in it) answers 400 with the reason beside the box."""
    results = search_results(request.user, request.GET)
    return render(
        request,
        "resolutions/search.html",
        {"results": results, "search_text": results.text},
        status=400 if results.problems else 200,
    )
