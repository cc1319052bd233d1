import pytest
from django_redis import get_redis_connection

from tests.conftest import token_headers
from tests.factories import DEFAULT_PASSWORD, UserFactory, VariantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_cart_writes_are_limited_with_retry_after_but_reads_are_not(api, redis_cache, settings):
    settings.RATE_LIMIT_CART_WRITES = "3/min"
    variant = VariantFactory(stock_on_hand=100)
    headers = token_headers(UserFactory())

    writes = [
        api.post("/api/v1/cart/items/", {"variant_id": variant.pk}, format="json", headers=headers)
        for _ in range(4)
    ]
    read = api.get("/api/v1/cart/", headers=headers)

    assert [r.status_code for r in writes] == [201, 201, 201, 429]
    limited = writes[-1]
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "throttled"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert read.status_code == 200 and read.json()["total_items"] == 3
    # The counts live in Redis itself, where every app server sees them.
    redis = get_redis_connection("default")
    assert any(b"throttle_cart_writes" in key for key in redis.keys("*"))


def test_the_limit_counts_per_shopper(api, redis_cache, settings):
    settings.RATE_LIMIT_CART_WRITES = "1/min"
    variant = VariantFactory(stock_on_hand=100)

    first = api.post(
        "/api/v1/cart/items/",
        {"variant_id": variant.pk},
        format="json",
        headers=token_headers(UserFactory()),
    )
    other = api.post(
        "/api/v1/cart/items/",
        {"variant_id": variant.pk},
        format="json",
        headers=token_headers(UserFactory()),
    )

    assert first.status_code == other.status_code == 201


def test_auth_endpoints_are_limited(api, redis_cache, settings):
    settings.RATE_LIMIT_AUTH = "2/min"
    user = UserFactory()
    body = {"email": user.email, "password": DEFAULT_PASSWORD}

    statuses = [api.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(3)]
    register = api.post(
        "/api/v1/auth/register/", {"email": "n@example.com", "password": "x"}, format="json"
    )

    assert statuses == [200, 200, 429]
    assert register.status_code == 429


def test_a_made_up_forwarded_for_header_does_not_escape_the_limit(api, redis_cache, settings):
    settings.RATE_LIMIT_AUTH = "2/min"
    body = {"email": "shopper@example.com", "password": "guess"}

    statuses = [
        api.post(
            "/api/v1/auth/token/",
            body,
            format="json",
            headers={"X-Forwarded-For": f"9.9.9.{n}"},
        ).status_code
        for n in range(3)
    ]

    assert statuses == [400, 400, 429]


def test_behind_a_trusted_proxy_clients_are_told_apart_by_its_header(api, redis_cache, settings):
    settings.RATE_LIMIT_AUTH = "1/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    body = {"email": "shopper@example.com", "password": "guess"}

    def attempt(forwarded_for: str) -> int:
        headers = {"X-Forwarded-For": forwarded_for}
        return api.post("/api/v1/auth/token/", body, format="json", headers=headers).status_code

    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    assert attempt("1.1.1.1, 10.0.0.1") == 400
    assert attempt("2.2.2.2, 10.0.0.1") == 429
    assert attempt("10.0.0.2") == 400
