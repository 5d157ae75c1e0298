import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import override_settings

from resolutions.un.reference import SEED_TEXT

# Playwright's sync API runs an event loop in the test thread; the Django calls the browser
# tests make around it (creating users, loading fixtures) are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = [
    str(ROOT / "fixtures" / name)
    for name in ("member_states.json", "agenda.json", "seed_document.json")
]
SEED_TEXT_PATH = SEED_TEXT
SEED_SLUG = "a-c1-76-l13"


@receiver(setting_changed)
def forget_the_layout(**kwargs):
    """The layout's fragments (the ``process`` cache), its addresses (``{% layout_url %}``)
    and the pages kept whole for their readers hold addresses of static files and pages,
    worked out from the settings: a test that changes one must not be served them."""
    from resolutions.templatetags.layout import forget_addresses

    caches["process"].clear()
    caches["reader_pages"].clear()
    forget_addresses()


def load_seed_fixtures() -> None:
    call_command("loaddata", *FIXTURES, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed data, loaded once per run. Transactional
    tests (the browser journeys) empty the database when they finish, so pytest-django
    runs them last and they load the seed again themselves (``seeded_live_server``)."""
    with django_db_blocker.unblock():
        load_seed_fixtures()


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run():
    """A test run on the Redis of ``CACHE_URL`` keeps to keys of its own."""
    from tests.caching import keys_of_this_run

    with keys_of_this_run():
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back after every test,
    the cache is not. (On Redis, only this test run's keys are removed.)"""
    from tests.caching import empty_cache

    empty_cache()
    yield
    empty_cache()


@pytest.fixture(params=["local memory", "Redis"])
def each_cache(request, empty_cache):
    """Runs a test twice: with the cache in this process's memory, and on the Redis server
    that several app processes share (skipped, saying why, when none answers)."""
    from tests.caching import cache_on

    with cache_on(request.param):
        yield request.param


@pytest.fixture(scope="session", autouse=True)
def prepared_queries_checked():
    """Every prepared query (``resolutions.prepared``) is built again on each run and held
    to the one prepared: a key that leaves out something the query depends on fails the
    test that runs it. Set on the settings object, for the live server's thread too."""
    from django.conf import settings

    settings.PREPARED_QUERIES_CHECK = True


@pytest.fixture(autouse=True)
def quick_passwords(request):
    """A fast hasher for every test (the real one costs half a second an account or login),
    unless the test is about hashing and is marked ``real_passwords``. Set on the settings
    object itself, so the browser journeys' live server thread hashes the same way."""
    if request.node.get_closest_marker("real_passwords"):
        yield
        return
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def lars(db):
    """A delegate of Norway."""
    from tests.factories import make_delegate

    return make_delegate("lars", "Norway")


@pytest.fixture
def ingrid(db, lars):
    """Another delegate of Norway, lars's colleague."""
    from tests.factories import make_delegate

    return make_delegate("ingrid", "Norway")


@pytest.fixture
def amina(db):
    """A delegate of Nigeria: another delegation."""
    from tests.factories import make_delegate

    return make_delegate("amina", "Nigeria")


@pytest.fixture
def sven(db):
    """A delegate of Sweden: another delegation, to be invited into a circle."""
    from tests.factories import make_delegate

    return make_delegate("sven", "Sweden")


@pytest.fixture
def nordic(lars):
    """The Nordic group, made by lars: Norway is in it, no one else yet."""
    from resolutions import services

    return services.circle_create(creator=lars, name="Nordic group")


@pytest.fixture
def staff(db):
    """A client logged in as a superuser of the admin (the registry)."""
    from django.test import Client

    from tests.factories import make_delegate

    user = make_delegate("registry", "Norway")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seed_document(db):
    from resolutions.models import Document

    return Document.objects.get(slug=SEED_SLUG)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that empty the database (transactional ones: the browser journeys and the
    concurrency tests) after all the others, as pytest-django intends. pytest regroups tests
    that share a session-scoped parameter (Playwright's browser) after pytest-django has
    sorted them, which would otherwise put the browser journeys in the middle."""

    def transactional(item) -> bool:
        fixtures = getattr(item, "fixturenames", ())
        return "transactional_db" in fixtures or "live_server" in fixtures

    items.sort(key=transactional)
