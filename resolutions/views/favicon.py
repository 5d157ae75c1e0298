"""The site's icon where browsers look for it first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for ``/favicon.ico`` whatever the page links to: send them to the
    site's icon (a ¶ on a blue square) rather than answer 404."""
    return redirect(static("favicon.svg"), permanent=True)
