"""Paying, failing, expiring and cancelling orders: one function per rule, reached from the
Stripe webhook, the success page, the local payment page, the admin and the Celery tasks.

Locks follow shop/locks.py: the cart, then orders, then promo codes, then (through inventory)
variants. No lock is held while Stripe is called. Tasks are enqueued by name through the
outbox, once the change they follow has committed.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cart.live import carts_live_announce
from cart.locks import lock_cart
from cart.models import Cart
from cart.services import cart_convert
from checkout import payments
from checkout.claims import claims_release, claims_take, order_paid_announce
from checkout.exceptions import OrderNotFoundError
from checkout.locks import lock_orders, lock_promo
from checkout.models import Order, OrderLine, OrderStatusChange, PromoCode, PromoRedemption
from checkout.promotions import promo_limit_refusal, promo_uses
from inventory.services import stock_release, stock_take
from shop.metrics import CHECKOUT_OPERATIONS, counted
from shop.outbox import task_send_after_commit

logger = logging.getLogger(__name__)

CONFIRMATION_TASK = "checkout.tasks.order_confirmation_send_task"
REFUND_TASK = "checkout.tasks.order_refund_task"
SESSION_EXPIRE_TASK = "checkout.tasks.payment_session_expire_task"


def _order_stock_lines(order: Order) -> list[tuple[int, int]]:
    return list(order.lines.exclude(variant_id=None).values_list("variant_id", "quantity"))


def record_status(
    order: Order, to_status: str, note: str = "", from_status: str | None = None
) -> None:
    OrderStatusChange.objects.create(
        order=order,
        from_status=order.status if from_status is None else from_status,
        to_status=to_status,
        note=note[:200],
    )


def expire_session_after_commit(order: Order) -> None:
    if order.payment_session_id and payments.uses_stripe():
        task_send_after_commit(SESSION_EXPIRE_TASK, session_id=order.payment_session_id)


def cancel_locked(
    order: Order, *, reason: str, note: str = "", expire_session: bool = True
) -> bool:
    """Cancel a locked order waiting for payment: release its stock, promo claim and the claims
    of the apps above checkout (gift cards, points), and
    (unless told not to) end its Checkout Session so it can no longer be paid."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return False
    now = timezone.now()
    stock_release(order_id=order.pk)
    claims_release(order, reason=reason)
    PromoRedemption.objects.filter(order=order, status=PromoRedemption.Status.CLAIMED).update(
        status=PromoRedemption.Status.RELEASED
    )
    record_status(order, Order.Status.CANCELLED, note or reason)
    order.status = Order.Status.CANCELLED
    order.cancel_reason = reason
    order.cancelled_at = now
    order.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    if expire_session:
        expire_session_after_commit(order)
    if order.cart_id:  # its holds are gone: the cart's pages show the stock as it now is
        carts_live_announce(cart_ids=[order.cart_id])
    return True


def find_order(*, order_id: int | None = None, session_id: str = "") -> dict:
    orders = Order.objects.all()
    if order_id is not None:
        orders = orders.filter(pk=order_id)
    elif session_id:
        orders = orders.filter(payment_session_id=session_id)
    else:
        raise OrderNotFoundError()
    found = orders.values("pk", "cart_id").first()
    if found is None:
        raise OrderNotFoundError()
    return found


def session_mismatch(*, session: payments.SessionState, order: Order) -> str | None:
    """Why a paid payment session does not pay this order (another amount or currency, in
    words for the log); None when it charges exactly what the order leaves to pay by card (its
    total less what gift cards pay)."""
    if session.currency != order.currency.upper():
        return (
            f"the session is in {session.currency or 'no currency'}, the order in {order.currency}"
        )
    if session.amount_total != order.amount_due:
        if order.gift_card_total:
            return (
                f"the session charges {session.amount_total}, gift cards leave "
                f"{order.amount_due} of the order's {order.total} to pay"
            )
        return f"the session charges {session.amount_total}, the order totals {order.total}"
    return None


@counted(CHECKOUT_OPERATIONS, "mark_paid")
def order_mark_paid(
    *, order_id: int | None = None, session_id: str = "", payment_intent: str = "", note: str = ""
) -> Order:
    """Record an order's payment, once: the claims of the apps above checkout are taken (gift
    cards spent, points used), stock becomes sales, the cart is converted, the promo use
    counts, the apps above are told (order_paid), and a confirmation email is queued.

    Safe to call again and from several places at once (webhook, success page, test page):
    the order is re-read under its cart's and its own lock and a paid order is returned as
    it is. Other checkouts of the same cart still waiting for payment end, so one cart is
    never paid twice; a payment that arrives anyway, or for stock no longer there, is
    refunded; so is one whose gift card balance or points were spent elsewhere since a
    cancellation released them. A payment for an order already cancelled otherwise becomes a sale; if its promo
    code's limits no longer allow the use (the claim was given back when it was cancelled),
    the sale and its discount stand, the use counts, and the order is flagged
    `promo_over_limit` for staff. The cart is converted only if it still holds what was
    ordered. Raises OrderNotFoundError.
    """
    found = find_order(order_id=order_id, session_id=session_id)
    with transaction.atomic():
        cart = lock_cart(Cart.objects.filter(pk=found["cart_id"])) if found["cart_id"] else None
        orders = Order.objects.filter(pk=found["pk"])
        if cart is not None:
            orders |= Order.objects.filter(cart=cart, status=Order.Status.PENDING_PAYMENT)
        locked = lock_orders(orders)
        [order] = [o for o in locked if o.pk == found["pk"]]
        if order.status in {Order.Status.PAID, Order.Status.FULFILLED, Order.Status.REFUNDED}:
            return order
        if payment_intent:
            order.payment_intent_id = payment_intent
        was_cancelled = order.status == Order.Status.CANCELLED
        redemption = PromoRedemption.objects.filter(order=order).first()
        over_limit = _late_promo_over_limit(order, redemption) if redemption else None
        if _cart_already_paid(order):
            return _refund_unwanted_payment(order, "paid again for a cart already paid")
        refusal = _claims_and_stock_take(order)
        if refusal:
            return _refund_unwanted_payment(order, refusal)
        note = note or ("paid after cancellation" if was_cancelled else "paid")
        if over_limit:
            note = f"{note}; promo {order.promo_code} over its limit, flagged for staff"
            logger.warning(
                "Order %s paid late with promo %s beyond its limits (%s): sale kept, flagged",
                order.number,
                order.promo_code,
                over_limit,
            )
        record_status(order, Order.Status.PAID, note)
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.cancel_reason = ""
        order.promo_over_limit = bool(over_limit)
        order.save(
            update_fields=[
                "status",
                "paid_at",
                "cancel_reason",
                "payment_intent_id",
                "promo_over_limit",
                "updated_at",
            ]
        )
        if redemption is not None:
            redemption.status = PromoRedemption.Status.REDEEMED
            redemption.save(update_fields=["status"])
            PromoCode.objects.filter(pk=redemption.promo_id).update(times_used=F("times_used") + 1)
        for other in locked:
            if other.pk != order.pk:
                cancel_locked(other, reason="replaced", note=f"{order.number} was paid instead")
        if (
            cart is not None
            and cart.status == Cart.Status.OPEN
            and cart.version == order.cart_version
        ):
            cart_convert(cart=cart, reference=order.number, user=order.user)
        order_paid_announce(order)
        task_send_after_commit(CONFIRMATION_TASK, order_id=order.pk)
        return order


class _NotTaken(Exception):
    pass


def _claims_and_stock_take(order: Order) -> str | None:
    """Take the order's claims (gift cards, points), then its stock, all or nothing; why not
    (for the order's history) when something is gone, else None."""
    try:
        with transaction.atomic():  # a savepoint: a claim taken is undone if the stock is gone
            refusal = claims_take(order)
            if refusal:
                raise _NotTaken(f"paid after {refusal}")
            if not stock_take(order_id=order.pk, lines=_order_stock_lines(order)):
                raise _NotTaken("paid after the stock was gone")
    except _NotTaken as exc:
        return str(exc)
    return None


def _late_promo_over_limit(order: Order, redemption: PromoRedemption) -> str | None:
    """Lock the order's promo code; if the order's claim was given back (it was cancelled)
    and the code's limits no longer allow this use, say why."""
    promo = lock_promo(redemption.promo.code)
    if promo is None or redemption.status != PromoRedemption.Status.RELEASED:
        return None
    uses, customer_uses = promo_uses(
        promo=promo, email=redemption.email, user=redemption.user, exclude_order_id=order.pk
    )
    return promo_limit_refusal(promo=promo, uses=uses, customer_uses=customer_uses)


def _cart_already_paid(order: Order) -> bool:
    """Whether another order made from the same cart, as it was then, is already paid."""
    return (
        order.cart_id is not None
        and Order.objects.filter(
            cart_id=order.cart_id,
            cart_version=order.cart_version,
            status__in=[Order.Status.PAID, Order.Status.FULFILLED],
        )
        .exclude(pk=order.pk)
        .exists()
    )


@transaction.atomic
def order_refund_failed(*, order_id: int, error: str) -> Order:
    """Record that an order's refund ran out of retries: the money is still taken, so the order
    shows in the reconciliation report and the refund-failed metric until staff retry it.
    Raises OrderNotFoundError."""
    orders = lock_orders(Order.objects.filter(pk=order_id))
    if not orders:
        raise OrderNotFoundError()
    order = orders[0]
    if order.status == Order.Status.REFUNDED:
        return order
    order.refund_failed_at = timezone.now()
    record_status(order, order.status, f"refund failed after every retry: {error}")
    order.save(update_fields=["refund_failed_at", "updated_at"])
    logger.error("The refund of order %s ran out of retries: %s", order.number, error)
    return order


def _refund_unwanted_payment(order: Order, why: str) -> Order:
    """A payment the shop cannot honour: the (locked) order ends cancelled and the money goes
    back. Its Checkout Session is complete, so it is not expired."""
    note = f"{why}: refunding"
    if not cancel_locked(order, reason="refunded_payment", note=note, expire_session=False):
        record_status(order, order.status, note)
    order.save(update_fields=["payment_intent_id", "updated_at"])
    task_send_after_commit(REFUND_TASK, order_id=order.pk, note=why)
    return order


@counted(CHECKOUT_OPERATIONS, "cancel")
def order_cancel(*, order_id: int | None = None, session_id: str = "", reason: str) -> Order:
    """Cancel an order still waiting for payment (failed, expired, abandoned): its stock and
    promo claim are released and the cart stays as it was. A no-op for any other status.
    Raises OrderNotFoundError."""
    found = find_order(order_id=order_id, session_id=session_id)
    with transaction.atomic():
        [order] = lock_orders(Order.objects.filter(pk=found["pk"]))
        cancel_locked(order, reason=reason)
        return order


def checkout_cancel_for_cart_change(*, cart_id: int) -> int:
    """End every checkout of a cart that just changed (its cart row is locked by the caller),
    so what is paid is always what the shopper last saw. Returns how many were ended."""
    pending = lock_orders(
        Order.objects.filter(cart_id=cart_id, status=Order.Status.PENDING_PAYMENT)
    )
    return sum(cancel_locked(order, reason="cart_changed") for order in pending)


def payment_sync(*, order: Order) -> Order:
    """Ask the payment provider how an open order stands and apply it (the success page's way
    of showing a paid order before the webhook arrives)."""
    if order.status != Order.Status.PENDING_PAYMENT or not order.payment_session_id:
        return order
    state = payments.session_state(order.payment_session_id)
    if state is None:
        return order
    if state.is_paid:
        problem = session_mismatch(session=state, order=order)
        if problem:
            logger.warning("Order %s not marked paid: %s", order.number, problem)
            return order
        return order_mark_paid(order_id=order.pk, payment_intent=state.payment_intent)
    if state.status == "expired":
        return order_cancel(order_id=order.pk, reason="expired")
    return order


def orders_expire_due(*, now=None, batch_size: int = 200) -> int:
    """Cancel orders whose payment time ran out, releasing their stock. Returns how many."""
    now = now or timezone.now()
    done = 0
    while True:
        due = list(
            Order.objects.filter(status=Order.Status.PENDING_PAYMENT, expires_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for order_id in due:
            done += (
                order_cancel(order_id=order_id, reason="expired").status == Order.Status.CANCELLED
            )
        if len(due) < batch_size:
            return done


def order_line_issued_record(*, line_id: int, issued: list[str]) -> None:
    """Note on an order line what its payment issued (for the buyer's confirmation and pages),
    inside the payment's transaction; recording the same again changes nothing."""
    OrderLine.objects.filter(pk=line_id).update(issued=issued)
