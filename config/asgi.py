"""ASGI entry point: gunicorn's uvicorn workers (``make serve``) and uvicorn (``make run``).

Under ASGI an open event stream (``/events/``) is a coroutine, not a thread. Each request
runs its synchronous views in a thread of its own, so database connections come from a pool
(see ``DATABASE_POOL`` in settings) rather than being kept per thread."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_POOL", "1")

import django  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402

django.setup(set_prefix=False)

from resolutions.live import EVENTS_PATH  # noqa: E402


class Handler(ASGIHandler):
    """Django's ASGI handler, but for the event streams.

    Django gives each request a thread of its own for its synchronous parts (the middleware,
    the view), kept until the response ends: for a stream, until its reader leaves. Streams
    are served without one: their few synchronous moments (the session, the middleware,
    the opening query, a check every 15 seconds) take turns on one shared thread, and an
    open stream holds no thread at all."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == EVENTS_PATH:
            await self.handle(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


application = Handler()
