"""The rules of loyalty points, one by one, through the real checkout: earning on payment,
holding at checkout start, taking on payment, giving back, refunds, staff adjustments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout import services as checkout_services
from checkout.models import Order
from loyalty import services
from loyalty.exceptions import (
    NotEnoughPointsError,
    PointsAccountRequiredError,
    PointsAdjustmentError,
    PointsReasonRequiredError,
)
from loyalty.models import PointsAccount, PointsEntry
from loyalty.selectors import points_summary
from shop.models import OutboxTask
from tests.factories import PromoCodeFactory
from tests.helpers import guest_cart, start
from tests.loyalty.helpers import account_of, assert_ledger_adds_up, checkout, pay

pytestmark = pytest.mark.django_db

Kind = PointsEntry.Kind


@pytest.fixture(autouse=True)
def _tax(settings):
    settings.TAX_RATE = Decimal("0.10")
    settings.LOYALTY_POINT_VALUE = Decimal("0.01")
    settings.LOYALTY_POINTS_PER_UNIT = 1
    settings.LOYALTY_PENDING_DAYS = 14


def test_points_are_worth_the_point_value_and_earned_per_whole_unit(settings):
    settings.LOYALTY_POINTS_PER_UNIT = 2

    assert services.points_value(250) == Decimal("2.50")
    assert services.points_worth_at_most(Decimal("4.999")) == 499
    assert services.points_earned_for(Decimal("99.99")) == 198
    assert services.points_earned_for(Decimal("-3")) == 0


def test_a_paid_order_earns_pending_points_for_its_merchandise_only(user, variant):
    # 2 x 40.00 = 80.00 merchandise, free shipping over 75, 8.00 tax: 80 points, not 88.
    order = pay(checkout(user, variant, quantity=2))
    pay(order)

    account = account_of(user)
    assert order.total == Decimal("88.00")
    assert (account.balance, account.pending) == (0, 80)
    [earned] = account.entries.all()
    assert (earned.kind, earned.points, earned.order_id) == (Kind.EARNED, 80, order.pk)
    assert timedelta(days=13, hours=23) < earned.available_at - timezone.now() <= timedelta(14)
    assert_ledger_adds_up(user)


def test_points_are_earned_after_promo_discounts_in_whole_units(user, variant):
    PromoCodeFactory(code="SAVE15", value=Decimal("15"))

    pay(checkout(user, variant, quantity=1, promo_code="SAVE15"))  # 40.00 - 6.00

    assert account_of(user).pending == 34


def test_each_unit_earns_the_points_per_unit(user, variant, settings):
    settings.LOYALTY_POINTS_PER_UNIT = 3

    pay(checkout(user, variant))

    assert account_of(user).pending == 120


def test_guests_earn_nothing(variant):
    pay(start(guest_cart((variant, 1))).order)

    assert not PointsEntry.objects.exists()


def test_an_unpaid_order_earns_nothing(user, variant):
    order = checkout(user, variant)
    checkout_services.order_cancel(order_id=order.pk, reason="payment_failed")

    assert not PointsEntry.objects.exists()


def test_the_beat_job_makes_due_points_available_once(user, variant):
    pay(checkout(user, variant))
    later = timezone.now() + timedelta(days=15)

    assert services.points_make_available_due(now=later - timedelta(days=2)) == 0
    assert services.points_make_available_due(now=later) == 1
    assert services.points_make_available_due(now=later) == 0

    account = account_of(user)
    assert (account.balance, account.pending) == (40, 0)
    assert account.entries.filter(kind=Kind.AVAILABLE).get().points == 40
    assert_ledger_adds_up(user)


def test_the_beat_job_runs_from_celery_and_is_scheduled(user, variant, settings):
    from loyalty.tasks import points_make_available_due_task

    settings.LOYALTY_PENDING_DAYS = 0
    pay(checkout(user, variant))

    assert points_make_available_due_task.delay().get() == 1
    assert account_of(user).balance == 40
    tasks = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "loyalty.tasks.points_make_available_due_task" in tasks


def test_redeeming_lowers_the_total_before_tax_and_holds_the_points(user, variant, give_points):
    give_points(user, 1000)

    order = checkout(user, variant, redeem=500)

    # 40.00 - 5.00 of points + 5.00 shipping, tax 10% on 40.00.
    assert (order.points_redeemed, order.points_discount) == (500, Decimal("5.00"))
    assert (order.subtotal, order.shipping_total, order.tax_total) == (
        Decimal("40.00"),
        Decimal("5.00"),
        Decimal("4.00"),
    )
    assert order.total == order.amount_due == Decimal("44.00")
    assert [(c["source"], c["points"], c["amount"]) for c in order.claims] == [
        ("points", 500, "5.00")
    ]
    account = account_of(user)
    assert account.balance == 500
    assert account.entries.get(kind=Kind.HELD).points == -500
    assert_ledger_adds_up(user)


def test_payment_redeems_the_held_points_and_earns_on_what_was_paid(user, variant, give_points):
    give_points(user, 1000)

    order = pay(checkout(user, variant, redeem=500))
    pay(order)

    account = account_of(user)
    assert order.status == Order.Status.PAID
    assert (account.balance, account.pending) == (500, 35)
    assert account.entries.get(order=order, kind=Kind.REDEEMED).points == -500
    assert not account.entries.filter(kind__in=[Kind.HELD, Kind.RELEASED]).exists()
    assert_ledger_adds_up(user)


def test_points_are_redeemed_up_to_the_merchandise_total(user, variant, give_points):
    give_points(user, 10_000)

    order = checkout(user, variant, redeem=10_000)

    assert (order.points_redeemed, order.points_discount) == (4000, Decimal("40.00"))
    assert order.total == Decimal("5.50")  # shipping and its tax
    assert account_of(user).balance == 6000


def test_points_paying_everything_pay_the_order_at_once(user, variant, give_points, settings):
    settings.TAX_RATE = Decimal("0")
    give_points(user, 10_000)

    order = checkout(user, variant, quantity=2, redeem=8000)  # free shipping over 75

    assert order.status == Order.Status.PAID
    assert (order.total, order.amount_due, order.payment_session_id) == (Decimal("0"), 0, None)
    account = account_of(user)
    assert (account.balance, account.pending) == (2000, 0)
    assert account.entries.get(kind=Kind.REDEEMED).points == -8000
    assert OutboxTask.objects.filter(name="checkout.tasks.order_confirmation_send_task").exists()


def test_no_redeeming_beyond_the_balance_and_nothing_is_made(user, variant, give_points):
    give_points(user, 100)

    with pytest.raises(NotEnoughPointsError):
        checkout(user, variant, redeem=101)

    assert not Order.objects.exists()
    assert account_of(user).balance == 100
    assert not account_of(user).entries.filter(kind=Kind.HELD).exists()


def test_guests_cannot_redeem_points_and_nothing_is_made(variant):
    from checkout.claims import ClaimsRequest

    with pytest.raises(PointsAccountRequiredError):
        start(guest_cart((variant, 1)), claims=ClaimsRequest(redeem_points=10))

    assert not Order.objects.exists()


@pytest.mark.parametrize("ending", ["payment_failed", "expired", "cart_changed", "replaced"])
def test_an_order_ending_unpaid_gives_its_points_back_once(user, variant, give_points, ending):
    give_points(user, 1000)
    order = checkout(user, variant, redeem=300)

    if ending == "payment_failed":
        checkout_services.local_payment_complete(order_id=order.pk, succeed=False)
    elif ending == "expired":
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
        checkout_services.orders_expire_due()
    elif ending == "cart_changed":
        cart_services.cart_add_line(
            owner=CartOwner(user=user), variant_id=variant.pk, quantity=1, source="test"
        )
    else:
        start(CartOwner(user=user))
    checkout_services.order_cancel(order_id=order.pk, reason="expired")

    order.refresh_from_db()
    account = account_of(user)
    assert order.status == Order.Status.CANCELLED
    assert account.balance == 1000
    assert account.entries.get(kind=Kind.RELEASED, order=order).points == 300
    assert_ledger_adds_up(user)


def test_starting_again_gives_back_the_earlier_hold_and_holds_anew(user, variant, give_points):
    give_points(user, 1000)
    first = checkout(user, variant, redeem=600)

    from checkout.claims import ClaimsRequest

    second = start(CartOwner(user=user), claims=ClaimsRequest(redeem_points=900)).order

    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    assert second.points_redeemed == 900
    assert account_of(user).balance == 100
    assert_ledger_adds_up(user)


def test_a_late_payment_takes_the_points_again_when_they_are_still_there(
    user, variant, give_points
):
    give_points(user, 1000)
    order = checkout(user, variant, redeem=300)
    checkout_services.order_cancel(order_id=order.pk, reason="expired")

    order = checkout_services.order_mark_paid(order_id=order.pk)

    account = account_of(user)
    assert order.status == Order.Status.PAID
    assert account.balance == 700
    assert account.entries.get(kind=Kind.REDEEMED).points == -300
    assert_ledger_adds_up(user)


def test_a_late_payment_whose_points_were_spent_is_refunded(user, variant, give_points):
    give_points(user, 1000)
    order = checkout(user, variant, redeem=300)
    checkout_services.order_cancel(order_id=order.pk, reason="expired")
    services.points_adjust(user_id=user.pk, points=-800, reason="spent elsewhere")

    order = checkout_services.order_mark_paid(order_id=order.pk, payment_intent="pi_late")

    account = account_of(user)
    assert order.status == Order.Status.CANCELLED
    assert "loyalty points" in order.history.last().note
    assert OutboxTask.objects.filter(name="checkout.tasks.order_refund_task").exists()
    assert (account.balance, account.pending) == (200, 0)
    assert not account.entries.filter(kind__in=[Kind.REDEEMED, Kind.EARNED]).exists()
    assert_ledger_adds_up(user)


def test_a_refund_returns_used_points_and_takes_back_pending_ones(user, variant, give_points):
    give_points(user, 1000)
    order = pay(checkout(user, variant, redeem=300))

    checkout_services.order_refund(order_id=order.pk)
    checkout_services.order_refund(order_id=order.pk)

    account = account_of(user)
    assert (account.balance, account.pending) == (1000, 0)
    assert account.entries.get(kind=Kind.RETURNED).points == 300
    assert account.entries.get(kind=Kind.CLAWED_BACK).points == -37
    # Taken back while pending: they never become usable.
    assert services.points_make_available_due(now=timezone.now() + timedelta(days=60)) == 0
    assert account_of(user).balance == 1000
    assert_ledger_adds_up(user)


def test_a_refund_never_takes_the_balance_below_zero_and_records_the_rest(user, variant):
    order = pay(checkout(user, variant, quantity=2))  # earns 80
    services.points_make_available_due(now=timezone.now() + timedelta(days=15))
    services.points_adjust(user_id=user.pk, points=-50, reason="spent on a mug")

    checkout_services.order_refund(order_id=order.pk)

    account = account_of(user)
    assert account.balance == 0
    clawed = account.entries.get(kind=Kind.CLAWED_BACK)
    assert (clawed.points, clawed.shortfall) == (-30, 50)
    assert_ledger_adds_up(user)


def test_a_refund_gives_back_used_points_before_taking_back_earned_ones(
    user, variant, give_points
):
    give_points(user, 500)
    order = pay(checkout(user, variant, quantity=2, redeem=500))  # earns 75
    services.points_make_available_due(now=timezone.now() + timedelta(days=15))
    services.points_adjust(user_id=user.pk, points=-75, reason="spent")

    checkout_services.order_refund(order_id=order.pk)

    account = account_of(user)
    assert account.balance == 425
    assert account.entries.get(kind=Kind.CLAWED_BACK).shortfall == 0
    assert_ledger_adds_up(user)


def test_a_refund_of_an_order_without_points_changes_nothing(variant):
    order = pay(start(guest_cart((variant, 1))).order)

    checkout_services.order_refund(order_id=order.pk)

    assert not PointsAccount.objects.exists()


def test_staff_adjust_with_a_reason_never_below_zero(user, staff_user):
    entry = services.points_adjust(
        user_id=user.pk, points=250, reason=" goodwill ", staff=staff_user
    )
    assert (entry.kind, entry.points, entry.reason, entry.created_by) == (
        Kind.ADJUSTED,
        250,
        "goodwill",
        staff_user,
    )

    with pytest.raises(PointsReasonRequiredError):
        services.points_adjust(user_id=user.pk, points=5, reason="  ")
    with pytest.raises(PointsAdjustmentError):
        services.points_adjust(user_id=user.pk, points=-251, reason="too much")
    with pytest.raises(PointsAdjustmentError):
        services.points_adjust(user_id=user.pk, points=0, reason="nothing")

    assert account_of(user).balance == 250
    assert_ledger_adds_up(user)


def test_the_summary_of_a_shopper_without_points_creates_nothing(user):
    summary = points_summary(user=user)

    assert (summary.balance, summary.pending, list(summary.entries)) == (0, 0, [])
    assert not PointsAccount.objects.exists()


def test_every_service_step_twice_changes_nothing_more(user, variant, give_points):
    give_points(user, 1000)
    order = checkout(user, variant, redeem=200)

    for _ in range(2):
        services.points_hold(user_id=user.pk, order_id=order.pk, points=200)
    order = pay(order)
    for _ in range(2):
        assert services.points_take(user_id=user.pk, order_id=order.pk, points=200) is None
        services.points_earn(user_id=user.pk, order_id=order.pk, earnable=Decimal("38"))
        services.points_release(user_id=user.pk, order_id=order.pk)

    account = account_of(user)
    assert (account.balance, account.pending) == (800, 38)
    assert account.entries.count() == 3


def test_gift_cards_bought_earn_no_points_but_paying_with_one_does(user, variant, settings):
    from cart import services as cart_services
    from tests.factories.giftcards import gift_card, gift_card_variant

    settings.TAX_RATE = Decimal("0")
    card_variant = gift_card_variant(price="25.00")
    owner = CartOwner(user=user)
    cart_services.cart_add_line(
        owner=owner,
        variant_id=card_variant.pk,
        quantity=2,
        properties={"recipient_email": "friend@example.com"},
        source="test",
    )
    cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")
    pay(start(owner).order)  # 50.00 of gift cards and 40.00 of merchandise
    assert account_of(user).pending == 40

    card = gift_card("30.00")
    paid_by_card = pay(checkout(user, variant, gift_cards=[card.code]))

    assert paid_by_card.gift_card_total == Decimal("30.00")
    assert account_of(user).entries.get(order=paid_by_card, kind=Kind.EARNED).points == 40


def test_points_and_a_gift_card_paying_everything_then_refunded_give_both_back(
    user, variant, give_points, settings
):
    from giftcards.models import GiftCard
    from tests.factories.giftcards import gift_card

    settings.TAX_RATE = Decimal("0")
    give_points(user, 5000)
    card = gift_card("20.00")

    order = checkout(user, variant, redeem=5000, gift_cards=[card.code])

    # 40.00 of merchandise all paid by 4,000 points; the card pays the 5.00 shipping.
    assert order.status == Order.Status.PAID
    assert (order.points_redeemed, order.total, order.gift_card_total, order.amount_due) == (
        4000,
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("0.00"),
    )
    assert (account_of(user).balance, account_of(user).pending) == (1000, 0)

    checkout_services.order_refund(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert account_of(user).balance == 5000
    assert GiftCard.objects.get().balance == Decimal("20.00")
    assert_ledger_adds_up(user)
