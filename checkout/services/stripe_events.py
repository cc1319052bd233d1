"""Stripe's webhook events, each applied at most once, in whatever order they come."""

import logging

from django.db import IntegrityError, transaction

from checkout import payments
from checkout.models import Order, StripeEvent
from checkout.services.payment import order_cancel, order_mark_paid, session_mismatch

logger = logging.getLogger(__name__)


# Stripe's Checkout Session events and what each does to its order.
_STRIPE_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


def _order_for_session(session_id: str) -> Order | None:
    """The order paid through this Checkout Session, if the shop created it at Stripe."""
    if not session_id:
        return None
    return Order.objects.filter(payment_session_id=session_id, payment_backend="stripe").first()


@transaction.atomic
def stripe_event_apply(*, event: payments.WebhookEvent) -> str:
    """Apply a verified Stripe webhook event at most once; events may come in any order.

    The order is the one whose own payment session the event is about, never the one its
    metadata names; a session the shop did not create, or one that charges another amount or
    currency than its order, changes nothing and is logged.

    Returns what was done: "duplicate", "ignored", "paid", "cancelled", "waiting",
    "unknown_order" or "amount_mismatch".
    """
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event.id[:255], type=event.type[:100])
    except IntegrityError:
        return "duplicate"
    if event.type not in _STRIPE_EVENTS:
        return "ignored"
    order = _order_for_session(event.session.id)
    if order is None:
        logger.warning(
            "Stripe event %s (%s) is about Checkout Session %r, which the shop did not create "
            "(its metadata names order %r); ignored",
            event.id,
            event.type,
            event.session.id,
            event.claimed_order_id,
        )
        return "unknown_order"
    record.order = order
    record.save(update_fields=["order"])
    if event.type == "checkout.session.expired":
        order_cancel(order_id=order.pk, reason="expired")
        return "cancelled"
    if event.type == "checkout.session.async_payment_failed":
        order_cancel(order_id=order.pk, reason="payment_failed")
        return "cancelled"
    if event.type == "checkout.session.completed" and not event.session.is_paid:
        return "waiting"  # a delayed payment method: async_payment_succeeded follows
    problem = session_mismatch(session=event.session, order=order)
    if problem:
        logger.warning(
            "Stripe event %s for order %s not applied: %s", event.id, order.number, problem
        )
        return "amount_mismatch"
    order_mark_paid(order_id=order.pk, payment_intent=event.session.payment_intent)
    return "paid"
