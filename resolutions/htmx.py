"""The full page or one named partial of it, chosen once for every htmx view.

An htmx request gets only the partial it swaps in; the same URL without htmx gets the whole
page, so every page works with JavaScript off. The two answers differ, so each says
``Vary: HX-Request``: no cache (the browser's included) hands one to the other.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from resolutions.models import User


class HtmxHttpRequest(HttpRequest):
    """The request every view takes: ``HtmxMiddleware`` sets ``htmx`` (falsy without htmx),
    and the user is a delegate's account or anonymous."""

    htmx: HtmxDetails
    user: "User | AnonymousUser"


def render_page(
    request: HtmxHttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
    failed: bool = False,
    failure_status: int = 400,
) -> HttpResponse:
    """``template_name`` rendered whole, or, for htmx, its ``{% partialdef partial %}``.

    ``failed`` says a form came back with errors: a plain request then answers
    ``failure_status`` (400, or 409 for an edit conflict), so the browser and the tests know
    nothing was saved; htmx gets 200, because it swaps only successful responses and the
    form with its errors must replace the one typed in.
    """
    if request.htmx:
        template_name = f"{template_name}#{partial}"
    elif failed:
        status = failure_status
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def partial_renderer(request: HttpRequest, template_name: str) -> Callable[[str, dict], str]:
    """Renders a named partial of ``template_name`` for the reader of ``request``, with a
    plain context (the reader and a CSRF token), so that rendering the many parts of a page
    runs the context processors of none. For parts kept in the cache for their reader: the
    token is put in afresh on every response (``pages.reading.with_fresh_forms``)."""

    def render_partial(partial: str, context: dict) -> str:
        template = get_template(f"{template_name}#{partial}").template  # type: ignore[attr-defined]
        return template.render(
            Context({**context, "user": request.user, "csrf_token": get_token(request)})
        )

    return render_partial
