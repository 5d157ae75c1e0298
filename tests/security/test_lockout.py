"""The login lockout as an attacker meets it: behind the TLS proxy every connection comes
from 127.0.0.1, and usernames are visible to any logged-in delegate. Locking an account out
from the attacker's own address must neither lock the delegate out from theirs, nor last
longer than 15 minutes however often the attacker tries, nor be dodged by a forged
``X-Forwarded-For``."""

import datetime
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory

from config.caches import SESSION_ENGINES
from resolutions.login_attempts import client_address
from tests.caching import cache_on, cached_keys
from tests.factories import PASSWORD, make_delegate
from tests.security.serving import HOST, make_serve, manage, production_database
from tests.security.serving import request as serve_request

ATTACKER = "203.0.113.9"
DELEGATE = "198.51.100.7"
LOGIN = "/accounts/login/"
LOCKED_OUT = "Too many failed logins"


def minutes_pass(minutes: int) -> None:
    """Every recorded login failure moves ``minutes`` into the past: for the lockout, which
    measures its 15 minutes from the failures' times, that is the same as waiting."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def log_in(client: Client, password: str, **headers) -> int:
    return client.post(LOGIN, {"username": "lars", "password": password}, **headers).status_code


# Through `make serve`, as the TLS proxy passes requests on ------------------------------------


def serve_login(port: int, username: str, password: str, forwarded_for: str):
    """Logs in as a browser behind the proxy would: the login page for its CSRF cookie and
    token, then the form posted back, each with the proxy's X-Forwarded-For."""
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for}
    response, page = serve_request(port, LOGIN, headers=proxy)
    cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return serve_request(
        port,
        LOGIN,
        method="POST",
        headers={
            **proxy,
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"https://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}),
    )


@pytest.mark.serve
def test_behind_the_proxy_a_locked_out_attacker_leaves_the_delegate_free(tmp_path):
    env = production_database(
        tmp_path,
        f"call_command('add_delegate', 'lars', delegation='Norway', password={PASSWORD!r})\n",
    )
    with make_serve(env, tmp_path / "serve.log") as port:
        tries = [serve_login(port, "lars", f"guess{n}", ATTACKER) for n in range(6)]
        assert [response.status for response, _ in tries] == [200, 200, 200, 200, 429, 429]
        assert LOCKED_OUT in tries[-1][1]
        # Even the right password opens nothing from the attacker's address...
        response, page = serve_login(port, "lars", PASSWORD, ATTACKER)
        assert (response.status, LOCKED_OUT in page) == (429, True)
        # ...and a forged entry in front of what the proxy adds changes no address.
        response, page = serve_login(port, "lars", PASSWORD, f"{DELEGATE}, {ATTACKER}")
        assert (response.status, LOCKED_OUT in page) == (429, True)

        # The delegate, from their own address through the same proxy, gets in.
        response, _ = serve_login(port, "lars", PASSWORD, DELEGATE)
        assert response.status == 302
        assert response.getheader("Location") == "/"
        assert "sessionid=" in response.getheader("Set-Cookie")

        # Their login ends no lock but their own: the attacker is still locked out.
        response, page = serve_login(port, "lars", PASSWORD, ATTACKER)
        assert (response.status, LOCKED_OUT in page) == (429, True)


# The lock's rules, through Django's test client ----------------------------------------------


def test_a_try_during_the_lockout_does_not_make_it_longer(db):
    make_delegate("lars")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    assert [log_in(attacker, f"guess{n}") for n in range(5)] == [200, 200, 200, 200, 429]
    minutes_pass(14)
    assert log_in(attacker, "one more guess") == 429
    minutes_pass(2)
    # 16 minutes after the fifth failure, 2 after the last try: the lock is over.
    assert log_in(attacker, PASSWORD) == 302


def test_the_lock_ends_no_sooner_than_15_minutes(db):
    make_delegate("lars")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(5):
        log_in(attacker, f"guess{n}")
    minutes_pass(14)
    assert log_in(attacker, PASSWORD) == 429


def test_the_lock_holds_one_account_at_one_address_only(db):
    make_delegate("lars")
    make_delegate("ingrid")
    office = Client(REMOTE_ADDR=ATTACKER)
    for n in range(5):
        log_in(office, f"guess{n}")
    assert log_in(office, PASSWORD) == 429
    # A colleague behind the same address logs in to their own account.
    colleague = office.post(LOGIN, {"username": "ingrid", "password": PASSWORD})
    assert colleague.status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lock(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_delegate("lars")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    statuses = [
        log_in(attacker, f"guess{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Nor can it lock the delegate out by naming the delegate's address.
    assert log_in(Client(REMOTE_ADDR=DELEGATE), PASSWORD) == 302


def test_behind_a_proxy_what_the_client_adds_does_not_dodge_the_lock(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_delegate("lars")
    # Every connection comes from the proxy; the proxy appends the attacker's address.
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    statuses = [
        log_in(attacker, f"guess{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}")
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    delegate = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=DELEGATE)
    assert log_in(delegate, PASSWORD) == 302


@pytest.mark.parametrize("store", ["cache", "cached_db"])
def test_with_sessions_on_the_shared_redis_the_lock_holds_and_the_delegate_gets_in(
    db, settings, store
):
    """django-axes counts failures in the database, whatever keeps the sessions: with the
    sessions on Redis the lock is the same, and the delegate's session is on Redis, where
    every app server finds it."""
    with cache_on("Redis"):
        settings.SESSION_ENGINE = SESSION_ENGINES[store]
        make_delegate("lars")
        attacker = Client(REMOTE_ADDR=ATTACKER)
        statuses = [log_in(attacker, f"guess{n}") for n in range(6)]
        assert statuses == [200, 200, 200, 200, 429, 429]
        delegate = Client(REMOTE_ADDR=DELEGATE)
        assert log_in(delegate, PASSWORD) == 302
        session = delegate.cookies[settings.SESSION_COOKIE_NAME].value
        assert cached_keys(session)
        elsewhere = Client(REMOTE_ADDR=DELEGATE)
        elsewhere.cookies[settings.SESSION_COOKIE_NAME] = session
        assert elsewhere.get("/inbox/").status_code == 200
        assert Client().get("/inbox/").status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, None, "127.0.0.1"),
        (0, "203.0.113.9", "127.0.0.1"),
        (1, None, "127.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (1, " 198.51.100.7 ,203.0.113.9 ", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "127.0.0.1"),
        (1, "2001:DB8::1", "2001:db8::"),
        (1, "2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8::"),
        (1, "2001:db8:0:1::1", "2001:db8:0:1::"),
        (1, "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_as_far_as_the_proxies_are_trusted(
    settings, proxies, forwarded_for, address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)
    assert client_address(request) == address


def test_an_ipv6_attacker_cannot_move_to_the_next_address_of_their_network(db):
    make_delegate("lars")
    statuses = [
        log_in(Client(REMOTE_ADDR=f"2001:db8:0:7::{n + 1:x}"), f"guess{n}") for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert log_in(Client(REMOTE_ADDR="2001:db8:0:8::1"), PASSWORD) == 302


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_stops_the_app(value):
    result = manage("check", TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr
