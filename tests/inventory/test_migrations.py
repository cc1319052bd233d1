"""Moving StockReservation to inventory (and EmailOptOut to recovery) keeps their tables and
rows: a shop migrated from before the move still holds its stock and its opt-outs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("catalog", "0001_initial"),
    ("cart", "0002_cart_reminders"),
    ("checkout", "0002_default_shipping_methods"),
    ("inventory", None),
    ("recovery", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move():
    """The database as it was before the move; migrated forward again whatever happens."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_held_stock_and_opt_outs_survive_the_move(before_the_move):
    old = before_the_move
    Product = old.get_model("catalog", "Product")
    Variant = old.get_model("catalog", "Variant")
    Cart = old.get_model("cart", "Cart")
    Order = old.get_model("checkout", "Order")
    product = Product.objects.create(name="Kettle", slug="kettle", status="active")
    variant = Variant.objects.create(
        product=product,
        name="Steel",
        slug="steel",
        sku="K-1",
        price=Decimal("30"),
        stock_on_hand=5,
    )
    cart = Cart.objects.create(token="t" * 43)
    due = timezone.now() + timedelta(minutes=30)
    order = Order.objects.create(
        number="NW-TEST-0001",
        cart=cart,
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
        expires_at=due,
    )
    old.get_model("checkout", "StockReservation").objects.create(
        variant=variant, order=order, quantity=2, expires_at=due
    )
    old.get_model("cart", "EmailOptOut").objects.create(email="gone@example.com")

    _migrate(_latest())

    from inventory.models import StockReservation
    from inventory.selectors import available_by_variant
    from recovery.models import EmailOptOut

    held = StockReservation.objects.get()
    assert (held.order_id, held.cart_id, held.quantity) == (order.pk, cart.pk, 2)
    assert available_by_variant([variant.pk]) == {variant.pk: 3}
    assert list(EmailOptOut.objects.values_list("email", flat=True)) == ["gone@example.com"]
