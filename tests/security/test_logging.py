"""Structured logs: one JSON line per request with its id, the user, the status and the
duration; never a note's text or a password, even when they are what was posted, and never
the secret of a private calendar address, whether it works or not."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from resolutions.middleware import JsonFormatter
from resolutions.models import Annotation, CalendarFeed
from resolutions.redaction import RedactSecrets, redact
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_delegate
from tests.security.serving import make_serve, production_database
from tests.security.serving import request as serve_request

SECRET_NOTE = "canary-note-text-that-must-never-be-logged"
SECRET_TAG = "canary-tag-never-logged"


@pytest.fixture
def logged():
    """``logged()`` returns every record logged so far in the test (at every level, by every
    logger), each as the JSON object the console handler writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


def access(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["logger"] == "resolutions.access"]


def test_logs_go_to_stdout_as_json_from_the_first_middleware():
    console = settings.LOGGING["handlers"]["console"]
    assert console["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["formatters"][console["formatter"]]["()"].endswith("JsonFormatter")
    assert settings.MIDDLEWARE[0] == "resolutions.middleware.RequestLogMiddleware"


def test_each_request_is_one_line_with_id_user_status_and_duration(client, db, logged):
    lars = make_delegate("lars")
    client.force_login(lars)
    page = client.get(f"/documents/{SEED_SLUG}/?tag=private-filter")
    client.get("/documents/no-such-draft/")
    Client().get("/")

    found, missing, anonymous = access(logged())
    assert found["request_id"] == page["X-Request-ID"]
    assert len({found["request_id"], missing["request_id"], anonymous["request_id"]}) == 3
    assert (found["method"], found["path"], found["status"]) == (
        "GET",
        f"/documents/{SEED_SLUG}/",
        200,
    )
    assert found["user_id"] == lars.pk
    assert isinstance(found["duration_ms"], float)
    assert found["duration_ms"] >= 0
    assert (missing["status"], missing["level"]) == (404, "INFO")
    assert anonymous["user_id"] is None
    # The query string is not logged: filters may hold a delegate's words.
    assert "private-filter" not in json.dumps(logged())


def test_a_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client, db, logged):
    kept = client.get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")
    replaced = client.get("/", HTTP_X_REQUEST_ID='"}\n{"forged": "line"}')
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    assert replaced["X-Request-ID"] != '"}\n{"forged": "line"}'
    assert [entry["request_id"] for entry in access(logged())] == [
        "proxy-1234abcd",
        replaced["X-Request-ID"],
    ]


def test_no_note_text_or_password_reaches_the_logs(client, db, logged):
    make_delegate("lars")
    client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    url = f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/"
    client.post(url, {"body": SECRET_NOTE, "visibility": "private", "tags": SECRET_TAG})
    client.post(url, {"body": SECRET_NOTE + " " + "x" * 20_000, "visibility": "private"})
    note = Annotation.objects.get(body=SECRET_NOTE)
    client.post(
        f"/annotations/{note.pk}/edit/",
        {"body": SECRET_NOTE + " edited", "version": 1, "visibility": "private", "tags": ""},
    )
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "lars", "password": "wrong-" + PASSWORD})

    entries = logged()
    assert [(e["method"], e["status"]) for e in access(entries)] == [
        ("POST", 302),
        ("POST", 302),
        ("POST", 400),
        ("POST", 302),
        ("POST", 302),
        ("POST", 200),
    ]
    everything = json.dumps(entries, ensure_ascii=False)
    for secret in (SECRET_NOTE, SECRET_TAG, PASSWORD):
        assert secret not in everything


# Secret addresses -------------------------------------------------------------------------

AGENDA_SLUG = "ict-international-security"
FEED_TOKEN = "canaryFeedToken-never-logged-0123456789abcdefghijkl"
MISTYPED_TOKEN = "canaryMistypedToken-never-logged-0123456789abcdef"


def feed_path(token: str) -> str:
    return f"/agenda/{AGENDA_SLUG}/calendar/{token}.ics"


def test_no_calendar_address_reaches_the_logs_working_or_not(client, db, logged):
    lars = make_delegate("lars")
    CalendarFeed.objects.create(user=lars, token=FEED_TOKEN)
    assert client.get(feed_path(FEED_TOKEN)).status_code == 200
    assert client.get(feed_path(MISTYPED_TOKEN)).status_code == 404
    assert client.post(feed_path(FEED_TOKEN)).status_code == 405
    # Without its ending the address matches no page at all.
    assert client.get(feed_path(FEED_TOKEN).removesuffix(".ics")).status_code == 404

    entries = logged()
    everything = json.dumps(entries, ensure_ascii=False)
    for token in (FEED_TOKEN, MISTYPED_TOKEN):
        assert token not in everything
    # What each request was, and how it ended, is still there for whoever reads the log.
    redacted = f"/agenda/{AGENDA_SLUG}/calendar/[secret].ics"
    assert [(e["method"], e["path"], e["status"]) for e in access(entries)] == [
        ("GET", redacted, 200),
        ("GET", redacted, 404),
        ("POST", redacted, 405),
        ("GET", redacted.removesuffix(".ics"), 404),
    ]
    warnings = [e["message"] for e in entries if e["logger"] == "django.request"]
    assert warnings == [
        f"Not Found: {redacted}",
        f"Method Not Allowed (POST): {redacted}",
        f"Not Found: {redacted.removesuffix('.ics')}",
    ]


def test_the_development_servers_warnings_hide_the_address_and_the_query():
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET {feed_path(FEED_TOKEN)}?tag=private-filter HTTP/1.1", "404", "179"),
        None,
    )
    RedactSecrets().filter(record)
    assert record.getMessage() == (
        f'"GET /agenda/{AGENDA_SLUG}/calendar/[secret].ics HTTP/1.1" 404 179'
    )


def test_the_form_that_makes_a_new_address_is_logged_as_it_is():
    path = reverse("resolutions:calendar_feed_reset", args=[AGENDA_SLUG])
    assert redact(path) == path


def url_patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            namespace = resolver.namespace
            yield pattern, f"{namespace}:{pattern.name}" if namespace else pattern.name


#: Names a URL gives a part of the address that works as a key.
SECRET_PARAMETERS = {"token", "key", "secret", "uidb64", "signature"}


def test_every_address_with_a_secret_in_it_is_redacted():
    """A new page whose address holds a key must join ``resolutions.redaction`` first."""
    secret_urls = []
    for pattern, name in url_patterns(get_resolver()):
        parameters = set(pattern.pattern.converters)
        if not parameters & SECRET_PARAMETERS:
            continue
        kwargs = {
            parameter: "canarySecret123" if parameter in SECRET_PARAMETERS else "x"
            for parameter in parameters
        }
        url = reverse(name, kwargs=kwargs)
        secret_urls.append(name)
        assert "canarySecret123" not in redact(url), name
    assert secret_urls == ["resolutions:agenda_calendar_feed"]


@pytest.mark.serve
def test_make_serve_logs_no_calendar_address_even_in_gunicorns_access_log(tmp_path):
    env = production_database(
        tmp_path,
        "from resolutions.models import CalendarFeed, User\n"
        "call_command('add_delegate', 'lars', delegation='Norway', password='x-long-pass-76')\n"
        f"CalendarFeed.objects.create(user=User.objects.get(), token={FEED_TOKEN!r})\n",
        fixtures=("member_states.json", "seed_document.json", "agenda.json"),
    )
    env["GUNICORN_CMD_ARGS"] = "--access-logfile -"
    log = tmp_path / "serve.log"
    with make_serve(env, log) as port:
        proxy = {"X-Forwarded-Proto": "https"}
        assert serve_request(port, feed_path(FEED_TOKEN), headers=proxy)[0].status == 200
        mistyped = feed_path(MISTYPED_TOKEN) + "?tag=private-filter"
        assert serve_request(port, mistyped, headers=proxy)[0].status == 404
    lines = log.read_text().splitlines()
    for secret in (FEED_TOKEN, MISTYPED_TOKEN, "private-filter"):
        assert not [line for line in lines if secret in line]
    # gunicorn's own access lines are there, as redacted as the app's.
    redacted = f"GET /agenda/{AGENDA_SLUG}/calendar/[secret].ics HTTP/1.1"
    assert len([line for line in lines if f'"{redacted}" 200' in line]) == 1
    assert len([line for line in lines if f'"{redacted}" 404' in line]) == 1
