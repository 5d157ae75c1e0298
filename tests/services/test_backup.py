"""Backups: `make backup` writes everything, `make restore` loads it into an empty database
and the same rows come back: documents, sponsor lists, notes with their history and
replies, follow-up actions, accounts."""

import datetime
import gzip
import json
import subprocess

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from resolutions import services
from resolutions.management.commands.restore import rows_held
from resolutions.models import (
    AgendaItem,
    Annotation,
    CalendarFeed,
    Document,
    FollowUpAction,
    NoteListTally,
    NoteTally,
    Paragraph,
)
from resolutions.services import importing
from tests.conftest import ROOT, SEED_SLUG, load_seed_fixtures
from tests.factories import PASSWORD, make_annotation, make_delegate
from tests.real_texts import as_expected, real_text


def snapshot() -> dict[str, list]:
    """Every row the workbench holds, by natural key where a model has one (those rows get
    new ids on restore) and by id otherwise, in a stable order. Times are compared to the
    millisecond, the precision Django's JSON dumps keep."""
    models = [*apps.get_app_config("resolutions").get_models(), Group]
    rows = {}
    for model in models:
        records = serializers.serialize(
            "python",
            model._default_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        for record in records:
            # Cache keys, not data: a restore gives every document new ones.
            record["fields"].pop("cache_version", None)
            record["fields"].pop("layout_version", None)
            if model is Paragraph:
                record["fields"].pop("version")  # also a cache key, moved on by the restore
            if model in (NoteTally, NoteListTally):
                # Counted again from the notes on restore: the same tallies, new ids.
                record.pop("pk")
            for name, value in record["fields"].items():
                if isinstance(value, datetime.datetime):
                    # To the millisecond: 12:00:00.000400 is dumped as "12:00:00.000" and
                    # read back as 12:00:00, which would be written without its ".000".
                    record["fields"][name] = value.replace(
                        microsecond=value.microsecond // 1000 * 1000
                    )
        rows[model._meta.label] = sorted(
            json.dumps(record, sort_keys=True, cls=DjangoJSONEncoder) for record in records
        )
    return rows


@pytest.fixture
def workbench(transactional_db):
    """A delegation's work of every kind, committed so that other processes see it."""
    load_seed_fixtures()
    # An earlier test that emptied the database took the editor group with it.
    Group.objects.get_or_create(name="editor")
    amina = make_delegate("amina", "Nigeria", editor=True)
    lars = make_delegate("lars", "Norway")
    colleague = make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(lars, op6, "First words", tags=["red line"])
    services.annotation_update(
        note,
        editor=lars,
        version=1,
        body="Second words",
        visibility="private",
        tags=["red line", "capital"],
        quote="",
    )
    thread = make_annotation(amina, op6, "Public thread", visibility="public")
    make_annotation(colleague, op6, "A reply in the thread", reply_to=thread)
    services.annotation_delete(make_annotation(lars, op6, "Deleted, restorable"))
    services.sponsor_list_record(
        document=op6.document,
        label="Additional sponsors at action",
        as_of=datetime.date(2021, 11, 3),
        source="A/C.1/76/PV.25",
        names=[("Brazil", "BRA"), ("Chile", "CHL")],
        additional=True,
    )
    FollowUpAction.objects.create(
        agenda_item=AgendaItem.objects.get(),
        delegation=lars.delegation,
        title="Send our views to the Secretary-General",
        due_date=datetime.date(2022, 5, 31),
        owner=colleague,
        paragraph=op6,
        note="Capital to clear the text",
        created_by=lars,
    )
    CalendarFeed.objects.reset_for(lars)
    # A draft and the resolution adopted from it, with section headings, adoption lines,
    # closing lines and a note on the sponsor line.
    for name in ("A-C.6-80-L.10", "A-RES-80-161"):
        parsed = as_expected(name)
        if name == "A-C.6-80-L.10":
            parsed.sponsors_note = "On behalf of the States members of the Sixth Committee."
        importing.import_document(importing.plan_import(real_text(name), parsed))
    return note


def make_dry_run(*args: str) -> str:
    """The commands a make target runs, without running them."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.runtime", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_backup_and_restore_into_an_empty_database_bring_back_the_same_rows(workbench, tmp_path):
    before = snapshot()
    versions = dict(Document.objects.values_list("symbol", "cache_version"))
    backup = tmp_path / "workbench.json.gz"
    call_command("backup", output=str(backup), verbosity=0)
    with gzip.open(backup, "rt", encoding="utf-8") as stream:
        dumped = {record["model"] for record in json.load(stream)}
    assert {"resolutions.annotationrevision", "resolutions.followupaction"} <= dumped
    assert not dumped & {"sessions.session", "contenttypes.contenttype", "auth.permission"}
    # Derived from the notes, and counted again from them on restore.
    assert not dumped & {"resolutions.notetally", "resolutions.notelisttally"}
    assert NoteTally.objects.exists()
    assert NoteListTally.objects.exists()

    call_command("flush", interactive=False, verbosity=0)
    assert rows_held() == {}
    call_command("restore", str(backup), verbosity=0)

    assert snapshot() == before
    # Pages a running server cached under the backup's versions are not served again.
    restored = dict(Document.objects.values_list("symbol", "cache_version"))
    assert restored.keys() == versions.keys()
    assert not set(restored.values()) & set(versions.values())
    note = Annotation.objects.get(pk=workbench.pk)
    assert note.body == "Second words"
    assert [(r.version, r.body) for r in note.revisions.all()] == [(1, "First words")]
    assert Document.objects.get(slug=SEED_SLUG).sponsor_lists.count() == 2
    resolution = Document.objects.get(symbol="A/RES/80/161")
    assert resolution.revision_of.symbol == "A/C.6/80/L.10"
    assert resolution.adopted_on == datetime.date(2025, 12, 15)
    assert resolution.closing == "64th plenary meeting\n15 December 2025"
    assert resolution.paragraphs.get(label="op2").headings == [
        {"number": "I", "title": "Legislative activities"}
    ]
    assert resolution.revision_of.sponsors_note.startswith("On behalf of")
    # Accounts work as before: the same password, the same note at the same address.
    client = Client()
    login = client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert login.status_code == 302
    assert "Second words" in client.get(f"/annotations/{note.pk}/").content.decode()


def test_make_backup_and_make_restore_run_the_commands():
    assert 'manage.py backup --output "x.json.gz"' in make_dry_run("backup", "FILE=x.json.gz")
    assert make_dry_run("backup").split("manage.py ")[1].split() == ["backup"]
    restore = make_dry_run("restore", "FILE=x.json.gz")
    assert restore.index("manage.py migrate") < restore.index('manage.py restore "x.json.gz"')


def test_restore_refuses_a_database_that_holds_data(db, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    documents = Document.objects.count()
    with pytest.raises(CommandError, match="not empty.*nothing was restored"):
        call_command("restore", str(backup), verbosity=0)
    assert Document.objects.count() == documents


def test_restore_names_a_missing_file(db):
    with pytest.raises(CommandError, match="There is no backup at nowhere.json"):
        call_command("restore", "nowhere.json")


def test_make_restore_asks_for_the_file():
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.runtime", "restore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "make restore FILE=" in result.stdout


def test_a_failed_backup_leaves_no_file(db, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("resolutions.management.commands.backup.call_command", broken)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("backup", output=str(tmp_path / "b.json.gz"), verbosity=0)
    assert list(tmp_path.iterdir()) == []
