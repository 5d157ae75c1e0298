"""A document found by the slug in its address, with what each kind of page reads of it.

The reading page, its paragraphs' notes and proposals, the briefing and the sponsors
pages start here, so the query runs on nearly every request: building it
with the ORM and compiling it to SQL took longer than the database took to answer it (a
document has twenty columns, the reading page's also its adoption and any later revision).
Each is a ``PreparedQuery``, built and compiled once per process, run with the slug."""

from __future__ import annotations

from django.http import Http404

from resolutions.models import Document
from resolutions.prepared import PreparedQuery


def _document(*, slug: str):
    return Document.objects.filter(slug=slug)


def _briefing(*, slug: str):
    return (
        Document.objects.select_related("agenda_listing__agenda_item", "revision_of")
        .with_adoption()
        .filter(slug=slug)
    )


def _reading(*, slug: str):
    return _briefing(slug=slug).with_later_revision()


#: The document's own row.
DOCUMENT = PreparedQuery(_document, texts=("slug",))
#: As the reading page shows it: its agenda item, the draft it revises, its adoption and the
#: revision that replaced it, if any.
READING = PreparedQuery(_reading, texts=("slug",))
#: As the briefing shows it: the reading page's, but for a later revision.
BRIEFING = PreparedQuery(_briefing, texts=("slug",))


def document_or_404(slug: str, query: PreparedQuery = DOCUMENT) -> Document:
    """The document whose address has ``slug``, read by ``query``; a 404 if there is none."""
    found = query((), Document.objects.db, slug=slug)
    if not found:
        raise Http404("No document has this address.")
    return found[0]
