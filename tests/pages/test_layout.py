"""The layout's parts that depend only on the release and the settings (the links to the
stylesheets and scripts, the menu) are worked out once per process and kept in its memory
(the ``process`` cache); what belongs to the reader (their name, inbox, CSRF token, the
editor's menu) is still theirs on every page."""

import re

from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_delegate

IMPORT = f'href="{reverse("resolutions:document_import")}">Import</a>'
CIRCLES = f'href="{reverse("resolutions:circle_list")}">Circles</a>'
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
