"""ASGI entry point: gunicorn's uvicorn workers (``make serve``) and uvicorn (``make run``).

Under ASGI an open event stream (``/events/``) is a coroutine, not a thread. Each other
request runs its middleware and view on one of the few threads the process keeps, for as
long as it lasts. Database connections come from a pool (``DATABASE_POOL`` in settings),
shared by the pages' threads and the streams."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_POOL", "1")

import django  # noqa: E402
from asgiref.sync import ThreadSensitiveContext, sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402

django.setup(set_prefix=False)

from resolutions.live import EVENTS_PATH  # noqa: E402


class PagesHandler(ASGIHandler):
    """Django's ASGI handler, running the middleware and the view in one go on the
    request's thread.

    Django runs an async-capable middleware (most of Django's own, and django-csp's) as
    async under ASGI, and each of its steps then crosses from the event loop to a thread
    and back, as does each switch between those and the app's own synchronous middleware.
    The pages' views are synchronous, so here the whole chain is built as under WSGI and
    called once on the request's thread."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


class Handler:
    """The app under ASGI: the event streams through Django's own handler, every other
    request through ``PagesHandler``, ``settings.WORKER_THREADS`` at a time.

    Django gives each request a thread of its own for its synchronous parts (the middleware,
    the view), kept until the response ends: for a stream, until its reader leaves. Streams
    are served without one: their few synchronous moments (the session, the middleware,
    the opening query, a check every 15 seconds) take turns on one shared thread, and an
    open stream holds no thread at all.

    Django makes that thread for the request and ends it after (two threads started and
    one joined per request), and as many run at once as there are requests. Here a request
    waits for one of the process's ``settings.WORKER_THREADS`` threads, used one call at a time as
    Django's own is, and gives it back once its response is sent: a WSGI server's threads.
    A request holds its thread while its body arrives and its response leaves: behind
    nginx (``deploy/nginx/workbench.conf``), which takes both whole before passing them
    on, that is no time at all. A reader who leaves mid-page leaves the view running on
    its thread; Django's end of the request waits on that same thread, so the thread is
    given back only once the view is done. The request log's time (``RequestLogMiddleware``)
    starts when the request has its thread: a wait for one shows in the client's time,
    not in the log."""

    def __init__(self):
        self.streams = ASGIHandler()
        self.pages = PagesHandler()
        # Only the event loop's thread takes and gives back: no lock.
        self._idle: list[ThreadPoolExecutor] = []
        # More requests at once only take turns holding Python's lock, each slower: on 2
        # cores, 2 processes of 4 served a third more pages a second, and half as many
        # again static files, than with a thread for every request.
        self._slots = asyncio.Semaphore(settings.WORKER_THREADS)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.pages(scope, receive, send)  # Django's answer to other protocols
        elif scope["path"] == EVENTS_PATH:
            await self.streams.handle(scope, receive, send)
        else:
            async with self._slots:
                worker = self._idle.pop() if self._idle else ThreadPoolExecutor(max_workers=1)
                try:
                    async with ThreadSensitiveContext(executor=worker):
                        await self.pages.handle(scope, receive, send)
                finally:
                    self._idle.append(worker)


application = Handler()
