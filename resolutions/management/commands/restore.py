"""``python manage.py restore FILE`` (``make restore FILE=...``)

Loads a backup written by ``backup`` into an empty, migrated database, all or nothing. It
refuses a database that already holds documents, accounts or notes: merging a backup into
live data would silently mix two states of the work.

A file that is not a whole backup (not gzip, not JSON, cut short, damaged, rows of a shape
or a kind no backup holds) is refused before anything is loaded, with one line that says
what is wrong with it; a row that fails while loading undoes the whole restore.
"""

import gzip
import json
import zlib
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

from resolutions.models import AgendaItem, Document

GZIP_MAGIC = b"\x1f\x8b"


class NotABackup(Exception):
    """What is wrong with a file given to restore, in one line."""


def backup_rows(path: Path, name: str) -> list[dict]:
    """The rows of the backup at ``path`` (called ``name`` in messages); ``NotABackup``,
    saying in one line what is wrong, when the file is not a whole backup."""
    if not path.name.endswith((".json", ".json.gz")):
        raise NotABackup(f"{name} is not named as a backup is (….json.gz or ….json).")
    data = path.read_bytes()
    if path.suffix == ".gz":
        if not data.startswith(GZIP_MAGIC):
            raise NotABackup(f"{name} is not a backup: its name ends in .gz, but it is not gzip.")
        try:
            data = gzip.decompress(data)
        except EOFError:
            raise NotABackup(
                f"{name} is cut short: its compressed data stop before their end "
                "(a copy that was interrupted?)."
            ) from None
        except (gzip.BadGzipFile, zlib.error) as error:
            raise NotABackup(
                f"{name} is damaged: its compressed data fail their check ({error})."
            ) from None
    elif data.startswith(GZIP_MAGIC):
        raise NotABackup(f"{name} is gzip, but its name does not end in .gz: name it {name}.gz.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotABackup(f"{name} is not a backup: byte {error.start} is not UTF-8 text.") from None
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        # Text that stops in the middle of a string or a row: a copy that was interrupted.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise NotABackup(f"{name} is cut short: its JSON stops before its end.") from None
        raise NotABackup(
            f"{name} is not a backup: it is not JSON "
            f"(line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(rows, list):
        raise NotABackup(
            f"{name} is not a backup: it holds a JSON {type(rows).__name__}, not a list of rows."
        )
    if not rows:
        raise NotABackup(f"{name} holds no rows: there is nothing to restore.")
    for number, row in enumerate(rows, start=1):
        if not (
            isinstance(row, dict)
            and isinstance(row.get("model"), str)
            and isinstance(row.get("fields"), dict)
        ):
            raise NotABackup(
                f'{name} is not a backup: row {number} is not a "model" with its "fields".'
            )
        try:
            apps.get_model(row["model"])
        except (LookupError, ValueError):
            raise NotABackup(
                f"{name} is not a backup of the workbench: row {number} is of a kind "
                f"the workbench does not hold ({row['model']!r})."
            ) from None
    return rows


def rows_held(database: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The workbench's tables that hold rows, with their counts. Migrations create only
    groups, content types and permissions, so an empty migrated database gives ``{}``."""
    held = {}
    for model in apps.get_app_config("resolutions").get_models():
        count = model._default_manager.using(database).count()
        if count:
            held[str(model._meta.verbose_name_plural)] = count
    return held


class Command(BaseCommand):
    help = "Load a backup into an empty, migrated database (refuses one that holds data)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py backup`.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, database=DEFAULT_DB_ALIAS, **options):
        path = Path(file).resolve()
        if not path.is_file():
            raise CommandError(f"There is no backup at {file}.")
        try:
            rows = backup_rows(path, file)
        except NotABackup as problem:
            raise CommandError(f"{problem} Nothing was restored.") from None
        held = rows_held(database)
        if held:
            summary = ", ".join(f"{count} {name}" for name, count in sorted(held.items()))
            raise CommandError(
                f"This database is not empty (it holds {summary}), so nothing was restored. "
                "Restore into a new database: create it, run `python manage.py migrate`, then "
                "restore the backup there."
            )
        try:
            with transaction.atomic(using=database):
                call_command("loaddata", str(path), database=database, verbosity=0)
                # The backup holds each document's and agenda item's cache version as it
                # was; a process still running may have pages cached under those versions.
                Document.objects.using(database).mark_changed()
                AgendaItem.objects.using(database).mark_changed()
        except Exception as error:
            # Whatever failed (a value no column takes, a row naming one that is not there),
            # the transaction is undone; the operator needs the reason, in one line
            # (--traceback shows the rest).
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            reason = reason.replace(f"Problem installing fixture '{path}': ", "")
            raise CommandError(
                f"{file} could not be loaded, so nothing was restored: {reason}"
            ) from error
        if options["verbosity"]:
            self.stdout.write(f"Restored {len(rows)} rows from {file}.")
