"""``manage.py import_resolution``: the same import as the page, from a file."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Document, Paragraph
from resolutions.services import importing
from resolutions.un.reference import TEXTS_DIR
from tests.conftest import ROOT, SEED_SLUG, SEED_TEXT_PATH

TEXTS = TEXTS_DIR


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_resolution", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_real_text_is_imported_with_its_summary(db):
    output = run(TEXTS / "A-RES-80-22.txt")
    assert "A/RES/80/22 (resolution): 12 preambular paragraphs, 7 operative paragraphs" in output
    assert "4 footnotes" in output
    assert "Imported A/RES/80/22 at /documents/a-res-80-22/" in output
    assert Paragraph.objects.filter(document__symbol="A/RES/80/22").count() == 19


def test_warnings_are_printed(db):
    output = run(TEXTS / "A-RES-80-16.txt")
    assert "warning: The title seems cut off at a line break" in output
    assert Document.objects.filter(symbol="A/RES/80/16").exists()


def test_a_draft_takes_its_symbol_and_the_document_it_revises(seed_document, tmp_path):
    revised = tmp_path / "rev1.txt"
    revised.write_text(
        SEED_TEXT_PATH.read_text(encoding="utf-8").replace(
            "to be guided in their use", "to be guided, as appropriate, in their use"
        ),
        encoding="utf-8",
    )
    output = run(revised, "--symbol", "A/C.1/76/L.13/Rev.1", "--revision-of", "A/C.1/76/L.13")
    assert "A/C.1/76/L.13/Rev.1 (revised draft resolution)" in output
    assert "55 sponsors" in output
    document = Document.objects.get(symbol="A/C.1/76/L.13/Rev.1")
    assert document.revision_of == seed_document


def test_a_dry_run_saves_nothing(db):
    output = run(TEXTS / "A-RES-80-44.txt", "--dry-run")
    assert "A/RES/80/44 (resolution): 21 preambular paragraphs, 11 operative paragraphs" in output
    assert "Dry run: nothing was saved." in output
    assert not Document.objects.filter(symbol="A/RES/80/44").exists()


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", [], "The text is empty"),
        (b"\n \n\t\n", [], "The text is empty"),
        (b"%PDF-1.7\n\x00\x01\x02\x03\xff", [], "This is not a text file"),
        ("Résolution adoptée".encode("latin-1"), [], "The file is not UTF-8 text"),
        (b"x" * (importing.MAX_TEXT_BYTES + 1), [], "The text is too long"),
        (b"Dear colleagues,\n\nsee you tomorrow.", ["--symbol", "A/C.1/99/L.1"], "No paragraphs"),
        (SEED_TEXT_PATH.read_bytes(), [], "does not print its symbol"),
        (SEED_TEXT_PATH.read_bytes(), [], "give it with --symbol"),
        (
            SEED_TEXT_PATH.read_bytes(),
            ["--symbol", "A/C.1/76/L.13"],
            "A/C.1/76/L.13 is already in the workbench",
        ),
        ((TEXTS / "A-RES-80-16.txt").read_bytes(), ["--revision-of", "A/RES/1/1"], "no document"),
        (SEED_TEXT_PATH.read_bytes(), ["--symbol", "draft one"], "is not a UN document symbol"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    db, tmp_path, content, args, message
):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = Document.objects.count()
    with pytest.raises(CommandError, match=message):
        run(path, *args)
    assert Document.objects.count() == before


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.txt")


def test_importing_the_same_file_twice_makes_one_document(db):
    run(TEXTS / "A-RES-80-23.txt")
    with pytest.raises(CommandError, match="A/RES/80/23 is already in the workbench"):
        run(TEXTS / "A-RES-80-23.txt")
    assert Document.objects.filter(symbol="A/RES/80/23").count() == 1


def test_the_command_exits_non_zero_with_the_message(tmp_path):
    """Run as delegates run it: a separate process, its own (empty) database file."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_resolution", str(empty)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1
    assert "The text is empty" in result.stderr
    assert SEED_SLUG not in result.stdout
