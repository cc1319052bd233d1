"""The Redis cache behind a circuit breaker: the cache, the session cache and rate limits.

django-redis with IGNORE_EXCEPTIONS turns a failed call into a miss, but every call still
waits out its socket timeout, so a frozen Redis cost each request a second per cache call.
Here the first failure opens this process's breaker for that Redis (shop/breaker.py): until
a probe finds it back, every call answers at once as a miss or a no-op, and the outage is
logged once.
"""

import functools
import logging
import socket

from django.core.cache import caches
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from shop.breaker import CircuitBreaker, breaker_for

logger = logging.getLogger(__name__)

# The client calls that talk to Redis; the rest (close, make_key, ...) pass straight through.
REDIS_CALLS = frozenset(
    {
        "add",
        "clear",
        "decr",
        "delete",
        "delete_many",
        "delete_pattern",
        "expire",
        "expire_at",
        "get",
        "get_many",
        "has_key",
        "incr",
        "incr_version",
        "keys",
        "persist",
        "pexpire",
        "pexpire_at",
        "pttl",
        "set",
        "set_many",
        "touch",
        "ttl",
    }
)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, socket.timeout, OSError)


class RedisCache(DjangoRedisCache):
    """django-redis that leaves Redis alone for CIRCUIT_BREAKER_SECONDS after a call to it
    fails (use with IGNORE_EXCEPTIONS, so that calls meanwhile answer as misses)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self.breaker = breaker_for("Redis", str(server))

    @property
    def client(self):
        return _GuardedClient(super().client, self.breaker)


class _GuardedClient:
    def __init__(self, client, breaker: CircuitBreaker) -> None:
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if name not in REDIS_CALLS:
            return attribute
        return functools.partial(self._call, attribute)

    def _call(self, method, *args, **kwargs):
        if not self._breaker.allows():
            # django-redis answers this as a miss (and re-raises the cause without
            # IGNORE_EXCEPTIONS).
            raise ConnectionInterrupted(connection=None) from RedisConnectionError(
                "Redis is left alone after failing to answer"
            )
        try:
            result = method(*args, **kwargs)
        except ConnectionInterrupted as exc:
            if isinstance(exc.__cause__, UNREACHABLE):
                self._breaker.failed(exc.__cause__)
            else:  # Redis answered with an error: not an outage, but worth a line each time
                logger.error("Redis cache call %s failed: %r", method.__name__, exc.__cause__)
            raise
        self._breaker.succeeded()
        return result


def shared_cache_away(alias: str = "default") -> bool:
    """Whether the cache `alias` is a Redis this process currently finds not answering."""
    backend = caches[alias]
    return isinstance(backend, RedisCache) and backend.breaker.down
