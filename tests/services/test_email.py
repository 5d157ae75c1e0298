"""Notifications by e-mail: at once after the cause commits (never for one rolled back), or in
a daily digest (``send_digests``) that never sends a notification twice, run twice, run
while another holds it, or run again after a crash, and that leaves out what was read or
may no longer be seen. An e-mail holds the line and a link, never a note's words."""

import datetime
import io
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from resolutions import services
from resolutions.models import Delivery, Digest, Notification, Paragraph
from tests.conftest import SEED_SLUG, load_seed_fixtures
from tests.factories import make_annotation, make_delegate

Kind = Notification.Kind
MENTION_LINE = "lars (Norway) mentioned you in a note on OP6 of A/C.1/76/L.13"
SECRET = "the fallback wording we keep to ourselves"


class Crash(BaseException):
    """The process dying: nothing in the command may catch it."""


class CrashAfterSending(LocmemBackend):
    """Delivers, then the process dies before it can record that it did."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise Crash


class RefusedFor(LocmemBackend):
    """A mail server that refuses every message to ingrid@example.org."""

    def send_messages(self, messages):
        if any("ingrid@example.org" in message.to for message in messages):
            raise smtplib.SMTPRecipientsRefused({"ingrid@example.org": (550, b"No such user")})
        return super().send_messages(messages)


class Unreachable(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError("Connection refused")


class Down(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def backend(cls) -> str:
    return f"{__name__}.{cls.__name__}"


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def with_address(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def digest_of(*users):
    """Each of ``users`` wants every kind in a daily digest."""
    for user in users:
        services.notification_preferences_set(user, dict.fromkeys(Kind.values, Delivery.DIGEST))


def send_digests() -> str:
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


# At once ----------------------------------------------------------------------------------


def test_a_mention_is_emailed_at_once_once_the_note_is_saved(
    lars, ingrid, op6, django_capture_on_commit_callbacks
):
    with_address(ingrid)
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(lars, op6, f"@ingrid {SECRET}")
    notification = Notification.objects.get(recipient=ingrid)
    [message] = mail.outbox
    assert message.to == ["ingrid@example.org"]
    assert message.subject == MENTION_LINE
    assert f"http://127.0.0.1:8000/inbox/{notification.pk}/" in message.body
    assert "http://127.0.0.1:8000/accounts/notifications/" in message.body
    assert "mentions of you" in message.body
    assert SECRET not in message.body
    assert notification.emailed_at is not None


@override_settings(SITE_URL="https://workbench.example.org")
def test_links_use_the_sites_address(lars, ingrid, op6, django_capture_on_commit_callbacks):
    with_address(ingrid)
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(lars, op6, "@ingrid see this")
    assert "https://workbench.example.org/inbox/" in mail.outbox[0].body


class Boom(Exception):
    pass


def test_a_committed_note_is_emailed_and_one_rolled_back_is_not(transactional_db):
    """Real commits and rollbacks (the database is emptied after the test)."""
    load_seed_fixtures()
    lars, ingrid = make_delegate("lars", "Norway"), make_delegate("ingrid", "Norway")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    with_address(ingrid)

    def note_then_failure():
        with transaction.atomic():
            make_annotation(lars, op6, "@ingrid never saved")
            raise Boom

    with pytest.raises(Boom):
        note_then_failure()
    assert mail.outbox == []
    make_annotation(lars, op6, "@ingrid saved")
    assert [message.subject for message in mail.outbox] == [MENTION_LINE]


def test_nothing_is_emailed_before_the_transaction_commits(lars, ingrid, op6):
    with_address(ingrid)
    # The test's own transaction never commits: the e-mail waits for a commit.
    make_annotation(lars, op6, "@ingrid pending")
    assert mail.outbox == []


def test_kinds_left_in_the_inbox_are_not_emailed(
    lars, ingrid, op6, django_capture_on_commit_callbacks
):
    with_address(lars)
    thread = make_annotation(lars, op6, "Too strong?")
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(ingrid, op6, "Agreed", reply_to=thread)
    assert Notification.objects.get(recipient=lars).kind == Kind.REPLY
    assert mail.outbox == []


def test_a_delegate_without_an_address_is_not_emailed(
    lars, ingrid, op6, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(lars, op6, "@ingrid see this")
    assert mail.outbox == []
    assert Notification.objects.get(recipient=ingrid).emailed_at is None


def test_a_kind_chosen_for_the_digest_is_not_emailed_at_once(
    lars, ingrid, op6, django_capture_on_commit_callbacks
):
    with_address(ingrid)
    digest_of(ingrid)
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(lars, op6, "@ingrid see this")
    assert mail.outbox == []
    assert "Sent 1 digest (1 notification)." in send_digests()
    assert MENTION_LINE in mail.outbox[0].body


@override_settings(EMAIL_BACKEND=backend(Down))
def test_a_failed_send_keeps_the_note_and_leaves_the_email_to_the_digest(
    lars, ingrid, op6, django_capture_on_commit_callbacks, caplog
):
    with_address(ingrid)
    client = Client()
    client.force_login(lars)
    url = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "@ingrid the figures?", "visibility": "delegation"})
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=ingrid)
    assert notification.emailed_at is None
    assert "could not be e-mailed" in caplog.text
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert "Sent 1 digest (1 notification)." in send_digests()
    [message] = mail.outbox
    assert MENTION_LINE in message.body


def test_a_mention_reaches_the_inbox_and_the_console_email(
    lars, ingrid, op6, django_capture_on_commit_callbacks, capsys
):
    """The issue's "Done when": with the default (console) backend, the e-mail is printed."""
    with_address(ingrid)
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_annotation(lars, op6, "@ingrid can you check the figures?")
    printed = capsys.readouterr().out
    assert f"Subject: {MENTION_LINE}" in printed
    assert "To: ingrid@example.org" in printed
    client = Client()
    client.force_login(ingrid)
    assert MENTION_LINE in client.get("/inbox/").content.decode()


# Digests ----------------------------------------------------------------------------------


@pytest.fixture
def both_told(lars, ingrid, amina, op6):
    """lars and ingrid want digests; amina mentions each of them twice in public notes."""
    with_address(lars, ingrid)
    digest_of(lars, ingrid)
    for n in range(2):
        make_annotation(amina, op6, f"@lars @ingrid {SECRET} {n}", visibility="public")


def test_each_delegate_gets_one_digest_and_a_second_run_sends_nothing(lars, ingrid, both_told):
    assert send_digests().strip() == "Sent 2 digests (4 notifications)."
    [for_lars] = to(lars)
    assert for_lars.body.count("amina (Nigeria) mentioned you in a note on OP6") == 2
    assert "Hello lars" in for_lars.body
    assert "2 things you were told" in for_lars.subject
    assert SECRET not in for_lars.body
    assert send_digests().strip() == "Sent 0 digests (0 notifications)."
    assert len(mail.outbox) == 2
    assert set(Digest.objects.values_list("state", flat=True)) == {Digest.State.SENT}


def test_what_was_read_in_the_app_is_left_out(lars, ingrid, both_told):
    services.inbox_mark_read(lars)
    assert send_digests().strip() == "Sent 1 digest (2 notifications)."
    assert to(lars) == []


def test_what_may_no_longer_be_seen_is_left_out(lars, ingrid, amina, op6, both_told):
    hidden = make_annotation(amina, op6, "@lars one more", visibility="public")
    services.annotation_update(
        hidden, editor=amina, version=1, body=hidden.body, tags=[], quote="", visibility="private"
    )
    send_digests()
    assert to(lars)[0].body.count("mentioned you") == 2


def test_inbox_only_and_addressless_delegates_get_no_digest(lars, ingrid, amina, op6):
    with_address(lars)  # mentions by e-mail at once: the default
    services.notification_preferences_set(lars, {Kind.MENTION: Delivery.INBOX})
    digest_of(ingrid)  # but no address
    make_annotation(amina, op6, "@lars @ingrid hello", visibility="public")
    assert send_digests().strip() == "Sent 0 digests (0 notifications)."
    assert not Digest.objects.exists()


def test_a_crash_after_sending_is_reported_and_never_sent_again(lars, ingrid, both_told):
    with override_settings(EMAIL_BACKEND=backend(CrashAfterSending)), pytest.raises(Crash):
        send_digests()
    assert len(to(lars)) == 1  # it went, but the run died before recording it
    assert Digest.objects.get().state == Digest.State.SENDING

    out = send_digests()
    assert "The digest for lars of" in out
    assert "(2 notifications) may not have been sent" in out
    assert "Sent 1 digest (2 notifications)." in out
    assert len(to(lars)) == 1
    assert len(to(ingrid)) == 1
    assert send_digests().strip() == "Sent 0 digests (0 notifications)."
    assert len(mail.outbox) == 2


@override_settings(EMAIL_BACKEND=backend(RefusedFor))
def test_a_refused_digest_is_reported_and_the_run_goes_on(lars, ingrid, both_told):
    out = send_digests()
    assert "The digest for ingrid of" in out
    assert "Sent 1 digest (2 notifications)." in out
    assert len(to(lars)) == 1
    assert send_digests().strip() == "Sent 0 digests (0 notifications)."


@override_settings(EMAIL_BACKEND=backend(Unreachable))
def test_an_unreachable_mail_server_claims_nothing(lars, ingrid, both_told):
    with pytest.raises(CommandError, match="could not be reached"):
        send_digests()
    assert not Digest.objects.exists()
    assert not Notification.objects.filter(digest__isnull=False).exists()


def test_an_old_notification_is_left_to_the_inbox(lars, ingrid, both_told):
    Notification.objects.filter(recipient=lars).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert send_digests().strip() == "Sent 1 digest (2 notifications)."
    assert to(lars) == []


# Two runs at once (PostgreSQL: row locks) ------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time: no row locks"
)
def test_a_notification_another_run_holds_is_skipped_not_waited_for(transactional_db):
    load_seed_fixtures()
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    lars, amina = make_delegate("lars", "Norway"), make_delegate("amina", "Nigeria")
    with_address(lars)
    digest_of(lars)
    held, free = (make_annotation(amina, op6, f"@lars {n}", visibility="public") for n in "ab")
    held_notification = Notification.objects.get(annotation=held)
    locked, release = threading.Event(), threading.Event()

    def other_run():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=held_notification.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert send_digests().strip() == "Sent 1 digest (1 notification)."
        claimed = Notification.objects.get(annotation=free)
        assert claimed.digest is not None
        assert Notification.objects.get(pk=held_notification.pk).digest is None
    finally:
        release.set()
        thread.join(timeout=30)
    assert send_digests().strip() == "Sent 1 digest (1 notification)."
    assert len(mail.outbox) == 2
