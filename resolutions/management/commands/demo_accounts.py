"""Creates the demo accounts named in the README; used by ``make run`` only.

Running it again leaves existing accounts as they are.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

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
