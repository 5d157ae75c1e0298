"""Accounts: add_delegate, demo accounts, login throttling, logout by POST."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import Delegation, User
from tests.factories import PASSWORD, make_delegate


def test_add_delegate_matches_the_state_by_alias_and_creates_the_delegation(db):
    call_command(
        "add_delegate", "ayse", delegation="Turkey", password=PASSWORD, stdout=io.StringIO()
    )
    user = User.objects.get(username="ayse")
    assert user.delegation.state.name == "Türkiye"
    assert user.check_password(PASSWORD)
    assert not user.is_editor


def test_add_delegate_reuses_an_existing_delegation(db):
    call_command("add_delegate", "a", delegation="Norway", password=PASSWORD, stdout=io.StringIO())
    call_command("add_delegate", "b", delegation="norway", password=PASSWORD, stdout=io.StringIO())
    assert Delegation.objects.filter(state__name="Norway").count() == 1
    assert User.objects.get(username="b").delegation.name == "Norway"


def test_add_delegate_editor_flag_joins_the_editor_group(db):
    call_command(
        "add_delegate",
        "ed",
        delegation="Japan",
        password=PASSWORD,
        editor=True,
        stdout=io.StringIO(),
    )
    assert User.objects.get(username="ed").is_editor


def test_unknown_state_is_a_clear_error_with_the_closest_names(db):
    with pytest.raises(CommandError, match="No Member State is called 'Austrailia'.*Australia"):
        call_command("add_delegate", "x", delegation="Austrailia", password=PASSWORD)
    assert not User.objects.filter(username="x").exists()


def test_existing_username_is_refused(db):
    make_delegate("taken")
    with pytest.raises(CommandError, match="already an account called 'taken'"):
        call_command("add_delegate", "taken", delegation="Norway", password=PASSWORD)


def test_weak_password_is_refused_and_nothing_is_created(db):
    with pytest.raises(CommandError, match="too weak"):
        call_command("add_delegate", "weak", delegation="Norway", password="123")
    assert not User.objects.filter(username="weak").exists()


def test_password_is_prompted_when_not_given(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("add_delegate", "prompted", delegation="Chile", stdout=io.StringIO())
    assert User.objects.get(username="prompted").check_password(PASSWORD)


def test_demo_accounts_can_be_created_twice(db):
    call_command("demo_accounts", stdout=io.StringIO())
    call_command("demo_accounts", stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) >= {"amina", "lars"}
    amina, lars = User.objects.get(username="amina"), User.objects.get(username="lars")
    assert amina.delegation != lars.delegation
    assert amina.is_editor


def test_login_page_is_styled_like_the_site(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "Resolution workbench" in html
    assert 'name="username"' in html


def test_logging_in_and_out(client, db):
    make_delegate("lars")
    response = client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_five_failed_logins_lock_the_account_out(client, db):
    make_delegate("lars")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lars", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_the_editor_check_costs_one_query_however_often_a_page_asks(db, django_assert_num_queries):
    editor = make_delegate("ed", "Japan", editor=True)
    editor = User.objects.get(pk=editor.pk)
    with django_assert_num_queries(1):
        assert editor.is_editor
        assert editor.is_editor


@pytest.mark.real_passwords
def test_passwords_are_stored_with_the_production_hasher(db):
    """Every other test hashes with a fast hasher; an account made as in production keeps
    a slow, salted hash, never the password."""
    from django.conf import settings

    user = User.objects.create_user("hashed", password="a-long-test-password-76")
    algorithm = user.password.split("$", 1)[0]
    assert "MD5" not in settings.PASSWORD_HASHERS[0]
    assert algorithm in {"pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt"}
    assert "a-long-test-password-76" not in user.password
    assert user.check_password("a-long-test-password-76")


# The account page, the calendar addresses and the password ---------------------------------


ACCOUNT = "/accounts/"
PASSWORD_CHANGE = "/accounts/password_change/"
NEW_PASSWORD = "a-new-long-password-81"


def feed_address(feed) -> str:
    from resolutions.models import AgendaItem

    return feed.url_for(AgendaItem.objects.get())


def change_password(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_account_page_shows_the_delegate_and_their_calendar_addresses(
    client, lars, django_assert_num_queries
):
    from resolutions.models import AgendaItem, CalendarFeed

    feed = CalendarFeed.objects.reset_for(lars)
    client.force_login(lars)
    # The session, the user (with the header's editor check), the delegation, the address,
    # the agenda items.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(6):
        response = client.get(ACCOUNT)
    html = response.content.decode()
    assert "<h1>Your account</h1>" in html
    assert "<dd>lars</dd>" in html
    assert "<dd>Norway</dd>" in html
    for item in AgendaItem.objects.all():
        assert f'value="webcal://testserver{feed.url_for(item)}"' in html
        assert f'<label for="feed-{item.slug}">' in html
    assert f'action="/accounts/calendar/{feed.pk}/revoke/"' in html
    assert f'href="{PASSWORD_CHANGE}"' in html


def test_without_an_address_the_account_page_says_where_to_get_one(client, lars):
    client.force_login(lars)
    html = client.get(ACCOUNT).content.decode()
    assert "You have none" in html
    assert "/revoke/" not in html


def test_the_account_page_is_for_logged_in_delegates(client, db):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_header_links_to_the_account(client, lars):
    assert 'href="/accounts/"' not in client.get("/").content.decode()
    client.force_login(lars)
    assert 'href="/accounts/">lars<span class="visually-hidden">: your account' in (
        client.get("/").content.decode()
    )


def test_revoking_the_address_makes_the_feed_answer_404(client, lars):
    from resolutions.models import CalendarFeed

    feed = CalendarFeed.objects.reset_for(lars)
    assert client.get(feed_address(feed)).status_code == 200
    client.force_login(lars)
    assert client.get(f"/accounts/calendar/{feed.pk}/revoke/").status_code == 405
    response = client.post(f"/accounts/calendar/{feed.pk}/revoke/", follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    assert "Your private calendar address is revoked" in response.content.decode()
    assert "You have none" in response.content.decode()
    assert client.get(feed_address(feed)).status_code == 404


def test_nobody_revokes_another_delegates_address(client, lars, ingrid):
    from resolutions.models import CalendarFeed

    feed = CalendarFeed.objects.reset_for(ingrid)
    client.force_login(lars)
    assert client.post(f"/accounts/calendar/{feed.pk}/revoke/").status_code == 404
    assert client.get(feed_address(feed)).status_code == 200


def test_a_delegate_changes_their_password_and_stays_logged_in(client, lars):
    client.force_login(lars)
    page = client.get(PASSWORD_CHANGE).content.decode()
    for field in ["old_password", "new_password1", "new_password2"]:
        assert f'<label for="id_{field}">' in page
    response = change_password(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    assert "Your password is changed" in client.get(response["Location"]).content.decode()
    assert client.get(ACCOUNT).status_code == 200  # still logged in here
    lars.refresh_from_db()
    assert lars.check_password(NEW_PASSWORD)
    assert not lars.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-password-99", NEW_PASSWORD, None, "Your old password was entered incorrectly"),
        (PASSWORD, "short", None, "This password is too short"),
        (PASSWORD, "password123", None, "This password is too common"),
        (PASSWORD, "48193027561", None, "This password is entirely numeric"),
        (PASSWORD, NEW_PASSWORD, "another-long-password-82", "didn’t match"),
    ],
)
def test_a_password_the_validators_refuse_changes_nothing(client, lars, old, new, again, message):
    client.force_login(lars)
    response = change_password(client, old, new, again)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The field says it is wrong, and which text says why.
    invalid = re.search(r'aria-invalid="true" aria-describedby="[^"]*(id_\w+_error)"', html)
    assert f'<div id="{invalid[1]}" role="alert">' in html
    lars.refresh_from_db()
    assert lars.check_password(PASSWORD)


def test_guessing_the_old_password_is_locked_out_as_a_login_is(client, lars):
    """Someone who found a delegate's session open cannot try passwords on the change form
    until one fits: five wrong ones lock the account out as five failed logins do."""
    client.force_login(lars)
    statuses = [change_password(client, old=f"guess-{n}-long").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    locked = change_password(client)  # the right one, now too late
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    lars.refresh_from_db()
    assert lars.check_password(PASSWORD)


def test_changing_the_password_gives_the_calendar_address_a_new_secret(client, lars):
    from resolutions.models import CalendarFeed

    old = CalendarFeed.objects.reset_for(lars)
    client.force_login(lars)
    change_password(client)
    new = CalendarFeed.objects.get(user=lars)
    assert new.token != old.token
    assert client.get(feed_address(old)).status_code == 404
    assert client.get(feed_address(new)).status_code == 200
    assert feed_address(new) in client.get(ACCOUNT).content.decode()


def test_changing_the_password_makes_no_address_for_who_had_none(client, lars):
    from resolutions.models import CalendarFeed

    client.force_login(lars)
    change_password(client)
    assert not CalendarFeed.objects.filter(user=lars).exists()


def test_changing_the_password_ends_the_other_sessions(client, lars):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(lars)
    client.force_login(lars)
    change_password(client)
    assert elsewhere.get(ACCOUNT).status_code == 302  # sent to log in again
    assert client.get(ACCOUNT).status_code == 200


def test_changing_the_password_needs_a_login(client, db):
    assert client.get(PASSWORD_CHANGE)["Location"].startswith("/accounts/login/")
