"""A backup that is not a whole one (cut short by a copy, damaged on a disk, the wrong file,
another program's JSON) is refused by `manage.py restore` with one line that says what is
wrong with it, and nothing is restored; never a traceback, never half a database."""

import gzip
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from resolutions.management.commands.restore import rows_held
from tests.conftest import ROOT


@pytest.fixture
def backup(db, tmp_path) -> bytes:
    """A real backup of the test database (the seed draft and its agenda), as its bytes."""
    path = tmp_path / "real.json.gz"
    call_command("backup", output=str(path), verbosity=0)
    return path.read_bytes()


def restore_refuses(path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), verbosity=0)
    message = str(refused.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def test_a_backup_cut_short_by_an_interrupted_copy(backup, tmp_path):
    path = tmp_path / "cut.json.gz"
    path.write_bytes(backup[: len(backup) // 2])
    assert restore_refuses(path) == (
        f"{path} is cut short: its compressed data stop before their end "
        "(a copy that was interrupted?). Nothing was restored."
    )


def test_a_backup_with_damaged_bytes(backup, tmp_path):
    path = tmp_path / "damaged.json.gz"
    path.write_bytes(flipped(backup, len(backup) // 2))
    assert restore_refuses(path).startswith(
        f"{path} is damaged: its compressed data fail their check ("
    )
    # The check at the end of the file catches what the compressed data alone would not.
    path.write_bytes(flipped(backup, len(backup) - 6))
    assert "CRC check failed" in restore_refuses(path)


def test_a_plain_text_file_named_as_a_backup(db, tmp_path):
    path = tmp_path / "notes.json.gz"
    path.write_text("Talking points for the informal consultations\n")
    assert restore_refuses(path) == (
        f"{path} is not a backup: its name ends in .gz, but it is not gzip. Nothing was restored."
    )
    plain = tmp_path / "notes.json"
    plain.write_text("Talking points for the informal consultations\n")
    assert restore_refuses(plain) == (
        f"{plain} is not a backup: it is not JSON (line 1, column 1: Expecting value). "
        "Nothing was restored."
    )


def test_a_backup_that_is_not_named_as_one(db, tmp_path):
    path = tmp_path / "backup.txt"
    path.write_text("[]")
    assert "is not named as a backup is" in restore_refuses(path)


def test_a_gzipped_backup_whose_name_lost_its_gz(backup, tmp_path):
    path = tmp_path / "real.json"
    path.write_bytes(backup)
    assert restore_refuses(path) == (
        f"{path} is gzip, but its name does not end in .gz: name it {path}.gz. "
        "Nothing was restored."
    )


def test_uncompressed_json_cut_short(backup, tmp_path):
    text = gzip.decompress(backup).decode()
    path = tmp_path / "cut.json"
    # Cut in a string, between two rows, after a row's last brace.
    for end in (text.index('"model"', 1000) + 3, text.index("}, {", 1000) + 2, len(text) - 2):
        path.write_text(text[:end])
        assert restore_refuses(path) == (
            f"{path} is cut short: its JSON stops before its end. Nothing was restored."
        )


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ({"model": "resolutions.document"}, "it holds a JSON dict, not a list of rows"),
        ([], "holds no rows: there is nothing to restore"),
        (["resolutions.document"], 'row 1 is not a "model" with its "fields"'),
        ([{"model": "auth.group", "fields": {"name": "x"}}, {"model": "auth.group"}], "row 2"),
        (
            [{"model": "shop.order", "fields": {"total": 1}}],
            "is not a backup of the workbench: row 1 is of a kind the workbench does not hold "
            "('shop.order')",
        ),
        ([{"model": "no-dot-here", "fields": {}}], "row 1 is of a kind"),
    ],
    ids=["object", "empty", "not-rows", "row-without-fields", "unknown-model", "not-a-label"],
)
def test_json_of_another_shape(db, tmp_path, rows, problem):
    path = tmp_path / "other.json.gz"
    path.write_bytes(gzip.compress(json.dumps(rows).encode()))
    message = restore_refuses(path)
    assert problem in message
    assert message.endswith("Nothing was restored.")


def test_manage_py_restore_prints_one_line_and_fails(db, tmp_path):
    """As an operator meets it, in a shell: one line on stderr, a status that is not 0."""
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(b'[{"model": "resolutions.document"')[:-9])
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(path)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"CommandError: {path} is cut short: its compressed data stop before their end "
        "(a copy that was interrupted?). Nothing was restored."
    ]


def test_a_row_that_fails_while_loading_undoes_the_whole_restore(transactional_db, tmp_path):
    """Every row is of the right shape and kind, but the last one cannot be saved: the rows
    before it, already written, are taken back with it."""
    from tests.conftest import load_seed_fixtures

    load_seed_fixtures()
    path = tmp_path / "real.json"
    call_command("backup", output=str(path), verbosity=0)
    rows = json.loads(path.read_text())
    document = next(row for row in rows if row["model"] == "resolutions.document")
    broken = {**document, "fields": {**document["fields"], "symbol": "A/C.1/76/L.99"}}
    dated = next(name for name, value in broken["fields"].items() if name.endswith("date"))
    broken["fields"][dated] = "2021-02-30"
    path.write_text(json.dumps([*rows, broken]))
    call_command("flush", interactive=False, verbosity=0)

    message = restore_refuses(path)
    assert message.startswith(f"{path} could not be loaded, so nothing was restored: ")
    assert "2021-02-30" in message
    assert rows_held() == {}
