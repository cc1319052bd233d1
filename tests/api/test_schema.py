"""The published OpenAPI schema: valid, served with local docs, and true to the running API."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import token_headers
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
)

EXAMPLES_PER_OPERATION = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))

    assert "/api/v1/cart/items/" in (tmp_path / "s.yaml").read_text()


@pytest.mark.django_db
def test_schema_and_docs_are_served_from_the_shop_itself(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.text
    assert "cdn" not in docs.text.lower()
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )


# Loaded once at collection: generating the schema touches no database.
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _can_be_invalid(operation) -> bool:
    """Whether anything in the operation's input can be generated wrong."""
    constrained_header = any(p.name == "Idempotency-Key" for p in operation.headers)
    return bool(
        list(operation.body)
        or list(operation.path_parameters)
        or list(operation.query)
        or constrained_header
    )


CASES = [
    pytest.param(operation, mode, id=f"{operation.label}-{mode.value}")
    for operation in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or _can_be_invalid(operation)
]


@pytest.fixture
def catalog(db, settings):
    """A small catalog so that generated ids and slugs can hit real rows; no rate limits."""
    settings.RATE_LIMIT_CART_WRITES = "100000/min"
    settings.RATE_LIMIT_AUTH = "100000/min"
    settings.RATE_LIMIT_CHECKOUT = "100000/min"
    settings.RATE_LIMIT_GIFT_CARD = "100000/min"
    category = CategoryFactory(slug="kitchen")
    for i in range(3):
        product = ProductFactory(slug=f"product-{i}", category=category, variants=0)
        VariantFactory(product=product, stock_on_hand=5 * i)
        ProductImageFactory(product=product)
    # As Django's test client does: the WSGI calls must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "shopper", "staff"])
def caller_headers(request, db):
    if request.param == "anonymous":
        return {}
    user = StaffFactory() if request.param == "staff" else UserFactory()
    return token_headers(user)


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_the_api_keeps_its_schema_and_never_answers_5xx(catalog, caller_headers, operation, mode):
    """Generated requests, valid and invalid, as a guest, a shopper and staff."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=caller_headers, checks=CHECKS)

    check()
