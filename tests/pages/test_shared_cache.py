"""Two app servers on one Redis (CACHE_URL), as behind nginx: a page one server rendered is
served by the other, a delegate logged in on one is known to the other (SESSION_STORE=cache),
and a note saved through one shows on the other's next view: neither serves the other a
stale page."""

import contextlib
import http.client
import re
import sqlite3
import sys
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from tests.caching import REDIS_URL, RUN_PREFIX, redis_unreachable
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD
from tests.processes import listening, running
from tests.security.serving import free_port, production_database

READING = f"/documents/{SEED_SLUG}/"
CREATE = f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/"
PREFIX = f"{RUN_PREFIX}-servers"


@contextlib.contextmanager
def app_server(env: dict, log: Path) -> Iterator[int]:
    """gunicorn with ``env`` on a free port, writing what it prints to ``log``; yields the
    port once it answers, and stops it when the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--error-logfile", "-"]
    with running(
        command,
        name="gunicorn",
        answers=lambda: Browser(port).get("/accounts/login/"),
        log=log,
        env=env,
    ):
        yield port


class Browser:
    """Requests to one server, with the cookies a browser would keep (set by any server)."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = cookies if cookies is not None else {}

    def on(self, port: int) -> "Browser":
        """The same browser, its next request going to the server on ``port``."""
        return Browser(port, self.cookies)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> tuple[int, str]:
        return self.request("POST", path, data)


def form_fields(html: str, action: str) -> dict[str, str]:
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'name="(csrfmiddlewaretoken|submission_key)" value="([^"]*)"', form))


@pytest.fixture
def shared_redis():
    if reason := redis_unreachable():
        pytest.skip(reason)
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(match=f"{PREFIX}:*"):
        client.delete(key)


def test_two_servers_on_one_redis_share_pages_and_sessions_and_never_serve_stale_ones(
    shared_redis, tmp_path
):
    env = production_database(
        tmp_path,
        setup="from tests.factories import make_delegate\nmake_delegate('lars')\n",
        fixtures=("member_states.json", "agenda.json", "seed_document.json"),
    )
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    env.pop("DJANGO_ENV")
    env.update(
        DEBUG="1",  # the development settings: no static files to collect first
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=PREFIX,
        SESSION_STORE="cache",
        LOG_LEVEL="WARNING",
    )
    with (
        app_server(env, tmp_path / "first.log") as first,
        app_server(env, tmp_path / "second.log") as second,
    ):
        # Logged in on the first server; the second knows the session from Redis.
        browser = Browser(first)
        _, login = browser.get("/accounts/login/")
        status, _ = browser.post(
            "/accounts/login/",
            {
                "username": "lars",
                "password": PASSWORD,
                **form_fields(login, "/accounts/login/"),
            },
        )
        assert status == 302
        status, page = browser.on(second).get(READING)
        assert status == 200
        assert "Add a note" in page

        # Changed behind the app's back (no new cache version): the first server answers
        # with the page the second rendered, from Redis.
        with sqlite3.connect(database) as db:
            db.execute(
                "UPDATE resolutions_paragraph SET text = text || ' Unseen words.' "
                "WHERE label = 'op1'"
            )
        status, page = browser.on(first).get(READING)
        assert status == 200
        assert "Unseen words." not in page
        assert page.count('name="submission_key"') > 10

        # A note saved through the first server: the second draws OP6 again, whose part of
        # the page the note moved on; the rest is as both servers cached it.
        status, _ = browser.on(first).post(
            CREATE,
            {"body": "Our line on op6", "visibility": "private", **form_fields(page, CREATE)},
        )
        assert status == 302
        _, page = browser.on(second).get(READING)
        assert "Our line on op6" in page
        assert "Unseen words." not in page
    assert list(shared_redis.scan_iter(match=f"{PREFIX}:*"))


def test_an_asgi_server_reads_redis_through_one_connection_not_one_a_request(
    shared_redis, tmp_path
):
    """Served as ``make serve`` serves it (ASGI), the pages of thirty readers, each using the
    cache, take Redis connections from one pool: the server opens one and keeps it,
    however many requests it answers. (Redis gives every connection an id of its own, so
    one opened and closed between two requests still counts.)"""
    env = production_database(
        tmp_path, fixtures=("member_states.json", "agenda.json", "seed_document.json")
    )
    env.pop("DJANGO_ENV")
    # Each connection of this server names itself to Redis, so that only its own are counted.
    name = f"{PREFIX}-asgi"
    separator = "&" if "?" in REDIS_URL else "?"
    env.update(
        DEBUG="1",
        CACHE_URL=f"{REDIS_URL}{separator}client_name={name}",
        CACHE_KEY_PREFIX=PREFIX,
        LOG_LEVEL="WARNING",
    )
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    with running(
        command, name="uvicorn", answers=listening(port), log=tmp_path / "asgi.log", env=env
    ):
        opened: set[str] = set()
        for _ in range(15):
            for path in (READING, f"/documents/{SEED_SLUG}/sponsors/"):
                status, _ = Browser(port).get(path)
                assert status == 200
                opened |= {c["id"] for c in shared_redis.client_list() if c.get("name") == name}
    assert list(shared_redis.scan_iter(match=f"{PREFIX}:*")), "the pages were not cached"
    assert len(opened) == 1, f"{len(opened)} connections opened to Redis for 30 pages"
