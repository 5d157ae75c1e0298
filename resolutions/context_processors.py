"""What every page needs: the logged-in delegate's unread count for the header, and where
the page listens for live events."""

from django.core.handlers.asgi import ASGIRequest

from resolutions.pages.inbox import inbox_count
from resolutions.templatetags.layout import layout_url


def inbox(request) -> dict:
    """``inbox.unread``, counted in one query when (and only when) the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": inbox_count(request)}


def live_events(request) -> dict:
    """``live_events_url``, under ASGI only: there an open stream is a coroutine; under WSGI
    (the development server of the tests, a WSGI deployment) it would hold a thread, and the
    pages are as they always were, fresh on each load."""
    if not isinstance(request, ASGIRequest):
        return {}
    return {"live_events_url": layout_url("resolutions:events")}
