"""Points spent and given back by many hands at once, on PostgreSQL with real threads: each
point is spent once, no balance goes below zero, and the ledger adds up to the balance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from checkout import services as checkout_services
from checkout.claims import ClaimsRequest
from checkout.models import Order
from loyalty import services
from loyalty.models import PointsEntry
from tests.factories import UserFactory, VariantFactory
from tests.helpers import guest_cart, run_at_once, start
from tests.loyalty.helpers import account_of, assert_ledger_adds_up, checkout, fill_cart, pay

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Kind = PointsEntry.Kind


@pytest.fixture
def variant(shipping_methods):
    return VariantFactory(price="40.00", stock_on_hand=100)


def shopper_with(points: int):
    user = UserFactory()
    services.points_adjust(user_id=user.pk, points=points, reason="welcome")
    return user


def test_two_checkouts_of_one_shopper_redeeming_the_same_points_hold_them_once(variant):
    user = shopper_with(1000)
    owner = fill_cart(user, variant)

    errors = run_at_once(
        4, lambda i: start(owner, claims=ClaimsRequest(redeem_points=1000), source=f"t{i}")
    )
    connection.close()

    assert errors == []
    [open_order] = Order.objects.filter(status=Order.Status.PENDING_PAYMENT)
    assert open_order.points_redeemed == 1000
    assert Order.objects.filter(status=Order.Status.CANCELLED).count() == 3
    account = account_of(user)
    assert account.balance == 0
    assert account.entries.filter(kind=Kind.HELD).count() == 4
    assert account.entries.filter(kind=Kind.RELEASED).count() == 3
    assert_ledger_adds_up(user)


def test_two_orders_holding_the_same_points_at_once_one_gets_them(variant):
    user = shopper_with(1000)
    orders = [start(guest_cart((variant, 1))).order for _ in range(2)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(user=user)

    errors = run_at_once(
        2,
        lambda i: services.points_hold(user_id=user.pk, order_id=orders[i].pk, points=700),
    )

    assert [e.code for e in errors] == ["points_insufficient"]
    account = account_of(user)
    assert account.balance == 300
    assert account.entries.filter(kind=Kind.HELD).count() == 1
    assert_ledger_adds_up(user)


def test_checkout_and_staff_taking_points_at_once_never_go_below_zero(variant):
    user = shopper_with(1000)
    owner = fill_cart(user, variant)

    def work(i):
        if i == 0:
            start(owner, claims=ClaimsRequest(redeem_points=1000))
        else:
            services.points_adjust(user_id=user.pk, points=-600, reason="correction")

    errors = run_at_once(2, work)

    assert len(errors) == 1
    assert errors[0].code in {"points_insufficient", "invalid_points_adjustment"}
    account = account_of(user)
    assert account.balance in {0, 400}
    assert_ledger_adds_up(user)


def test_payment_and_expiry_racing_for_held_points_spend_them_once(variant):
    for _round in range(3):
        user = shopper_with(500)
        order = checkout(user, variant, redeem=500)
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())

        def work(i, order=order):
            if i == 0:
                checkout_services.order_mark_paid(order_id=order.pk, payment_intent="pi_race")
            else:
                checkout_services.orders_expire_due()

        errors = run_at_once(2, work)

        assert errors == []
        order.refresh_from_db()
        account = account_of(user)
        # Paid (perhaps after the expiry gave the points back: then taken again) or not at all.
        assert order.status == Order.Status.PAID
        assert account.balance == 0
        assert account.entries.filter(kind=Kind.REDEEMED).count() == 1
        assert_ledger_adds_up(user)


def test_a_refund_asked_twice_at_once_gives_back_once(variant):
    user = shopper_with(500)
    order = pay(checkout(user, variant, redeem=500))

    errors = run_at_once(3, lambda i: checkout_services.order_refund(order_id=order.pk))

    assert errors == []
    account = account_of(user)
    assert (account.balance, account.pending) == (500, 0)
    assert account.entries.filter(kind=Kind.RETURNED).count() == 1
    assert account.entries.filter(kind=Kind.CLAWED_BACK).count() == 1
    assert_ledger_adds_up(user)


def test_points_made_available_while_a_refund_takes_them_back_move_once(variant, settings):
    settings.TAX_RATE = Decimal("0")
    user = UserFactory()
    order = pay(checkout(user, variant))
    later = timezone.now() + timedelta(days=30)

    def work(i):
        if i == 0:
            services.points_make_available_due(now=later)
        else:
            checkout_services.order_refund(order_id=order.pk)

    errors = run_at_once(2, work)

    assert errors == []
    account = account_of(user)
    assert (account.balance, account.pending) == (0, 0)
    assert_ledger_adds_up(user)
