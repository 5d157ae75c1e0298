"""The production configuration: it refuses to start without its secrets, passes
``check --deploy``, and `make serve` answers with every security header behind a TLS proxy."""

import io
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command

from resolutions.checks import demo_accounts_keep_their_published_password
from resolutions.models import User
from tests.conftest import ROOT, SEED_SLUG
from tests.security.serving import HOST, database_url, make_serve, manage, production_env
from tests.security.serving import request as serve_request


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


# The demo accounts' password is in the README -------------------------------------------------


@pytest.mark.parametrize(
    "production",
    [{"DJANGO_ENV": "production"}, {"DJANGO_ENV": None, "DEBUG": "0"}],
    ids=["DJANGO_ENV", "DEBUG-off"],
)
def test_demo_accounts_refuse_to_run_in_production(production, tmp_path):
    database = tmp_path / "production.sqlite3"
    result = manage("demo_accounts", DATABASE_URL=f"sqlite:///{database}", **production)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "CommandError: The demo accounts have a password anyone can read in the README, so they "
        "are made in development only, and this is production (DJANGO_ENV=production or DEBUG "
        "off). Make real accounts with `python manage.py add_delegate`."
    ]
    assert "Created demo account" not in result.stdout
    # It stopped before it opened the database.
    assert not database.exists()


def test_demo_accounts_make_nothing_when_settings_say_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="this is production"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["amina", "lars"]).exists()


def test_check_deploy_fails_while_a_demo_account_has_the_published_password(db):
    call_command("demo_accounts", stdout=io.StringIO())
    errors = demo_accounts_keep_their_published_password(databases=["default"])
    assert sorted((error.id, error.msg.split("'")[1]) for error in errors) == [
        ("resolutions.E001", "amina"),
        ("resolutions.E001", "lars"),
    ]
    lars = User.objects.get(username="lars")
    lars.set_password("a-password-of-his-own-76")
    lars.save()
    User.objects.filter(username="amina").update(is_active=False)
    assert demo_accounts_keep_their_published_password(databases=["default"]) == []
    # Without --database the check reads nothing.
    call_command("demo_accounts", stdout=io.StringIO())
    assert demo_accounts_keep_their_published_password(databases=None) == []


def test_make_serve_checks_the_database_for_demo_accounts():
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.runtime", "serve"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "manage.py check --deploy --database default --fail-level WARNING" in dry_run


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


@pytest.fixture(scope="module")
def served(django_db_setup, tmp_path_factory):
    """`make serve` on a free port, against the test database, until the module ends. Its
    tests are marked ``django_db``, so that the test database exists when they run alone
    (``-m serve``)."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = production_env(
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        WEB_CONCURRENCY="1",
    )
    with make_serve(env, log) as port:
        yield port, log


def request(port: int, path: str, *, proto: str | None = None):
    return serve_request(port, path, headers={"X-Forwarded-Proto": proto} if proto else {})


@pytest.mark.serve
@pytest.mark.django_db
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


@pytest.mark.serve
@pytest.mark.django_db
def test_serve_redirects_plain_http_to_https(served):
    port, _ = served
    response, _ = request(port, "/documents/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/documents/"


@pytest.mark.serve
@pytest.mark.django_db
def test_serve_sets_secure_cookies(served):
    port, _ = served
    response, _ = request(port, "/accounts/login/", proto="https")
    cookie = response.getheader("Set-Cookie")
    assert "csrftoken=" in cookie
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.serve
@pytest.mark.django_db
def test_serve_shows_the_sites_error_pages_not_debug_ones(served):
    port, _ = served
    response, body = request(port, "/no/such/page/", proto="https")
    assert response.status == 404
    assert "Not found" in body
    assert "Resolution workbench" in body
    assert "Traceback" not in body
    assert "URLconf" not in body


@pytest.mark.serve
@pytest.mark.django_db
def test_serve_logs_each_request_as_json_on_stdout(served):
    port, log = served
    request(port, "/agenda/", proto="https")
    time.sleep(0.2)
    lines = [line for line in log.read_text().splitlines() if '"resolutions.access"' in line]
    assert any('"path": "/agenda/"' in line and '"status": 200' in line for line in lines)


# E-mail ---------------------------------------------------------------------------------------

SHOW_EMAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, "
    "s.DEFAULT_FROM_EMAIL, s.SITE_URL)"
)


def test_email_is_printed_until_a_mail_server_is_named():
    result = manage("shell", "--no-imports", "-c", SHOW_EMAIL, EMAIL_HOST=None)
    assert result.stdout.startswith("django.core.mail.backends.console.EmailBackend"), result.stderr


def test_a_mail_server_from_the_environment_is_used_over_tls():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_EMAIL,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="workbench",
        EMAIL_HOST_PASSWORD="not-a-real-password",
        DEFAULT_FROM_EMAIL="workbench@example.org",
        SITE_URL="https://workbench.example.org/",
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "workbench",
        "True",
        "workbench@example.org",
        "https://workbench.example.org",
    ], result.stderr
