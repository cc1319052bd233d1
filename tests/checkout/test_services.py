from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cart import services as cart_services
from cart.exceptions import PurchaseRefusedError
from cart.models import Cart, CartEvent
from cart.selectors import CartOwner, cart_summary
from catalog.models import Variant
from checkout import services
from checkout.exceptions import (
    CartEmptyError,
    CartInvalidError,
    CheckoutExpiredError,
    ShippingMethodError,
    TotalChangedError,
)
from checkout.models import Order
from inventory.models import StockReservation
from inventory.selectors import variant_queryset_with_availability
from inventory.services import stock_set
from tests.factories import UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


def available(variant) -> int:
    return variant_queryset_with_availability().get(pk=variant.pk).available_stock


def test_starting_a_checkout_makes_an_order_waiting_for_payment_and_holds_the_stock(
    variant, settings
):
    settings.TAX_RATE = Decimal("0.10")
    owner = guest_cart((variant, 3))

    started = start(owner)

    order = started.order
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.number.startswith("NW-")
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        Decimal("120.00"),
        Decimal("0.00"),
        Decimal("12.00"),
        Decimal("132.00"),
    )
    [line] = order.lines.all()
    assert (line.sku, line.product_name, line.unit_price, line.quantity, line.tax) == (
        variant.sku,
        variant.product.name,
        Decimal("40.00"),
        3,
        Decimal("12.00"),
    )
    assert StockReservation.objects.get(order_id=order.pk).quantity == 3
    assert available(variant) == 7
    assert started.payment_url.startswith("http://shop.test:8000/checkout/pay/")
    assert order.expires_at > timezone.now() + timedelta(minutes=14)  # a guest's hold
    assert CartEvent.objects.filter(type="checkout_started").count() == 1
    assert [h.to_status for h in order.history.all()] == ["pending_payment"]


def test_an_empty_cart_cannot_start_a_checkout():
    with pytest.raises(CartEmptyError):
        start(CartOwner())
    assert not Order.objects.exists()


def test_an_invalid_cart_cannot_start_a_checkout(variant):
    owner = guest_cart((variant, 2))
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=0)

    with pytest.raises(CartInvalidError) as refused:
        start(owner)

    assert refused.value.details["issues"][0].issue_type == "out_of_stock"
    assert not Order.objects.exists()


def test_an_unknown_shipping_method_is_refused(variant):
    with pytest.raises(ShippingMethodError):
        start(guest_cart((variant, 1)), shipping_method_code="teleport")


def test_stock_held_by_another_checkout_is_not_sold_twice(variant):
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=3)
    first = guest_cart((variant, 2))
    second = guest_cart((variant, 2))
    start(first)

    with pytest.raises(CartInvalidError) as refused:
        start(second)

    [issue] = refused.value.details["issues"]
    assert (issue.issue_type, issue.message, issue.available_quantity) == (
        "insufficient_stock",
        "Only 1 left in stock",
        1,
    )
    assert Order.objects.count() == 1


def test_starting_again_replaces_the_earlier_order_and_never_holds_stock_twice(variant):
    owner = guest_cart((variant, 2))

    first = start(owner).order
    second = start(owner).order

    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED and first.cancel_reason == "replaced"
    assert second.status == Order.Status.PENDING_PAYMENT
    assert StockReservation.objects.filter(status="active").count() == 1
    assert available(variant) == 8


def test_changing_the_cart_ends_the_checkout_and_releases_its_stock(variant):
    owner = guest_cart((variant, 2))
    order = start(owner).order

    cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "cart_changed"
    assert available(variant) == 10


def test_a_moved_total_must_be_confirmed(variant):
    owner = guest_cart((variant, 1))
    seen_total = start(owner).order.total
    Variant.objects.filter(pk=variant.pk).update(price="45.00")

    with pytest.raises(TotalChangedError) as moved:
        start(owner, expected_total=seen_total)
    confirmed = start(owner, expected_total=Decimal(moved.value.details["total"]))

    assert "$" in moved.value.message
    assert confirmed.order.total == Decimal(moved.value.details["total"])


def test_paying_turns_reservations_into_sales_converts_the_cart_and_emails(
    variant, django_capture_on_commit_callbacks
):
    owner = guest_cart((variant, 3))
    order = start(owner).order

    with django_capture_on_commit_callbacks(execute=True):
        paid = services.local_payment_complete(order_id=order.pk, succeed=True)

    assert paid.status == Order.Status.PAID and paid.paid_at
    variant.refresh_from_db()
    assert variant.stock_on_hand == 7
    assert available(variant) == 7
    assert (
        StockReservation.objects.get(order_id=order.pk).status == StockReservation.Status.CONVERTED
    )
    assert Cart.objects.get(pk=order.cart_id).status == Cart.Status.CONVERTED
    assert cart_summary(owner=owner).is_empty  # the shopper starts a fresh cart
    [email] = mail.outbox
    assert email.to == ["grace@example.com"] and order.number in email.subject
    assert order.number in email.body
    assert "text/html" in email.alternatives[0][1]


def test_paying_twice_counts_once(variant, django_capture_on_commit_callbacks):
    order = start(guest_cart((variant, 3))).order

    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order_id=order.pk)
        services.order_mark_paid(order_id=order.pk)

    variant.refresh_from_db()
    assert variant.stock_on_hand == 7
    assert len(mail.outbox) == 1
    assert [h.to_status for h in order.history.all()] == ["pending_payment", "paid"]


def test_a_failed_payment_cancels_the_order_and_keeps_the_cart(variant):
    owner = guest_cart((variant, 2))
    order = start(owner).order

    services.local_payment_complete(order_id=order.pk, succeed=False)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "payment_failed"
    assert available(variant) == 10
    assert cart_summary(owner=owner).total_items == 2


def test_an_expired_reservation_frees_the_stock_and_the_job_cancels_its_order(variant):
    order = start(guest_cart((variant, 4))).order
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    StockReservation.objects.filter(order_id=order.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert available(variant) == 10  # before any job runs
    assert services.orders_expire_due() == 1
    assert services.orders_expire_due() == 0

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "expired"
    with pytest.raises(CheckoutExpiredError):
        Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING_PAYMENT)
        services.local_payment_complete(order_id=order.pk, succeed=True)


def test_a_payment_for_a_cancelled_order_is_a_sale_if_the_stock_is_still_there(
    variant, django_capture_on_commit_callbacks
):
    order = start(guest_cart((variant, 2))).order
    services.order_cancel(order_id=order.pk, reason="expired")

    with django_capture_on_commit_callbacks(execute=True):
        paid = services.order_mark_paid(order_id=order.pk, payment_intent="pi_late")

    assert paid.status == Order.Status.PAID
    variant.refresh_from_db()
    assert variant.stock_on_hand == 8


def test_a_payment_for_stock_that_is_gone_is_refunded(variant, django_capture_on_commit_callbacks):
    order = start(guest_cart((variant, 2))).order
    services.order_cancel(order_id=order.pk, reason="expired")
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=1)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.order_mark_paid(order_id=order.pk, payment_intent="pi_late")

    order.refresh_from_db()
    assert result.status == Order.Status.CANCELLED
    assert order.status == Order.Status.REFUNDED
    variant.refresh_from_db()
    assert variant.stock_on_hand == 1


def test_a_payment_for_stock_staff_counted_away_meanwhile_is_cancelled_and_refunded(
    variant, django_capture_on_commit_callbacks
):
    order = start(guest_cart((variant, 3))).order
    stock_set(variant_id=variant.pk, quantity=1)  # a recount finds one

    with django_capture_on_commit_callbacks(execute=True):
        result = services.order_mark_paid(order_id=order.pk, payment_intent="pi_gone")

    assert result.status == Order.Status.CANCELLED  # not left waiting with the money taken
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert (
        StockReservation.objects.get(order_id=order.pk).status == StockReservation.Status.RELEASED
    )
    variant.refresh_from_db()
    assert variant.stock_on_hand == 1


def test_paying_a_replaced_checkout_ends_the_newer_one(
    variant, django_capture_on_commit_callbacks
):
    owner = guest_cart((variant, 2))
    older = start(owner).order
    newer = start(owner).order  # the shopper started again in another tab

    with django_capture_on_commit_callbacks(execute=True):
        paid = services.order_mark_paid(order_id=older.pk, payment_intent="pi_older")

    newer.refresh_from_db()
    assert paid.status == Order.Status.PAID
    assert newer.status == Order.Status.CANCELLED  # it can no longer be paid a second time
    assert available(variant) == 8
    assert Cart.objects.get(pk=older.cart_id).status == Cart.Status.CONVERTED


def test_a_second_payment_for_the_same_cart_is_refunded(
    variant, django_capture_on_commit_callbacks
):
    owner = guest_cart((variant, 2))
    older = start(owner).order
    newer = start(owner).order
    services.order_mark_paid(order_id=newer.pk, payment_intent="pi_newer")

    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order_id=older.pk, payment_intent="pi_older")

    older.refresh_from_db()
    assert older.status == Order.Status.REFUNDED
    variant.refresh_from_db()
    assert variant.stock_on_hand == 8  # sold once


def test_a_late_payment_for_an_older_cart_keeps_what_was_added_since(
    variant, django_capture_on_commit_callbacks
):
    added = VariantFactory(price="5.00", stock_on_hand=10)
    owner = guest_cart((variant, 1))
    order = start(owner).order
    cart_services.cart_add_line(owner=owner, variant_id=added.pk, quantity=2, source="test")

    with django_capture_on_commit_callbacks(execute=True):
        paid = services.order_mark_paid(order_id=order.pk, payment_intent="pi_late")

    assert paid.status == Order.Status.PAID
    summary = cart_summary(owner=owner)
    assert [(line.variant_id, line.quantity) for line in summary.lines] == [
        (variant.pk, 1),
        (added.pk, 2),
    ]


def test_a_guest_cart_merged_at_login_ends_the_users_open_checkout(variant):
    user = UserFactory()
    mine = CartOwner(user=user)
    cart_services.cart_add_line(owner=mine, variant_id=variant.pk, quantity=1, source="test")
    order = start(mine).order  # left open on the phone
    guest = guest_cart((VariantFactory(price="5.00", stock_on_hand=10), 2))

    cart_services.cart_merge(user=user, guest_token=guest.token, source="test")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "cart_changed"
    assert cart_summary(owner=mine).total_items == 3


def test_a_merge_that_moves_nothing_keeps_the_users_checkout(variant):
    user = UserFactory()
    mine = CartOwner(user=user)
    cart_services.cart_add_line(owner=mine, variant_id=variant.pk, quantity=1, source="test")
    order = start(mine).order
    gone = VariantFactory(price="5.00", stock_on_hand=10)
    guest = guest_cart((gone, 1))
    Variant.objects.filter(pk=gone.pk).update(status=Variant.Status.ARCHIVED)

    result = cart_services.cart_merge(user=user, guest_token=guest.token, source="test")

    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert result.dropped and "no longer available" in result.message
    assert CartEvent.objects.filter(type=CartEvent.Type.CART_MERGED, user=user).exists()


def test_a_shoppers_own_checkout_does_not_put_their_cart_out_of_stock():
    last_four = VariantFactory(price="40.00", stock_on_hand=4)
    owner = guest_cart((last_four, 4))
    first = start(owner).order  # then the shopper comes back to the cart

    mine = cart_summary(owner=owner)
    again = start(owner).order

    assert mine.is_valid and mine.lines[0].available_stock == 4
    assert mine.lines[0].stock_label == "Only 4 left"
    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED and first.cancel_reason == "replaced"
    assert again.status == Order.Status.PENDING_PAYMENT
    assert available(last_four) == 0  # still held from everyone else


def test_someone_elses_checkout_still_counts_against_my_cart():
    last_four = VariantFactory(price="40.00", stock_on_hand=4)
    mine = guest_cart((last_four, 2))
    start(guest_cart((last_four, 3)))

    [line] = cart_summary(owner=mine).lines

    assert line.available_stock == 1
    assert line.blocking_issue.type == "insufficient_stock"


def test_staff_fulfil_and_refund(variant):
    order = start(guest_cart((variant, 1))).order
    services.order_mark_paid(order_id=order.pk)

    services.order_fulfil(order_id=order.pk)
    refunded = services.order_refund(order_id=order.pk)

    assert refunded.status == Order.Status.REFUNDED
    assert [h.to_status for h in refunded.history.all()] == [
        "pending_payment",
        "paid",
        "fulfilled",
        "refunded",
    ]


def test_a_logged_in_shopper_owns_the_order(variant):
    user = UserFactory()
    owner = CartOwner(user=user)
    cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")

    order = start(owner, email=user.email).order

    assert order.user == user


def test_product_page_and_api_show_availability_net_of_reservations(variant, client):
    start(guest_cart((variant, 7)))

    page = client.get(variant.product.get_absolute_url())
    api = client.get(f"/api/v1/products/{variant.product.slug}/")

    assert "Only 3 left" in page.text
    assert api.json()["variants"][0]["available_stock"] == 3


def test_the_cart_refuses_what_others_hold(variant):
    start(guest_cart((variant, 8)))

    with pytest.raises(PurchaseRefusedError) as refused:
        guest_cart((variant, 3))

    assert refused.value.message == "Only 2 left in stock"


def test_variants_never_go_below_zero(variant, django_capture_on_commit_callbacks):
    other = VariantFactory(stock_on_hand=1)
    order = start(guest_cart((other, 1))).order
    Variant.objects.filter(pk=other.pk).update(stock_on_hand=0)  # staff counted none left

    with django_capture_on_commit_callbacks(execute=True):
        services.order_mark_paid(order_id=order.pk, payment_intent="pi_nothing_left")

    other.refresh_from_db()
    assert other.stock_on_hand == 0
    order.refresh_from_db()
    # Not a sale of stock that is not there: the order ended and the money went back.
    assert order.cancel_reason == "refunded_payment"
    assert order.status == Order.Status.REFUNDED
    assert order.history.filter(to_status=Order.Status.REFUNDED).exists()
