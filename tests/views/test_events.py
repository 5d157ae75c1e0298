"""``/events/``: what an open page is told, and what it never is.

The stream itself is tested under ASGI, on a uvicorn of its own (``tests/serving_asgi.py``)
reading the bytes on the wire: that is where a stream stays open, hears of what another
delegate saves, ends on logout and catches up after a reconnection. Under WSGI (the test
client) a stream says what was missed and ends; the same rules choose what it says."""

import asyncio
import datetime
import inspect
import os
import re
import signal
import sys
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resolutions import live
from resolutions.models import LiveEvent, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate
from tests.processes import listening, running
from tests.security.serving import (
    HOST,
    INHERITED_CONFIGURATION,
    free_port,
    make_serve,
    make_serve_process,
    production_database,
)
from tests.serving_asgi import (
    EventStream,
    asgi_server,
    post_form,
    session_of,
    threads_of_server,
)

EVENTS = f"/events/?document={SEED_SLUG}"


def told(response) -> str:
    return b"".join(response.streaming_content).decode()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def norway(db):
    return make_delegate("lars", "Norway"), make_delegate("ingrid", "Norway")


@pytest.fixture
def amina(db):
    return make_delegate("amina", "Nigeria")


def op(label: str) -> Paragraph:
    return Paragraph.objects.get(document__slug=SEED_SLUG, label=label)


def test_a_first_connection_learns_where_the_events_stand_and_nothing_else(norway):
    lars, ingrid = norway
    make_annotation(ingrid, op("op5"), "Before lars came", visibility="public")
    latest = LiveEvent.objects.latest("pk").pk
    response = client_of(lars).get(EVENTS)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Accel-Buffering"] == "no"
    assert told(response) == f"retry: 2000\n\nid: {latest}\n\n"


def test_a_reconnection_is_told_what_its_reader_missed_and_may_know(norway, amina):
    lars, ingrid = norway
    start = LiveEvent.objects.latest("pk").pk if LiveEvent.objects.exists() else 0
    make_annotation(ingrid, op("op5"), "Norway only", visibility="delegation")
    make_annotation(ingrid, op("op4"), "Everyone", visibility="public")
    make_annotation(ingrid, op("op3"), "Ingrid alone", visibility="private")
    for_lars = told(client_of(lars).get(EVENTS, headers={"Last-Event-ID": str(start)}))
    for_amina = told(client_of(amina).get(EVENTS, headers={"Last-Event-ID": str(start)}))
    assert "event: op5\ndata: paragraph op5 changed" in for_lars
    assert "event: op4\ndata: paragraph op4 changed" in for_lars
    assert "op3" not in for_lars
    # Nigeria hears of the note everyone may read, and of nothing Norway keeps to itself.
    assert "event: op4" in for_amina
    assert "op5" not in for_amina
    assert "op3" not in for_amina
    # Each is named twice: by its paragraph and, for the pages that show them all, as
    # "changed", which leaves the browser's last event as it was.
    assert for_amina.count("event: changed\ndata: paragraph op4 changed\n\n") == 1


def test_what_was_rolled_back_announces_nothing(norway):
    lars, ingrid = norway
    before = LiveEvent.objects.count()

    def save_then_fail():
        with transaction.atomic():
            make_annotation(ingrid, op("op5"), "Never saved", visibility="public")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        save_then_fail()
    assert LiveEvent.objects.count() == before


def test_a_visitor_with_no_document_is_told_there_is_nothing_to_follow(db):
    assert Client().get("/events/").status_code == 204
    visitor = Client().get(EVENTS)
    assert visitor.status_code == 200
    assert Client().get("/events/?document=no-such-thing").status_code == 404
    assert Client().post(EVENTS).status_code == 405


def test_a_note_of_anyone_reaches_a_visitor_only_when_it_is_for_anyone(norway):
    """Visitors see no notes: they hear of changes to the text, never of a note."""
    lars, ingrid = norway
    make_annotation(ingrid, op("op4"), "Everyone logged in", visibility="public")
    assert "op4" not in told(Client().get(EVENTS, headers={"Last-Event-ID": "0"}))


# Under ASGI, on a server of its own.


@pytest.fixture
def server(transactional_db, tmp_path):
    from tests.conftest import load_seed_fixtures

    load_seed_fixtures()
    with asgi_server(tmp_path / "uvicorn.log") as url:
        yield url


def save_note(server: str, session: str, label: str, body: str, visibility: str) -> int:
    """Saves a note through the server's own form, as a browser would."""
    path = f"/documents/{SEED_SLUG}/paragraphs/{label}/annotations/"
    return post_form(server, path, session, {"body": body, "visibility": visibility})


def test_an_open_stream_hears_at_once_of_what_its_reader_may_read_and_of_nothing_else(server):
    lars, ingrid = make_delegate("lars", "Norway"), make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    for_lars = EventStream(server, EVENTS, session=session_of(lars))
    for_amina = EventStream(server, EVENTS, session=session_of(amina))
    assert for_lars.status == 200
    assert "text/event-stream" in for_lars.headers
    for_lars.wait_for("")  # the opening: where the events stand
    try:
        writer = session_of(ingrid)
        assert save_note(server, writer, "op5", "Norway only", "delegation") in (200, 302)
        assert for_lars.wait_for("op5", seconds=2)[2] == "paragraph op5 changed"
        assert save_note(server, writer, "op4", "For everyone", "public") in (200, 302)
        for_amina.wait_for("op4", seconds=2)
        for_lars.wait_for("op4", seconds=2)
        # Nigeria was never told that Norway wrote on OP5: not even its name.
        assert "op5" not in for_amina.text
        assert [name for _, name, _ in for_lars.events() if name.startswith("op")] == [
            "op5",
            "op4",
        ]
    finally:
        for_lars.close()
        for_amina.close()


def test_a_reader_who_lost_the_connection_catches_up(server):
    lars, ingrid = make_delegate("lars", "Norway"), make_delegate("ingrid", "Norway")
    session = session_of(lars)
    first = EventStream(server, EVENTS, session=session)
    last_id = first.wait_for("")[0]
    first.close()
    make_annotation(ingrid, op("op2"), "While lars was away", visibility="delegation")
    again = EventStream(server, EVENTS, session=session, last_id=last_id)
    try:
        event_id, name, data = again.wait_for("op2", seconds=2)
        assert int(event_id) > int(last_id)
        assert data == "paragraph op2 changed"
    finally:
        again.close()


def test_open_streams_hold_no_thread_each(server):
    """A hundred readers wait on a hundred small queues, not on a hundred threads."""
    lars = make_delegate("lars", "Norway")
    session = session_of(lars)
    # The first stream starts what every stream shares (on PostgreSQL, the connection pool's
    # threads and the listening connection).
    first = EventStream(server, EVENTS, session=session)
    first.wait_for("")
    before = threads_of_server(server)
    streams = [first] + [EventStream(server, EVENTS, session=session) for _ in range(100)]
    try:
        for stream in streams:
            stream.wait_for("")
        assert threads_of_server(server) < before + 5
    finally:
        for stream in streams:
            stream.close()


def test_the_stream_is_where_the_asgi_entry_point_serves_it_apart():
    assert reverse("resolutions:events") == live.EVENTS_PATH


def test_logging_out_ends_the_sessions_streams(server):
    lars = make_delegate("lars", "Norway")
    session = session_of(lars)
    stream = EventStream(server, EVENTS, session=session)
    try:
        stream.wait_for("")
        assert post_form(server, "/accounts/logout/", session, {}) == 302
        assert stream.wait_for("logout", seconds=2)[2] == "logged out"
        stream.events(seconds=1)
        assert stream.ended
    finally:
        stream.close()


def test_a_session_that_expires_ends_its_streams_at_the_next_heartbeat(server):
    """An open stream checks its session at each heartbeat: a session past its expiry date
    logs the reader out there, as the next page would."""
    lars = make_delegate("lars", "Norway")
    session = session_of(lars)
    stream = EventStream(server, EVENTS, session=session)
    try:
        stream.wait_for("")
        Session.objects.filter(session_key=session).update(
            expire_date=timezone.now() - datetime.timedelta(seconds=1)
        )
        assert stream.wait_for("logout", seconds=live.HEARTBEAT_SECONDS + 5)[2] == "logged out"
    finally:
        stream.close()


def test_a_stream_told_to_close_closes_even_when_its_queue_was_full():
    """A stream too far behind is told to catch up instead of being handed every message;
    the server's stopping is never lost that way."""

    async def queued_after(*items) -> list:
        reader = live.Reader(user_id=None, delegation_id=None, document_id=1, logout_event=None)
        subscription = live.Subscription(reader, asyncio.get_running_loop())
        for item in items:
            subscription._put(item)
        return [subscription.queue.get_nowait() for _ in range(subscription.queue.qsize())]

    full = ["message"] * live.QUEUE_SIZE
    assert asyncio.run(queued_after(*full, "one more")) == [live.CATCH_UP]
    assert asyncio.run(queued_after(*full, live.CLOSE)) == [live.CLOSE]
    assert asyncio.run(queued_after(*full[:-1], live.CLOSE, "one more")) == [live.CLOSE]


def test_the_worker_serves_as_uvicorn_worker_does_but_for_the_server_that_ends_streams():
    """EventWorker._serve is uvicorn-worker's own with another server: a new release of
    uvicorn-worker that serves otherwise fails here, not in production."""
    from uvicorn_worker import UvicornWorker

    from config.gunicorn_logging import EventWorker

    def code(method) -> list[str]:
        lines = inspect.getsource(method).splitlines()
        return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]

    ours = [line.replace("_ClosingStreams(", "Server(") for line in code(EventWorker._serve)]
    assert ours == code(UvicornWorker._serve)


@pytest.mark.serve
def test_stopping_make_serve_ends_its_streams_at_once_rather_than_after_its_grace(tmp_path):
    """A deploy stops the server with SIGTERM: its open streams end at once (each browser
    opens its stream again, on a server still running), so the server is gone in a moment
    rather than after gunicorn's ten seconds of grace, in which it can not be started again."""
    fixtures = ("member_states.json", "agenda.json", "seed_document.json")
    env = production_database(tmp_path, fixtures=fixtures)
    with make_serve_process(env, tmp_path / "serve.log") as (port, process):
        streams = [
            EventStream(
                f"http://127.0.0.1:{port}",
                EVENTS,
                headers={"Host": HOST, "X-Forwarded-Proto": "https"},
            )
            for _ in range(3)
        ]
        try:
            for stream in streams:
                stream.wait_for("")
            asked = time.monotonic()
            os.killpg(process.pid, signal.SIGTERM)
            for stream in streams:
                stream.events(seconds=3)
                assert stream.ended
            process.wait(timeout=10)
            assert time.monotonic() - asked < 3
            # Each is told to wait a while of its own before opening again elsewhere.
            for stream in streams:
                retries = [int(wait) for wait in re.findall(r"^retry: (\d+)$", stream.text, re.M)]
                assert retries[0] == live.RETRY_MILLISECONDS
                assert live.RETRY_MILLISECONDS <= retries[-1] <= 5 * live.RETRY_MILLISECONDS
        finally:
            for stream in streams:
                stream.close()


@pytest.mark.serve
def test_make_serve_and_make_run_keep_a_stream_open(tmp_path):
    """Both serve under ASGI: the stream stays open after its opening."""
    fixtures = ("member_states.json", "agenda.json", "seed_document.json")
    env = production_database(tmp_path, fixtures=fixtures)
    with make_serve(env, tmp_path / "serve.log") as port:
        stream = EventStream(
            f"http://127.0.0.1:{port}",
            EVENTS,
            headers={"Host": HOST, "X-Forwarded-Proto": "https"},
        )
        try:
            assert stream.status == 200
            assert "text/event-stream" in stream.headers
            stream.wait_for("")
            stream.events(seconds=1)
            assert not stream.ended
        finally:
            stream.close()

    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_CONFIGURATION}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}", PORT=str(port))
    command = ["make", "--no-print-directory", "-o", ".venv/.runtime", "run"]
    command.append(f"PY={sys.executable}")
    with running(
        command, name="make run", answers=listening(port), log=tmp_path / "run.log", env=env
    ):
        stream = EventStream(f"http://127.0.0.1:{port}", EVENTS)
        try:
            assert stream.status == 200
            stream.wait_for("")
            stream.events(seconds=1)
            assert not stream.ended
        finally:
            stream.close()
