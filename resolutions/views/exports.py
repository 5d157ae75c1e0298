"""Everything a delegation has written, to download at any time: its notes on every document
and its follow-up actions, as CSV and as JSON.

The notes are those the user can see (``Annotation.objects.visible_to``) that their
delegation wrote: their own notes, private ones included, and their colleagues' notes shared
with the delegation or with everyone; never a colleague's private note or a deleted one.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from resolutions.formats.annotations import annotations_csv_response, web_annotation
from resolutions.htmx import HtmxHttpRequest
from resolutions.models import Annotation, FollowUpAction

ACTION_COLUMNS = [
    "id",
    "agenda_item",
    "title",
    "due_date",
    "status",
    "owner",
    "paragraph",
    "note",
    "created_by",
    "created",
    "modified",
]


def delegation_notes(user):
    """The notes ``user``'s delegation wrote that ``user`` may see, document by document."""
    written = Q(author=user)
    if user.delegation_id:
        written |= Q(delegation_id=user.delegation_id)
    return (
        Annotation.objects.visible_to(user)
        .filter(written)
        .for_display()
        .order_by("paragraph__document__symbol", "paragraph__order", "created_at", "pk")
    )


def delegation_actions(user):
    return (
        FollowUpAction.objects.visible_to(user)
        .for_display()
        .select_related("created_by")
        .order_by("agenda_item__title", "due_date", "pk")
    )


def _file_stem(user) -> str:
    return slugify(user.delegation.name if user.delegation_id else user.get_username())


@login_required
@require_safe
def exports(request: HtmxHttpRequest) -> HttpResponse:
    """The downloads of the delegation's notes and actions, with how many each holds."""
    return render(
        request,
        "resolutions/exports.html",
        {
            "note_count": delegation_notes(request.user).count(),
            "action_count": delegation_actions(request.user).count(),
        },
    )


@login_required
@require_safe
def exports_notes_csv(request: HtmxHttpRequest) -> HttpResponse:
    return annotations_csv_response(
        delegation_notes(request.user), f"{_file_stem(request.user)}-notes.csv"
    )


@login_required
@require_safe
def exports_notes_json(request: HtmxHttpRequest) -> HttpResponse:
    """The notes as one W3C Web Annotation collection; each targets its own document."""
    items = []
    document_urls: dict[int, str] = {}
    for annotation in delegation_notes(request.user):
        document = annotation.paragraph.document
        if document.pk not in document_urls:
            document_urls[document.pk] = request.build_absolute_uri(document.get_absolute_url())
        items.append(web_annotation(annotation, document_urls[document.pk], request))
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": f"Notes of {_owner_label(request.user)}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(request.user)}-notes.jsonld"'
    )
    return response


def _owner_label(user) -> str:
    return user.delegation.name if user.delegation_id else user.get_username()


def _action_row(action) -> dict:
    paragraph = action.paragraph
    return {
        "id": action.pk,
        "agenda_item": action.agenda_item.title,
        "title": action.title,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "owner": action.owner.get_username() if action.owner else "",
        "paragraph": f"{paragraph.document.symbol} {paragraph.display_label}" if paragraph else "",
        "note": action.note,
        "created_by": action.created_by.get_username() if action.created_by else "",
        "created": action.created_at.isoformat(),
        "modified": action.updated_at.isoformat(),
    }


def _spreadsheet_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote stops that."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
@require_safe
def exports_actions_csv(request: HtmxHttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(request.user)}-actions.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(ACTION_COLUMNS)
    for action in delegation_actions(request.user):
        row = _action_row(action)
        writer.writerow([_spreadsheet_safe(row[column]) for column in ACTION_COLUMNS])
    return response


@login_required
@require_safe
def exports_actions_json(request: HtmxHttpRequest) -> HttpResponse:
    response = JsonResponse(
        {
            "delegation": _owner_label(request.user),
            "exported": timezone.now().isoformat(),
            "actions": [_action_row(action) for action in delegation_actions(request.user)],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(request.user)}-actions.json"'
    )
    return response
