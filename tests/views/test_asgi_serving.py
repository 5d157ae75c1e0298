"""Pages under ASGI (``config/asgi.py``), on a uvicorn of their own: many readers at once
are served by a few threads the process keeps, each reader still their own page."""

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from tests.conftest import SEED_SLUG
from tests.factories import make_delegate
from tests.security.serving import manage
from tests.serving_asgi import asgi_server, session_of, threads_of_server

READERS = 40


@pytest.fixture
def server(transactional_db, tmp_path):
    from tests.conftest import load_seed_fixtures

    load_seed_fixtures()
    with asgi_server(tmp_path / "uvicorn.log") as url:
        yield url


def page(server: str, path: str, session: str) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 (the test's own server)
        server + path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.read().decode()


def test_forty_readers_at_once_are_served_by_a_few_kept_threads_each_their_own_page(server):
    sessions = {
        name: session_of(make_delegate(name, state))
        for name, state in [("lars", "Norway"), ("amina", "Nigeria")]
    }
    reading = f"/documents/{SEED_SLUG}/"
    # The first page starts what every page shares (on PostgreSQL, the connection pool's
    # threads).
    assert page(server, reading, sessions["lars"])[0] == 200
    before = threads_of_server(server)
    most = before
    done = threading.Event()

    def count_threads():
        nonlocal most
        while not done.is_set():
            most = max(most, threads_of_server(server))
            time.sleep(0.005)

    counting = threading.Thread(target=count_threads)
    counting.start()
    readers = [name for name in sessions for _ in range(READERS // 2)]
    try:
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            answers = list(pool.map(lambda name: page(server, reading, sessions[name]), readers))
    finally:
        done.set()
        counting.join()

    for name, (status, html) in zip(readers, answers, strict=True):
        assert status == 200
        other = next(n for n in sessions if n != name)
        assert f">{name}<" in html
        assert f">{other}<" not in html
    # Django alone makes a thread for every request: forty at once, forty threads more.
    assert most <= before + settings.WORKER_THREADS


@pytest.mark.parametrize("value", ["0", "-2", "four", "2.5"])
def test_a_number_of_requests_at_once_that_is_not_one_or_more_stops_the_app(value):
    result = manage("check", WORKER_THREADS=value)
    assert result.returncode != 0
    assert "WORKER_THREADS must be a whole number of requests" in result.stderr
