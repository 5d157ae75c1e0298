"""``/events/?document=<slug>``: the server-sent events an open page listens to."""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from resolutions import live
from resolutions.models import Document


def _last_event_id(request: HttpRequest) -> int | None:
    """The browser's ``Last-Event-ID`` on reconnecting, when it is a number we gave."""
    value = request.headers.get("Last-Event-ID", "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


@require_safe
async def events(request: HttpRequest) -> HttpResponse:
    """What changes on a document's pages, as its reader may know it ("paragraph op3
    changed"), and in the reader's inbox ("inbox changed"); never what was written.

    Under ASGI the stream stays open, a comment every ``HEARTBEAT_SECONDS``, until the
    reader leaves or logs out. Under WSGI it says what was missed and ends, and the browser
    asks again after ``RETRY_MILLISECONDS``. A visitor with no document to follow is told
    there is nothing (204, which tells the browser not to ask again)."""
    user = await request.auser()
    slug = request.GET.get("document", "")
    document_id = None
    if slug:
        document_id = await Document.objects.filter(slug=slug).values_list("pk", flat=True).afirst()
        if document_id is None:
            raise Http404("No such document.")
    elif not user.is_authenticated:
        return HttpResponse(status=204)
    session_key = request.session.session_key if user.is_authenticated else None
    reader = live.Reader(
        user_id=user.pk if user.is_authenticated else None,
        delegation_id=getattr(user, "delegation_id", None),
        document_id=document_id,
        logout_event=live.logout_event_name(session_key) if session_key else None,
    )
    last_id = _last_event_id(request)

    def session_live(key: str) -> bool:
        # Loaded, not merely found: a session past its expiry date is still a row.
        return bool(type(request.session)(key).load())

    async def still_logged_in() -> bool:
        return session_key is None or await sync_to_async(live.released(session_live))(session_key)

    if isinstance(request, ASGIRequest):
        # What reading the user took is given back: the stream holds no connection.
        await sync_to_async(connections.close_all)()
        content = live.stream(reader, last_id, still_logged_in)
    else:
        content, _ = await sync_to_async(live.opening)(reader, last_id)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    # nginx would otherwise hold the stream back until its buffer fills.
    response["X-Accel-Buffering"] = "no"
    return response
