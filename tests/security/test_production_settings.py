"""The production configuration: it refuses to start without its secrets, passes
``check --deploy``, and `make serve` answers with every security header behind a TLS proxy."""

import http.client
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.conftest import ROOT, SEED_SLUG

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
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"DJANGO_ENV": None, "DEBUG": "0", "SECRET_KEY": None}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(overrides, missing):
    result = manage("check", **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_security_headers_on_every_page(client, db):
    response = client.get(f"/documents/{SEED_SLUG}/")
    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client, db):
    html = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert "<script>" not in html
    assert " onclick=" not in html
    assert " onload=" not in html


# `make serve` -------------------------------------------------------------------------------


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


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(django_db_setup, tmp_path_factory):
    """`make serve` on a free port, against the test database, until the module ends."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = production_env(
        PORT=str(port),
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        WEB_CONCURRENCY="1",
    )
    with log.open("w") as output:
        # -o: use the installed packages as they are; no pip during a test.
        process = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "-o",
                ".venv/.runtime",
                "serve",
                f"PY={sys.executable}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"make serve stopped:\n{log.read_text()}")
            try:
                request(port, "/", proto="https")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"make serve did not answer:\n{log.read_text()}")
                time.sleep(0.2)
        yield port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def request(port: int, path: str, *, proto: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": HOST}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response, body


def test_serve_answers_over_https_behind_the_proxy_with_hsts(served):
    port, _ = served
    response, body = request(port, f"/documents/{SEED_SLUG}/", proto="https")
    assert response.status == 200
    assert "A/C.1/76/L.13" in body
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "'unsafe-inline'" not in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    # Static files come from collectstatic, with content hashes in their names.
    assert "/static/css/site." in body
    assert ".css" in body


def test_serve_redirects_plain_http_to_https(served):
    port, _ = served
    response, _ = request(port, "/documents/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/documents/"


def test_serve_sets_secure_cookies(served):
    port, _ = served
    response, _ = request(port, "/accounts/login/", proto="https")
    cookie = response.getheader("Set-Cookie")
    assert "csrftoken=" in cookie
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_serve_shows_the_sites_error_pages_not_debug_ones(served):
    port, _ = served
    response, body = request(port, "/no/such/page/", proto="https")
    assert response.status == 404
    assert "Not found" in body
    assert "Resolution workbench" in body
    assert "Traceback" not in body
    assert "URLconf" not in body


def test_serve_logs_each_request_as_json_on_stdout(served):
    port, log = served
    request(port, "/agenda/", proto="https")
    time.sleep(0.2)
    lines = [line for line in log.read_text().splitlines() if '"resolutions.access"' in line]
    assert any('"path": "/agenda/"' in line and '"status": 200' in line for line in lines)
