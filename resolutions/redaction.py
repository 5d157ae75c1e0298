"""Secrets taken out of a path before it is logged.

Some addresses are themselves a key: whoever holds a private calendar address reads a
delegation's follow-up actions without logging in. Logs are read by more people than
delegates, and kept longer, so every log line that shows a path shows it through ``redact``:
the access log (``resolutions.middleware``), Django's own request and server warnings (the
``RedactSecrets`` filter, in ``settings.LOGGING``) and gunicorn's logs
(``config.gunicorn_logging``).

This module imports nothing from Django: ``settings.LOGGING`` and gunicorn load it before
Django is set up.
"""

import logging
import re

REDACTED = "[secret]"

#: Where a path holds a secret: the private calendar address
#: ``/agenda/<item>/calendar/<token>.ics``. Anything in the token's place is taken out, a
#: token that no longer works or was mistyped too (it may be one letter away from a good
#: one); only the form that makes a new address (``calendar/address/``) holds none.
_END = r"""(?=[/?#\s"']|$)"""
_SECRET_PATHS = [
    re.compile(
        r"""(/agenda/[^/?#\s"']+/calendar/)(?!address""" + _END + r""")"""
        r"""[^/?#\s"']+?(\.ics)?""" + _END
    ),
]


def redact(text: str) -> str:
    """``text`` with the secret in any path it holds replaced by ``[secret]``."""
    for pattern in _SECRET_PATHS:
        text = pattern.sub(lambda match: match[1] + REDACTED + (match[2] or ""), text)
    return text


def without_query(uri: str) -> str:
    """A request's address without its query string, which may hold a delegate's words
    (the filters of a notes list)."""
    return uri.split("?", 1)[0]


class RedactSecrets(logging.Filter):
    """Redacts the message, its arguments and a ``path`` given in ``extra`` of every record
    it sees; set on a logger (for the records it makes) or on a handler (for every record it
    writes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            # In place: the mapping may be a subclass the message's format relies on.
            for key in list(record.args):
                record.args[key] = _redacted(record.args[key])
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        if isinstance(getattr(record, "path", None), str):
            record.path = redact(record.path)
        if record.name == "django.server" and record.args:
            # The development server's line starts with the request line, query and all.
            request_line, *rest = record.args
            record.args = (request_line_without_query(request_line), *rest)
        if (
            record.name == "uvicorn.access"
            and isinstance(record.args, tuple)
            and len(record.args) == 5
        ):
            # uvicorn's: client, method, path with its query, HTTP version, status.
            client, method, path, version, status = record.args
            record.args = (client, method, without_query(path), version, status)
        return True


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


def request_line_without_query(line):
    """``GET /notes/?tag=x HTTP/1.1`` → ``GET /notes/ HTTP/1.1``."""
    if not isinstance(line, str) or line.count(" ") != 2:
        return line
    method, uri, protocol = line.split(" ")
    return f"{method} {without_query(uri)} {protocol}"
