"""The app under ASGI, as `make run` serves it (uvicorn), in a process of its own on the
test database, and a reader of its event streams on the wire.

pytest-django's live server speaks WSGI, where an event stream ends at once; the tests of
live pages start these instead, one or two, beside it. They need the transactional
database (what the test writes must be committed for another process to read it)."""

import contextlib
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from tests.processes import listening, running
from tests.security.serving import INHERITED_CONFIGURATION, database_url, free_port


@contextlib.contextmanager
def asgi_server(log: Path) -> Iterator[str]:
    """uvicorn on the test database, on a free port; yields its address once it answers
    and stops it when the block ends, however it ends."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_CONFIGURATION}
    env["DATABASE_URL"] = database_url()
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
    command += ["--timeout-graceful-shutdown", "2"]
    with running(command, name="uvicorn", answers=listening(port), log=log, env=env):
        # The host the live server and its session cookies are on.
        yield f"http://localhost:{port}"


class EventStream:
    """An open ``/events/`` stream read as the browser reads it: its events as
    ``(id, name, data)``, and whether the server has ended it."""

    def __init__(
        self,
        url: str,
        path: str,
        *,
        session: str | None = None,
        last_id=None,
        headers: dict | None = None,
    ):
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        extra = {"Host": host, "Accept": "text/event-stream", **(headers or {})}
        headers = [f"GET {path} HTTP/1.1", *(f"{name}: {value}" for name, value in extra.items())]
        if session:
            headers.append(f"Cookie: {settings.SESSION_COOKIE_NAME}={session}")
        if last_id is not None:
            headers.append(f"Last-Event-ID: {last_id}")
        self.sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        self.buffer = b""
        self.ended = False
        head = self._until(b"\r\n\r\n", timeout=10)
        self.status = int(head.split(b" ", 2)[1])
        self.headers = head.decode("latin-1").lower()
        self.chunked = "transfer-encoding: chunked" in self.headers
        self.text = ""

    def _until(self, separator: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while separator not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.sock.settimeout(remaining)
            data = self.sock.recv(65536)
            if not data:
                self.ended = True
                raise EOFError
            self.buffer += data
        found, self.buffer = self.buffer.split(separator, 1)
        return found

    def _read_text(self, timeout: float, *, some: bool = False) -> None:
        """Reads what arrives within ``timeout`` seconds into ``self.text``; with ``some``,
        only until something has arrived."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                if self.chunked:
                    line = self._until(b"\r\n", remaining).strip()
                    if not line:
                        continue
                    size = int(line, 16)
                    if size == 0:
                        self.ended = True
                        return
                    while len(self.buffer) < size + 2:
                        self.sock.settimeout(max(deadline - time.monotonic(), 0.01))
                        data = self.sock.recv(65536)
                        if not data:
                            self.ended = True
                            return
                        self.buffer += data
                    self.text += self.buffer[:size].decode()
                    self.buffer = self.buffer[size + 2 :]
                    if some:
                        return
                else:
                    self.sock.settimeout(remaining)
                    data = self.sock.recv(65536)
                    if not data:
                        self.ended = True
                        return
                    self.text += data.decode()
                    if some:
                        return
        except TimeoutError:
            return
        except EOFError:
            return

    def events(self, seconds: float = 0.0) -> list[tuple[str, str, str]]:
        """The events received so far, after waiting ``seconds`` for more."""
        if seconds:
            self._read_text(seconds)
        found = []
        for block in self.text.split("\n\n"):
            fields = {"id": "", "event": "", "data": ""}
            for line in block.splitlines():
                name, _, value = line.partition(": ")
                if name in fields:
                    fields[name] = value
            if fields["event"] or fields["id"]:
                found.append((fields["id"], fields["event"], fields["data"]))
        return found

    def wait_for(self, name: str, seconds: float = 2.0) -> tuple[str, str, str]:
        """The first event called ``name``, waiting up to ``seconds`` for it."""
        deadline = time.monotonic() + seconds
        while True:
            for event in self.events():
                if event[1] == name:
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.ended:
                raise AssertionError(f"No event {name!r} within {seconds} s: {self.text!r}")
            self._read_text(min(remaining, 0.2), some=True)

    def close(self) -> None:
        self.sock.close()


def session_of(user) -> str:
    """A session for ``user``, as logging in makes one."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="resolutions.backends.DelegateBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post_form(url: str, path: str, session: str, data: dict) -> int:
    """POSTs ``data`` to ``path`` as a logged-in browser would (the CSRF cookie from a page
    first); returns the status."""
    import http.client
    import re
    from urllib.parse import urlencode

    host, port = url.removeprefix("http://").split(":")
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/accounts/", headers={"Cookie": cookie})
    response = conn.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    set_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    if set_cookie:
        cookie += f"; csrftoken={set_cookie[1]}"
    body = urlencode({**data, "csrfmiddlewaretoken": token})
    conn.request(
        "POST",
        path,
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def threads_of_server(url: str) -> int:
    """How many threads the uvicorn process serving ``url`` has (Linux's /proc)."""
    port = url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in command and port.encode() in command:
            return len(list((entry / "task").iterdir()))
    raise LookupError(f"No uvicorn serves {url}")
