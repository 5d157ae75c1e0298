"""A delegate's own account: changing the password."""

from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction

from resolutions.models import CalendarFeed, User


@transaction.atomic
def password_change(form: PasswordChangeForm) -> User:
    """Save the new password of a valid ``form`` and give the user's private calendar
    address a new secret: whoever learnt the old password may have copied the address
    too, and it opens the delegation's actions without a password."""
    user: User = form.save()
    CalendarFeed.objects.rotate_for(user)
    return user
