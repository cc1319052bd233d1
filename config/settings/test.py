"""Settings for `make test`: the real services when they answer, SQLite otherwise.

`make test` uses DATABASE_URL when set, else PostgreSQL on 127.0.0.1:5432 when it answers,
else SQLite; with REQUIRE_SERVICES=1 a missing PostgreSQL or Redis is an error.
"""

import hashlib
import os
import socket
import tempfile

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Tests decide for themselves when a broker or a payment backend is real.
os.environ.setdefault("PAYMENT_BACKEND", "test")
for _name in ("CELERY_BROKER_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
    os.environ.pop(_name, None)

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/storefront"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/15"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

if "DATABASE_URL" not in os.environ and _answers("127.0.0.1", 5432):
    os.environ["DATABASE_URL"] = LOCAL_POSTGRES_URL

# Tests that need Redis use TEST_REDIS_URL; the cache stays in memory so tests stay apart.
TEST_REDIS_URL = os.environ.pop("REDIS_URL", "") or (
    LOCAL_REDIS_URL if _answers("127.0.0.1", 6379) else ""
)

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, DATABASES  # noqa: E402

# One test database per checkout, so two clones on one machine can run their suites at once.
_checkout_id = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_storefront_{_checkout_id}"}

if REQUIRE_SERVICES:
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "REQUIRE_SERVICES=1 but PostgreSQL is not reachable: set DATABASE_URL or start "
            "PostgreSQL on 127.0.0.1:5432."
        )
    if not TEST_REDIS_URL:
        raise ImproperlyConfigured(
            "REQUIRE_SERVICES=1 but Redis is not reachable: set REDIS_URL or start Redis on "
            "127.0.0.1:6379."
        )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CELERY_TASK_ALWAYS_EAGER = True
# The real worker the tests start (tests/shop/test_celery_worker.py) gets its broker here.
if os.environ.get("TEST_CELERY_BROKER_URL"):
    CELERY_BROKER_URL = os.environ["TEST_CELERY_BROKER_URL"]
    CELERY_TASK_ALWAYS_EAGER = False
    # A queue of the test's own, so suites running at once on one Redis never swap tasks.
    CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_DEFAULT_QUEUE") or "celery"
    if os.environ.get("TEST_EMAIL_FILE_PATH"):  # so the test can read what the worker sent
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = os.environ["TEST_EMAIL_FILE_PATH"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
MEDIA_ROOT = Path(tempfile.gettempdir()) / "storefront-test-media"  # noqa: F405
# Live events stay in the test process unless a test starts event processes on Redis.
LIVE_REDIS_URL = os.environ.get("TEST_LIVE_REDIS_URL", "")
LIVE_KEY_PREFIX = os.environ.get("TEST_LIVE_KEY_PREFIX", f"test-live-{_checkout_id}:")
