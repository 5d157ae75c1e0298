"""Browser journeys: Playwright driving Debian's Chromium against Django's live server."""

import shutil

import pytest

from tests.conftest import load_seed_fixtures

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    """The live server with the seed data; the transactional database starts empty."""
    load_seed_fixtures()
    return live_server


@pytest.fixture
def logged_in_page(browser, seeded_live_server):
    """``logged_in_page(user, **context_options)`` opens a page in a browser context of its
    own, logged in as ``user`` with a session made by ``Client.force_login`` (the journeys
    drive the login form itself once; the other tests need not spend time on it)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_page(user, **context_options):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(**context_options)
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": seeded_live_server.url,
                }
            ]
        )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
