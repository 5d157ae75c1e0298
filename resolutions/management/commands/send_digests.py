"""``python manage.py send_digests`` (once a day, from cron)

Sends each delegate one e-mail listing the notifications they asked for in a daily digest,
and those they asked for at once whose e-mail did not go, if still unread and about what
they may still see. Never sends one notification twice, run twice or at once: a digest
interrupted while sending (it may or may not have gone) is reported here and not sent
again; its notifications remain in the inbox.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from resolutions import services
from resolutions.services.mail import DigestRun


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = "E-mail each delegate the digest of what they were told (run it daily from cron)."

    def handle(self, *args, **options):
        try:
            run = services.digests_send()
        except services.MailServerUnreachable as unreachable:
            self.report(unreachable.run)
            raise CommandError(
                f"The mail server could not be reached ({unreachable}): the digests not "
                "yet sent wait for the next run."
            ) from unreachable
        self.report(run)

    def report(self, run: DigestRun) -> None:
        for digest in run.uncertain:
            self.stdout.write(
                f"The digest for {digest.username} of "
                f"{date_format(timezone.localtime(digest.created_at), 'j F Y, H:i T')} "
                f"({_count(digest.notifications, 'notification')}) may not have been sent: "
                "its sending was interrupted. It is not sent again; the notifications are "
                "in their inbox."
            )
        self.stdout.write(
            f"Sent {_count(run.sent, 'digest')} ({_count(run.notifications, 'notification')})."
        )
