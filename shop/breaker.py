"""A small circuit breaker for the services a request may wait on (Redis, the broker).

After a call fails, the service is left alone for CIRCUIT_BREAKER_SECONDS: callers answer
without it (a cache miss, a task left in the outbox) instead of each waiting out a socket
timeout. When the pause is over one caller probes it, and the rest keep waiting until that
probe succeeds. An outage is logged once when it starts and once when it ends.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Per process and per service; safe to share between threads."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._paused_until: float | None = None  # None: the service answered last time

    @property
    def down(self) -> bool:
        """Whether the last call failed (and none has succeeded since)."""
        return self._paused_until is not None

    def allows(self) -> bool:
        """Whether to call the service now."""
        if self._paused_until is None:
            return True
        with self._lock:
            now = time.monotonic()
            if self._paused_until is None:
                return True
            if now < self._paused_until:
                return False
            self._paused_until = now + settings.CIRCUIT_BREAKER_SECONDS  # this caller probes
            return True

    def failed(self, exc: BaseException) -> None:
        """A call failed for want of the service: leave it alone for a while."""
        with self._lock:
            starts_outage = self._paused_until is None
            self._paused_until = time.monotonic() + settings.CIRCUIT_BREAKER_SECONDS
        if starts_outage:
            logger.warning(
                "%s is not answering (%s: %s); not calling it for %s s at a time until it answers",
                self.name,
                exc.__class__.__name__,
                exc,
                settings.CIRCUIT_BREAKER_SECONDS,
            )

    def succeeded(self) -> None:
        """A call went through: the outage, if there was one, is over."""
        if self._paused_until is None:
            return
        with self._lock:
            ended_outage = self._paused_until is not None
            self._paused_until = None
        if ended_outage:
            logger.warning("%s answers again", self.name)


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(service: str, url: str) -> CircuitBreaker:
    """The process's breaker for the service at `url` (named without its credentials)."""
    key = f"{service} {url}"
    breaker = _breakers.get(key)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(key, CircuitBreaker(f"{service} at {_address(url)}"))
    return breaker


def _address(url: str) -> str:
    try:
        parts = urlsplit(url)
        if not parts.hostname:
            return f"{parts.scheme}:{parts.path}"
        return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    except ValueError:
        return "?"
