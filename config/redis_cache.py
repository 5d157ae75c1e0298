"""Django's ``RedisCache`` with one client, and so one pool of connections, per process.

Django keeps a cache backend per thread and, under ASGI, per request: ``caches`` is an
``asgiref`` local that each request's context starts afresh. Its ``RedisCache`` builds its
client (and the client its connection pool) on the backend, so under uvicorn every request
opened a TCP connection to Redis of its own and left it open until the garbage collector
came by: one connection a page, dozens held open at a time. Here the client is kept once per
process for each set of servers and options, so that every request takes a connection from
the same pool and gives it back, as redis-py means a pool to be used. redis-py's pools are
safe across threads and start again in a forked process.
"""

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class _SharedClient(RedisCacheClient):
    """Django's client, shared by a process's threads. Django's makes a server's pool the
    first time one is asked for, unguarded: two requests asking at once would each make
    one. This one makes it under a lock. And Django's makes a new ``redis.Redis`` around the
    pool for every command (a tenth of a page served from the cache went on building them);
    this one keeps one for each pool: a ``redis.Redis`` takes a connection from its pool for
    each command, so threads share it safely."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._pools_lock = threading.Lock()
        self._kept: dict[int, Any] = {}

    def _get_connection_pool(self, write):
        with self._pools_lock:
            return super()._get_connection_pool(write)  # type: ignore[misc]  # not in the stubs

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._kept.get(id(pool))
        if client is None:
            client = self._kept.setdefault(id(pool), self._client(connection_pool=pool))
        return client


_clients: dict[tuple, _SharedClient] = {}
_clients_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    """``RedisCache`` whose requests share this process's connections to Redis."""

    # Set by RedisCache.__init__ (its stubs leave them out).
    _servers: list[str]
    _options: dict[str, Any]

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _SharedClient(self._servers, **self._options)
        return client
