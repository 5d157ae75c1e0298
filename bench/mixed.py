"""The mixed run of ``make load2``: readers, writers and open pages at once, for a fixed time.

``run`` drives one address (an app server directly, or nginx in front of several) with:

- readers: logged-in delegates asking for the reading page, one request after another on a
  connection kept open, as fast as it answers (each has seen the page once before the run
  is timed);
- writers: delegates saving, in turn, a public note, a note for their delegation and a draft
  proposal through the reading page's forms (the CSRF token from the page, a submission key
  of their own, as a browser sends them), one every ``write_every`` seconds each;
- open pages: event streams on the seed draft (``bench/events.py``'s client), which open
  again, as a browser's EventSource does, when the server ends them.

Every request is timed; an answer other than the one expected (200 for a page, 302 for a
saved form) or a broken connection is an error of its kind. Each write that answered success
is remembered by its submission key, so that the caller can look for it in the database.
``during`` is a coroutine run beside the load (``make load2`` stops and starts an app server
in it). Plain asyncio, one process: the machine's cores are for the servers.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.events import (
    SEED_SLUG,
    Stream,
    body_pieces,
    cookie_header,
    fetch,
    read_head,
    request_bytes,
)

HOST = "127.0.0.1"
READING = f"/documents/{SEED_SLUG}/"
# The paragraphs the writers write on, in turn.
WRITE_LABELS = ["op2", "op3", "op4", "op5", "op6", "op7"]
# A browser's EventSource waits about this long before it opens a stream again, unless the
# server said how long (``retry:``).
RECONNECT_SECONDS = 1.0
# (kind of write, what saved it answers)
WRITES = ("public note", "delegation note", "proposal")
OPENING_AT_ONCE = 50


# Numbers ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank; 0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil, at least the first
    return ordered[min(len(ordered), int(rank)) - 1]


def summary(seconds: list[float], errors: Counter, duration: float) -> dict:
    """Requests answered as expected per second of ``duration``, their latency in ms
    (p50/p95/p99/max of ``seconds``) and ``errors`` by kind."""
    return {
        "requests": len(seconds),
        "requests_per_second": round(len(seconds) / duration, 1) if duration else 0.0,
        "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        "max_ms": round(max(seconds, default=0.0) * 1000, 1),
        "errors": sum(errors.values()),
        "error_kinds": dict(sorted(errors.items())),
    }


def merged(parts: list[dict], duration: float) -> dict:
    """One summary of several kinds' (``{"seconds": [...], "errors": Counter}``)."""
    seconds = [value for part in parts for value in part["seconds"]]
    errors: Counter = Counter()
    for part in parts:
        errors.update(part["errors"])
    return summary(seconds, errors, duration)


def error_kind(error: BaseException) -> str:
    return type(error).__name__


# Clients ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one kind of request saw: how long each answered request took, and the errors."""

    seconds: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"seconds": self.seconds, "errors": self.errors}


class KeptConnection:
    """GETs one after another on one connection kept open, opened again when it breaks."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        try:
            self.writer.write(request_bytes(self.port, "GET", path, headers))
            await self.writer.drain()
            status, answer_headers, _ = await read_head(self.reader)
            async for _ in body_pieces(self.reader, answer_headers):
                pass
            if answer_headers.get("connection", "").lower() == "close":
                self.close()
            return status
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def read_pages(
    port: int, session: str, until: float, tally: Tally, *, every: float = 0.0, first: float = 0.0
) -> None:
    """A reader asking for the reading page again as soon as it has it, or, with ``every``,
    every ``every`` seconds from ``first`` on (at once when an answer took longer)."""
    connection = KeptConnection(port)
    headers = {"Cookie": f"sessionid={session}"}
    count = 0
    try:
        while time.monotonic() < until:
            if every:
                due = first + count * every
                count += 1
                if due >= until:
                    return
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            asked = time.monotonic()
            try:
                status = await connection.get(READING, headers)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                tally.errors[error_kind(error)] += 1
                await asyncio.sleep(0.1)
                continue
            if status == 200:
                tally.seconds.append(time.monotonic() - asked)
            else:
                tally.errors[f"HTTP {status}"] += 1
    finally:
        connection.close()


async def first_views(port: int, sessions: list[str], at_once: int = 5) -> float:
    """Each reader's first view of the page, before the run is timed: the page as a reader
    had it open (``make bench`` times a first view on its own). Returns the seconds taken."""
    started = time.monotonic()
    gate = asyncio.Semaphore(at_once)

    async def first_view(session: str) -> None:
        async with gate:
            await fetch(port, "GET", READING, {"Cookie": f"sessionid={session}"})

    await asyncio.gather(*(first_view(session) for session in sessions))
    return round(time.monotonic() - started, 1)


@dataclass
class Saved:
    """A write that answered success: what it was and its submission key."""

    kind: str
    submission_key: str


@dataclass
class MixedWriter:
    """A delegate saving notes and proposals through the reading page's forms."""

    session: str
    number: int
    jar: dict[str, str] = field(default_factory=dict)
    token: str = ""
    saved: list[Saved] = field(default_factory=list)

    async def open_page(self, port: int) -> None:
        self.jar = {"sessionid": self.session}
        answer = await fetch(port, "GET", READING, {"Cookie": cookie_header(self.jar)})
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        if answer.status != 200 or found is None:
            raise RuntimeError(f"The reading page answered HTTP {answer.status} with no form.")
        self.jar.update(answer.cookies)
        self.token = found.group(1).decode()

    def form(self, kind: str, count: int) -> tuple[str, dict[str, str]]:
        label = WRITE_LABELS[(self.number + count) % len(WRITE_LABELS)]
        base = f"/documents/{SEED_SLUG}/paragraphs/{label}/"
        words = f"writer {self.number}, write {count}"
        if kind == "proposal":
            return base + "proposals/", {
                "kind": "insert",
                "text": f"Requests the Secretary-General to report on this ({words}).",
                "reason": "Capital asks for a report.",
                "state": "draft",
                "circle": "",
            }
        visibility = "public" if kind == "public note" else "delegation"
        return base + "annotations/", {
            "body": f"Capital agrees with this paragraph ({words}).",
            "visibility": visibility,
            "tags": "",
        }

    async def write(self, port: int, count: int, tally: Tally) -> None:
        kind = WRITES[count % len(WRITES)]
        path, fields = self.form(kind, count)
        key = secrets.token_urlsafe(16)
        body = urlencode(
            {**fields, "submission_key": key, "csrfmiddlewaretoken": self.token}
        ).encode()
        headers = {
            "Cookie": cookie_header(self.jar),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        sent = time.monotonic()
        try:
            answer = await fetch(port, "POST", path, headers, body)
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as error:
            tally.errors[f"{kind}: {error_kind(error)}"] += 1
            return
        if answer.status == 302:
            tally.seconds.append(time.monotonic() - sent)
            self.saved.append(Saved(kind, key))
        else:
            tally.errors[f"{kind}: HTTP {answer.status}"] += 1


async def write_forms(
    port: int, writer: MixedWriter, until: float, every: float, tally: Tally
) -> None:
    """One write every ``every`` seconds (the first after a share of it, so that the
    writers take turns), until ``until``."""
    start = time.monotonic() + every * writer.number / 10
    count = 0
    while True:
        due = start + count * every
        if due >= until:
            return
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        await writer.write(port, count, tally)
        count += 1


@dataclass
class PageStreams:
    """An open page's stream of events, opened again whenever it ends."""

    session: str
    opened: int = 0
    ended_by_server: int = 0
    errors: Counter = field(default_factory=Counter)
    streams: list[Stream] = field(default_factory=list)
    first_open: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def events(self) -> int:
        return sum(len(stream.arrivals) for stream in self.streams)

    async def keep_open(self, port: int, opening: asyncio.Semaphore) -> None:
        """Until cancelled."""
        while True:
            stream = Stream(self.session)
            self.streams.append(stream)
            task = asyncio.create_task(stream.follow(port, opening))
            try:
                await stream.opened.wait()
                refused = stream.error
                self.opened += not refused
                self.first_open.set()
                await task
            finally:
                task.cancel()
            if refused:
                # "ConnectionError: HTTP 503, text/html" counts as "ConnectionError: HTTP 503"
                self.errors[refused.split(",", 1)[0][:60]] += 1
            else:
                # Ended or cut while open (its server stopped): a browser opens it again,
                # after the wait the server last asked for.
                self.ended_by_server += 1
            wait = stream.retry_ms / 1000 if stream.retry_ms else RECONNECT_SECONDS
            await asyncio.sleep(wait)


async def run(
    port: int,
    sessions: dict,
    *,
    readers: int = 50,
    writers: int = 10,
    streams: int = 200,
    seconds: float = 60,
    write_every: float = 10.0,
    read_every: float = 0.0,
    during=None,
) -> dict:
    """The mixed run on ``port`` for ``seconds``: ``readers`` and the streams' delegates from
    ``sessions["streams"]`` (readers are the first of them: a reader has their page open),
    ``writers`` from ``sessions["writers"]``. ``during(started)`` runs beside it.

    With ``read_every`` 0 each reader asks again as soon as it has the page: the run then
    measures how many pages the servers give a second, and a request's time is mostly its
    wait behind the others' (fifty readers always waiting: fifty over the throughput). With
    ``read_every`` each reader reads the page every that many seconds, the readers' turns
    spread over it, as delegates with the page open do."""
    if len(sessions["streams"]) < max(readers, streams) or len(sessions["writers"]) < writers:
        raise ValueError("Not enough sessions for the readers, writers and streams asked for.")
    page_streams = [PageStreams(session) for session in sessions["streams"][:streams]]
    opening = asyncio.Semaphore(OPENING_AT_ONCE)
    stream_tasks = [asyncio.create_task(s.keep_open(port, opening)) for s in page_streams]
    await asyncio.wait_for(
        asyncio.gather(*(s.first_open.wait() for s in page_streams)), timeout=300
    )
    print(f"  {streams} streams open; {readers} readers and {writers} writers…", flush=True)

    mixed_writers = [MixedWriter(session, n) for n, session in enumerate(sessions["writers"])]
    for writer in mixed_writers[:writers]:
        await writer.open_page(port)
    warmed = await first_views(port, sessions["streams"][:readers])
    print(f"  Readers' first views in {warmed} s; the run starts…", flush=True)
    reads, writes = Tally(), Tally()
    started = time.monotonic()
    until = started + seconds
    load = [
        *(
            read_pages(
                port, s, until, reads, every=read_every, first=started + read_every * n / readers
            )
            for n, s in enumerate(sessions["streams"][:readers])
        ),
        *(write_forms(port, w, until, write_every, writes) for w in mixed_writers[:writers]),
    ]
    beside = [during(started)] if during else []
    results = await asyncio.gather(*load, *beside)
    took = time.monotonic() - started
    for task in stream_tasks:
        task.cancel()
    await asyncio.gather(*stream_tasks, return_exceptions=True)

    stream_errors: Counter = Counter()
    for s in page_streams:
        stream_errors.update(s.errors)
    saved = [saved for writer in mixed_writers for saved in writer.saved]
    return {
        "seconds": round(took, 1),
        "first_views_seconds": warmed,
        "readers": readers,
        "writers": writers,
        "write_every_seconds": write_every,
        "read_every_seconds": read_every,
        "reads": summary(reads.seconds, reads.errors, took),
        "writes": summary(writes.seconds, writes.errors, took),
        "all": merged([reads.as_dict(), writes.as_dict()], took),
        "writes_by_kind": dict(Counter(s.kind for s in saved)),
        "saved_keys": [s.submission_key for s in saved],
        "streams": {
            "streams": streams,
            "opened": sum(s.opened for s in page_streams),
            "ended_by_server": sum(s.ended_by_server for s in page_streams),
            "errors": sum(stream_errors.values()),
            "error_kinds": dict(sorted(stream_errors.items())),
            "events_received": sum(s.events for s in page_streams),
        },
        "during": results[-1] if during else None,
    }
