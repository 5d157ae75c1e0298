"""``python manage.py import_resolution FILE [--symbol S] [--date D] [--revision-of SYMBOL]``

Imports a UN draft or resolution from a UTF-8 text file, as the import page does: prints
what was read (the summary and every warning), saves it in one transaction, and exits
non-zero with the reason when the file cannot be imported. ``--dry-run`` stops after the
summary.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.models import Document
from resolutions.services import importing
from resolutions.un.symbols import slug_for_symbol

# The page's messages name its fields; here the options are what to change.
OPTION_HINTS = {
    "symbol": " (Here: give it with --symbol.)",
    "date": " (Here: give it with --date YYYY-MM-DD.)",
    "revision_of": " (Here: check --revision-of.)",
}


class Command(BaseCommand):
    help = "Import a UN draft or resolution from its text (a UTF-8 .txt file)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The text of the document, UTF-8.")
        parser.add_argument(
            "--symbol", help="The symbol, when the text does not print it (e.g. A/C.1/76/L.13)."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="The date of issue (YYYY-MM-DD), when the heading has none.",
        )
        parser.add_argument(
            "--revision-of", help="The symbol of the earlier version this document revises."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; save nothing."
        )

    def handle(self, *args, file: Path, symbol, date, revision_of, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        earlier = None
        if revision_of:
            earlier = Document.objects.filter(slug=slug_for_symbol(revision_of)).first()
            if earlier is None:
                raise CommandError(
                    f"--revision-of: no document {revision_of} in the workbench; import it first."
                )
        try:
            plan = importing.prepare_import(
                importing.text_from_bytes(data), symbol=symbol, date=date, revision_of=earlier
            )
        except importing.ImportRefused as refused:
            hint = OPTION_HINTS.get(refused.field, "")
            raise CommandError(f"{file}: {refused.message}{hint}") from refused

        self.stdout.write(plan.summary())
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            document = importing.import_document(plan)
        except importing.ImportRefused as refused:
            raise CommandError(f"{file}: {refused.message}") from refused
        self.stdout.write(
            self.style.SUCCESS(f"Imported {document.symbol} at {document.get_absolute_url()}")
        )
