"""CSV files that delegates open in a spreadsheet: every cell goes through one guard, so a
note, a title or a name that starts like a formula is shown as text, never run."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

SPONSOR_COLUMNS = [
    "position",
    "name_as_printed",
    "name",
    "iso3",
    "regional_group",
    "m49_region",
    "m49_subregion",
    "joined_on",
]
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


def spreadsheet_safe(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote stops that."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]):
    """A CSV download: the header, then each row with every cell guarded."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response


def sponsor_rows(rows) -> Iterable[list[Any]]:
    """The rows of a sponsors page (``SponsorRow``), in ``SPONSOR_COLUMNS`` order."""
    for row in rows:
        yield [
            row.position,
            row.name_as_printed,
            row.state.name,
            row.state.iso3,
            row.state.get_regional_group_display(),
            row.state.m49_region,
            row.state.m49_subregion,
            row.joined_on.isoformat(),
        ]


def action_record(action) -> dict[str, Any]:
    """One follow-up action as the downloads give it, keyed by ``ACTION_COLUMNS``."""
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
