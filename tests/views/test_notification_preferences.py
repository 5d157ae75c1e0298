"""How a delegate is told: /accounts/notifications/ shows a labelled choice for each kind,
starting from the defaults (mentions and circle invitations by e-mail at once, the rest in
the inbox only), saves them all at once or nothing, keeps a row only for a choice that
differs from the default, and says plainly when e-mail has no address to go to."""

from django.test import Client

from resolutions.models import Delivery, Notification, NotificationPreference
from tests.markup import parse

Kind = Notification.Kind
URL = "/accounts/notifications/"


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def chosen(html: str) -> dict[str, str]:
    """Each select's selected value, by its name."""
    form = parse(html).find("form", **{"class": "preferences-form"})
    return {
        select["name"]: select.find("option", selected=True)["value"]
        for select in form.find_all("select")
    }


def every_kind(**changes) -> dict[str, str]:
    defaults = dict.fromkeys(Kind.values, Delivery.INBOX)
    defaults |= {Kind.MENTION: Delivery.EMAIL, Kind.CIRCLE_INVITATION: Delivery.EMAIL}
    return defaults | changes


def test_the_defaults_are_what_a_delegate_expects(lars):
    html = logged_in(lars).get(URL).content.decode()
    assert chosen(html) == every_kind()
    page = parse(html)
    for select in page.find("form", **{"class": "preferences-form"}).find_all("select"):
        assert page.find("label", **{"for": select["id"]}).text
    assert "Mentions of you in a note, a reply or a proposal" in html


def test_saving_keeps_only_the_choices_that_differ_from_the_default(lars):
    client = logged_in(lars)
    response = client.post(URL, every_kind(reply=Delivery.DIGEST, mention=Delivery.INBOX))
    assert (response.status_code, response["Location"]) == (302, URL)
    page = client.get(URL).content.decode()
    assert "Saved" in page
    assert chosen(page) == every_kind(reply=Delivery.DIGEST, mention=Delivery.INBOX)
    stored = set(NotificationPreference.objects.filter(user=lars).values_list("kind", "delivery"))
    assert stored == {(Kind.REPLY, Delivery.DIGEST), (Kind.MENTION, Delivery.INBOX)}
    client.post(URL, every_kind())  # back to the defaults: no row is left
    assert not NotificationPreference.objects.filter(user=lars).exists()


def test_a_bad_choice_saves_nothing_and_says_so(lars):
    response = logged_in(lars).post(URL, every_kind(reply=Delivery.DIGEST, stance="by-pigeon"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Choose how you are told of stances on your delegation&#x27;s proposals" in html
    assert not NotificationPreference.objects.filter(user=lars).exists()


def test_a_delegate_without_an_address_is_told_plainly(lars):
    html = logged_in(lars).get(URL).content.decode()
    assert "Your account has no e-mail address" in html
    assert "ask its administrator" in html
    lars.email = "lars@example.org"
    lars.save()
    html = logged_in(lars).get(URL).content.decode()
    assert "E-mail goes to <strong>lars@example.org</strong>" in html
    assert "no e-mail address" not in html


def test_the_account_page_and_the_inbox_link_here(lars):
    client = logged_in(lars)
    for page in ("/accounts/", "/inbox/"):
        assert f'href="{URL}"' in client.get(page).content.decode()


def test_visitors_are_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_post_without_the_csrf_token_is_refused(lars):
    client = logged_in(lars, enforce_csrf_checks=True)
    assert client.post(URL, every_kind(reply=Delivery.DIGEST)).status_code == 403
    assert not NotificationPreference.objects.filter(user=lars).exists()


def test_the_page_costs_the_same_however_many_choices(lars, django_assert_num_queries):
    client = logged_in(lars)
    client.get(URL)
    # Session, user (with the header's editor check), the choices, the header's inbox count.
    with django_assert_num_queries(4):
        client.get(URL)
    client.post(URL, every_kind(reply=Delivery.DIGEST, stance=Delivery.EMAIL))
    client.get(URL)
    with django_assert_num_queries(4):
        client.get(URL)
