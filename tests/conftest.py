"""Fixtures shared by the whole suite, and the report of what the services allowed to run."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_skipped_for: dict[str, int] = {"postgres": 0, "redis": 0}
_SERVICE_NAMES = {"postgres": "POSTGRESQL", "redis": "REDIS"}


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    missing = {
        "postgres": None if on_postgres() else "needs PostgreSQL; this run is on SQLite",
        "redis": None
        if settings.TEST_REDIS_URL
        else "needs Redis; none answered on 127.0.0.1:6379",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))
                _skipped_for[marker] += 1


def pytest_terminal_summary(terminalreporter):
    database = settings.DATABASES["default"]
    where = f"{database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or database['NAME']}"
    terminalreporter.write_line(
        f"Tests ran on {where}; Redis: {settings.TEST_REDIS_URL or 'none'}."
    )
    screenshots = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
    if screenshots.exists() and any(screenshots.rglob("*.png")):
        terminalreporter.write_line(f"Screenshots of the main pages: {screenshots}")
    missing = {"postgres": not on_postgres(), "redis": not settings.TEST_REDIS_URL}
    for marker, count in _skipped_for.items():
        if missing[marker]:
            terminalreporter.write_line(
                f"!!! {count} {_SERVICE_NAMES[marker]}-ONLY TESTS WERE SKIPPED: this run has no "
                f"{_SERVICE_NAMES[marker]}. Start it, or set REQUIRE_SERVICES=1 to make this an error. !!!",
                red=True,
                bold=True,
            )


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in German or Arabic leaves its language active in the thread (LocaleMiddleware
    activates, nothing deactivates): the next test starts in the shop's default again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def shipping_methods(db):
    """The default shipping methods (a data migration makes them, but flushes between
    transactional tests remove them)."""
    from decimal import Decimal

    from tests.factories import ShippingMethodFactory

    return [
        ShippingMethodFactory(
            code="standard",
            name="Standard (3–5 working days)",
            name_translations={
                "de": "Standardversand (3–5 Werktage)",
                "ar": "الشحن العادي (من 3 إلى 5 أيام عمل)",
            },
            price=Decimal("5.00"),
            free_over=Decimal("75.00"),
            position=0,
        ),
        ShippingMethodFactory(
            code="express",
            name="Express (next working day)",
            name_translations={
                "de": "Expressversand (nächster Werktag)",
                "ar": "الشحن السريع (يوم العمل التالي)",
            },
            price=Decimal("15.00"),
            position=1,
        ),
    ]


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def shopper_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# ----------------------------------------------------------------------------
# Browser tests: Debian's Chromium driven by Playwright
# ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}


# ----------------------------------------------------------------------------
# API
# ----------------------------------------------------------------------------


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def token_headers(user) -> dict:
    """Authorization headers for a fresh API token of `user`."""
    from knox.models import AuthToken

    _instance, key = AuthToken.objects.create(user=user)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def redis_cache(settings):
    """Use the real Redis for the cache (rate limits and anything else cached) in this test."""
    import django_redis

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.TEST_REDIS_URL,
            "KEY_PREFIX": "test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
    django_redis.get_redis_connection("default").close()


@pytest.fixture(scope="session")
def asgi_server():
    """uvicorn serving the whole project in a thread (pages and /events/), for the session."""
    from tests.asgi_server import ThreadedASGIServer

    server = ThreadedASGIServer().start()
    yield server
    server.stop()


@pytest.fixture
def asgi_url(asgi_server, transactional_db):
    """The ASGI server's address; tests using it see committed data."""
    return asgi_server.url
