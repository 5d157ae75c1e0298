"""Error pages that Django's defaults do not cover the way a delegate needs.

400, 403 and 404 use Django's handlers with the templates ``400.html``, ``403.html`` and
``404.html``. The 500 handler here also catches a database that went away outside a view (in
a middleware, while saving the session) and answers with the 503 page instead.
"""

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from resolutions.middleware import (
    database_unavailable,
    drop_broken_connections,
    service_unavailable_response,
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the error was the database going away. Both are
    rendered without the request: nothing here may need the database or leak the error."""
    if database_unavailable(sys.exc_info()[1]):
        drop_broken_connections()
        return service_unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing security token: say what to do, in the site's
    layout. ``reason`` is for developers and is not shown."""
    return render(request, "403_csrf.html", status=403)
