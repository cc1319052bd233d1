"""Every URL pattern of the project, called with hostile values, never answers 5xx.

The walk expands every include of the root URLconf and fills each path converter (and each
group of a regex pattern) with values that once broke views: NUL, digits int() refuses ("²"),
numbers no column holds (10**30) and very long strings. It calls each address as a guest, as
a shopper and as a superuser: GET with hostile query strings and POST with hostile form
fields; under /api/, POST, PUT and PATCH with a deeply nested JSON body, POST with hostile
JSON fields, and DELETE; every call with an If-Match and X-Cart-Token in digits int()
refuses. The clients report a 500 instead of raising it, so one run lists every failure.
"""

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from checkout.models import Order
from tests.factories import StaffFactory, UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

NUL, SUPERSCRIPT_TWO, HUGE, LONG = "\x00", "²", str(10**30), "x" * 3000
# A path converter's value in each hostile form (percent-encoded into the address).
PATH_VALUES = [quote(value, safe="") for value in (NUL, SUPERSCRIPT_TWO, HUGE, LONG)]
# Field names the shop's views and the admin read from query strings and forms.
FIELD_NAMES = (
    "q",
    "page",
    "category",
    "variant",
    "order",
    "session_id",
    "refused",
    "next",
    "search",
    "token",
    "email",
    "password",
    "variant_id",
    "quantity",
    "line_id",
    "action",
    "outcome",
    "promo_code",
    "shipping_method",
    "items",
    "note",
    "properties",
    "properties[engraving]",
    "start",
    "end",
    "id",
    "pk",
    "o",
    "p",
    "_changelist_filters",
)
HOSTILE_FIELDS = dict.fromkeys(FIELD_NAMES, NUL)
DATES_AT_THE_END = {"start": "9999-12-31", "end": "9999-12-31"}
HOSTILE_QUERIES = [
    "&".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())
    for fields in (
        HOSTILE_FIELDS,
        dict.fromkeys(FIELD_NAMES, SUPERSCRIPT_TWO),
        {**dict.fromkeys(FIELD_NAMES, HUGE), **DATES_AT_THE_END},
    )
]
# Sent with every call: a cart version and a cart token in digits int() refuses.
HOSTILE_HEADERS = {"If-Match": SUPERSCRIPT_TWO * 3, "X-Cart-Token": SUPERSCRIPT_TWO * 30}
DEEP_JSON = "[" * 5000 + "]" * 5000
# A body of the API's field names, each with a value its column or converter refuses.
HOSTILE_JSON = json.dumps(
    {
        **dict.fromkeys(FIELD_NAMES, NUL),
        "variant_id": HUGE,
        "quantity": 10**30,
        "cart_token": NUL * 43,
        "items": [{"variant_id": 10**30, "quantity": SUPERSCRIPT_TWO}],
        "shipping_address": dict.fromkeys(
            ("name", "line1", "line2", "city", "postal_code", "country", "phone"), NUL
        ),
        "name": LONG,
        "sku": NUL,
        "price": "1e999999",
        "stock": 10**30,
        "status": NUL,
    }
)

# Patterns the walk leaves to tests of their own, and why.
SKIPPED = {
    # Logging out ends the session the walk runs in (tests/shop covers logging out).
    "admin:logout",
    "shop:logout",
    "api:auth-logout",
    # Builds the whole OpenAPI document (about a second per call); tests/api/test_schema.py
    # validates it and schemathesis fuzzes the API from it.
    "api-schema",
}

_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?\w+>")


def _patterns(resolver, prefix="", namespace=""):
    """Every (route, name) below `resolver`, includes expanded."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else None


def _addresses(route: str) -> list[tuple[str, list[str]]]:
    """(address, query strings) for a route: a fixed address with every hostile query; else
    the route with its converters or groups filled with each hostile value in turn, each with
    one query (a view that has no object by that name seldom reads its query)."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    if not (_CONVERTER.search(route) or _GROUP.search(route)):
        return [("/" + route.replace(".*", "x").replace("\\", ""), HOSTILE_QUERIES)]
    addresses = []
    for i, value in enumerate(PATH_VALUES):
        address = _CONVERTER.sub(value, _GROUP.sub(value, route))
        query = HOSTILE_QUERIES[i % len(HOSTILE_QUERIES)]
        addresses.append(("/" + address.replace(".*", "x").replace("\\", ""), [query]))
    return addresses


def every_address() -> list[tuple[str, list[str], str | None]]:
    """(address, query strings, URL name) for every pattern of the project but SKIPPED."""
    return [
        (address, queries, name)
        for route, name in _patterns(get_resolver())
        if name not in SKIPPED
        for address, queries in _addresses(route)
    ]


@pytest.fixture
def callers(shipping_methods):
    """A guest, a shopper with a cart and an order, and a superuser; each its own client."""
    variant = VariantFactory(stock_on_hand=50)
    shopper, superuser = UserFactory(), StaffFactory()
    start(guest_cart((variant, 1)))
    clients = {"guest": Client(raise_request_exception=False)}
    for label, user in (("shopper", shopper), ("superuser", superuser)):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.post("/cart/add/", {"variant_id": variant.pk})
        clients[label] = client
    assert Order.objects.exists()
    return clients


def _staff_only(address: str) -> bool:
    """The admin answers every caller who is not staff with its login page before any view
    of its own runs; the walk calls its views as a superuser (and its login as anyone)."""
    return address.startswith("/admin/") and not address.startswith("/admin/login/")


def _calls(address: str, queries: list[str]):
    """(method, address, data, content type) for one address."""
    for query in queries:
        yield "get", f"{address}?{query}", None, None
    if address.startswith("/api/"):
        yield "post", address, DEEP_JSON, "application/json"
        yield "post", address, HOSTILE_JSON, "application/json"
        yield "put", address, DEEP_JSON, "application/json"
        yield "patch", address, DEEP_JSON, "application/json"
        yield "delete", address, None, None
    else:
        yield "post", f"{address}?{HOSTILE_QUERIES[0]}", HOSTILE_FIELDS, None


def test_the_walk_covers_the_shop():
    names = {name for _address, _queries, name in every_address()}

    assert len(names) > 100
    assert {"cart:detail", "checkout:order-detail", "api:cart-item", "admin:index"} <= names


def test_no_address_answers_a_server_error(callers, settings):
    settings.RATE_LIMIT_CART_WRITES = "100000/min"  # a 429 would hide what the view does
    settings.RATE_LIMIT_AUTH = "100000/min"
    failures = []
    for address, queries, name in every_address():
        for label, client in callers.items():
            if label != "superuser" and _staff_only(address):
                continue
            for method, url, data, content_type in _calls(address, queries):
                options = {"content_type": content_type} if content_type else {}
                response = getattr(client, method)(url, data, headers=HOSTILE_HEADERS, **options)
                if response.status_code >= 500:
                    error = response.exc_info[1] if response.exc_info else ""
                    failures.append(
                        f"{label} {method.upper()} {url[:120]!r} ({name}): "
                        f"{response.status_code} {error!r}"
                    )

    assert failures == [], "\n".join(failures)
