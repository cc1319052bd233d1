"""Stripe's webhook events, each applied at most once, in whatever order they come."""

import logging

from django.db import IntegrityError, transaction

from checkout import payments
from checkout.exceptions import OrderNotFoundError
from checkout.models import StripeEvent
from checkout.services.payment import find_order, order_cancel, order_mark_paid

logger = logging.getLogger(__name__)


# Stripe's Checkout Session events and what each does to its order.
_STRIPE_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


@transaction.atomic
def stripe_event_apply(*, event: payments.WebhookEvent) -> str:
    """Apply a verified Stripe webhook event at most once; events may come in any order.

    Returns what was done: "duplicate", "ignored", "paid", "cancelled", "waiting" or "unknown_order".
    """
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event.id[:255], type=event.type[:100])
    except IntegrityError:
        return "duplicate"
    if event.type not in _STRIPE_EVENTS:
        return "ignored"
    try:
        found = find_order(order_id=event.order_id, session_id=event.session.id)
    except OrderNotFoundError:
        try:
            found = find_order(session_id=event.session.id)
        except OrderNotFoundError:
            logger.warning("Stripe event %s names no order we know", event.id)
            return "unknown_order"
    record.order_id = found["pk"]
    record.save(update_fields=["order"])
    if event.type == "checkout.session.expired":
        order_cancel(order_id=found["pk"], reason="expired")
        return "cancelled"
    if event.type == "checkout.session.async_payment_failed":
        order_cancel(order_id=found["pk"], reason="payment_failed")
        return "cancelled"
    if event.type == "checkout.session.completed" and not event.session.is_paid:
        return "waiting"  # a delayed payment method: async_payment_succeeded follows
    order_mark_paid(order_id=found["pk"], payment_intent=event.session.payment_intent)
    return "paid"
