"""Production readiness: metrics, logs, security headers, rate limits, escaping."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from shop.middleware import RequestIDLogFilter
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


# --- metrics ------------------------------------------------------------------------------


def test_metrics_expose_latency_database_and_cart_operations(client):
    variant = VariantFactory(stock_on_hand=1)
    client.post("/cart/add/", {"variant_id": variant.pk})
    client.post("/cart/add/", {"variant_id": variant.pk})  # refused: only 1 in stock

    text = client.get("/metrics").text

    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert "django_db_execute_total" in text
    assert re.search(r'shop_cart_operations_total\{operation="add",outcome="ok"\} [1-9]', text)
    assert re.search(
        r'shop_cart_operations_total\{operation="add",outcome="insufficient_stock"\} [1-9]', text
    )


# --- logs ---------------------------------------------------------------------------------


def test_production_logs_are_json_lines_with_the_request_id():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    script = (
        "import django, logging; django.setup();"
        "from shop.middleware import request_id_var;"
        "token = request_id_var.set('req-123');"
        "logging.getLogger('shop').warning('something happened')"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "something happened"
    assert line["request_id"] == "req-123"
    assert line["level"] == "WARNING" and line["logger"] == "shop"


def test_the_request_id_reaches_the_log_lines_of_its_request(client):
    [console] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIDLogFilter) for f in h.filters)
    ]
    captured = io.StringIO()
    previous = console.setStream(captured)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "trace-me-42"})
    finally:
        console.setStream(previous)

    assert "[trace-me-42] django.request Not Found: /no-such-page/" in captured.getvalue()


# --- security -----------------------------------------------------------------------------


PAYMENT_VARIABLES = ("PAYMENT_BACKEND", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")
PAYMENT_VARIABLES += ("ALLOW_TEST_PAYMENTS",)


def deploy_env(**overrides) -> dict:
    """Production settings as a deploy would give them, payments unset unless overridden."""
    unset = {"DJANGO_ALLOW_ASYNC_UNSAFE", *PAYMENT_VARIABLES}
    return {
        **{k: v for k, v in os.environ.items() if k not in unset},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k9#Qw7!zL2@vX5$mN8^bR4&tY1*pU6(oI3)eA0-sD9=fG2+hJ5_lK8~cV1",
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "shop.example.com",
        **overrides,
    }


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting_values(env: dict, *names: str) -> list[str]:
    script = "import django; django.setup(); from django.conf import settings as s;" + "".join(
        f"print(s.{name});" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_check_deploy_is_clean_with_production_settings():
    result = check_deploy(
        deploy_env(
            PAYMENT_BACKEND="stripe",
            STRIPE_SECRET_KEY="sk_live_example",
            STRIPE_WEBHOOK_SECRET="whsec_example",
        )
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_stripe_keys_never_falls_back_to_the_test_backend():
    env = deploy_env()

    result = check_deploy(env)

    assert setting_values(env, "PAYMENT_BACKEND", "ALLOW_TEST_PAYMENTS") == ["stripe", "False"]
    assert result.returncode != 0
    errors = result.stderr
    assert "STRIPE_SECRET_KEY is not set" in errors
    assert "STRIPE_WEBHOOK_SECRET is not set" in errors
    assert "ERRORS" in errors


def test_production_refuses_the_test_backend_unless_test_payments_are_allowed():
    refused = check_deploy(deploy_env(PAYMENT_BACKEND="test"))
    allowed = check_deploy(deploy_env(PAYMENT_BACKEND="test", ALLOW_TEST_PAYMENTS="true"))

    assert refused.returncode != 0
    assert "ALLOW_TEST_PAYMENTS" in refused.stderr and "ERRORS" in refused.stderr
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_make_run_keeps_the_test_backend_with_local_settings():
    env = {
        k: v
        for k, v in deploy_env(DJANGO_SETTINGS_MODULE="config.settings.local").items()
        if k not in {"DEBUG", "SECRET_KEY"}  # as `make run` starts: nothing set
    }

    assert setting_values(env, "PAYMENT_BACKEND", "ALLOW_TEST_PAYMENTS") == ["test", "True"]


def test_pages_carry_a_csp_that_allows_only_the_shops_own_scripts_and_styles(client):
    ProductFactory(slug="mug")

    for url in ("/", "/products/mug/", "/cart/", "/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_have_no_inline_scripts_or_styles(client):
    ProductFactory(slug="mug")

    for url in ("/", "/products/mug/", "/cart/", "/login/", "/signup/", "/checkout/"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url


def test_session_and_csrf_cookies_are_locked_down_in_production(settings):

    from django.conf import settings as conf  # noqa: F401

    env = {"SECRET_KEY": "x" * 60, "DATABASE_URL": "sqlite:///:memory:"}
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "Lax", "True", "Lax", "True", "True"]


def test_login_signup_cart_writes_and_admin_login_are_rate_limited(client, settings):
    settings.RATE_LIMIT_AUTH = "2/min"
    settings.RATE_LIMIT_CART_WRITES = "2/min"
    variant = VariantFactory(stock_on_hand=100)

    logins = [
        client.post("/login/", {"username": "a@example.com", "password": "x"}).status_code
        for _ in range(3)
    ]
    signup = client.post("/signup/", {"email": "n@example.com", "password": "x"})
    admin_login = client.post("/admin/login/", {"username": "a@example.com", "password": "x"})
    adds = [client.post("/cart/add/", {"variant_id": variant.pk}).status_code for _ in range(3)]
    htmx = client.post("/cart/add/", {"variant_id": variant.pk}, headers={"HX-Request": "true"})

    assert logins == [200, 200, 429]
    assert signup.status_code == admin_login.status_code == 429
    assert "Retry-After" in signup
    assert adds == [302, 302, 429]
    assert htmx.status_code == 429 and htmx["Content-Type"].startswith("text/plain")
    assert client.get("/cart/").status_code == 200  # reading is never limited


def test_user_supplied_text_is_never_rendered_unescaped(client):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    product = ProductFactory(name=evil, description=evil, category=CategoryFactory(name=evil))
    user = UserFactory(email="evil@example.com", full_name=evil)
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": product.variants.get().pk})

    pages = [
        client.get("/"),
        client.get("/products/", {"q": evil}),
        client.get(product.get_absolute_url()),
        client.get("/cart/"),
        client.get("/checkout/"),
    ]

    for page in pages:
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert" in pages[2].text


# --- faults -------------------------------------------------------------------------------


def test_with_redis_stopped_the_shop_keeps_selling(settings, password):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: Redis is down
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=10)
    client = Client()

    assert (
        client.post("/login/", {"username": user.email, "password": password}).status_code == 302
    )
    assert client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2}).status_code == 302
    assert 'data-testid="cart-count">2<' in client.get("/cart/").text
    api = client.get("/api/v1/products/")
    assert api.status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["failing"] == ["cache"]


@pytest.mark.django_db(transaction=True)
def test_with_postgresql_stopped_pages_answer_503_with_a_friendly_page():
    from django.db import connection

    client = Client(raise_request_exception=False)
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: the database is down
    try:
        page = client.get("/", headers={"X-Request-ID": "db-down-1"})
        api = client.get("/api/v1/products/")
        htmx = client.post("/cart/add/", {"variant_id": 1}, headers={"HX-Request": "true"})
        ready = client.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port

    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert 'data-testid="service-unavailable"' in page.text and "db-down-1" in page.text
    assert api.status_code == 503 and api.json()["code"] == "service_unavailable"
    assert htmx.status_code == 503 and htmx["Content-Type"].startswith("text/plain")
    assert ready.status_code == 503 and "database" in ready.json()["failing"]
