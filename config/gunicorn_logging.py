"""gunicorn's uvicorn worker, and gunicorn's own logs, with the secret of a private
address taken out of every path (``make serve`` passes ``--worker-class
config.gunicorn_logging.EventWorker --logger-class config.gunicorn_logging.RedactingLogger``).

gunicorn writes an access line only when asked to (``--access-logfile``, for instance through
``GUNICORN_CMD_ARGS``), and error lines that name the request they failed on; the app's own
JSON access log already has one line per request. Either way a path is shown as
``resolutions.redaction`` shows it, and without its query string, as in the app's log.
"""

import logging
import sys

from gunicorn.arbiter import Arbiter
from gunicorn.glogging import Logger
from uvicorn import Server
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


class _ClosingStreams(Server):
    """uvicorn's server, which ends the open event streams as it starts to stop."""

    async def shutdown(self, sockets=None) -> None:
        # Imported here: this module is read before Django is set up.
        from resolutions import live

        live.hub.close_all()
        await super().shutdown(sockets)


class EventWorker(UvicornWorker):
    """gunicorn's worker for ASGI (``make serve``): uvicorn's event loop, so that an open
    event stream is a coroutine and not a thread. Django speaks no ASGI lifespan, so uvicorn
    does not ask; its access lines (written only when gunicorn's access log is on) and
    error lines are redacted as gunicorn's are.

    Stopping (a deploy, a restart), it ends the open event streams first: they would hold
    the worker up until gunicorn's graceful timeout killed it, ten seconds in which the
    server takes no new request and can not be started again. Each browser opens its
    stream again, on a server still running, with the last event it had."""

    CONFIG_KWARGS = {"loop": "auto", "http": "auto", "lifespan": "off"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("uvicorn.access", "uvicorn.error"):
            logger = logging.getLogger(name)
            if _SECRETS not in logger.filters:
                logger.addFilter(_SECRETS)

    async def _serve(self) -> None:
        # UvicornWorker._serve of uvicorn-worker 0.4.0, with the server that ends the
        # streams (tests/views/test_events.py holds the two alike).
        self.config.app = self.wsgi
        server = _ClosingStreams(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
