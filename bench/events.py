"""The events phase of ``make load``: many open event streams while notes are written.

``bench/load.py`` calls ``measure`` with gunicorn running. Logged-in delegates (users made
for the run, spread over a few delegations, each with a session of their own) open
``/events/?document=<seed draft>`` at once, each over a connection of its own, with a
hand-written HTTP/1.1 request read by asyncio; a few other delegates then save public notes
through the reading page's form (the CSRF token from the page, as a browser sends it). Every
stream should hear of every note; what is measured:

- events missed: for each stream, the notes' events it never received (should be 0);
- delivery delay: from the POST's answer to the event's arrival on each stream;
- the memory of the gunicorn workers (the sum of their VmRSS) and their threads: before the
  streams open, with them open, after each stream's first heartbeat (when it checks that
  its reader is still logged in), after each round of notes, and after the streams close;
- the latency of two normal pages (the login form, the reading page as a logged-in
  delegate), requested one after another, with no stream open and with all of them open.

Run on its own as ``python bench/events.py sessions STREAMS WRITERS`` (with the load run's
environment), it makes the users and their sessions and prints their cookies as JSON.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import re
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
SEED_SLUG = "a-c1-76-l13"
STREAM_PREFIX = "load-stream-"
# Stream readers are members of this many delegations (of those seed_load made).
STREAM_DELEGATIONS = 5
# Each writer writes on a paragraph of its own, so that the events of one paragraph are one
# writer's notes, in the order written.
WRITER_LABELS = ["op3", "op4", "op5", "op7", "op2", "op1"]
# How many streams ask at once while they open.
OPENING_AT_ONCE = 50
# How long to wait for the last events after the last write: more than a heartbeat.
DELIVERY_GRACE_SECONDS = 20.0
# How often a quiet stream says "still here" (resolutions.live.HEARTBEAT_SECONDS).
HEARTBEAT_SECONDS = 15.0


# Server-sent events ----------------------------------------------------------------------


@dataclass(frozen=True)
class SseEvent:
    """One dispatched event: its ``id`` (the last one given), ``name`` and ``data``."""

    id: str
    name: str
    data: str


class SseParser:
    """Server-sent events read as the HTML standard says a browser reads them, from text
    fed in pieces of any size (a line may be cut anywhere, even between CR and LF)."""

    def __init__(self) -> None:
        self.last_id = ""
        self.retry: int | None = None
        self.comments = 0
        self._buffer = ""
        self._after_cr = False
        self._name = ""
        self._data: list[str] = []

    def feed(self, text: str) -> list[SseEvent]:
        """The events completed by ``text``."""
        if not text:
            return []
        if self._after_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF cut in two
        self._after_cr = text.endswith("\r")
        self._buffer += text
        events = []
        while True:
            match = re.search(r"\r\n|\r|\n", self._buffer)
            if match is None:
                break
            line = self._buffer[: match.start()]
            self._buffer = self._buffer[match.end() :]
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> SseEvent | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._name = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry = int(value)
        return None

    def _dispatch(self) -> SseEvent | None:
        name, data = self._name or "message", self._data
        self._name, self._data = "", []
        if not data:
            return None
        return SseEvent(self.last_id, name, "\n".join(data))


# HTTP/1.1 by hand --------------------------------------------------------------------------


def request_bytes(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], list[str]]:
    """The status, the headers (lower-cased names; the last of each) and every Set-Cookie."""
    status_line = await reader.readline()
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ConnectionError(f"Not an HTTP answer: {status_line[:80]!r}")
    headers: dict[str, str] = {}
    cookies: list[str] = []
    while True:
        line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
        if name.strip().lower() == "set-cookie":
            cookies.append(value.strip())
    return int(parts[1]), headers, cookies


async def body_pieces(reader: asyncio.StreamReader, headers: dict[str, str]):
    """The body as it arrives: chunked, of a given length, or until the connection ends."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return
            piece = await reader.readexactly(size)
            await reader.readexactly(2)
            yield piece
    elif "content-length" in headers:
        if int(headers["content-length"]):
            yield await reader.readexactly(int(headers["content-length"]))
    else:
        while piece := await reader.read(65536):
            yield piece


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


async def fetch(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> Answer:
    """One request on a connection of its own."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            request_bytes(port, method, path, {**(headers or {}), "Connection": "close"}, body)
        )
        await writer.drain()
        status, answer_headers, set_cookies = await read_head(reader)
        content = b"".join([piece async for piece in body_pieces(reader, answer_headers)])
    finally:
        writer.close()
    cookies = {}
    for header in set_cookies:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return Answer(status, answer_headers, cookies, content)


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


# Streams ---------------------------------------------------------------------------------


@dataclass
class Stream:
    """One open page's event stream: when each event (by id) arrived."""

    session: str
    arrivals: dict[int, float] = field(default_factory=dict)
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    comments: int = 0
    error: str = ""
    ended: bool = False
    # The wait before opening it again that the server last asked for (``retry:``), in ms.
    retry_ms: int | None = None

    async def follow(self, port: int, opening: asyncio.Semaphore) -> None:
        path = f"/events/?document={SEED_SLUG}"
        headers = {"Accept": "text/event-stream", "Cookie": f"sessionid={self.session}"}
        writer = None
        try:
            async with opening:
                reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(request_bytes(port, "GET", path, headers))
                await writer.drain()
                status, answer_headers, _ = await read_head(reader)
                kind = answer_headers.get("content-type", "")
                if status != 200 or not kind.startswith("text/event-stream"):
                    raise ConnectionError(f"HTTP {status}, {kind}")
                parser = SseParser()
                decoder = codecs.getincrementaldecoder("utf-8")()
                pieces = body_pieces(reader, answer_headers)
                # The stream is open once its opening (the number of the latest event) is in.
                while not parser.last_id:
                    parser.feed(decoder.decode(await anext(pieces)))
                self.retry_ms = parser.retry
            self.opened.set()
            async for piece in pieces:
                now = time.monotonic()
                for event in parser.feed(decoder.decode(piece)):
                    if event.id.isdigit():
                        self.arrivals.setdefault(int(event.id), now)
                self.comments = parser.comments
                self.retry_ms = parser.retry
            self.ended = True
        except asyncio.CancelledError:
            raise
        except (OSError, ConnectionError, asyncio.IncompleteReadError, StopAsyncIteration) as e:
            self.error = f"{type(e).__name__}: {e}"
        finally:
            self.opened.set()
            if writer is not None:
                writer.close()


# The writes ------------------------------------------------------------------------------


@dataclass
class Writer:
    """A delegate saving public notes on one paragraph through the reading page's form."""

    session: str
    label: str
    jar: dict[str, str] = field(default_factory=dict)
    token: str = ""
    # When each saved note's POST was sent and when it was answered.
    sent: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    async def open_page(self, port: int) -> None:
        self.jar = {"sessionid": self.session}
        answer = await fetch(
            port, "GET", f"/documents/{SEED_SLUG}/", {"Cookie": cookie_header(self.jar)}
        )
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        if answer.status != 200 or found is None:
            raise RuntimeError(f"The reading page answered HTTP {answer.status} with no form.")
        self.jar.update(answer.cookies)
        self.token = found.group(1).decode()

    async def write(self, port: int, number: int) -> None:
        body = urlencode(
            {
                "body": f"Public note {number} from the load run: capital agrees.",
                "visibility": "public",
                "tags": "",
                "submission_key": secrets.token_urlsafe(16),
                "csrfmiddlewaretoken": self.token,
            }
        ).encode()
        sent = time.monotonic()
        answer = await fetch(
            port,
            "POST",
            f"/documents/{SEED_SLUG}/paragraphs/{self.label}/annotations/",
            {
                "Cookie": cookie_header(self.jar),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body,
        )
        if answer.status == 302:
            self.sent.append(sent)
            self.answered.append(time.monotonic())
        else:
            self.failures.append(f"HTTP {answer.status}")


async def write_notes(
    port: int, writers: list[Writer], notes: int, seconds: float, first: int = 0
) -> None:
    """``notes`` notes, one every ``seconds / notes``, taken in turn by the writers; each
    writer's notes one after another. ``first`` numbers the first note."""
    start = time.monotonic()
    interval = seconds / notes

    async def one_writer(index: int) -> None:
        writer = writers[index]
        for number in range(index, notes, len(writers)):
            await asyncio.sleep(max(0.0, start + number * interval - time.monotonic()))
            await writer.write(port, first + number)

    await asyncio.gather(*(one_writer(index) for index in range(len(writers))))


# Measuring -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def spread(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


async def page_latency(port: int, path: str, cookie: str, count: int) -> dict:
    """``count`` requests for ``path``, one after another."""
    times, failures = [], 0
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(count):
        asked = time.monotonic()
        answer = await fetch(port, "GET", path, headers)
        times.append(time.monotonic() - asked)
        failures += answer.status != 200
    return {**spread(times), "failures": failures}


async def pages_latency(port: int, cookie: str, count: int) -> dict:
    return {
        "login": await page_latency(port, "/accounts/login/", "", count),
        "reading": await page_latency(port, f"/documents/{SEED_SLUG}/", cookie, count),
    }


def worker_rss(master_pid: int) -> dict:
    """The resident memory and the threads of gunicorn's workers (the master's children),
    from /proc."""
    workers, threads = {}, {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            workers[int(status.parent.name)] = int(fields["VmRSS"].split()[0]) / 1024
            threads[int(status.parent.name)] = int(fields.get("Threads", "0"))
    return {
        "workers": len(workers),
        "total_mib": round(sum(workers.values()), 1),
        "per_worker_mib": [round(workers[pid], 1) for pid in sorted(workers)],
        "threads": sum(threads.values()),
    }


def event_ids_after(database_url: str, after: int) -> list[tuple[int, str]]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT id, name FROM resolutions_liveevent WHERE id > %s ORDER BY id", [after]
        ).fetchall()


def latest_event_id(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT coalesce(max(id), 0) FROM resolutions_liveevent"
        ).fetchone()
        return row[0] if row else 0


async def run(
    port: int,
    master_pid: int,
    database_url: str,
    sessions: dict,
    notes: int,
    write_seconds: float,
    page_requests: int,
    rounds: int,
) -> dict:
    writers = [
        Writer(session, WRITER_LABELS[index % len(WRITER_LABELS)])
        for index, session in enumerate(sessions["writers"])
    ]
    for writer in writers:
        await writer.open_page(port)
    reader_cookie = cookie_header(writers[0].jar)

    rss_before = worker_rss(master_pid)
    print(f"  Pages, no stream open, {page_requests} requests each…", flush=True)
    quiet = await pages_latency(port, reader_cookie, page_requests)

    streams = [Stream(session) for session in sessions["streams"]]
    print(f"  Opening {len(streams)} event streams…", flush=True)
    opening = asyncio.Semaphore(OPENING_AT_ONCE)
    started = time.monotonic()
    tasks = [asyncio.create_task(stream.follow(port, opening)) for stream in streams]
    await asyncio.wait_for(
        asyncio.gather(*(stream.opened.wait() for stream in streams)), timeout=300
    )
    opening_seconds = time.monotonic() - started
    failed_to_open = [stream.error for stream in streams if stream.error]
    await asyncio.sleep(2)
    rss_open = worker_rss(master_pid)

    print(f"  Pages, {len(streams)} streams open, {page_requests} requests each…", flush=True)
    busy = await pages_latency(port, reader_cookie, page_requests)

    # Every stream told "still here" once: each has checked that its reader is logged in.
    deadline = time.monotonic() + HEARTBEAT_SECONDS + 10
    while time.monotonic() < deadline and any(
        stream.comments == 0 for stream in streams if not stream.error
    ):
        await asyncio.sleep(0.2)
    rss_quiet = worker_rss(master_pid)

    before = latest_event_id(database_url)
    writing_seconds = []
    rss_rounds = []
    for round_number in range(rounds):
        print(
            f"  Round {round_number + 1} of {rounds}: {notes} public notes in "
            f"{write_seconds:.0f} s by {len(writers)} writers…",
            flush=True,
        )
        written_at = time.monotonic()
        await write_notes(port, writers, notes, write_seconds, first=round_number * notes)
        writing_seconds.append(round(time.monotonic() - written_at, 1))
        # Each writer's paragraph's events, in order, are its notes in the order answered.
        events = event_ids_after(database_url, before)
        sent: dict[int, float] = {}
        answered: dict[int, float] = {}
        for writer in writers:
            ids = [pk for pk, name in events if name == writer.label]
            sent.update(zip(ids, writer.sent, strict=False))
            answered.update(zip(ids, writer.answered, strict=False))
        expected = set(answered)
        deadline = time.monotonic() + DELIVERY_GRACE_SECONDS
        while time.monotonic() < deadline and any(
            not expected <= stream.arrivals.keys() for stream in streams if not stream.error
        ):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)
        rss_rounds.append(worker_rss(master_pid))

    missing = sum(len(expected - stream.arrivals.keys()) for stream in streams)
    arrivals = [
        (stream.arrivals[pk], pk) for stream in streams for pk in expected if pk in stream.arrivals
    ]
    broken = [stream.error for stream in streams if stream.error]
    ended = sum(stream.ended for stream in streams)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(2)
    rss_closed = worker_rss(master_pid)

    return {
        "streams": len(streams),
        "stream_delegations": sessions["delegations"],
        "streams_failed_to_open": len(failed_to_open),
        "streams_broken": len(broken),
        "streams_ended_by_server": ended,
        "errors_seen": sorted(set(broken))[:5],
        "opening_seconds": round(opening_seconds, 1),
        "heartbeats_received": sum(stream.comments for stream in streams),
        "notes": notes * rounds,
        "notes_saved": sum(len(writer.answered) for writer in writers),
        "note_failures": [failure for writer in writers for failure in writer.failures],
        "writers": len(writers),
        "write_seconds": write_seconds,
        "rounds": rounds,
        "writing_took_seconds": writing_seconds,
        "events_expected_per_stream": len(expected),
        "other_events_during_writes": len(events) - len(expected),
        "deliveries_expected": len(expected) * len(streams),
        "missing": missing,
        # Negative: the event reached the stream before the writer had its answer.
        "delivery_delay": spread([arrived - answered[pk] for arrived, pk in arrivals]),
        "delivery_after_sent": spread([arrived - sent[pk] for arrived, pk in arrivals]),
        "post_answer": spread([answered[pk] - sent[pk] for pk in expected]),
        "rss": {
            "before_streams": rss_before,
            "streams_open": rss_open,
            "after_a_heartbeat": rss_quiet,
            "after_each_round": rss_rounds,
            "streams_closed": rss_closed,
        },
        "pages": {"no_streams": quiet, "streams_open": busy},
        "page_requests": page_requests,
    }


def report_lines(result: dict) -> list[str]:
    """The events run as a table, for ``make load``'s printout."""
    rss = result["rss"]
    delay = result["delivery_delay"]
    lines = [
        f"Events: {result['streams']} streams open ({result['opening_seconds']} s to open, "
        f"{result['streams_failed_to_open']} failed, {result['streams_broken']} broken), "
        f"{result['notes_saved']}/{result['notes']} public notes by {result['writers']} "
        f"writers in {' + '.join(str(t) for t in result['writing_took_seconds'])} s; "
        f"{result['heartbeats_received']} heartbeats",
        f"  events missed: {result['missing']} of {result['deliveries_expected']:,} "
        f"({result['events_expected_per_stream']} per stream)",
    ]
    if delay["count"]:
        lines.append(
            f"  delivery after the POST's answer: median {delay['median_ms']} ms, "
            f"p95 {delay['p95_ms']} ms, max {delay['max_ms']} ms"
        )
        since_sent, post = result["delivery_after_sent"], result["post_answer"]
        lines.append(
            f"  delivery after the POST was sent: median {since_sent['median_ms']} ms, "
            f"p95 {since_sent['p95_ms']} ms, max {since_sent['max_ms']} ms "
            f"(the POST itself: median {post['median_ms']} ms, p95 {post['p95_ms']} ms)"
        )
    lines.append(
        "  worker memory (MiB, sum of VmRSS): "
        + ", ".join(
            f"{label} {rss[key]['total_mib']}"
            for key, label in (
                ("before_streams", "before"),
                ("streams_open", "streams open"),
                ("after_a_heartbeat", "after a heartbeat"),
            )
        )
        + "".join(
            f", after round {number} {rss['total_mib']}"
            for number, rss in enumerate(rss["after_each_round"], start=1)
        )
        + f", closed {rss['streams_closed']['total_mib']}"
    )
    lines.append(
        "  worker threads: before "
        f"{rss['before_streams']['threads']}, streams open {rss['streams_open']['threads']}, "
        f"closed {rss['streams_closed']['threads']}"
    )
    head = f"  {'page':<28} {'streams':>7} {'median ms':>10} {'p95 ms':>8} {'failures':>9}"
    lines += [head, "  " + "-" * (len(head) - 2)]
    for key, title in (("login", "Login form"), ("reading", "Reading page (logged in)")):
        for state, count in (("no_streams", 0), ("streams_open", result["streams"])):
            page = result["pages"][state][key]
            lines.append(
                f"  {title:<28} {count:>7} {page['median_ms']:>10} {page['p95_ms']:>8} "
                f"{page['failures']:>9}"
            )
    return lines


# The users and their sessions ------------------------------------------------------------


def make_sessions(streams: int, writers: int) -> dict:
    """``streams`` delegates in ``STREAM_DELEGATIONS`` of seed_load's delegations, and
    ``writers`` of seed_load's own delegates, each with a session as logging in makes it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password

    from resolutions.models import User

    seeded = list(User.objects.filter(username__startswith="load-0").order_by("username"))
    delegations = list(dict.fromkeys(user.delegation_id for user in seeded))[:STREAM_DELEGATIONS]
    User.objects.filter(username__startswith=STREAM_PREFIX).delete()
    unusable = make_password(None)
    User.objects.bulk_create(
        User(
            username=f"{STREAM_PREFIX}{number:04d}",
            password=unusable,
            delegation_id=delegations[number % len(delegations)],
        )
        for number in range(streams)
    )
    readers = list(User.objects.filter(username__startswith=STREAM_PREFIX).order_by("username"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "resolutions.backends.DelegateBackend"

    def session_of(user: User) -> str:
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    return {
        "streams": [session_of(user) for user in readers],
        "writers": [session_of(user) for user in seeded[:writers]],
        "delegations": len(delegations),
    }


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    django.setup()
    print(json.dumps(make_sessions(int(sys.argv[2]), int(sys.argv[3]))))
