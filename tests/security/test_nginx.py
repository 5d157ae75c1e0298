"""nginx in front of the app, as deploy/nginx/workbench.conf sets it up: nginx accepts the
site as written, with TLS turned on, and as the tests run it; a page loads through it; the
app reads the client's address from what nginx adds to X-Forwarded-For, never from what
the client wrote; and an event stream reaches the browser line by line, not when it ends."""

import http.client
import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt

from tests.conftest import load_seed_fixtures
from tests.factories import make_delegate
from tests.serving_nginx import (
    SITE,
    check,
    free_port,
    nginx_missing,
    render_site,
    serving_nginx,
    write_config,
)

CLIENT = "127.0.0.5"  # another loopback address than nginx's own connections to the app
FORGED = "198.51.100.7"


@pytest.fixture(autouse=True)
def nginx_installed():
    if reason := nginx_missing():
        pytest.skip(reason)


def through(port: int, path: str, *, method="GET", headers=None, body=None):
    """One request to nginx from ``CLIENT``, as a browser on another machine would make it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(CLIENT, 0))
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response, text


def test_nginx_accepts_the_site_as_written_and_as_the_tests_run_it(tmp_path):
    as_written = check(write_config(tmp_path / "production", SITE.read_text()))
    assert as_written.returncode == 0, as_written.stderr
    as_tested = check(write_config(tmp_path / "test", render_site(8123, ["127.0.0.1:8124"])))
    assert as_tested.returncode == 0, as_tested.stderr


def test_nginx_accepts_the_site_with_its_tls_lines_turned_on(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed to make a certificate")
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=workbench.example.org", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    # As the site's comments say: the main block listens on 443 instead of 80, and the
    # block that sends port 80 on to HTTPS is turned on.
    site = re.sub(r"^    listen (\[::\]:)?80;\n", "", SITE.read_text(), flags=re.M)
    turned_on = re.sub(
        r"^(\s*)# ((?:listen (?:\[::\]:)?443|ssl_)[^\n]*)", r"\1\2", site, flags=re.M
    )
    redirect = re.search(r"^# server \{\n(?:#[^\n]*\n)*?# \}\n", turned_on, flags=re.M)[0]
    turned_on = turned_on.replace(redirect, re.sub(r"^# ?", "", redirect, flags=re.M))
    turned_on = turned_on.replace(
        "/etc/letsencrypt/live/workbench.example.org/fullchain.pem", str(certificate)
    ).replace("/etc/letsencrypt/live/workbench.example.org/privkey.pem", str(key))
    assert turned_on.count("443 ssl http2;") == 2
    assert turned_on.count("return 301 https://") == 1
    assert "# ssl_" not in turned_on
    result = check(write_config(tmp_path / "tls", turned_on))
    assert result.returncode == 0, result.stderr


def test_nginx_takes_pages_and_bodies_whole_and_passes_only_the_events_as_they_come():
    """Each app process serves WORKER_THREADS requests at once: a slow client must meet
    nginx's buffers, not hold one of them (``config/asgi.py``)."""
    site = SITE.read_text()
    pages = re.search(r"\n    location / \{\n(.*?)\n    \}", site, flags=re.S)[1]
    events = re.search(r"\n    location /events/ \{\n(.*?)\n    \}", site, flags=re.S)[1]
    assert "proxy_request_buffering off" not in site
    assert "proxy_buffering off" not in pages
    assert re.search(r"^\s*proxy_buffering off;", events, flags=re.M)
    outside = site.replace(pages, "").replace(events, "")
    assert "proxy_buffering off" not in outside


def test_a_page_loads_through_nginx_and_the_lockout_counts_the_clients_own_address(
    live_server, transactional_db, settings, tmp_path
):
    # Transactional tests empty the database: the delegate's Member State comes again.
    load_seed_fixtures()
    settings.TRUSTED_PROXY_COUNT = 1
    make_delegate("lars")
    app = live_server.url.removeprefix("http://")
    with serving_nginx(tmp_path / "nginx", [app]) as port:
        response, page = through(port, "/accounts/login/", headers={"Host": "127.0.0.1"})
        assert response.status == 200
        assert 'name="username"' in page
        # Static files pass through to the app, which serves them.
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]
        css, _ = through(port, stylesheet, headers={"Host": "127.0.0.1"})
        assert css.status == 200
        assert css.getheader("Content-Type").startswith("text/css")

        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie"))[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        statuses = []
        for n in range(5):
            failed, _ = through(
                port,
                "/accounts/login/",
                method="POST",
                headers={
                    "Host": "127.0.0.1",
                    "Cookie": f"csrftoken={cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    # What a client writes here itself must not count as its address.
                    "X-Forwarded-For": FORGED,
                },
                body=urlencode(
                    {"csrfmiddlewaretoken": token, "username": "lars", "password": f"guess{n}"}
                ),
            )
            statuses.append(failed.status)
    assert statuses == [200, 200, 200, 200, 429]
    # The app was reached from 127.0.0.1 (nginx) and was told of the client at 127.0.0.5.
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]


class Stream(BaseHTTPRequestHandler):
    """An app server's event stream: one event, then nothing until the test has read it,
    then a last event. Behind a buffering proxy the first would wait for the second."""

    first_read = threading.Event()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(b"event: changed\ndata: op6\n\n")
        self.wfile.flush()
        self.first_read.wait(timeout=10)
        self.wfile.write(b"event: changed\ndata: op7\n\n")
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


def read_until(response: http.client.HTTPResponse, marker: bytes) -> bytes:
    """What nginx has sent of the body so far, line by line (chunk sizes included), up to
    the line holding ``marker``."""
    received = b""
    while marker not in received:
        line = response.fp.readline()
        assert line, f"the stream ended before {marker!r}: {received!r}"
        received += line
    return received


def test_events_reach_the_browser_as_they_are_sent(tmp_path):
    Stream.first_read.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        upstream = f"127.0.0.1:{server.server_address[1]}"
        with serving_nginx(tmp_path / "nginx", [upstream]) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request(
                "GET",
                "/events/?document=a-c1-76-l13",
                headers={"Accept": "text/event-stream", "Accept-Encoding": "gzip"},
            )
            response = conn.getresponse()
            assert response.status == 200
            assert response.getheader("Content-Encoding") is None
            started = time.monotonic()
            first = read_until(response, b"data: op6")
            assert b"op7" not in first
            assert time.monotonic() - started < 5
            Stream.first_read.set()
            read_until(response, b"data: op7")
            conn.close()
    finally:
        Stream.first_read.set()
        server.shutdown()
        server.server_close()


class Saving(BaseHTTPRequestHandler):
    """An app server that saves every POST it reads and answers it as the app does."""

    saved: list[bytes] = []

    def do_POST(self):
        self.saved.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(302)
        self.send_header("Location", "/documents/a-c1-76-l13/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_note_sent_while_one_app_server_is_stopped_is_saved_by_the_other(tmp_path):
    """A stopped app server refuses connections before nginx has sent it anything, so nginx
    passes the POST to the other: the delegate's note is saved once, with no error page."""
    Saving.saved = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Saving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopped = free_port()  # nothing listens there
    try:
        upstreams = [f"127.0.0.1:{stopped}", f"127.0.0.1:{server.server_address[1]}"]
        with serving_nginx(tmp_path / "nginx", upstreams) as port:
            statuses = []
            for n in range(6):
                response, _ = through(
                    port,
                    "/documents/a-c1-76-l13/paragraphs/op6/annotations/",
                    method="POST",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    body=urlencode({"body": f"Note {n}", "submission_key": f"key{n}"}),
                )
                statuses.append(response.status)
    finally:
        server.shutdown()
        server.server_close()
    assert statuses == [302] * 6
    assert Saving.saved == [
        urlencode({"body": f"Note {n}", "submission_key": f"key{n}"}).encode() for n in range(6)
    ]


class Stopping(BaseHTTPRequestHandler):
    """An app server stopping in the middle of a request: it reads the POST and closes the
    connection without an answer."""

    read: list[bytes] = []

    def do_POST(self):
        self.read.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_note_whose_server_stops_before_answering_is_passed_to_the_other(tmp_path):
    """nginx sends a POST on to the other app server when the first closes the connection
    without answering it; the app saves a form once however often it arrives (its submission
    key), so the delegate sees the note saved instead of an error page."""
    Saving.saved, Stopping.read = [], []
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler) for handler in (Stopping, Saving)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies = [urlencode({"body": f"Note {n}", "submission_key": f"key{n}"}) for n in range(6)]
    try:
        upstreams = [f"127.0.0.1:{server.server_address[1]}" for server in servers]
        with serving_nginx(tmp_path / "nginx", upstreams) as port:
            statuses = [
                through(
                    port,
                    "/documents/a-c1-76-l13/paragraphs/op6/annotations/",
                    method="POST",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    body=body,
                )[0].status
                for body in bodies
            ]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert statuses == [302] * 6
    assert Stopping.read, "nginx never tried the stopping server"
    assert Saving.saved == [body.encode() for body in bodies]


class Holding(BaseHTTPRequestHandler):
    """An app server holding every event stream it is sent open, as a page open for hours
    does, and answering pages at once; it counts the pages."""

    protocol_version = "HTTP/1.1"
    pages = 0
    release = threading.Event()

    def do_GET(self):
        if self.path.startswith("/events/"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.stream()
            return
        type(self).pages += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def stream(self):
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"7\r\nretry:1\r\n")
        self.wfile.flush()
        Holding.release.wait(30)
        self.close_connection = True

    def log_message(self, *args):
        pass


class Restarted(Holding):
    """The other app server, started again after a deploy: it holds no stream, as each one
    sent to it ends at once (as under WSGI), so that the open ones all stand on the first."""

    pages = 0

    def stream(self):
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"retry:1\n\n")


def test_a_server_holding_every_stream_is_still_sent_its_share_of_pages(tmp_path):
    """nginx counts the open streams apart from the pages: a server holding the open
    streams (the other, just started again, ends each it is sent at once) still answers its
    share of the pages, rather than the server just started answering them all."""
    Holding.pages, Restarted.pages = 0, 0
    Holding.release.clear()
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), handler) for handler in (Holding, Restarted)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    streams = []
    try:
        upstreams = [f"127.0.0.1:{server.server_address[1]}" for server in servers]
        with serving_nginx(tmp_path / "nginx", upstreams) as port:
            for _ in range(12):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/events/?document=a-c1-76-l13")
                response = conn.getresponse()
                assert response.status == 200
                if response.getheader("Content-Length"):
                    response.read()  # ended at once: the restarted server's
                streams.append(conn)
            for _ in range(20):
                assert through(port, "/documents/a-c1-76-l13/")[0].status == 200
    finally:
        Holding.release.set()
        for conn in streams:
            conn.close()
        for server in servers:
            server.shutdown()
            server.server_close()
    assert Holding.pages + Restarted.pages == 20
    assert Holding.pages >= 5, f"the server holding the streams answered {Holding.pages} of 20"
