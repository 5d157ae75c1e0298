"""System checks of the workbench's own (``manage.py check``)."""

from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, Tags.database, deploy=True)
def demo_accounts_keep_their_published_password(app_configs=None, databases=None, **kwargs):
    """``check --deploy --database default`` (``make serve``): an error for each demo account
    (``make run``) that still opens with the password the README publishes. Anyone could log
    in as it, and one of them is an editor."""
    if not databases:
        return []
    from resolutions.management.commands.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
    from resolutions.models import User

    usernames = [username for username, _, _ in DEMO_ACCOUNTS]
    errors = []
    for database in databases:
        try:
            accounts = list(
                User.objects.using(database)
                .filter(username__in=usernames, is_active=True)
                .values_list("username", "password")
            )
        except DatabaseError:
            # Not migrated yet (make serve checks before it migrates): no accounts at all.
            continue
        errors.extend(
            Error(
                f"The demo account {username!r} still has the demo password, which the README "
                "publishes.",
                hint=f"Delete the account, or give it a password of its own "
                f"(python manage.py changepassword {username}).",
                id="resolutions.E001",
            )
            for username, password in accounts
            if check_password(DEMO_PASSWORD, password)
        )
    return errors
