"""Browser journeys: Playwright driving Debian's Chromium against Django's live server."""

import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import axe
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
# The journeys wait for what the user would notice, never for a fixed time; these are only
# the ceilings, long enough for a busy two-core machine: the waits end once the condition
# holds, so a generous ceiling costs nothing when all is well.
EXPECT_TIMEOUT_MS = 20_000
ACTION_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def patient_expect():
    """Web-first assertions (``expect(...)``) retry up to the long ceiling."""
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def axe_checked_states():
    """The page states axe has checked in this run (address and markup): a state many tests
    reach, such as the reading page a delegate opens, is checked once."""
    return set()


@pytest.fixture
def new_context(new_context, axe_checked_states):
    """Every browser context of a journey (``page``'s, ``logged_in_page``'s and those a test
    opens itself) waits up to the long ceiling for actions and page loads, and has axe-core
    check every state its pages reach: each page load, each htmx swap, and each page as the
    test leaves it (tests/browser/axe.py). The test fails with what axe finds."""
    contexts = []
    found: list[str] = []

    def open_context(**context_options):
        context = new_context(**context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        if context_options.get("java_script_enabled") is False:
            # axe is a script: with scripts off, its timers never fire. What such a page
            # shows is the markup the same page has with JavaScript, checked there.
            return context
        axe.watch(context, found, axe_checked_states)
        close = context.close

        def check_then_close(*args, **kwargs):
            axe.check_open_pages(context, found, axe_checked_states)
            contexts.remove(context)
            close(*args, **kwargs)

        context.close = check_then_close
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        axe.check_open_pages(context, found, axe_checked_states)
    if found:
        pytest.fail("\n\n".join(found), pytrace=False)


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    """The live server with the seed data; the transactional database starts empty."""
    load_seed_fixtures()
    return live_server


@pytest.fixture
def logged_in_page(seeded_live_server, new_context):
    """``logged_in_page(user, **context_options)`` opens a page in a browser context of its
    own, logged in as ``user`` with a session made by ``Client.force_login`` (the journeys
    drive the login form itself once; the other tests need not spend time on it)."""
    from django.conf import settings
    from django.test import Client

    def open_page(user, **context_options):
        client = Client()
        client.force_login(user, backend="resolutions.backends.DelegateBackend")
        context = new_context(**context_options)
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

    return open_page
