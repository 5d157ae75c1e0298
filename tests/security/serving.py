"""Running the app as `make serve` runs it, in a process of its own, for the tests that
attack the production configuration from outside."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from tests.conftest import ROOT
from tests.processes import running

SECRET = "production-test-key-" + "k3y" * 20
HOST = "workbench.example.org"

INHERITED_CONFIGURATION = {
    "DEBUG",
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "PORT",
    "STATIC_ROOT",
    "TRUSTED_PROXY_COUNT",
    "EMAIL_HOST",
    "SITE_URL",
    "GUNICORN_CMD_ARGS",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CACHE_MAX_ENTRIES",
    "SESSION_STORE",
    "DATABASE_PREPARE_THRESHOLD",
    # Set for the browser tests in conftest.py; production must never have it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict:
    """The environment of a production process: nothing inherited that would configure it."""
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_CONFIGURATION}
    env.update(DJANGO_ENV="production", SECRET_KEY=SECRET, ALLOWED_HOSTS=HOST)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    """``manage.py`` in a production process of its own."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def database_url() -> str:
    """The test database, for a process of its own."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}"
            f":{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return f"sqlite:///{settings['NAME']}"


def production_database(
    tmp_path: Path, setup: str = "", fixtures: tuple[str, ...] = ("member_states.json",)
) -> dict:
    """The environment of a production process with a database of its own (an SQLite file
    in ``tmp_path``), migrated, holding ``fixtures`` (by default the Member States), then
    whatever the Python in ``setup`` makes, as an operator would make it (with the production
    password hasher too). Nothing else sees it: the test need not share or empty the test
    database."""
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="1",
    )
    paths = [f"fixtures/{name}" for name in fixtures]
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        f"call_command('loaddata', *{paths!r}, verbosity=0)\n" + setup
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict | None = None,
    body: str | None = None,
) -> tuple[http.client.HTTPResponse, str]:
    """One request to the server, as the TLS proxy would pass it on (the Host it serves)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response, text


@contextlib.contextmanager
def make_serve(env: dict, log: Path) -> Iterator[int]:
    """`make serve` with ``env`` (which names the database) on a free port, writing what it
    prints to ``log``; yields the port once it answers, and stops the server when the block
    ends, however it ends."""
    with make_serve_process(env, log) as (port, _):
        yield port


@contextlib.contextmanager
def make_serve_process(env: dict, log: Path) -> Iterator[tuple[int, subprocess.Popen]]:
    """``make_serve``, yielding the port and the process (make's, which leads the process
    group of gunicorn and its workers)."""
    port = free_port()
    # -o: use the installed packages as they are; no pip during a test.
    command = ["make", "--no-print-directory", "-o", ".venv/.runtime", "serve"]
    command.append(f"PY={sys.executable}")

    def answers() -> None:
        request(port, "/accounts/login/", headers={"X-Forwarded-Proto": "https"})

    with running(
        command,
        name="make serve",
        answers=answers,
        log=log,
        env={**env, "PORT": str(port)},
        seconds=90,
    ) as process:
        yield port, process
