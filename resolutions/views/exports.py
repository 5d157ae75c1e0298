"""Everything a delegation has written, to download at any time: its notes on every document
and its follow-up actions, as CSV and as JSON.

The notes are those the user can see (``Annotation.objects.visible_to``) that their
delegation wrote: their own notes, private ones included, and their colleagues' notes shared
with the delegation or with everyone; never a colleague's private note or a deleted one.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from resolutions.formats.annotations import annotations_csv_response, web_annotation
from resolutions.formats.spreadsheets import ACTION_COLUMNS, action_record, csv_response
from resolutions.htmx import HtmxHttpRequest
from resolutions.models import Annotation, FollowUpAction


def _actions(user):
    return FollowUpAction.objects.visible_to(user).for_export()


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
            "note_count": Annotation.objects.written_by_delegation_of(request.user).count(),
            "action_count": _actions(request.user).count(),
        },
    )


@login_required
@require_safe
def exports_notes_csv(request: HtmxHttpRequest) -> HttpResponse:
    return annotations_csv_response(
        Annotation.objects.written_by_delegation_of(request.user),
        f"{_file_stem(request.user)}-notes.csv",
    )


@login_required
@require_safe
def exports_notes_json(request: HtmxHttpRequest) -> HttpResponse:
    """The notes as one W3C Web Annotation collection; each targets its own document."""
    items = []
    document_urls: dict[int, str] = {}
    for annotation in Annotation.objects.written_by_delegation_of(request.user):
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


@login_required
@require_safe
def exports_actions_csv(request: HtmxHttpRequest) -> HttpResponse:
    records = (action_record(action) for action in _actions(request.user))
    return csv_response(
        f"{_file_stem(request.user)}-actions.csv",
        ACTION_COLUMNS,
        ([record[column] for column in ACTION_COLUMNS] for record in records),
    )


@login_required
@require_safe
def exports_actions_json(request: HtmxHttpRequest) -> HttpResponse:
    response = JsonResponse(
        {
            "delegation": _owner_label(request.user),
            "exported": timezone.now().isoformat(),
            "actions": [action_record(action) for action in _actions(request.user)],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(request.user)}-actions.json"'
    )
    return response
