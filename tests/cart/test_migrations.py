"""Line properties and the cart note arrive without losing a cart line or an order line."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("catalog", "0001_initial"),
    ("cart", "0006_in_checkout_not_editable"),
    ("checkout", "0006_order_promo_over_limit"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_properties():
    """The database as it was before line properties; migrated forward whatever happens."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_existing_lines_and_orders_get_no_properties_and_no_note(before_properties):
    old = before_properties
    product = old.get_model("catalog", "Product").objects.create(
        name="Kettle", slug="kettle", status="active"
    )
    variant = old.get_model("catalog", "Variant").objects.create(
        product=product,
        name="Steel",
        slug="steel",
        sku="K-1",
        price=Decimal("30"),
        stock_on_hand=5,
    )
    cart = old.get_model("cart", "Cart").objects.create(token="t" * 43)
    old.get_model("cart", "CartLine").objects.create(
        cart=cart,
        variant=variant,
        quantity=2,
        unit_price=Decimal("30"),
        sku="K-1",
        product_name="Kettle",
        variant_name="Steel",
    )
    order = old.get_model("checkout", "Order").objects.create(
        number="NW-TEST-0001",
        email="ada@example.com",
        subtotal=30,
        total=30,
        shipping_method_code="standard",
        shipping_method_name="Standard",
        ship_name="Ada",
        ship_line1="1 Road",
        ship_city="London",
        ship_postal_code="N1 1AA",
        ship_country="GB",
        payment_backend="test",
        expires_at=timezone.now(),
    )
    old.get_model("checkout", "OrderLine").objects.create(
        order=order,
        variant=variant,
        sku="K-1",
        product_name="Kettle",
        variant_name="Steel",
        unit_price=30,
        quantity=1,
        line_total=30,
    )

    _migrate(_latest())

    from cart import services
    from cart.models import Cart, CartLine
    from cart.selectors import CartOwner
    from checkout.models import Order, OrderLine

    line = CartLine.objects.get()
    assert (line.quantity, line.properties, line.properties_key, line.properties_display) == (
        2,
        {},
        "",
        [],
    )
    assert Cart.objects.get().note == ""
    assert (Order.objects.get().note, OrderLine.objects.get().properties) == ("", {})
    # The old line is the variant's line without properties: an add sums into it.
    change = services.cart_add_line(
        owner=CartOwner(token="t" * 43), variant_id=variant.pk, quantity=1, source="test"
    )
    assert [line.quantity for line in change.summary.lines] == [3]
