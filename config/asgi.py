"""ASGI entry point: gunicorn's uvicorn workers (``make serve``) and uvicorn (``make run``).

Under ASGI an open event stream (``/events/``) is a coroutine, not a thread. Each request
runs its synchronous views in a thread of its own, so database connections come from a pool
(see ``DATABASE_POOL`` in settings) rather than being kept per thread."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_POOL", "1")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
