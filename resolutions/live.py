"""Open pages told what changed: the event streams of ``/events/``.

``resolutions.services.events`` saves each change as a ``LiveEvent`` and announces it when
its transaction commits. Here each app process hands what is announced to its open streams:

- on PostgreSQL, one connection per process listens (``LISTEN``, psycopg 3's async
  connection) and receives every event committed on any app server; after the connection
  is lost it connects again, and every stream catches up from the table;
- on SQLite (one process, development), events are handed over in the process itself.

A stream is an async generator under ASGI: a thousand readers hold a thousand small queues,
not a thousand threads. Each event is filtered for its reader before it is queued (its
audience: anyone, everyone logged in, delegations, users), and a stream says only the
event's place ("paragraph op3 changed"), never its content. A reader who reconnects sends
``Last-Event-ID`` and is told what they missed, from the table.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.db import connections

logger = logging.getLogger(__name__)

CHANNEL = "workbench_events"
# Where the streams are served (``resolutions:events``); config/asgi.py serves it apart.
EVENTS_PATH = "/events/"
# A comment line this often keeps proxies from closing a quiet stream, and is when a stream
# checks that its reader is still logged in.
HEARTBEAT_SECONDS = 15.0
# How long the browser waits before reconnecting.
RETRY_MILLISECONDS = 2000
# When a stopping server ends its streams: each browser waits a time drawn up to this many
# times as long, so that the streams come back to the other servers spread out, not at once.
CLOSING_RETRY_SPREAD = 5
# A reader this far behind is told to catch up from the table instead.
QUEUE_SIZE = 256
# Told on reconnection: at most this many of the latest events.
CATCH_UP_LIMIT = 500
# Events are numbered when written and announced when committed, so a short transaction can
# commit after a longer one numbered later; catching up looks this far back before the last
# event seen, and the pages take an event twice without harm.
OVERLAP = timedelta(seconds=2)
# How long events are kept for readers catching up.
KEPT = timedelta(days=1)

LOGOUT = "logout-"


def logout_event_name(session_key: str) -> str:
    """The event that closes the streams of one session, named by a digest of its key."""
    return LOGOUT + hashlib.sha256(session_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Reader:
    """Who a stream is for, and which document it follows (None: only the inbox)."""

    user_id: int | None
    delegation_id: int | None
    document_id: int | None
    logout_event: str | None = None


@dataclass(frozen=True)
class Message:
    """An event as it travels: its number, its place and who may hear of it."""

    id: int
    document_id: int | None
    name: str
    audience: dict

    @classmethod
    def from_event(cls, event) -> Message:
        return cls(event.pk, event.document_id, event.name, event.audience)

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(data["id"], data["document"], data["name"], data["audience"])

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "document": self.document_id,
            "name": self.name,
            "audience": self.audience,
        }

    def reaches(self, reader: Reader) -> bool:
        """Whether ``reader``'s stream carries this event."""
        if self.document_id is not None and self.document_id != reader.document_id:
            return False
        if self.name.startswith(LOGOUT):
            return self.name == reader.logout_event
        audience = self.audience
        if audience.get("anyone"):
            return True
        if reader.user_id is None:
            return False
        return (
            bool(audience.get("members"))
            or reader.user_id in audience.get("users", ())
            or (
                reader.delegation_id is not None
                and reader.delegation_id in audience.get("delegations", ())
            )
        )

    def as_sse(self) -> str:
        """The event as the stream carries it: named by its place, for the parts of a page
        that show that place (a paragraph's label, ``document``, ``inbox``), and, for a
        change to the document, once more as ``changed``, for the pages that show all of it
        (the notes list, the compilation); the second carries no ``id``, so the browser's
        last event stays the first."""
        if self.name == "inbox":
            return f"id: {self.id}\nevent: inbox\ndata: inbox changed\n\n"
        words = "document changed" if self.name == "document" else f"paragraph {self.name} changed"
        return (
            f"id: {self.id}\nevent: {self.name}\ndata: {words}\n\nevent: changed\ndata: {words}\n\n"
        )


# What a queue holds besides messages: "catch up from the table" (after a lost listening
# connection, or when the queue was full); "the server is stopping: end the stream".
CATCH_UP = object()
CLOSE = object()


class Subscription:
    def __init__(self, reader: Reader, loop: asyncio.AbstractEventLoop):
        self.reader = reader
        self.loop = loop
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)

    def offer(self, item) -> None:
        """From any thread."""
        with contextlib.suppress(RuntimeError):  # a closed loop: the stream is gone
            self.loop.call_soon_threadsafe(self._put, item)

    def _put(self, item) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            closing = item is CLOSE
            while not self.queue.empty():
                closing = self.queue.get_nowait() is CLOSE or closing
            self.queue.put_nowait(CLOSE if closing else CATCH_UP)


class Hub:
    """The process's open streams, and (on PostgreSQL) its one listening connection."""

    def __init__(self):
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()
        self._listener: asyncio.Task | None = None
        self.closing = False

    def close_all(self) -> None:
        """The server is stopping: every open stream ends now, and any opened from now on
        ends after its first lines. Each browser asks again after a wait drawn for it
        (``closing_retry``), and the proxy sends it to a server still running, with the last
        event it had; an open stream would otherwise hold the stopping server up until it
        is killed."""
        with self._lock:
            self.closing = True
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.offer(CLOSE)

    def subscribe(self, reader: Reader) -> Subscription:
        """In the event loop of the stream."""
        loop = asyncio.get_running_loop()
        subscription = Subscription(reader, loop)
        with self._lock:
            self._subscriptions.add(subscription)
        if connections["default"].vendor == "postgresql":
            self._ensure_listening(loop)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def dispatch(self, message: Message) -> None:
        """Hand ``message`` to the streams it reaches; from any thread."""
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            if message.reaches(subscription.reader):
                subscription.offer(message)

    def _catch_up_all(self) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.offer(CATCH_UP)

    def _ensure_listening(self, loop: asyncio.AbstractEventLoop) -> None:
        listener = self._listener
        if listener is not None and not listener.done() and listener.get_loop() is loop:
            return
        self._listener = loop.create_task(self._listen(), name="workbench-events-listener")

    async def _listen(self) -> None:
        import psycopg

        delay = 0.5
        first = True
        while True:
            try:
                params = _connection_kwargs()
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if not first:
                        # Whatever was committed while no one listened is in the table.
                        self._catch_up_all()
                    first, delay = False, 0.5
                    async for notify in conn.notifies():
                        self.dispatch(Message.from_json(json.loads(notify.payload)))
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Listening for events failed; trying again", exc_info=True)
                first = False
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


def _connection_kwargs() -> dict:
    """The default database's connection, as psycopg takes it."""
    kept = {
        "dbname",
        "user",
        "password",
        "host",
        "port",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "passfile",
        "service",
        "options",
        "connect_timeout",
    }
    params = connections["default"].get_connection_params()
    return {key: value for key, value in params.items() if key in kept and value not in ("", None)}


hub = Hub()


def missed(reader: Reader, last_id: int) -> list[Message]:
    """The events ``reader`` may have missed since event ``last_id``: those after it and,
    for a commit that came late, those written up to ``OVERLAP`` before it."""
    from resolutions.models import LiveEvent

    events = LiveEvent.objects.for_stream(reader.document_id)
    seen_at = LiveEvent.objects.filter(pk=last_id).values_list("created_at", flat=True).first()
    if seen_at is not None:
        after = events.filter(pk__gt=last_id) | events.filter(
            pk__lt=last_id, created_at__gte=seen_at - OVERLAP
        )
    else:
        after = events.filter(pk__gt=last_id)
    latest = list(after.order_by("-pk")[:CATCH_UP_LIMIT])
    return [
        message
        for message in (Message.from_event(event) for event in reversed(latest))
        if message.reaches(reader)
    ]


def released(read):
    """``read``, then the thread's database connection closed (given back to the pool): an
    open stream holds none while it waits."""

    def released(*args):
        try:
            return read(*args)
        finally:
            connections.close_all()

    return released


def latest_id() -> int:
    from resolutions.models import LiveEvent

    return LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def prune() -> int:
    """Forget events older than ``KEPT``; returns how many."""
    from django.utils import timezone

    from resolutions.models import LiveEvent

    return LiveEvent.objects.filter(created_at__lt=timezone.now() - KEPT).delete()[0]


def opening(reader: Reader, last_id: int | None) -> tuple[list[str], int]:
    """What a stream starts with: how long to wait before reconnecting, then what was
    missed since ``last_id`` or, for a first connection, the number of the latest event (so
    that a reconnection knows where it left off). Returns the lines and the number of the
    last event told; a logout among what was missed ends the lines with ``LOGGED_OUT``."""
    lines = [f"retry: {RETRY_MILLISECONDS}\n\n"]
    if last_id is None:
        cursor = latest_id()
        lines.append(f"id: {cursor}\n\n")
        return lines, cursor
    cursor = last_id
    for message in missed(reader, last_id):
        if message.name.startswith(LOGOUT):
            lines.append(LOGGED_OUT)
            break
        lines.append(message.as_sse())
        cursor = max(cursor, message.id)
    return lines, cursor


LOGGED_OUT = "event: logout\ndata: logged out\n\n"


def closing_retry() -> str:
    """What a stream ends with when its server stops: how long its browser waits before
    opening it again elsewhere, drawn between ``RETRY_MILLISECONDS`` and
    ``CLOSING_RETRY_SPREAD`` times as long."""
    spread = RETRY_MILLISECONDS * (CLOSING_RETRY_SPREAD - 1)
    return f"retry: {RETRY_MILLISECONDS + secrets.randbelow(spread + 1)}\n\n"


async def stream(
    reader: Reader, last_id: int | None, still_logged_in: Callable[[], Awaitable[bool]]
) -> AsyncIterator[str]:
    """The event stream of one open page, until the reader leaves or logs out."""
    subscription = hub.subscribe(reader)
    try:
        lines, cursor = await sync_to_async(released(opening))(reader, last_id)
        for line in lines:
            yield line
        if lines[-1] is LOGGED_OUT:
            return
        if hub.closing:
            yield closing_retry()
            return
        while True:
            try:
                item = await asyncio.wait_for(subscription.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                if not await still_logged_in():
                    yield LOGGED_OUT
                    return
                yield ": still here\n\n"
                continue
            if item is CLOSE:
                yield closing_retry()
                return
            if item is CATCH_UP:
                messages = await sync_to_async(released(missed))(reader, cursor)
            else:
                messages = [item]
            for message in messages:
                if message.name.startswith(LOGOUT):
                    yield LOGGED_OUT
                    return
                cursor = max(cursor, message.id)
                yield message.as_sse()
    finally:
        hub.unsubscribe(subscription)
