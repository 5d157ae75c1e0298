"""Creates the demo accounts named in the README; used by ``make run`` only.

Running it again leaves existing accounts as they are. Their password is published, so it
refuses to run in production (``DJANGO_ENV=production`` or ``DEBUG`` off: ``settings.PRODUCTION``),
and ``check --deploy --database default`` (run by ``make serve``) fails while a demo account
still opens with it (``resolutions.checks``).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from resolutions.management.commands.add_delegate import find_or_create_delegation
from resolutions.models import User

DEMO_PASSWORD = "demo-delegate-76"  # noqa: S105 -- a published demo password, dev path only
DEMO_ACCOUNTS = [
    # username, Member State, editor
    ("amina", "Nigeria", True),
    ("lars", "Norway", False),
]


class Command(BaseCommand):
    help = "Create the demo accounts named in the README (development only)."

    def handle(self, *args, **options):
        # A settings module that does not say counts as production.
        if getattr(settings, "PRODUCTION", True):
            raise CommandError(
                "The demo accounts have a password anyone can read in the README, so they are "
                "made in development only, and this is production (DJANGO_ENV=production or "
                "DEBUG off). Make real accounts with `python manage.py add_delegate`."
            )
        editors = Group.objects.get_or_create(name=User.EDITOR_GROUP)[0]
        for username, state_name, editor in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Demo account {username!r} already exists.")
                continue
            user = User(username=username, delegation=find_or_create_delegation(state_name))
            user.set_password(DEMO_PASSWORD)
            user.save()
            if editor:
                user.groups.add(editors)
            self.stdout.write(f"Created demo account {username!r} ({state_name}).")
