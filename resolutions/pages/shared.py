"""Pages, and parts of pages, that are the same for every reader: the sponsors page and its
CSV and JSON twins, the comparison of sponsor lists, the comparison of two versions' text,
and a document's exports. Each is built once per change to what it shows and served from
the cache until then. (The tracker's shared parts are keyed by their agenda item's version:
``pages.tracker.shared_tracker``.)

What they show is read from documents, so their keys carry each document's
``cache_version``, which every write to a document's text, sponsor lists, agenda listing or
follow-ups moves on (see ``DocumentQuerySet.mark_changed``); and the query string, sorted, so
that ``?group=weog&region=Europe`` and ``?region=Europe&group=weog`` are one page. What
differs per reader (the header with the delegate's name and inbox, CSRF tokens, messages)
stays outside the cached part."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import get_script_prefix
from django.utils.cache import patch_vary_headers

from resolutions.models import Document
from resolutions.pages.inbox import inbox_count
from resolutions.pages.reading import forget_issued_texts, with_fresh_forms

# A version's pages are never served once it changes, so the time only frees memory from
# entries nobody asks for (timed from when an entry was written).
SHARED_SECONDS = 60 * 60


def shared_key(kind: str, documents: list[Document], query: QueryDict, *variants: object) -> str:
    """The key of ``kind`` of page about ``documents``: their ids and cache versions, the
    query string with its parameters in a fixed order, and ``variants`` (whatever else the
    output depends on, such as whether the reader is an editor), as a digest: five compared
    documents and their query string run past the 250 characters a cache key may safely
    have, and the query string is whatever the address says."""
    versions = ".".join(f"{document.pk}:{document.cache_version}" for document in documents)
    ordered = urlencode(sorted(query.lists()), doseq=True)
    said = "\x00".join([versions, ordered, *(str(v) for v in variants)])
    return f"shared.{kind}.{hashlib.sha256(said.encode()).hexdigest()}"


@dataclass(frozen=True)
class SharedBody:
    """A response's status, content type and bytes, as the cache keeps them."""

    status: int
    content_type: str
    content: bytes
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def shared_response(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response cached under ``key``, or ``build()``'s, cached for the next reader.
    ``build`` runs only on a miss, so a page served from the cache runs none of its queries."""

    def body() -> SharedBody:
        response = build()
        headers = tuple(
            (name, response[name]) for name in ("Content-Disposition",) if response.has_header(name)
        )
        return SharedBody(response.status_code, response["Content-Type"], response.content, headers)

    return cache.get_or_set(key, body, SHARED_SECONDS).response()


def reader_page(request: HttpRequest, key: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s page for a delegate, kept whole by this process for the next time the
    same reader asks for it, with the CSRF tokens of each response its own.

    ``key`` says what the page shows (``shared_key``: the documents' versions, the query
    string, whether the reader may edit), the same for every reader; the layout around it
    differs only by what the kept copy's key adds: the reader, their name, whether they
    are an editor, their unread count, whether the page listens for live events, and the
    address the app is served under. Rendering the layout and fetching the body from the
    shared cache was most of a request for such a page. A page with messages to show, a
    visitor's (its login link carries the address) and htmx's parts are rendered as
    usual. A copy is a few tens of kilobytes; the least recently read are dropped
    (``READER_PAGES_KEPT``)."""
    user = request.user
    if getattr(request, "htmx", False) or not user.is_authenticated or len(get_messages(request)):
        return render()
    said = "\x00".join(
        str(fact)
        for fact in (
            key,
            user.pk,
            user.get_username(),
            user.is_editor,
            inbox_count(request).unread,
            isinstance(request, ASGIRequest),
            get_script_prefix(),
        )
    )
    kept_key = f"reader-page.{hashlib.sha256(said.encode()).hexdigest()}"
    pages = caches["reader_pages"]
    kept = pages.get(kept_key)
    if kept is None:
        response = render()
        if response.status_code != 200:
            return response
        kept = SharedBody(200, response["Content-Type"], response.content)
        pages.set(kept_key, kept)
    response = kept.response()
    patch_vary_headers(response, ["HX-Request"])
    return with_fresh_forms(request, response)


def forget_what_this_process_keeps() -> None:
    """Drop what this process keeps beside the cache, as emptying the cache drops the
    cache's: the texts as issued (``reading.document_as_issued``), the layout's fragments
    (the ``process`` cache) and the pages kept for their readers (``reader_page``). For the
    benchmark's pages "with the cache emptied" and the tests; nothing else needs it, since
    what is kept depends only on its key."""
    forget_issued_texts()
    caches["process"].clear()
    caches["reader_pages"].clear()
