"""The cache and the session store as the environment names them: each process's memory by
default, a Redis server shared by every app process through ``CACHE_URL``; sessions in the
database unless ``SESSION_STORE`` says otherwise, and never, in production, in a cache that
no other server can read."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.caches import (
    DUMMY,
    LOCAL_MEMORY,
    REDIS,
    cache_from_url,
    code_version,
    session_engine,
)
from tests.caching import REDIS_URL, redis_unreachable
from tests.security.serving import manage

SHOW_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['KEY_PREFIX'], "
    "settings.SESSION_ENGINE)"
)


def cache(url: str) -> dict:
    return cache_from_url(url, key_prefix="workbench:abc", max_entries=500)


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", LOCAL_MEMORY),
        ("locmem://", LOCAL_MEMORY),
        ("redis://127.0.0.1:6379/2", REDIS),
        ("rediss://:secret@cache.example.org:6380/0", REDIS),
        ("REDIS://127.0.0.1:6379", REDIS),
        ("dummy://", DUMMY),
    ],
)
def test_cache_url_names_the_cache(url, backend):
    chosen = cache(url)
    assert chosen["BACKEND"] == backend
    assert chosen["KEY_PREFIX"] == "workbench:abc"
    if backend == REDIS:
        assert chosen["LOCATION"] == url
    if backend == LOCAL_MEMORY:
        assert chosen["OPTIONS"] == {"MAX_ENTRIES": 500}


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "file:///tmp"])
def test_a_cache_url_of_another_kind_is_refused_saying_which_are_understood(url):
    with pytest.raises(ImproperlyConfigured, match="redis://, rediss://, locmem:// or dummy://"):
        cache(url)


@pytest.mark.parametrize(
    ("store", "engine"),
    [
        ("", "resolutions.sessions.db"),
        ("db", "resolutions.sessions.db"),
        ("cache", "django.contrib.sessions.backends.cache"),
        ("cached_db", "resolutions.sessions.cached_db"),
    ],
)
def test_session_store_names_the_engine_and_redis_serves_it_in_production(store, engine):
    assert session_engine(store, cache("redis://127.0.0.1:6379/0"), production=True) == engine


@pytest.mark.parametrize("store", ["cache", "cached_db"])
@pytest.mark.parametrize("url", ["", "locmem://", "dummy://"])
def test_production_refuses_sessions_in_a_cache_no_other_server_reads(store, url):
    with pytest.raises(ImproperlyConfigured, match="no other server would know"):
        session_engine(store, cache(url), production=True)
    # One development server has one process: its memory is enough there.
    assert session_engine(store, cache(url), production=False).endswith(store)


def test_an_unknown_session_store_is_refused_naming_the_choices():
    with pytest.raises(ImproperlyConfigured, match="one of db, cache, cached_db, not 'redis'"):
        session_engine("redis", cache(""), production=False)


def test_the_code_version_is_the_same_for_the_same_release_and_changes_with_any_file(tmp_path):
    release = tmp_path / "release"
    (release / "templates").mkdir(parents=True)
    page = release / "templates" / "page.html"
    page.write_text("<p>{{ text }}</p>")
    (release / "__pycache__").mkdir()
    (release / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"compiled")
    first = code_version(release, extra="5.2")
    (release / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"compiled again")
    assert code_version(release, extra="5.2") == first
    page.write_text("<p class=new>{{ text }}</p>")
    assert code_version(release, extra="5.2") != first
    page.write_text("<p>{{ text }}</p>")
    assert code_version(release, extra="6.0") != first


# The settings as a production process reads them --------------------------------------------


def test_production_starts_with_sessions_in_the_database_and_its_own_cache():
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    backend, prefix, engine = result.stdout.split()
    assert backend == LOCAL_MEMORY
    assert prefix.startswith("workbench:")
    assert engine == "resolutions.sessions.db"


def test_production_refuses_to_start_with_cache_sessions_and_no_shared_cache():
    result = manage("check", SESSION_STORE="cache")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set CACHE_URL to a Redis server every app process shares" in result.stderr


def test_production_refuses_to_start_with_a_cache_url_it_does_not_understand():
    result = manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


def test_production_keeps_sessions_on_redis_under_the_prefix_it_is_given():
    if reason := redis_unreachable():
        pytest.skip(reason)
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SETTINGS,
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX="delegations-eu",
        SESSION_STORE="cache",
    )
    assert result.returncode == 0, result.stderr
    backend, prefix, engine = result.stdout.split()
    assert backend == REDIS
    assert prefix.startswith("delegations-eu:")
    assert engine == "django.contrib.sessions.backends.cache"
    result = manage("check", "--deploy", "--fail-level", "WARNING", CACHE_URL=REDIS_URL)
    assert result.returncode == 0, result.stderr
