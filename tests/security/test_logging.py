"""Structured logs: one JSON line per request with its id, the user, the status and the
duration; never a note's text or a password, even when they are what was posted."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from resolutions.middleware import JsonFormatter
from resolutions.models import Annotation
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_delegate

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
