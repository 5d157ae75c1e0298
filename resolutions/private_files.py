"""Files that hold what delegates entrust to the workbench (password hashes, private notes,
the keys of private calendar addresses) are readable by their owner only: a backup, and the
SQLite database with its journal files. Other accounts on the machine read neither.

A file made with the process's default permissions (umask 022: ``rw-r--r--``) can be read
by every account on the machine, so these are made ``rw-------`` (0600) from their first byte,
and a folder made for them ``rwx------`` (0700).
"""

import contextlib
import gzip
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def make_private_folder(folder: Path) -> None:
    """Makes ``folder`` (and any missing parents) when it is missing; the folder itself is
    made 0700. A folder that already exists is left as its owner set it."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_FOLDER)
    # mkdir's mode passes through the umask; say it once more, exactly.
    os.chmod(folder, OWNER_ONLY_FOLDER)


@contextlib.contextmanager
def private_text_file(path: Path, *, gzipped: bool, name: str = "") -> Iterator[io.TextIOBase]:
    """``path`` opened to write UTF-8 text (gzipped when asked, with ``name`` in the gzip
    header), made or emptied with mode 0600 before anything is written to it. A symbolic link
    in its place is refused, not followed."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, OWNER_ONLY)
    # A file left over from an earlier run keeps its old mode through O_CREAT: set it again.
    os.fchmod(descriptor, OWNER_ONLY)
    with open(descriptor, "wb") as raw:
        binary = gzip.GzipFile(filename=name, mode="wb", fileobj=raw) if gzipped else raw
        with io.TextIOWrapper(binary, encoding="utf-8") as text:
            yield text


def keep_sqlite_database_private(sender, connection, **kwargs) -> None:
    """On each new database connection (``connection_created``): an SQLite database file,
    and its write-ahead log and shared-memory files, that others may read are made 0600.

    SQLite makes the database file with the process's default permissions when it first opens
    it, and its journal files with the database file's; PostgreSQL keeps its data in a
    server of its own. A file that is already private costs one ``stat``.
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_IMODE(mode) & 0o077:
            os.chmod(path, OWNER_ONLY)
