"""Request ids, one structured access-log line per request, a 503 page (not a traceback)
when the database is unavailable, and no shared or stored copy of a page made for a
logged-in user.

This module imports no models: ``settings.LOGGING`` names ``JsonFormatter`` and is configured
before the apps are loaded.
"""

import datetime
import json
import logging
import re
import time
import uuid

from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.functional import empty
from django.views.defaults import bad_request

from resolutions.redaction import redact

access_log = logging.getLogger("resolutions.access")
fault_log = logging.getLogger("resolutions.faults")

#: What a database that went away raises: the server is down or restarting, the connection
#: was cut, or it cannot be opened. Retrying later is the right answer to all of these.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

#: A request id sent by the proxy in front is kept when it is a plain token, so that one
#: request can be followed from the proxy's log to ours.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

RETRY_AFTER_SECONDS = 30


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON: time, level, logger, message, and the request fields
    (``request_id``, ``user_id``, ``method``, ``path``, ``status``, ``duration_ms``) when the
    record carries them. Exceptions are logged with their traceback, for operators only."""

    FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_UNAVAILABLE)


def service_unavailable_response() -> HttpResponse:
    """The 503 page. It is rendered without the request: with the database gone, the user,
    the session and anything else that needs a query would fail again."""
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def drop_broken_connections() -> None:
    """Close every database connection that no longer works, so that the next query (in
    this request's process, on the next request) opens a fresh one: the app recovers as soon
    as the database is back, without a restart. Django does the same between requests
    (``CONN_HEALTH_CHECKS``); doing it here also covers callers that skip those signals."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close_if_unusable_or_obsolete()
        except DatabaseError:
            # Closing a dead connection can fail too; the next request's checks retry it.
            continue


def _user_id(request: HttpRequest):
    """The logged-in user's id, without a query of its own: only when the request has
    already loaded its user (or at least its session). Logging must not change what a page
    costs."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is not None and wrapped is not empty:
        return wrapped.pk if wrapped.is_authenticated else None
    session = getattr(request, "session", None)
    cache = getattr(session, "_session_cache", None)
    if isinstance(cache, dict) and "_auth_user_id" in cache:
        return cache["_auth_user_id"]
    return None


class RequestLogMiddleware:
    """First in ``MIDDLEWARE``: gives each request an id (``request.request_id``, echoed in
    the ``X-Request-ID`` header), logs one line when it is answered, and turns a database
    that went away into the 503 page.

    The line holds the request id, the user id, the method, the path (without the query
    string, and without the secret of a private address: ``resolutions.redaction``), the
    status and the duration: never a request body, a query string, a password or the text
    of a note.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        status = response.status_code
        path = redact(request.path)
        access_log.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s",
            request.method,
            path,
            status,
            extra={
                "request_id": request.request_id,
                "user_id": _user_id(request),
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A view that met a database that went away answers 503 and asks to retry;
        anything else goes on to Django's 500 handling."""
        if not database_unavailable(exception):
            return None
        fault_log.warning(
            "Database unavailable: %s",
            type(exception).__name__,
            extra={
                "request_id": getattr(request, "request_id", None),
                "path": redact(request.path),
            },
        )
        drop_broken_connections()
        return service_unavailable_response()


class NullCharacterMiddleware:
    """Answers 400 to an address holding a NUL character (``%00``), anywhere in its path or
    query string.

    No text a delegate writes contains one, and PostgreSQL cannot store or even compare it:
    a NUL reaching a query fails there, as a 500. Forms refuse NUL in what they validate;
    this covers the filters and choices that views read from the query string directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, BadRequest("A NUL character in the address"), "400.html")
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Every response made for a logged-in user says ``Cache-Control: private, no-store``: no
    proxy may keep it, and the browser does not write it to disk.

    A page for a logged-in user holds their notes, their delegation's actions and
    calendar, or at least their name and form tokens; whatever a new view shows, the rule
    covers it without the view having to remember. A response is made for a logged-in user
    when the view (or its template) looked at who asked: that loads the session, and only
    then does this middleware look, without a query of its own. A response made without
    reading the session is the same for everyone (the public text, the sponsor lists) and
    stays cacheable, as do pages for visitors who are not logged in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _user_id(request) is not None:
            patch_cache_control(response, private=True, no_store=True)
        return response
