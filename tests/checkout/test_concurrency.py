"""Many shoppers at once, on PostgreSQL with real threads."""

import pytest
from django.db import connection

from cart.models import Cart
from checkout import services
from checkout.models import Order, PromoRedemption
from tests.factories import PromoCodeFactory, VariantFactory
from tests.helpers import guest_cart, run_at_once, start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_checkouts_for_stock_n_make_exactly_n_paid_orders():
    stock = 5
    variant = VariantFactory(stock_on_hand=stock, price="10.00")
    # Each shopper put one in their cart while there was plenty.
    carts = [guest_cart((variant, 1)) for _ in range(12)]

    errors = run_at_once(12, lambda i: start(carts[i]))
    for order in Order.objects.filter(status=Order.Status.PENDING_PAYMENT):
        services.order_mark_paid(order_id=order.pk)
    connection.close()

    assert Order.objects.filter(status=Order.Status.PAID).count() == stock
    assert len(errors) == 12 - stock
    assert {getattr(e, "code", repr(e)) for e in errors} <= {
        "cart_invalid",
        "insufficient_stock",
        "out_of_stock",
    }
    variant.refresh_from_db()
    assert variant.stock_on_hand == 0
    assert Cart.objects.filter(status=Cart.Status.CONVERTED).count() == stock


def test_a_single_use_code_is_claimed_once_under_concurrency():
    variant = VariantFactory(stock_on_hand=100)
    PromoCodeFactory(code="ONCE", max_uses=1)
    carts = [guest_cart((variant, 1)) for _ in range(6)]

    errors = run_at_once(
        6, lambda i: start(carts[i], promo_code="ONCE", email=f"s{i}@example.com")
    )

    assert PromoRedemption.objects.filter(status="claimed").count() == 1
    assert len(errors) == 5
    assert all(getattr(e, "code", "") == "invalid_promo_code" for e in errors)


def test_paying_the_same_order_from_many_places_at_once_pays_once():
    variant = VariantFactory(stock_on_hand=10)
    order = start(guest_cart((variant, 3))).order

    errors = run_at_once(6, lambda i: services.order_mark_paid(order_id=order.pk))

    assert errors == []
    variant.refresh_from_db()
    assert variant.stock_on_hand == 7
    assert order.history.filter(to_status="paid").count() == 1
