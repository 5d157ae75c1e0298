"""A delegate's own account: what it holds, the private calendar addresses (and revoking
them), how they are told of each kind of notification, and changing the password, which
also gives the addresses a new secret."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from resolutions import services
from resolutions.forms import DelegatePasswordChangeForm, NotificationPreferencesForm
from resolutions.htmx import HtmxHttpRequest
from resolutions.models import CalendarFeed, NotificationPreference
from resolutions.pages.account import account_page


@login_required
@require_safe
def account(request: HtmxHttpRequest) -> HttpResponse:
    """Username, delegation, the private calendar addresses with a button to revoke them,
    and the way to change the password."""
    return render(request, "resolutions/account.html", {"page": account_page(request)})


@login_required
@require_POST
def calendar_feed_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Revokes the user's private calendar address: calendar apps subscribed to it get a
    404 from now on. Anyone else's address answers 404."""
    feed = get_object_or_404(CalendarFeed, pk=pk, user=request.user)
    feed.delete()
    messages.success(
        request,
        "Your private calendar address is revoked: calendar apps subscribed to it get "
        "nothing more. Make a new one on an agenda item's page when you need it.",
    )
    return redirect("resolutions:account")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request: HtmxHttpRequest) -> HttpResponse:
    """For each kind of notification: in the inbox only, also by e-mail at once, or also
    in a daily digest. A plain form; all saved at once, or (with an error) nothing."""
    user = request.user
    deliveries = NotificationPreference.objects.deliveries_for([user.pk])[user.pk]
    form = NotificationPreferencesForm(request.POST or None, deliveries=deliveries)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user, form.cleaned_data)
        messages.success(request, "Saved: you are told as shown below.")
        return redirect("resolutions:notification_preferences")
    return render(
        request,
        "resolutions/notification_preferences.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (the old password, the new one twice, checked by the
    project's password validators), which also gives the private calendar address a new
    secret. The delegate stays logged in here; their other sessions end. A wrong old
    password counts towards the login lockout."""

    form_class = DelegatePasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        # As every form of the site: a 400 says nothing was saved.
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        services.password_change(form)
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())
