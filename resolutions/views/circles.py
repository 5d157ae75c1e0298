"""Circles of delegations: the delegation's circles and invitations, one circle's page,
and the buttons that create, invite, accept, decline and leave.

A circle is found through ``Circle.objects.visible_to(user)``: one the delegation is not in
and not invited to answers 404, so its existence does not leak. A delegation that left a
circle or declined it sees nothing of it any more, its name included: the same button sent
twice (a double click on "Leave") is told so without a name, rather than shown a 404.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from resolutions import services
from resolutions.forms import CircleForm, CircleInviteForm
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Circle, CircleMembership
from resolutions.pages.circles import circle_page, circles_page
from resolutions.permissions import delegation_required

DETAIL = "resolutions/circle_detail.html"


def _visible(request: HtmxHttpRequest, pk: int) -> Circle:
    """A circle the user's delegation is in or invited to; any other answers 404."""
    return get_object_or_404(Circle.objects.visible_to(request.user), pk=pk)


NO_LONGER = "Your delegation is no longer in that circle, nor invited to it."


@delegation_required
@require_http_methods(["GET", "HEAD", "POST"])
def circle_list(request: HtmxHttpRequest) -> HttpResponse:
    """The delegation's circles with their members, the invitations it has not answered,
    and a form to create a circle (the delegation joins it at once)."""
    form = CircleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            circle = services.circle_create(creator=request.user, **form.cleaned_data)
        except services.CircleRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"{circle.name} is made, with your delegation in it.")
            return redirect(circle)
    return render(
        request,
        "resolutions/circles.html",
        {"page": circles_page(request.user), "form": form},
        status=400 if form.errors else 200,
    )


def _circle_page(
    request: HtmxHttpRequest, circle: Circle, form: CircleInviteForm | None = None
) -> HttpResponse:
    """The circle's page, or for htmx its members and invitations with the invite form."""
    context = {
        "page": circle_page(circle, request.user),
        "invite_form": form or CircleInviteForm(),
    }
    return render_page(
        request, DETAIL, context, partial="membership", failed=bool(form and form.errors)
    )


@delegation_required
@require_safe
def circle_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One circle: its members, its open invitations, and for a member the invite form and
    the leave button; for an invited delegation, accept and decline."""
    return _circle_page(request, _visible(request, pk))


@delegation_required
@require_POST
def circle_invite(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Invites a delegation, by name, into the circle: any member may. htmx gets the
    members and invitations back; a plain POST is redirected to the circle."""
    circle = _visible(request, pk)
    form = CircleInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.circle_invite(
                circle=circle,
                inviter=request.user,
                delegation_name=form.cleaned_data["delegation"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.CircleRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            if request.htmx:
                return _circle_page(request, circle)
            messages.success(
                request,
                f"{invitation.delegation.name} is invited: it joins when one of its "
                "delegates accepts.",
            )
            return redirect(circle)
    return _circle_page(request, circle, form)


def _answered(request: HtmxHttpRequest, pk: int, service, success: str) -> HttpResponse:
    """Runs ``service`` for the user on circle ``pk``: redirects with ``success`` (said of
    the circle's name; to the circle's page, or the list once the delegation is out of it),
    or shows the refusal. A circle the delegation left or declined answers that it is out of
    it, without its name; any other it may not see, 404."""
    circle = Circle.objects.visible_to(request.user).filter(pk=pk).first()
    if circle is None:
        once = CircleMembership.objects.filter(
            circle_id=pk, delegation_id=request.user.delegation_id
        )
        if not once.exists():
            raise Http404("No such circle")
        messages.info(request, NO_LONGER)
        return redirect("resolutions:circle_list")
    success = success.format(name=circle.name)
    try:
        membership = service(user=request.user, circle=circle)
    except services.CircleRefused as refused:
        messages.error(request, refused.message)
        return redirect("resolutions:circle_list")
    messages.success(request, success)
    return redirect(circle if membership.is_active else "resolutions:circle_list")


@delegation_required
@require_POST
def circle_accept(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The delegation accepts its invitation and joins the circle."""
    return _answered(
        request,
        pk,
        services.circle_invitation_accept,
        "Your delegation is in {name}: you see the notes shared with it, and may share yours.",
    )


@delegation_required
@require_POST
def circle_decline(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The delegation declines its invitation."""
    return _answered(
        request,
        pk,
        services.circle_invitation_decline,
        "Your delegation declined the invitation to {name}.",
    )


@delegation_required
@require_POST
def circle_leave(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The delegation leaves the circle: its notes are out of its delegates' sight at once."""
    return _answered(
        request,
        pk,
        services.circle_leave,
        "Your delegation has left {name}: you no longer see the notes shared with it.",
    )
