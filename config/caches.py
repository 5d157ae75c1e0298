"""The cache and the session store as the environment names them (``CACHE_URL``,
``CACHE_KEY_PREFIX``, ``SESSION_STORE``), turned into Django settings by
``config/settings.py``. Plain functions of their arguments: nothing here reads the
environment."""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"
#: Django's RedisCache, its connections to Redis shared by every request of a process.
REDIS = "config.redis_cache.SharedRedisCache"
DUMMY = "django.core.cache.backends.dummy.DummyCache"

#: Django's session stores; those that read the database read it with a query compiled once
#: per process (``resolutions.sessions``).
SESSION_ENGINES = {
    "db": "resolutions.sessions.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "resolutions.sessions.cached_db",
}


def cache_from_url(url: str, *, key_prefix: str, max_entries: int) -> dict:
    """The ``CACHES["default"]`` that ``url`` names: empty or ``locmem://`` for this
    process's memory (at most ``max_entries`` entries), ``redis://host:port/db`` or
    ``rediss://`` (TLS) for a Redis server that several app processes share, ``dummy://`` for
    no cache at all. Every key starts with ``key_prefix``, so that several apps can share one
    Redis database."""
    scheme = urlsplit(url).scheme.lower() if url else "locmem"
    if scheme == "locmem":
        return {
            "BACKEND": LOCAL_MEMORY,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if scheme in {"redis", "rediss"}:
        # redis-py reads host, port, database number, password and TLS from the URL itself.
        return {"BACKEND": REDIS, "LOCATION": url, "KEY_PREFIX": key_prefix}
    if scheme == "dummy":
        return {"BACKEND": DUMMY, "KEY_PREFIX": key_prefix}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, locmem:// or dummy://, not {scheme}://. "
        "Leave it unset to keep the cache in each process's memory."
    )


def session_engine(store: str, cache: dict, *, production: bool) -> str:
    """The ``SESSION_ENGINE`` for ``SESSION_STORE`` (``db``, the default, ``cache`` or
    ``cached_db``). In production, sessions kept in a cache need one that every app process
    shares: with each process's own memory, a delegate logged in on one server would be a
    stranger to the next, and one logged out on one server would still be logged in on
    another."""
    store = (store or "db").strip().lower()
    if store not in SESSION_ENGINES:
        raise ImproperlyConfigured(
            f"SESSION_STORE must be one of {', '.join(SESSION_ENGINES)}, not {store!r}."
        )
    if production and store != "db" and cache["BACKEND"] in {LOCAL_MEMORY, DUMMY}:
        raise ImproperlyConfigured(
            f"SESSION_STORE={store} keeps sessions in the cache, but the cache is in each "
            "process's own memory, so no other server would know a delegate's session. Set "
            "CACHE_URL to a Redis server every app process shares, or SESSION_STORE=db."
        )
    return SESSION_ENGINES[store]


def code_version(*folders: Path, extra: str = "") -> str:
    """A short digest of every file in ``folders`` (compiled Python left out) and ``extra``:
    the same for every server running the same release, different for any other release.

    A shared cache outlives a deploy: a server running a new release must not be handed a
    page rendered by an old template, or an object pickled by old code, from one still
    running the old release. Putting this digest in the key prefix keeps each release's
    entries apart; the old ones expire on their own."""
    digest = hashlib.sha256(extra.encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
