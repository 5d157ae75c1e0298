"""The session stores that read the database (``resolutions.sessions``) answer as Django's
own: a delegate's session lasts until it expires or they log out, whatever keeps it, and a
session key nobody was given is never taken up."""

import datetime
from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.caches import SESSION_ENGINES
from tests.caching import cache_on
from tests.factories import make_delegate

PASSWORD = "a-long-enough-password-76"
INBOX = "/inbox/"


def logged_in(username: str) -> Client:
    delegate = make_delegate(username)
    delegate.set_password(PASSWORD)
    delegate.save()
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def session_of(client: Client, settings) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.fixture(params=["db", "cached_db"])
def store(request, settings, db):
    with cache_on("local memory"):
        settings.SESSION_ENGINE = SESSION_ENGINES[request.param]
        yield request.param


def test_a_delegate_stays_logged_in_until_the_session_expires(store, settings):
    lars = logged_in("lars")
    assert lars.get(INBOX).status_code == 200
    Session.objects.filter(pk=session_of(lars, settings).pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    with cache_on("local memory"):  # what cached_db kept of it gone, as when it expires there
        answer = lars.get(INBOX)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_a_session_key_nobody_was_given_is_a_stranger_and_is_not_taken_up(store, settings):
    made_up = "madeup0000000000000000000000000000000x"
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = made_up
    assert stranger.get(INBOX).status_code == 302
    # Whatever is then saved in it goes under a key of the server's making.
    session = import_module(settings.SESSION_ENGINE).SessionStore(made_up)
    session["seen"] = True
    session.save()
    assert session.session_key != made_up
    assert not Session.objects.filter(session_key=made_up).exists()
    assert Session.objects.filter(session_key=session.session_key).exists()


def test_a_logged_out_session_lets_nobody_back_in(store, settings):
    lars = logged_in("lars")
    key = lars.cookies[settings.SESSION_COOKIE_NAME].value
    assert lars.post("/accounts/logout/").status_code == 302
    again = Client()
    again.cookies[settings.SESSION_COOKIE_NAME] = key
    assert again.get(INBOX).status_code == 302


def test_each_delegate_reads_their_own_session_in_one_query(db, settings):
    lars, amina = logged_in("lars"), logged_in("amina")
    for client, name in ((lars, "lars"), (amina, "amina"), (lars, "lars")):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(INBOX)
        assert page.context["user"].get_username() == name
        reads = [q["sql"] for q in queries if '"django_session"' in q["sql"]]
        assert len(reads) == 1, reads
