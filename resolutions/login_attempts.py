"""How django-axes names the account a login attempt was for (``AXES_USERNAME_CALLABLE``)."""

from django.contrib.auth import get_user_model


def attempted_username(request, credentials: dict | None) -> str | None:
    """The username typed into the login form, cut to the longest a username can be.

    Django's login form does not refuse an over-long username; django-axes records it in a
    255-character column, which PostgreSQL enforces: a stuffed login form would answer 500
    and the attempt would not count towards the lockout. No account has a longer name, so
    the cut changes nothing else.
    """
    field = get_user_model().USERNAME_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not username:
        return username
    return username[: get_user_model()._meta.get_field(field).max_length]
