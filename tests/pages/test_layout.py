"""The layout's parts that depend only on the release and the settings (the links to the
stylesheets and scripts, the menu) are worked out once per process and kept in its memory
(the ``process`` cache); what belongs to the reader (their name, inbox, CSRF token, the
editor's menu) is still theirs on every page. The header's addresses are kept by the
process too (``{% layout_url %}``), and follow the address the app is served under."""

import re

from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse, set_script_prefix

from tests.factories import make_delegate

IMPORT = f'href="{reverse("resolutions:document_import")}">Import</a>'
CIRCLES = f'href="{reverse("resolutions:circle_list")}">Circles</a>'
SPONSORS = "/documents/a-c1-76-l13/sponsors/"
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def _page(client, path):
    return client.get(path).content.decode()


def test_each_reader_gets_their_own_header_from_the_layout_kept_in_memory(client, db):
    editor = make_delegate("ed", "Norway", editor=True)
    lars = make_delegate("lars", "Norway")
    sponsors = reverse("resolutions:sponsor_list", args=["a-c1-76-l13"])
    client.force_login(editor)
    as_editor = _page(client, sponsors)
    client.force_login(lars)
    as_lars = _page(client, sponsors)
    client.logout()
    as_visitor = _page(client, sponsors)

    assert [IMPORT in as_editor, CIRCLES in as_editor, ">ed<" in as_editor] == [True] * 3
    assert [IMPORT in as_lars, CIRCLES in as_lars, ">lars<" in as_lars] == [False, True, True]
    assert ">ed<" not in as_lars
    assert [IMPORT in as_visitor, CIRCLES in as_visitor] == [False, False]
    assert ["Log in</a>" in as_visitor, "Log out" in as_visitor] == [True, False]
    # Every page carries the stylesheet and the scripts.
    for page in (as_editor, as_lars, as_visitor):
        assert re.search(r'<link rel="stylesheet" href="/static/css/site[^"]*\.css">', page)
        assert re.search(r'<script src="/static/js/reading[^"]*\.js" defer>', page)


def test_the_layout_kept_in_memory_is_the_layout_rendered_afresh(client, lars):
    client.force_login(lars)
    home = reverse("resolutions:home")
    caches["process"].clear()
    rendered = _page(client, home)
    kept = _page(client, home)
    assert TOKEN.sub("token", kept) == TOKEN.sub("token", rendered)
    assert TOKEN.findall(rendered)


def test_a_test_that_changes_a_setting_is_not_served_the_layout_of_the_old_ones(client, db):
    home = reverse("resolutions:home")
    assert 'href="/static/css/site' in _page(client, home)
    with override_settings(STATIC_URL="/assets/"):
        assert 'href="/assets/css/site' in _page(client, home)
    assert 'href="/static/css/site' in _page(client, home)


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
