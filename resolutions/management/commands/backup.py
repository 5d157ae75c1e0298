"""``python manage.py backup [--output FILE]`` (``make backup``)

Writes everything the workbench holds (documents, sponsor lists, annotations with their
history, follow-up actions, accounts and delegations, groups) to one JSON file, gzipped when
the name ends in ``.gz``. Rows are written with natural keys where the models have them (a
document by its symbol, a paragraph by symbol and label, a user by username), so the file
loads into any freshly migrated database (``make restore FILE=...``).

Left out: what Django rebuilds by itself (content types, permissions), sessions (everyone
logs in again after a restore), django-axes' log of login attempts and the notes' tallies
(``NoteTally``, ``NoteListTally``), which the restore counts again from the notes.

The file holds password hashes, private notes and the keys of private calendar addresses, so
only its owner may read it (mode 0600, from its first byte), and a folder made for it is
the owner's only too (0700).
"""

import datetime
import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from resolutions.private_files import make_private_folder, private_text_file

# The notes' tallies are counted from the notes again when a backup is restored.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "resolutions.NoteTally",
    "resolutions.NoteListTally",
]


def default_path() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return Path("backups") / f"workbench-{stamp}.json.gz"


class Command(BaseCommand):
    help = "Write a consistent backup of everything to a JSON file (gzipped if it ends in .gz)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Where to write it; default backups/workbench-<UTC date and time>.json.gz.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        path = Path(output) if output else default_path()
        make_private_folder(path.parent)
        # Written beside its final name and renamed when complete: a backup that failed
        # half-way never looks like a good one.
        partial = path.with_name(f".{path.name}.partial")
        gzipped = path.suffix == ".gz"
        try:
            with private_text_file(partial, gzipped=gzipped, name=path.name) as stream:
                self.dump(stream, database)
            os.replace(partial, path)
        except Exception as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"The backup failed and nothing was written: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Backup written to {path}")

    def dump(self, stream, database: str) -> None:
        """Every table read in one transaction, so the file is one moment's state even while
        delegates keep working: on PostgreSQL a repeatable-read snapshot, on SQLite the
        transaction's own snapshot."""
        connection = connections[database]
        # Only the outermost transaction may choose its isolation (a caller's one stands).
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=database):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=True,
                database=database,
                stdout=stream,
                verbosity=0,
            )
