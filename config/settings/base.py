"""Settings shared by every environment, read from the environment (CONTRACT section 2)."""

import ipaddress
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. It is required when DEBUG is off: set SECRET_KEY to a "
            "long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# With DEBUG on, `make run` shows the shop's own 404 page; true: Django's technical 404 page.
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)
# Absolute links (emails, payment return URLs) use this when set, else the request's host.
SITE_URL = env("SITE_URL", default="").rstrip("/")

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "shop.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

# ------------------------------------------------------------------------------
# Apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "shop",  # first: its templates override admin and registration ones
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_prometheus",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "easy_thumbnails",
    # Floors, bottom up: each app imports only from its own floor or below (README).
    "catalog",
    "inventory",
    "cart",
    "checkout",
    "recovery",
    "giftcards",
    "loyalty",
    "alerts",
    "storefront",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "shop.middleware.RequestIDMiddleware",
    "shop.middleware.QueryStringLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shop.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]


# Where a catalog object's page is: the storefront (the top floor) serves the catalog's
# pages, and the catalog (floor 2) does not name them.
def _product_url(product) -> str:
    from django.urls import reverse

    return reverse("storefront:product-detail", kwargs={"slug": product.slug})


def _category_url(category) -> str:
    from django.urls import reverse

    return f"{reverse('storefront:product-list')}?category={category.slug}"


ABSOLUTE_URL_OVERRIDES = {"catalog.product": _product_url, "catalog.category": _category_url}

# ------------------------------------------------------------------------------
# Database and cache
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The same database backends, counted for /metrics (queries, errors, connections).
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Bind parameters on the server so psycopg can prepare the statements a connection runs
    # again and again (the cart's queries), instead of PostgreSQL planning them every time.
    # Behind PgBouncer in transaction mode, set DB_SERVER_SIDE_BINDING=false.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool(
        "DB_SERVER_SIDE_BINDING", default=True
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# The Redis cache with REDIS_URL: django-redis behind a circuit breaker (shop/cache.py), so a
# stopped or frozen Redis costs one timeout per outage, then calls answer as misses at once.
REDIS_CACHE = {
    "BACKEND": "shop.cache.RedisCache",
    "OPTIONS": {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        # A stopped Redis degrades the cache instead of failing the request.
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 1,
        "SOCKET_TIMEOUT": 1,
    },
}
if REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False  # the breaker logs an outage once
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database; with Redis they are also cached there.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# ------------------------------------------------------------------------------
# Security (production.py turns on the parts that need HTTPS)
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the shop's own scripts and styles; payment pages are reached by redirect.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
    },
}

# ------------------------------------------------------------------------------
# Accounts
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "shop.User"
LOGIN_URL = "shop:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# How long the link that confirms an account's email address works (it is emailed at signup;
# orders placed as a guest with that address join the account once it is confirmed).
EMAIL_CONFIRMATION_DAYS = env.int("EMAIL_CONFIRMATION_DAYS", default=7)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ------------------------------------------------------------------------------
# Templates, static and media
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.shop",
                "catalog.context_processors.header_categories",
                "cart.context_processors.header_cart",
                "loyalty.context_processors.points_to_spend",
            ],
        },
    }
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Product images are served by Django unless a web server or bucket does it (README).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Product image thumbnails (easy-thumbnails), made when an image is saved (or on first use if
# missing) and stored beside the images under MEDIA_ROOT/thumbs/: square crops for cards,
# whole pictures for the product page, each in three widths for `srcset`.
THUMBNAIL_BASEDIR = "thumbs"
THUMBNAIL_QUALITY = 82
THUMBNAIL_SOURCE_GENERATORS = ("easy_thumbnails.source_generators.pil_image",)  # no SVG
THUMBNAIL_ALIASES = {
    "catalog.ProductImage.image": {
        **{f"card-{width}": {"size": (width, width), "crop": True} for width in (240, 480, 720)},
        **{f"detail-{width}": {"size": (width, 0)} for width in (600, 900, 1200)},
    }
}

# ------------------------------------------------------------------------------
# Internationalisation and money
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
SHOP_NAME = env("SHOP_NAME", default="Northwind Goods")
SHOP_CURRENCY = env("SHOP_CURRENCY", default="USD")

# ------------------------------------------------------------------------------
# Catalog, cart and checkout rules
# ------------------------------------------------------------------------------
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)
PRODUCTS_PER_PAGE = env.int("PRODUCTS_PER_PAGE", default=12)
GUEST_CART_TTL_DAYS = env.int("GUEST_CART_TTL_DAYS", default=7)
USER_CART_TTL_DAYS = env.int("USER_CART_TTL_DAYS", default=30)
CART_ABANDON_AFTER_HOURS = env.int("CART_ABANDON_AFTER_HOURS", default=24)
RESERVATION_TTL_MINUTES = env.int("RESERVATION_TTL_MINUTES", default=30)
CART_MAX_LINE_QUANTITY = env.int("CART_MAX_LINE_QUANTITY", default=100)
CART_MAX_LINES = env.int("CART_MAX_LINES", default=100)
CART_RECOVERY_LINK_DAYS = env.int("CART_RECOVERY_LINK_DAYS", default=14)
# A shared cart's link (a snapshot of its lines) works this many days after it is made.
SHARED_CART_TTL_DAYS = env.int("SHARED_CART_TTL_DAYS", default=30)
# A wishlist item's price must fall at least this many percent below the price the shopper
# last knew (when they wished for it, or the last price-drop email) to be emailed about.
PRICE_DROP_ALERT_PERCENT = env.int("PRICE_DROP_ALERT_PERCENT", default=5)
# How long the link confirming a guest's back-in-stock alert works.
STOCK_ALERT_CONFIRM_DAYS = env.int("STOCK_ALERT_CONFIRM_DAYS", default=7)
MINI_CART_LINES = 3
CART_VIEW_EVENT_MINUTES = 10  # repeated views of an unchanged cart count once in this window  # lines the header's mini cart lists before "+N more items"
CHECKOUT_REQUIRES_LOGIN = env.bool("CHECKOUT_REQUIRES_LOGIN", default=False)
RATE_LIMIT_CART_WRITES = env("RATE_LIMIT_CART_WRITES", default="120/min")
RATE_LIMIT_AUTH = env("RATE_LIMIT_AUTH", default="20/min")
# How many proxies in front of the shop append to X-Forwarded-For; limits count per client
# address, and with 0 the header (anyone can write one) is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Estimated sales tax on what is sold; prices are shown without it unless PRICES_INCLUDE_TAX.
TAX_RATE = Decimal(env("TAX_RATE", default="0.10"))
PRICES_INCLUDE_TAX = env.bool("PRICES_INCLUDE_TAX", default=False)

# ------------------------------------------------------------------------------
# Loyalty points (issue 16, point 5)
# ------------------------------------------------------------------------------
# Points a shopper with an account earns per whole unit of currency paid for merchandise.
LOYALTY_POINTS_PER_UNIT = env.int("LOYALTY_POINTS_PER_UNIT", default=1)
# Earned points become usable this many days after the order is paid (refunds come first).
LOYALTY_PENDING_DAYS = env.int("LOYALTY_PENDING_DAYS", default=14)
# What one point takes off an order's merchandise at checkout, in the shop's currency.
LOYALTY_POINT_VALUE = Decimal(env("LOYALTY_POINT_VALUE", default="0.01"))

# ------------------------------------------------------------------------------
# Abuse: what a client without an account may hold, and who may read /metrics
# ------------------------------------------------------------------------------
# A guest (no account) holds at most this many units across its open checkouts, and has at
# most this many checkouts open; shoppers who are logged in are not capped.
CHECKOUT_HOLD_MAX_UNITS = env.int("CHECKOUT_HOLD_MAX_UNITS", default=50)
CHECKOUT_MAX_OPEN = env.int("CHECKOUT_MAX_OPEN", default=3)
# Checkout starts per client address (per account when logged in), API and page alike: a new
# cart token costs a guest nothing, an address does.
RATE_LIMIT_CHECKOUT = env("RATE_LIMIT_CHECKOUT", default="30/min")
# Gift card codes tried per client address: the balance page and API, and applying a card at
# checkout (DRF-style rate).
RATE_LIMIT_GIFT_CARD = env("RATE_LIMIT_GIFT_CARD", default="10/min")
# How long a guest's checkout holds stock (Stripe's session still lives its 30 minutes).
GUEST_RESERVATION_TTL_MINUTES = env.int("GUEST_RESERVATION_TTL_MINUTES", default=15)
# /metrics answers loopback, these addresses or networks (comma-separated, e.g.
# 10.0.0.5,10.1.0.0/16), and requests with "Authorization: Bearer <METRICS_TOKEN>"; 404 to others.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
for _entry in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_entry!r} is not an IP address or network."
        ) from _error

# ------------------------------------------------------------------------------
# JSON API
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shop.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["shop.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shop.api.problems.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "shop.api.pagination.PagePagination",
    "PAGE_SIZE": PRODUCTS_PER_PAGE,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 3600,
}
IDEMPOTENCY_TTL_HOURS = 24  # how long a POST's first answer is kept for replay
IDEMPOTENCY_WAIT_SECONDS = 10  # how long a duplicate waits for the first before 409
SPECTACULAR_SETTINGS = {
    "TITLE": "Storefront API",
    "DESCRIPTION": (
        "The cart, catalog and checkout of the storefront for mobile apps and integrations. "
        "Money is a decimal string plus `currency`. Errors are `application/problem+json`. "
        "Guest carts are named by the `X-Cart-Token` header; logged-in clients send "
        "`Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "catalog.models.Product.Status",
        "VariantStatusEnum": "catalog.models.Variant.Status",
        "SharedCartReasonEnum": "cart.services.shared.REASONS",
        "KindEnum": "catalog.models.ProductLineField.Kind",
        "PointsEntryKindEnum": "loyalty.models.PointsEntry.Kind",
    },
}

# ------------------------------------------------------------------------------
# API Idempotency-Key (hardening, issue 13: idem)
# ------------------------------------------------------------------------------
# A claim on a key older than this is taken as left by a killed worker, and a retry takes
# it over; keep it longer than any request may run (gunicorn's timeout, Stripe's calls).
IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS = env.int("IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS", default=60)

# ------------------------------------------------------------------------------
# Payments
# ------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Where the Stripe API is; only tests point it at a local fake server.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# The test backend is a local page where no money moves and anyone can "pay": allowed for
# development and tests, refused under production settings unless this says true (then a
# missing Stripe key means the Stripe backend without a key, never the test page).
ALLOW_TEST_PAYMENTS = env.bool("ALLOW_TEST_PAYMENTS", default=True)
PAYMENT_BACKEND = env(
    "PAYMENT_BACKEND",
    default="stripe" if STRIPE_SECRET_KEY or not ALLOW_TEST_PAYMENTS else "test",
)
if PAYMENT_BACKEND not in {"stripe", "test"}:
    raise ImproperlyConfigured(
        f"PAYMENT_BACKEND must be 'stripe' or 'test', not {PAYMENT_BACKEND!r}."
    )

# ------------------------------------------------------------------------------
# Input: bad input, caching and state changes (issue 13, items 15-18)
# ------------------------------------------------------------------------------
# The confirmation page asks the payment provider about an order at most once in this many
# seconds (whoever reloads it), and each client at most at RATE_LIMIT_CART_WRITES.
PAYMENT_SYNC_INTERVAL_SECONDS = env.int("PAYMENT_SYNC_INTERVAL_SECONDS", default=5)

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker every task runs in the process that sends it.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# If the broker is down when a task is sent, give up quickly rather than hang the request:
# the task waits in the outbox (shop/outbox.py) and is sent when the broker is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "release-expired-reservations": {
        "task": "checkout.tasks.orders_expire_due_task",
        "schedule": 60.0,
    },
    "expire-idle-carts": {
        "task": "recovery.tasks.carts_expire_idle_task",
        "schedule": 60.0 * 60,
    },
    "remind-abandoned-carts": {
        "task": "recovery.tasks.carts_remind_abandoned_task",
        "schedule": 60.0 * 15,
    },
    "clear-expired-sessions": {
        "task": "shop.tasks.sessions_clear_expired_task",
        "schedule": 60.0 * 60 * 24,
    },
    "flush-outbox": {"task": "shop.tasks.outbox_flush_task", "schedule": 60.0},
    "purge-idempotency-records": {
        "task": "shop.tasks.idempotency_records_purge_task",
        "schedule": 60.0 * 60,
    },
    # Inventory's stock_changed signal starts the back-in-stock job at once; this catches what
    # a process that died between a commit and its signal left behind.
    "send-back-in-stock-alerts": {
        "task": "alerts.tasks.stock_alerts_notify_task",
        "schedule": 60.0 * 10,
    },
    # Price drops are found by this job (not by price changes): one email per shopper a day.
    "send-price-drop-alerts": {
        "task": "alerts.tasks.price_drops_queue_task",
        "schedule": 60.0 * 60,
    },
    "purge-expired-shared-carts": {
        "task": "cart.tasks.shared_carts_purge_expired_task",
        "schedule": 60.0 * 60 * 24,
    },
    "make-loyalty-points-available": {
        "task": "loyalty.tasks.points_make_available_due_task",
        "schedule": 60.0 * 60,
    },
}

# ------------------------------------------------------------------------------
# Faults: what a frozen or stopped broker or Redis may cost a request (README)
# ------------------------------------------------------------------------------
# After the broker or Redis fails to answer, each process leaves it alone this long: tasks
# wait in the outbox, cache calls answer as misses, rate limits count in the process.
CIRCUIT_BREAKER_SECONDS = env.float("CIRCUIT_BREAKER_SECONDS", default=15)
# A broker that takes connections but never answers (frozen) costs a send about this long,
# once per outage, instead of holding the request for as long as it stays frozen.
BROKER_TIMEOUT_SECONDS = 2
# Redis as the broker hands a task that a killed worker had taken to another worker after
# this (kombu's default: an hour). Longer than the longest task and the longest retry wait
# (10 minutes), since a task waiting for its retry is held unacknowledged too.
BROKER_VISIBILITY_TIMEOUT_SECONDS = env.int("BROKER_VISIBILITY_TIMEOUT_SECONDS", default=15 * 60)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS  # connect and handshake (AMQP too)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,  # Redis
    "socket_timeout": BROKER_TIMEOUT_SECONDS,  # Redis: every command, a publish included
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS,  # Redis
}
# Longer query strings get a 400 from the shop (problem+json under /api/). Gunicorn's own
# request-line limit must leave room above it (README: --limit-request-line 8190).
MAX_QUERY_STRING_BYTES = env.int("MAX_QUERY_STRING_BYTES", default=4096)
# An SMTP server that stops answering fails the send after this long (it is retried), well
# inside the claim that keeps a second run from sending the same email (shop/services.py).
EMAIL_TIMEOUT = 30

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SHOP_NAME} <shop@example.com>")

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
# LOG_FORMAT=json (production's default) writes one JSON object a line; every line carries
# the request id of the request it belongs to ("-" outside requests).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shop.middleware.RequestIDLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# ------------------------------------------------------------------------------
# Live cart updates (Server-Sent Events at /events/ and /api/v1/cart/events/)
# ------------------------------------------------------------------------------
# Redis fans events out to every event process (unset or empty: REDIS_URL); with neither,
# within one process (`make run`).
LIVE_REDIS_URL = env("LIVE_REDIS_URL", default="") or REDIS_URL
LIVE_KEY_PREFIX = env("LIVE_KEY_PREFIX", default="live:")
# A comment on every open stream this often, so proxies and browsers keep it open.
LIVE_HEARTBEAT_SECONDS = env.float("LIVE_HEARTBEAT_SECONDS", default=15)
# What a reconnecting stream (Last-Event-ID) can catch up on, per cart owner.
LIVE_REPLAY_EVENTS = env.int("LIVE_REPLAY_EVENTS", default=20)
LIVE_REPLAY_SECONDS = env.int("LIVE_REPLAY_SECONDS", default=300)
# Open streams per cart owner (every tab of every device of a shopper); past it: 429.
LIVE_MAX_STREAMS_PER_CLIENT = env.int("LIVE_MAX_STREAMS_PER_CLIENT", default=10)
# How long a browser waits before reconnecting a dropped stream (sent as `retry:`).
LIVE_RETRY_MS = env.int("LIVE_RETRY_MS", default=2000)
