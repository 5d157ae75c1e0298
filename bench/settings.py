"""Settings for the benchmark and the load run: the project's own settings (run them with
``DEBUG=0`` for production behaviour), with static files collected into a directory of the
run's own and, for the in-process benchmark, a database of its own.

- ``BENCH_STATIC_ROOT``: where ``collectstatic`` puts the files whitenoise serves.
- ``BENCH_DATABASE_NAME``: the name of the benchmark's database (a file for SQLite), made
  and dropped by ``bench/run.py`` as Django's test runner does; the database named by
  ``DATABASE_URL`` (or ``db.sqlite3``) is never touched.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

if os.environ.get("BENCH_DATABASE_NAME"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["BENCH_DATABASE_NAME"]
