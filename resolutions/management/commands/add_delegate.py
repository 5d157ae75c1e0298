"""``python manage.py add_delegate USERNAME --delegation "Member State name"``

Creates an account in a delegation, matching the delegation's Member State by its name or
any alias ("Turkey" finds Türkiye) and creating the delegation when it does not exist yet.
"""

import getpass

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resolutions.models import Delegation, MemberState, User


class Command(BaseCommand):
    help = "Create a delegate's account in a Member State's delegation."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--delegation", required=True, help="The Member State's name, e.g. 'Türkiye'."
        )
        parser.add_argument("--password", help="Prompted for when not given.")
        parser.add_argument(
            "--editor",
            action="store_true",
            help="Also let the account change shared data (documents, sponsor lists, milestones).",
        )

    def handle(self, *args, username, delegation, password, editor, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        delegation_obj = find_or_create_delegation(delegation)
        if password is None:
            password = self.prompt_password()
        user = User(username=username, delegation=delegation_obj)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is too weak: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if editor:
                user.groups.add(Group.objects.get_or_create(name=User.EDITOR_GROUP)[0])
        role = " as an editor" if editor else ""
        self.stdout.write(
            self.style.SUCCESS(f"Created {username!r} in the delegation of {delegation_obj}{role}.")
        )

    def prompt_password(self) -> str:
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No password given; pass --password or run interactively.") from None
        if password != again:
            raise CommandError("The two passwords differ; nothing was created.")
        return password


def find_or_create_delegation(state_name: str) -> Delegation:
    """The delegation of the Member State called ``state_name`` (or an alias of it)."""
    matcher = MemberState.objects.name_matcher()
    iso3 = matcher.match(state_name)
    if iso3 is None:
        suggestions = matcher.suggest(state_name)
        hint = f" Closest names: {', '.join(suggestions)}." if suggestions else ""
        raise CommandError(f"No Member State is called {state_name!r}.{hint}")
    state = MemberState.objects.get(iso3=iso3)
    delegation, _ = Delegation.objects.get_or_create(state=state, defaults={"name": state.name})
    return delegation
