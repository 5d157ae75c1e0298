"""Browser journeys: Playwright driving Debian's Chromium against Django's live server."""

import shutil

import pytest

from ..conftest import load_seed_fixtures

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
