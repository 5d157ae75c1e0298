"""``python manage.py import_resolution FILE [--symbol S] [--date D] [--revision-of SYMBOL]``

Imports a UN draft or resolution from a UTF-8 text file, as the import page does: prints
what was read (the summary and every warning), saves it in one transaction, and exits
non-zero with the reason when the file cannot be imported. ``--dry-run`` stops after the
summary. An adopted resolution is linked to the held draft it was adopted from, as the page
proposes (same session, agenda item and title), unless ``--revision-of`` names another
version or ``--no-revision-of`` none.
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
            "--no-revision-of",
            action="store_true",
            help="Name no earlier version, even when a held draft matches an adopted resolution.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; save nothing."
        )

    def handle(
        self, *args, file: Path, symbol, date, revision_of, no_revision_of, dry_run, **options
    ):
        if revision_of and no_revision_of:
            raise CommandError("Give --revision-of or --no-revision-of, not both.")
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
                importing.text_from_bytes(data),
                symbol=symbol,
                date=date,
                revision_of=earlier,
                propose_draft=not no_revision_of,
            )
        except importing.ImportRefused as refused:
            hint = OPTION_HINTS.get(refused.field, "")
            raise CommandError(f"{file}: {refused.message}{hint}") from refused

        self.stdout.write(plan.summary())
        if plan.revision_proposed and plan.revision_of is not None:
            self.stdout.write(
                f"Adopted from {plan.revision_of.symbol}: a held draft of the same session and "
                "agenda item with the same title (--no-revision-of to name none)."
            )
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
