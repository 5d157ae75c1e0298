"""Files holding password hashes, private notes and calendar keys are their owner's only:
another account on the same machine can read neither a backup nor the SQLite database."""

import gzip
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from resolutions.models import CalendarFeed
from tests.factories import make_delegate


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def everyone_may_read_new_files():
    """The usual default (umask 022): a file made without care is ``rw-r--r--``."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_and_the_folder_made_for_it_are_the_owners_only(
    db, tmp_path, everyone_may_read_new_files
):
    feed = CalendarFeed.objects.reset_for(make_delegate("lars"))
    backup = tmp_path / "backups" / "workbench.json.gz"
    call_command("backup", output=str(backup), verbosity=0)
    assert mode(backup) == 0o600
    assert mode(backup.parent) == 0o700
    # It is the backup, with the key of a private address in it.
    with gzip.open(backup, "rt", encoding="utf-8") as stream:
        assert feed.token in json.dumps(json.load(stream))


def test_a_folder_that_exists_is_left_as_its_owner_set_it(
    db, tmp_path, everyone_may_read_new_files
):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    call_command("backup", output=str(folder / "workbench.json"), verbosity=0)
    assert mode(folder) == 0o750
    assert mode(folder / "workbench.json") == 0o600


def test_a_backup_written_over_a_readable_file_or_a_leftover_is_private(
    db, tmp_path, everyone_may_read_new_files
):
    backup = tmp_path / "workbench.json.gz"
    backup.write_text("an older backup")
    leftover = tmp_path / ".workbench.json.gz.partial"
    leftover.write_text("half of a failed one")
    assert (mode(backup), mode(leftover)) == (0o644, 0o644)
    call_command("backup", output=str(backup), verbosity=0)
    assert mode(backup) == 0o600
    assert not leftover.exists()


def test_a_link_planted_where_the_backup_is_written_is_not_followed(
    db, tmp_path, everyone_may_read_new_files
):
    target = tmp_path / "somebody-elses-file"
    target.write_text("theirs")
    (tmp_path / ".workbench.json.partial").symlink_to(target)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("backup", output=str(tmp_path / "workbench.json"), verbosity=0)
    assert target.read_text() == "theirs"
    assert not (tmp_path / "workbench.json").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own files")
def test_the_sqlite_database_is_the_owners_only(db):
    connection.ensure_connection()
    assert mode(connection.settings_dict["NAME"]) == 0o600


def test_a_new_sqlite_database_is_made_private_with_its_journal(
    tmp_path, everyone_may_read_new_files, django_db_blocker
):
    """What `make run` does first on a fresh machine: open a database that is not there yet."""
    name = tmp_path / "db.sqlite3"
    database = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            "TEST": {},
        },
        alias="private-files-test",
    )
    with django_db_blocker.unblock():
        try:
            with database.cursor() as cursor:
                cursor.execute("CREATE TABLE note (body TEXT)")
                cursor.execute("INSERT INTO note VALUES ('private words')")
            database.close()
            database.ensure_connection()
            files = sorted(path.name for path in tmp_path.iterdir())
            assert "db.sqlite3-wal" in files
            assert {path: mode(tmp_path / path) for path in files} == dict.fromkeys(files, 0o600)
        finally:
            database.close()
