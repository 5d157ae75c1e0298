"""``python manage.py restore FILE`` (``make restore FILE=...``)

Loads a backup written by ``backup`` into an empty, migrated database, all or nothing. It
refuses a database that already holds documents, accounts or notes: merging a backup into
live data would silently mix two states of the work.
"""

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from resolutions.models import Document


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
        held = rows_held(database)
        if held:
            summary = ", ".join(f"{count} {name}" for name, count in sorted(held.items()))
            raise CommandError(
                f"This database is not empty (it holds {summary}), so nothing was restored. "
                "Restore into a new database: create it, run `python manage.py migrate`, then "
                "restore the backup there."
            )
        call_command("loaddata", str(path), database=database, verbosity=options["verbosity"])
        # The backup holds each document's cache version as it was; a process still running
        # may have pages cached under those very versions.
        Document.objects.using(database).mark_changed()
        if options["verbosity"]:
            self.stdout.write(f"Restored {file}.")
