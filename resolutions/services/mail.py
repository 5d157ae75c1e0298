"""Notifications by e-mail: at once, once the transaction that made them has committed, or
in a daily digest (``manage.py send_digests``), as each delegate chose for each kind.

An e-mail says what the inbox says and no more: each notification's line (who did what,
where) and a link to it in the workbench, never a note's or a proposal's words. Only
notifications still unread and about what the recipient may still see are sent.

No notification is ever e-mailed twice. One sent at once is claimed first (``emailed_at``
set where it was empty); a send that fails gives it back for the next digest. A digest is
saved with its notifications claimed, committed, then sent, then marked sent; one found
still "sending" by the next run was interrupted and is never sent again."""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from resolutions.models import TOLD_OF, Delivery, Digest, Notification, NotificationPreference, User

log = logging.getLogger(__name__)

# A digest lists at most a week of notifications: older unread ones are in the inbox, and a
# first digest does not bring up everything a delegate was ever told.
DIGEST_REACHES_BACK = datetime.timedelta(days=7)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def preferences_url() -> str:
    return _absolute(reverse("resolutions:notification_preferences"))


def _link(notification: Notification) -> str:
    # Through the inbox, which marks it read, asks the reader to log in, and answers 404 if
    # what it is about has since been hidden from them.
    return _absolute(reverse("resolutions:inbox_open", args=[notification.pk]))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def notifications_email_soon(notifications: list[Notification]) -> None:
    """Once the current transaction commits, e-mail those of ``notifications`` whose
    recipients want their kind at once; never, if it rolls back."""
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(partial(notifications_email_at_once, ids), robust=True)


def notifications_email_at_once(notification_ids: list[int]) -> int:
    """E-mail each of the notifications whose recipient has an address and asked for its
    kind by e-mail at once, if still unread, unsent and visible to them; returns how many
    were sent. A send that fails is logged and left for the next digest."""
    candidates = list(
        Notification.objects.filter(
            pk__in=notification_ids,
            recipient__is_active=True,
            read_at__isnull=True,
            emailed_at__isnull=True,
            digest__isnull=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    if not candidates:
        return 0
    deliveries = NotificationPreference.objects.deliveries_for(
        {notification.recipient_id for notification in candidates}
    )
    sent = 0
    for candidate in candidates:
        if deliveries[candidate.recipient_id][candidate.kind] != Delivery.EMAIL:
            continue
        recipient = candidate.recipient
        notification = (
            Notification.objects.visible_to(recipient).for_display().filter(pk=candidate.pk).first()
        )
        if notification is None or not _claim(notification):
            continue
        message = EmailMessage(
            subject=_one_line(notification.line),
            body=render_to_string(
                "resolutions/email/notification.txt",
                {
                    "line": notification.line,
                    "url": _link(notification),
                    "told_of": TOLD_OF[notification.kind],
                    "preferences_url": preferences_url(),
                },
            ),
            to=[recipient.email],
        )
        try:
            message.send()
        except Exception:
            # Whatever stopped it (a mail server down, refusing, timing out), the request
            # that caused it goes on, and the next digest sends it.
            log.exception(
                "Notification %s could not be e-mailed to user %s; the next digest will try.",
                notification.pk,
                recipient.pk,
            )
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        else:
            sent += 1
    return sent


def _claim(notification: Notification) -> bool:
    """Mark it e-mailed if nothing else has claimed it: true when this caller may send it."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk, emailed_at__isnull=True, digest__isnull=True
        ).update(emailed_at=timezone.now())
    )


@dataclass(frozen=True)
class UncertainDigest:
    """A digest that may not have gone: found interrupted, or failed while being sent."""

    username: str
    created_at: datetime.datetime
    notifications: int


@dataclass
class DigestRun:
    """What one run of ``digests_send`` did."""

    sent: int = 0
    notifications: int = 0
    uncertain: list[UncertainDigest] = field(default_factory=list)


class MailServerUnreachable(Exception):
    """The mail server could not be reached; ``run`` is what was done before."""

    def __init__(self, reason: str, run: DigestRun):
        super().__init__(reason)
        self.run = run


def digests_send() -> DigestRun:
    """Send each delegate one e-mail listing their notifications due by e-mail: the kinds
    they want in a daily digest, and those wanted at once whose e-mail has not gone. Marks
    digests left "sending" by an interrupted run as uncertain first, and returns them.

    A digest whose sending fails is uncertain too (the server may have taken it), and the
    run goes on with the next delegate. When the mail server cannot be reached, the run
    stops before claiming anything more and raises ``MailServerUnreachable``: the rest wait
    for the next run."""
    run = DigestRun(uncertain=_interrupted_digests_mark(timezone.now()))
    since = timezone.now() - DIGEST_REACHES_BACK
    due = Notification.objects.filter(
        read_at__isnull=True, emailed_at__isnull=True, digest__isnull=True, created_at__gte=since
    )
    recipients = list(
        User.objects.filter(pk__in=due.values("recipient_id"), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    deliveries = NotificationPreference.objects.deliveries_for([user.pk for user in recipients])
    connection = get_connection()
    try:
        for user in recipients:
            kinds = [kind for kind, how in deliveries[user.pk].items() if how != Delivery.INBOX]
            if not kinds:
                continue
            try:
                # Opened (again, after a failure) before anything is claimed.
                connection.open()
            except Exception as error:
                raise MailServerUnreachable(str(error), run) from error
            digest = _digest_claim(user, kinds, since)
            if digest is None:
                continue
            lines = list(digest.notifications.for_display())
            try:
                _digest_message(user, lines, connection).send()
            except Exception:
                log.exception("Digest %s to user %s may not have been sent.", digest.pk, user.pk)
                _digest_finish(digest, Digest.State.UNCERTAIN)
                run.uncertain.append(
                    UncertainDigest(user.get_username(), digest.created_at, len(lines))
                )
                _close_quietly(connection)
                continue
            _digest_finish(digest, Digest.State.SENT)
            run.sent += 1
            run.notifications += len(lines)
    finally:
        _close_quietly(connection)
    return run


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except Exception:
        log.warning("The connection to the mail server did not close cleanly.")


def _interrupted_digests_mark(started: datetime.datetime) -> list[UncertainDigest]:
    """Digests still "sending" from before this run: a run stopped while sending them, after
    the e-mail went or before, nobody can tell. They are marked uncertain and not sent
    again; their notifications stay claimed."""
    interrupted = list(
        Digest.objects.filter(state=Digest.State.SENDING, created_at__lt=started)
        .annotate(count=Count("notifications"))
        .order_by("pk")
        .values_list("pk", "recipient__username", "created_at", "count")
    )
    Digest.objects.filter(pk__in=[pk for pk, *_ in interrupted], state=Digest.State.SENDING).update(
        state=Digest.State.UNCERTAIN, finished_at=timezone.now()
    )
    return [UncertainDigest(username, at, count) for _, username, at, count in interrupted]


def _digest_claim(user: User, kinds: list[str], since: datetime.datetime) -> Digest | None:
    """In one transaction, a new digest for ``user`` with their due notifications of
    ``kinds`` claimed for it; none when nothing is left to claim. On PostgreSQL a
    notification another run (or an e-mail sent at once) holds is skipped, not waited for:
    whoever holds it sends it."""
    with transaction.atomic():
        claimable = (
            Notification.objects.visible_to(user)
            .unread()
            .filter(
                kind__in=kinds,
                emailed_at__isnull=True,
                digest__isnull=True,
                created_at__gte=since,
            )
            .order_by()
        )
        ids = list(claimable.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return None
        digest = Digest.objects.create(recipient=user)
        Notification.objects.filter(pk__in=ids).update(digest=digest)
    return digest


def _digest_finish(digest: Digest, state: str) -> None:
    # Set whatever another run marked meanwhile: this run knows how the sending ended.
    Digest.objects.filter(pk=digest.pk).update(state=state, finished_at=timezone.now())


def _digest_message(
    user: User, notifications: list[Notification], connection: BaseEmailBackend
) -> EmailMessage:
    count = len(notifications)
    subject = (
        "Resolution workbench: 1 thing you were told"
        if count == 1
        else f"Resolution workbench: {count} things you were told"
    )
    body = render_to_string(
        "resolutions/email/digest.txt",
        {
            "user": user,
            "lines": [{"line": n.line, "url": _link(n)} for n in notifications],
            "inbox_url": _absolute(reverse("resolutions:inbox")),
            "preferences_url": preferences_url(),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email], connection=connection)
