"""The header every page renders links to the delegate's inbox, account and log-out, or to
the login page for a visitor; its addresses are kept by the process
(``{% layout_url %}``) and follow the address the app is served under."""

import re

from django.test import Client
from django.urls import set_script_prefix

from tests.factories import make_delegate

SPONSORS = "/documents/a-c1-76-l13/sponsors/"


def header(page) -> str:
    return re.search(r'<header class="site-header">.*?</header>', page.content.decode(), re.S)[0]


def account(page) -> str:
    return re.search(r'<div class="account">.*?</div>', header(page), re.S)[0]


def test_a_delegate_s_header_links_to_their_inbox_account_and_log_out(client, seed_document):
    client.force_login(make_delegate("lars"))
    shown = header(client.get(SPONSORS))
    assert 'id="inbox-link" href="/inbox/">Inbox</a>' in shown
    assert 'hx-get="/inbox/link/"' in shown
    assert (
        '<a href="/accounts/">lars<span class="visually-hidden">: your account</span></a>' in shown
    )
    assert '<form method="post" action="/accounts/logout/">' in shown


def test_a_visitor_s_header_links_to_the_login_page_and_back(seed_document):
    shown = header(Client().get(SPONSORS))
    assert f'<a href="/accounts/login/?next={SPONSORS}">Log in</a>' in shown


def test_under_a_prefix_the_header_s_addresses_carry_it_and_without_one_they_do_not(
    client, seed_document
):
    """As the app's server sets it for each request from where it is served (Django's test
    client leaves the prefix as it is)."""
    client.force_login(make_delegate("lars"))
    try:
        for prefix in ("/workbench", "", "/other", ""):
            set_script_prefix(f"{prefix}/")
            shown = account(client.get(SPONSORS))
            for address in ("/inbox/", "/accounts/", "/accounts/logout/", "/inbox/link/"):
                assert f'"{prefix}{address}' in shown, (prefix, address)
            others = {"/workbench", "/other"} - {prefix}
            assert not any(f'"{other}/' in shown for other in others), prefix
    finally:
        set_script_prefix("/")
