"""gunicorn's uvicorn worker, and gunicorn's own logs, with the secret of a private
address taken out of every path (``make serve`` passes ``--worker-class
config.gunicorn_logging.EventWorker --logger-class config.gunicorn_logging.RedactingLogger``).

gunicorn writes an access line only when asked to (``--access-logfile``, for instance through
``GUNICORN_CMD_ARGS``), and error lines that name the request they failed on; the app's own
JSON access log already has one line per request. Either way a path is shown as
``resolutions.redaction`` shows it, and without its query string, as in the app's log.
"""

import logging

from gunicorn.glogging import Logger
from uvicorn_worker import UvicornWorker

from resolutions.redaction import (
    RedactSecrets,
    redact,
    request_line_without_query,
    without_query,
)

_SECRETS = RedactSecrets()

#: The access-log atoms that carry the query string: %(r)s, %(q)s and their environ twins.
_WITH_QUERY = {"{raw_uri}e", "{request_uri}e"}
_QUERY_ONLY = {"q", "{query_string}e"}


class RedactingLogger(Logger):
    """gunicorn's logger, redacting paths in its access and error lines."""

    def setup(self, cfg):
        super().setup(cfg)
        # The same filter object each time: a configuration reload adds it only once. The
        # access log needs none: its atoms are redacted as they are made.
        self.error_log.addFilter(_SECRETS)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if name in _QUERY_ONLY:
                atoms[name] = ""
            elif isinstance(value, str):
                atoms[name] = redact(_without_query(name, value))
        return atoms


def _without_query(name: str, value: str) -> str:
    if name == "r":
        return request_line_without_query(value)
    if name in _WITH_QUERY:
        return without_query(value)
    return value


class EventWorker(UvicornWorker):
    """gunicorn's worker for ASGI (``make serve``): uvicorn's event loop, so that an open
    event stream is a coroutine and not a thread. Django speaks no ASGI lifespan, so uvicorn
    does not ask; its access lines (written only when gunicorn's access log is on) and
    error lines are redacted as gunicorn's are."""

    CONFIG_KWARGS = {"loop": "auto", "http": "auto", "lifespan": "off"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("uvicorn.access", "uvicorn.error"):
            logger = logging.getLogger(name)
            if _SECRETS not in logger.filters:
                logger.addFilter(_SECRETS)
