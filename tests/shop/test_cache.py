"""Redis (cache, session cache, rate limits) frozen or stopped: the shop pays for it once per
outage, not once per call, and its rate limits keep counting."""

import logging
import time

import pytest
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, UserFactory, VariantFactory
from tests.shop.frozen import dead_redis_url, frozen_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process_counts():
    from shop.api.throttles import process_counts

    process_counts.clear()  # rate limit counts a process kept through an earlier outage
    yield
    process_counts.clear()


def use_redis_at(settings, url: str) -> None:
    """The shop's own Redis cache settings (production's), pointed at `url`."""
    settings.CACHES = {
        "default": {**settings.REDIS_CACHE, "LOCATION": url, "KEY_PREFIX": "faults-test"}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def browse(variant) -> list[int]:
    """A shopper's few clicks: each touches the cache, the session cache and a rate limit."""
    client = Client()
    statuses = []
    for _ in range(3):
        statuses.append(client.post("/cart/add/", {"variant_id": variant.pk}).status_code)
        statuses.append(client.get("/").status_code)
        statuses.append(client.get("/cart/").status_code)
    return statuses


def timed_browse(variant) -> tuple[list[int], float]:
    started = time.monotonic()
    statuses = browse(variant)
    return statuses, time.monotonic() - started


def test_a_frozen_redis_costs_one_timeout_per_outage_not_one_per_call(settings, caplog):
    variant = VariantFactory(stock_on_hand=100)
    _, healthy = timed_browse(variant)  # the same clicks with the in-process cache

    with frozen_server() as redis, caplog.at_level(logging.WARNING):
        use_redis_at(settings, redis.redis_url)
        statuses, frozen = timed_browse(variant)

    assert statuses == [302, 200, 200] * 3
    # Nine requests, dozens of cache calls, each would wait its 1 s socket timeout.
    assert frozen < healthy + 5, f"{frozen:.1f} s frozen against {healthy:.1f} s healthy"
    outage_lines = [r for r in caplog.records if r.name == "shop.breaker"]
    assert len(outage_lines) == 1, [r.getMessage() for r in caplog.records]
    assert "not answering" in outage_lines[0].getMessage()


def test_with_redis_down_the_login_and_token_limits_still_answer_429(settings, client, api):
    use_redis_at(settings, dead_redis_url())
    settings.RATE_LIMIT_AUTH = "3/min"
    user = UserFactory()
    wrong = {"username": user.email, "password": "wrong"}

    logins = [client.post("/login/", wrong).status_code for _ in range(4)]
    token = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )

    assert logins == [200, 200, 200, 429]
    assert token.status_code == 429 and token["Content-Type"] == "application/problem+json"
