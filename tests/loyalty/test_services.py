"""The rules of loyalty points, one by one, on real orders and the real database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cart.selectors import CartOwner
from loyalty import services
from loyalty.exceptions import (
    NotEnoughPointsError,
    PointsAccountRequiredError,
    PointsAdjustmentError,
    PointsInvalidError,
    PointsReasonRequiredError,
)
from loyalty.models import PointsAccount, PointsEntry
from loyalty.selectors import points_ledger_totals, points_summary
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

Kind = PointsEntry.Kind


def pending_order(variant, user=None):
    owner = CartOwner(user=user) if user else guest_cart((variant, 1))
    if user:
        from cart import services as cart_services

        cart_services.cart_add_line(owner=owner, variant_id=variant.pk, quantity=1, source="test")
    return start(owner).order


def account_of(user) -> PointsAccount:
    return PointsAccount.objects.get(user=user)


def assert_ledger_adds_up(user):
    account = account_of(user)
    assert points_ledger_totals(account=account) == (account.balance, account.pending)


def test_points_are_worth_the_point_value_and_earned_per_whole_unit(settings):
    settings.LOYALTY_POINT_VALUE = Decimal("0.01")
    settings.LOYALTY_POINTS_PER_UNIT = 2

    assert services.points_value(250) == Decimal("2.50")
    assert services.points_worth_at_most(Decimal("4.999")) == 499
    assert services.points_earned_for(Decimal("99.99")) == 198
    assert services.points_earned_for(Decimal("-3")) == 0


@pytest.mark.parametrize("raw", ["-1", "1.5", "abc", 2.0, True, "\x00", "99999999999"])
def test_points_to_redeem_must_be_a_whole_number_not_below_zero(raw):
    with pytest.raises(PointsInvalidError):
        services.points_parse(raw)


@pytest.mark.parametrize(("raw", "points"), [(None, 0), ("", 0), (" 12 ", 12), (7, 7)])
def test_blank_asks_for_no_points(raw, points):
    assert services.points_parse(raw) == points


def test_a_paid_order_earns_pending_points_for_its_merchandise(user, variant, settings):
    settings.LOYALTY_PENDING_DAYS = 14
    order = pending_order(variant, user)
    now = timezone.now()

    services.points_order_paid(
        user_id=user.pk, order_id=order.pk, points=0, earnable=Decimal("39.99"), now=now
    )
    services.points_order_paid(
        user_id=user.pk, order_id=order.pk, points=0, earnable=Decimal("39.99"), now=now
    )

    account = account_of(user)
    assert (account.balance, account.pending) == (0, 39)
    [earned] = account.entries.all()
    assert (earned.kind, earned.points, earned.order_id) == (Kind.EARNED, 39, order.pk)
    assert earned.available_at == now + timedelta(days=14)
    assert_ledger_adds_up(user)


def test_guests_earn_nothing(variant):
    order = pending_order(variant)

    assert (
        services.points_order_paid(
            user_id=None, order_id=order.pk, points=0, earnable=Decimal("40")
        )
        is None
    )
    assert not PointsEntry.objects.exists()


def test_the_beat_job_makes_due_points_available_once(user, variant):
    order = pending_order(variant, user)
    then = timezone.now() - timedelta(days=15)
    services.points_order_paid(
        user_id=user.pk, order_id=order.pk, points=0, earnable=Decimal("40"), now=then
    )
    other = pending_order(variant, user)
    services.points_order_paid(user_id=user.pk, order_id=other.pk, points=0, earnable=Decimal("5"))

    assert services.points_make_available_due() == 1
    assert services.points_make_available_due() == 0

    account = account_of(user)
    assert (account.balance, account.pending) == (40, 5)
    assert account.entries.filter(kind=Kind.AVAILABLE).get().points == 40
    assert_ledger_adds_up(user)


def test_the_beat_job_runs_from_celery(user, variant):
    from loyalty.tasks import points_make_available_due_task

    order = pending_order(variant, user)
    services.points_order_paid(
        user_id=user.pk,
        order_id=order.pk,
        points=0,
        earnable=Decimal("12"),
        now=timezone.now() - timedelta(days=30),
    )

    assert points_make_available_due_task.delay().get() == 1
    assert account_of(user).balance == 12


def test_the_beat_job_is_scheduled(settings):
    tasks = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "loyalty.tasks.points_make_available_due_task" in tasks


def test_holding_points_takes_them_out_of_the_balance(user, variant, give_points):
    give_points(user, 500)
    order = pending_order(variant, user)

    assert services.points_hold(user_id=user.pk, order_id=order.pk, points=300) == 300
    assert services.points_hold(user_id=user.pk, order_id=order.pk, points=300) == 300

    assert account_of(user).balance == 200
    assert account_of(user).entries.get(kind=Kind.HELD).points == -300
    assert_ledger_adds_up(user)


def test_no_hold_beyond_the_balance_and_nothing_written(user, variant, give_points):
    give_points(user, 100)
    order = pending_order(variant, user)

    with pytest.raises(NotEnoughPointsError):
        services.points_hold(user_id=user.pk, order_id=order.pk, points=101)

    assert account_of(user).balance == 100
    assert not account_of(user).entries.filter(kind=Kind.HELD).exists()


def test_guests_cannot_redeem_points(variant):
    order = pending_order(variant)

    with pytest.raises(PointsAccountRequiredError):
        services.points_hold(user_id=None, order_id=order.pk, points=1)
    assert services.points_hold(user_id=None, order_id=order.pk, points=0) == 0


def test_released_points_come_back_once(user, variant, give_points):
    give_points(user, 500)
    order = pending_order(variant, user)
    services.points_hold(user_id=user.pk, order_id=order.pk, points=300)

    assert services.points_release(user_id=user.pk, order_id=order.pk) == 300
    assert services.points_release(user_id=user.pk, order_id=order.pk) == 0

    assert account_of(user).balance == 500
    assert_ledger_adds_up(user)


def test_payment_redeems_the_held_points(user, variant, give_points):
    give_points(user, 500)
    order = pending_order(variant, user)
    services.points_hold(user_id=user.pk, order_id=order.pk, points=300)

    services.points_order_paid(user_id=user.pk, order_id=order.pk, points=300, earnable=Decimal(0))
    services.points_order_paid(user_id=user.pk, order_id=order.pk, points=300, earnable=Decimal(0))
    assert services.points_release(user_id=user.pk, order_id=order.pk) == 0

    account = account_of(user)
    assert account.balance == 200
    assert account.entries.get(order=order).kind == Kind.REDEEMED
    assert_ledger_adds_up(user)


def test_a_late_payment_after_release_takes_what_is_left(user, variant, give_points):
    give_points(user, 500)
    order = pending_order(variant, user)
    services.points_hold(user_id=user.pk, order_id=order.pk, points=300)
    services.points_release(user_id=user.pk, order_id=order.pk)
    services.points_adjust(user_id=user.pk, points=-400, reason="spent elsewhere")

    services.points_order_paid(user_id=user.pk, order_id=order.pk, points=300, earnable=Decimal(0))

    account = account_of(user)
    assert account.balance == 0
    redeemed = account.entries.get(kind=Kind.REDEEMED)
    assert (redeemed.points, redeemed.shortfall) == (-100, 200)
    assert_ledger_adds_up(user)


def test_a_refund_returns_used_points_and_takes_back_pending_ones(user, variant, give_points):
    give_points(user, 500)
    order = pending_order(variant, user)
    services.points_hold(user_id=user.pk, order_id=order.pk, points=300)
    services.points_order_paid(
        user_id=user.pk, order_id=order.pk, points=300, earnable=Decimal("37")
    )

    services.points_order_refunded(user_id=user.pk, order_id=order.pk)
    services.points_order_refunded(user_id=user.pk, order_id=order.pk)

    account = account_of(user)
    assert (account.balance, account.pending) == (500, 0)
    assert account.entries.get(kind=Kind.RETURNED).points == 300
    assert account.entries.get(kind=Kind.CLAWED_BACK).points == -37
    # Taken back while pending: they never become usable.
    assert services.points_make_available_due(now=timezone.now() + timedelta(days=60)) == 0
    assert account_of(user).balance == 500
    assert_ledger_adds_up(user)


def test_a_refund_never_takes_the_balance_below_zero(user, variant):
    order = pending_order(variant, user)
    services.points_order_paid(
        user_id=user.pk,
        order_id=order.pk,
        points=0,
        earnable=Decimal("80"),
        now=timezone.now() - timedelta(days=20),
    )
    services.points_make_available_due()
    services.points_adjust(user_id=user.pk, points=-50, reason="spent on a mug")

    services.points_order_refunded(user_id=user.pk, order_id=order.pk)

    account = account_of(user)
    assert account.balance == 0
    clawed = account.entries.get(kind=Kind.CLAWED_BACK)
    assert (clawed.points, clawed.shortfall) == (-30, 50)
    assert_ledger_adds_up(user)


def test_a_refund_of_an_order_without_points_changes_nothing(user, variant):
    order = pending_order(variant, user)

    assert services.points_order_refunded(user_id=user.pk, order_id=order.pk) is None
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
