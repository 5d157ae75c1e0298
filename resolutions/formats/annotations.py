"""Exports of annotations: CSV, and JSON-LD in the W3C Web Annotation data model."""

import csv

from django.http import StreamingHttpResponse

from resolutions.formats.spreadsheets import spreadsheet_safe

CSV_COLUMNS = [
    "id",
    "document",
    "paragraph",
    "quote",
    "body",
    "tags",
    "visibility",
    "author",
    "delegation",
    "reply_to",
    "resolved",
    "version",
    "created",
    "modified",
    "audience",
    "circle",
]


class _Echo:
    def write(self, value):
        return value


def _csv_rows(annotations):
    """The notes, each with who reads it now (``visibility``: a reply's is the narrower of
    the audience it was written for and its thread's), that audience in words, and the
    circle it is when it is one. A reply's thread and the circles are read along
    (``for_display``)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for a in annotations.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                a.pk,
                a.paragraph.document.symbol,
                a.paragraph.display_label,
                spreadsheet_safe(a.quote),
                spreadsheet_safe(a.body),
                spreadsheet_safe(", ".join(tag.name for tag in a.tags.all())),
                a.audience,
                a.author.get_username(),
                a.delegation.name if a.delegation else "",
                a.reply_to_id or "",
                "yes" if a.resolved else "no",
                a.version,
                a.created_at.isoformat(),
                a.updated_at.isoformat(),
                a.audience_label,
                spreadsheet_safe(a.audience_circle.name) if a.audience_circle else "",
            ]
        )


def annotations_csv_response(annotations, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(annotations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def web_annotation(annotation, document_url: str, request) -> dict:
    """One annotation in the W3C Web Annotation data model: its target is the document with
    a fragment selector for the paragraph id (refined by the quote's position in the
    paragraph's text, when known), and a text-quote selector with the words around the quote
    when it quotes; its ``audience`` is who reads it now (for a reply, within its thread's
    audience)."""
    fragment = {
        "type": "FragmentSelector",
        "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
        "value": annotation.paragraph.label,
    }
    selectors = [fragment]
    selector = annotation.quote_selector
    if selector is not None:
        quote = {"type": "TextQuoteSelector", "exact": selector.exact}
        quote.update({"prefix": selector.prefix} if selector.prefix else {})
        quote.update({"suffix": selector.suffix} if selector.suffix else {})
        selectors.append(quote)
        # A note kept where its paragraph was quotes words that paragraph does not have.
        if selector.start is not None and not annotation.is_orphan:
            fragment["refinedBy"] = {
                "type": "TextPositionSelector",
                "start": selector.start,
                "end": selector.end,
            }
    bodies = [
        {
            "type": "TextualBody",
            "value": annotation.body,
            "format": "text/plain",
            "purpose": "replying" if annotation.reply_to_id else "commenting",
        }
    ]
    bodies += [
        {"type": "TextualBody", "value": tag.name, "purpose": "tagging"}
        for tag in annotation.tags.all()
    ]
    item = {
        "id": request.build_absolute_uri(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": "replying" if annotation.reply_to_id else "commenting",
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "creator": {"type": "Person", "nickname": annotation.author.get_username()},
        "body": bodies,
        "target": {"source": document_url, "selector": selectors},
        "audience": annotation.audience,
        "audienceLabel": annotation.audience_label,
    }
    circle = annotation.audience_circle
    if circle is not None:
        item["audienceCircle"] = circle.name
    if annotation.delegation:
        item["creator"]["memberOf"] = annotation.delegation.name
    return item


def web_annotation_collection(annotations, document_url: str, request) -> dict:
    items = [web_annotation(a, document_url, request) for a in annotations]
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": f"Notes on {document_url}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
