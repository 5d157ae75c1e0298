"""Who may use a view, written once: views name the rule, never re-implement it.

Each decorator sends a visitor who is not logged in to the login page (as
``login_required`` does) and answers 403, with a sentence the 403 page shows, to a
logged-in user the rule leaves out. What a user may *see* (notes, actions) is not decided
here but by the querysets' ``visible_to``: an object one may not see answers 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from resolutions.models import Document

View = Callable[..., HttpResponse]

NO_DELEGATION = (
    "Your account belongs to no delegation. Ask an administrator to add you to your delegation."
)


def _rule(allowed: Callable[[Any], bool], refusal: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def delegation_required(view: View) -> View:
    """Logged in and a member of a delegation: the delegation's own data (actions)."""
    return _rule(lambda user: user.delegation_id is not None, NO_DELEGATION)(view)


def may_edit_shared(user: Any) -> bool:
    """Whether ``user`` may change shared data (documents, sponsor lists, milestones, agenda
    numbers): an editor. A visitor may not."""
    return bool(getattr(user, "is_editor", False))


def editor_required(refusal: str) -> Callable[[View], View]:
    """Logged in and in the ``editor`` group: shared data (``may_edit_shared``). ``refusal``
    says what only editors may do, and why."""
    return _rule(may_edit_shared, refusal)


def is_pen_holder(user: Any, document: Document) -> bool:
    """Whether ``user`` holds the pen on ``document``: they are a delegate of one of the
    delegations named its pen holders (``Document.pen_holders``, the main sponsor or a
    facilitator), or, while none is named, an editor. Pen holders mark paragraphs agreed,
    accept or reject proposals and issue the next revision.

    Reads the document's pen holders once (none when a ``prefetch_related("pen_holders")``
    already holds them) and asks ``user.is_editor`` only when none is named."""
    return document.is_pen_holder(user)


def pen_holder_required(refusal: str) -> Callable[[View], View]:
    """Logged in and a pen holder (``is_pen_holder``) of the document named by the URL's
    ``slug``: the view receives that document as ``document`` instead of the slug; an
    unknown slug is a 404. ``refusal`` says what only the pen holder may do."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            document = get_object_or_404(
                Document.objects.select_related("agenda_listing__agenda_item").prefetch_related(
                    "pen_holders"
                ),
                slug=slug,
            )
            if not is_pen_holder(request.user, document):
                raise PermissionDenied(refusal)
            return view(request, *args, document=document, **kwargs)

        return login_required(checked)

    return decorator
