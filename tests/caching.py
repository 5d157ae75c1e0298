"""The cache as the tests see it: in this process's memory, or on the Redis server at
127.0.0.1:6379 that several app processes share. A test run on Redis keeps its keys under a
prefix of its own and empties only that prefix, never the database: other test runs, and
other apps, may be using the same server."""

import contextlib
import os
import secrets
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from config.caches import cache_from_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# One prefix per test process: pytest-xdist's workers and two test runs never meet.
RUN_PREFIX = f"workbench-test-{os.getpid()}-{secrets.token_hex(4)}"


def redis_unreachable() -> str:
    """Why the tests cannot use Redis at ``REDIS_URL``, or "" when they can."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"no Redis server answers at {REDIS_URL} ({error})"
    return ""


def redis_cache_settings() -> dict:
    """``CACHES`` for this test run on the shared Redis server, built as the settings build
    them from ``CACHE_URL``."""
    return {
        **settings.CACHES,
        "default": cache_from_url(REDIS_URL, key_prefix=RUN_PREFIX, max_entries=0),
    }


def cached_keys(containing: str = "") -> list[str]:
    """The keys the default cache holds, as the app names them (without the prefix and
    version that the backend adds), that contain ``containing``."""
    cache = caches["default"]
    marker = cache.make_key("")
    if isinstance(cache, LocMemCache):
        stored = list(cache._cache)
    elif isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=False)
        stored = [key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}:*")]
    else:
        raise TypeError(f"no way to list the keys of {type(cache).__name__}")
    keys = [key.removeprefix(marker) for key in stored if key.startswith(marker)]
    return [key for key in keys if containing in key]


def empty_cache() -> None:
    """Empty the default cache: all of it in memory, only this run's prefix on Redis; and
    what this process keeps beside it: the texts as issued and the layout's fragments."""
    from resolutions.pages.shared import forget_what_this_process_keeps

    forget_what_this_process_keeps()
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=500):
            client.delete(key)
    else:
        cache.clear()


@contextlib.contextmanager
def keys_of_this_run() -> Iterator[None]:
    """With ``CACHE_URL`` naming a Redis server, the tests' keys under this run's prefix, so
    that emptying the cache between tests leaves the app's own entries (and sessions) alone."""
    default = settings.CACHES["default"]
    if not isinstance(caches["default"], RedisCache):
        yield
        return
    with override_settings(
        CACHES={**settings.CACHES, "default": {**default, "KEY_PREFIX": RUN_PREFIX}}
    ):
        yield


@contextlib.contextmanager
def cache_on(kind: str) -> Iterator[None]:
    """The default cache in this process's memory (``"local memory"``) or on Redis, empty
    before and after; a test on Redis is skipped, saying why, when no server answers."""
    if kind == "local memory":
        empty_cache()
        yield
        empty_cache()
        return
    reason = redis_unreachable()
    if reason:
        pytest.skip(reason)
    with override_settings(CACHES=redis_cache_settings()):
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        empty_cache()
        try:
            yield
        finally:
            empty_cache()
