from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from resolutions.views.accounts import PasswordChangeView
from resolutions.views.favicon import favicon

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("resolutions.urls")),
]

# 400, 403 and 404 are Django's own handlers with the site's templates; the 500 handler also
# answers 503 when the database went away outside a view.
handler500 = "resolutions.views.errors.server_error"
