"""Loyalty points: earned on paid orders, made usable after a while, held when a checkout
starts, taken when its order is paid, given back when it ends unpaid, settled on a refund,
adjusted by staff. One function per rule, each under the shopper's account row lock
(loyalty/locks.py), each safe to call twice for the same order; every change of a balance
writes one ledger entry.
"""

import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import ngettext

from checkout.locks import lock_orders
from checkout.models import Order
from giftcards.selectors import gift_card_variant_ids
from loyalty.exceptions import (
    NotEnoughPointsError,
    PointsAccountRequiredError,
    PointsAdjustmentError,
    PointsReasonRequiredError,
)
from loyalty.locks import lock_account
from loyalty.models import PointsAccount, PointsEntry
from shop.money import ZERO, quantize_money

Kind = PointsEntry.Kind


def points_value(points: int) -> Decimal:
    """What a number of points takes off an order, in the shop's currency."""
    return quantize_money(Decimal(points) * settings.LOYALTY_POINT_VALUE)


def points_worth_at_most(amount: Decimal) -> int:
    """The most points whose value does not exceed the amount (none for nothing)."""
    if amount <= ZERO or settings.LOYALTY_POINT_VALUE <= 0:
        return 0
    return math.floor(amount / settings.LOYALTY_POINT_VALUE)


def points_earned_for(amount: Decimal) -> int:
    """Points earned for an amount paid for merchandise: per whole unit of currency."""
    if amount <= ZERO:
        return 0
    return math.floor(amount) * settings.LOYALTY_POINTS_PER_UNIT


def points_reference(points: int) -> str:
    """How redeemed points read on an order and in its Stripe session ("500 points")."""
    return ngettext("%(points)d point", "%(points)d points", points) % {"points": points}


def order_earnable(order) -> Decimal:
    """What a paid order paid for merchandise: its lines after promo discounts and redeemed
    points; never tax or shipping, never gift cards bought (they earn when spent)."""
    lines = list(order.lines.all())
    gift_cards = gift_card_variant_ids(line.variant_id for line in lines)
    bought_cards = sum((line.line_total for line in lines if line.variant_id in gift_cards), ZERO)
    merchandise = order.subtotal - bought_cards - order.discount_total - order.points_discount
    return max(merchandise, ZERO)


def _entry(account: PointsAccount, kind: str, *, balance: int = 0, pending: int = 0, **fields):
    """Write one ledger entry and move the (locked) account by the same amounts."""
    if balance or pending:
        PointsAccount.objects.filter(pk=account.pk).update(
            balance=F("balance") + balance, pending=F("pending") + pending, updated_at=Now()
        )
        account.balance += balance
        account.pending += pending
    return PointsEntry.objects.create(
        account=account, kind=kind, balance_change=balance, pending_change=pending, **fields
    )


def _order_entries(account: PointsAccount, order_id: int) -> dict[str, PointsEntry]:
    return {e.kind: e for e in PointsEntry.objects.filter(account=account, order_id=order_id)}


@transaction.atomic
def points_hold(*, user_id: int | None, order_id: int, points: int) -> int:
    """Hold points for an order whose checkout is starting: out of the balance, under the
    account's lock, so two checkouts never spend the same points. Returns the points held.
    Raises PointsAccountRequiredError (a guest), NotEnoughPointsError."""
    if points <= 0:
        return 0
    if user_id is None:
        raise PointsAccountRequiredError()
    account = lock_account(user_id=user_id)
    held = _order_entries(account, order_id)
    if Kind.HELD in held or Kind.REDEEMED in held:
        return -(held.get(Kind.HELD) or held[Kind.REDEEMED]).balance_change
    if account.balance < points:
        raise NotEnoughPointsError(balance=account.balance)
    _entry(account, Kind.HELD, balance=-points, order_id=order_id)
    return points


@transaction.atomic
def points_release(*, user_id: int | None, order_id: int) -> int:
    """Give back the points held for an order that ended unpaid (cancelled, expired, replaced,
    its cart changed). Returns the points given back; nothing the second time."""
    if user_id is None or not PointsEntry.objects.filter(order_id=order_id).exists():
        return 0
    account = lock_account(user_id=user_id)
    entries = _order_entries(account, order_id)
    held = entries.get(Kind.HELD)
    if held is None or Kind.RELEASED in entries:
        return 0
    _entry(account, Kind.RELEASED, balance=-held.balance_change, order_id=order_id)
    return -held.balance_change


@transaction.atomic
def points_take(*, user_id: int | None, order_id: int, points: int) -> str | None:
    """Redeem the points held for an order being paid, once. An order paid after it ended
    (its points were given back) takes them again only if the balance still has them; else
    returns why it cannot (the payment is then refunded), and None when all is taken."""
    if user_id is None or points <= 0:
        return None
    account = lock_account(user_id=user_id)
    entries = _order_entries(account, order_id)
    if Kind.REDEEMED in entries:
        return None
    held = entries.get(Kind.HELD)
    if held is not None and Kind.RELEASED not in entries:
        held.kind = Kind.REDEEMED
        held.save(update_fields=["kind"])
        return None
    if account.balance < points:
        return f"{points} loyalty points held for it were given back and spent since"
    _entry(account, Kind.REDEEMED, balance=-points, order_id=order_id)
    return None


@transaction.atomic
def points_earn(
    *, user_id: int | None, order_id: int, earnable: Decimal, now: datetime | None = None
) -> int:
    """Earn points for a paid order, once: LOYALTY_POINTS_PER_UNIT per whole unit of
    `earnable` (what was paid for merchandise), pending for LOYALTY_PENDING_DAYS. Returns the
    points earned (none for a guest)."""
    points = points_earned_for(earnable)
    if user_id is None or points <= 0:
        return 0
    now = now or timezone.now()
    account = lock_account(user_id=user_id)
    if Kind.EARNED in _order_entries(account, order_id):
        return 0
    _entry(
        account,
        Kind.EARNED,
        pending=points,
        order_id=order_id,
        available_at=now + timedelta(days=settings.LOYALTY_PENDING_DAYS),
    )
    return points


@transaction.atomic
def points_order_refunded(*, user_id: int | None, order_id: int) -> PointsAccount | None:
    """Settle a refunded order's points, once: the points it used come back, then the points
    it earned are taken back (from pending if not usable yet, else from the balance, never
    below zero: what could not be taken back is recorded as a shortfall)."""
    if user_id is None or not PointsEntry.objects.filter(order_id=order_id).exists():
        return None
    account = lock_account(user_id=user_id)
    entries = _order_entries(account, order_id)
    redeemed = entries.get(Kind.REDEEMED)
    if redeemed is not None and Kind.RETURNED not in entries and redeemed.balance_change:
        _entry(account, Kind.RETURNED, balance=-redeemed.balance_change, order_id=order_id)
    earned = entries.get(Kind.EARNED)
    if earned is not None and Kind.CLAWED_BACK not in entries:
        points = earned.pending_change
        if earned.made_available_at is None:
            # Still pending: those points will never become usable.
            earned.available_at = None
            earned.save(update_fields=["available_at"])
            _entry(account, Kind.CLAWED_BACK, pending=-points, order_id=order_id)
        else:
            taken = min(points, account.balance)
            _entry(
                account,
                Kind.CLAWED_BACK,
                balance=-taken,
                shortfall=points - taken,
                order_id=order_id,
            )
    return account


def points_make_available_due(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Make earned points whose pending time is over usable. Returns how many entries."""
    now = now or timezone.now()
    done = 0
    while True:
        due = list(
            PointsEntry.objects.filter(
                kind=Kind.EARNED, made_available_at__isnull=True, available_at__lte=now
            )
            .order_by("available_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        done += sum(_make_available(entry_id=entry_id, now=now) for entry_id in due)
        if len(due) < batch_size:
            return done


@transaction.atomic
def _make_available(*, entry_id: int, now: datetime) -> bool:
    user_id, order_id = (
        PointsEntry.objects.filter(pk=entry_id).values_list("account__user_id", "order_id").get()
    )
    # The ledger row names its order, which locks the order's key: take the order first, as
    # the shop's lock order says, so a refund of the same order (order, then account) waits
    # for us or we for it, never both.
    lock_orders(Order.objects.filter(pk=order_id))
    account = lock_account(user_id=user_id)
    earned = PointsEntry.objects.get(pk=entry_id)
    if earned.made_available_at is not None or earned.available_at is None:
        return False
    points = earned.pending_change
    _entry(account, Kind.AVAILABLE, balance=points, pending=-points, order_id=earned.order_id)
    PointsEntry.objects.filter(pk=entry_id).update(made_available_at=now)
    return True


@transaction.atomic
def points_adjust(*, user_id: int, points: int, reason: str, staff=None) -> PointsEntry:
    """Add (or, negative, take) points by hand, saying why. Raises PointsReasonRequiredError,
    PointsAdjustmentError (no change, or the balance would go below zero)."""
    reason = (reason or "").strip()
    if not reason or "\x00" in reason:
        raise PointsReasonRequiredError()
    account = lock_account(user_id=user_id)
    if points == 0 or account.balance + points < 0:
        raise PointsAdjustmentError(balance=account.balance)
    return _entry(account, Kind.ADJUSTED, balance=points, reason=reason[:200], created_by=staff)
