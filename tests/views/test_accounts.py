"""Accounts: add_delegate, demo accounts, login throttling, logout by POST."""

import io

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
