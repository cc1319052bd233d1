"""What staff do to orders after payment: fulfil and refund."""

from django.db import transaction

from checkout import payments
from checkout.claims import claims_refund
from checkout.exceptions import OrderNotFoundError, OrderStateError
from checkout.locks import lock_orders
from checkout.models import Order
from checkout.services.payment import record_status
from shop.metrics import CHECKOUT_OPERATIONS, counted


@transaction.atomic
def order_fulfil(*, order_id: int) -> Order:
    """Mark a paid order as shipped. Raises OrderStateError for any other status."""
    orders = lock_orders(Order.objects.filter(pk=order_id))
    if not orders:
        raise OrderNotFoundError()
    order = orders[0]
    if order.status != Order.Status.PAID:
        raise OrderStateError()
    record_status(order, Order.Status.FULFILLED, "fulfilled")
    order.status = Order.Status.FULFILLED
    order.save(update_fields=["status", "updated_at"])
    return order


@counted(CHECKOUT_OPERATIONS, "refund")
def order_refund(*, order_id: int, note: str = "refunded") -> Order:
    """Refund a paid or fulfilled order in full: gift cards first, then the payment provider.

    What the order spent and earned above checkout goes back first, under the order's lock
    (order_claims_refund: gift card balances, used points; earned points taken back); then
    the provider is called outside any lock (with an idempotency key per order) for what it
    charged, if anything; then the order is marked refunded. A retry after a provider error
    gives nothing back twice. Raises OrderStateError, PaymentProviderError."""
    order = Order.objects.get(pk=order_id)
    refundable = {Order.Status.PAID, Order.Status.FULFILLED}
    stranded = order.status == Order.Status.CANCELLED and bool(order.payment_intent_id)
    if order.status == Order.Status.REFUNDED:
        return order
    if order.status not in refundable and not stranded:
        raise OrderStateError()
    if not stranded:
        with transaction.atomic():
            [order] = lock_orders(Order.objects.filter(pk=order_id))
            if order.status not in refundable:
                return order
            claims_refund(order)
    if order.amount_due or stranded:
        refund_id = payments.refund(order)
    else:
        refund_id = "gift cards and points only"
    with transaction.atomic():
        [order] = lock_orders(Order.objects.filter(pk=order_id))
        if order.status != Order.Status.REFUNDED:
            record_status(order, Order.Status.REFUNDED, f"{note} ({refund_id})")
            order.status = Order.Status.REFUNDED
            order.refund_failed_at = None
            order.save(update_fields=["status", "refund_failed_at", "updated_at"])
    return order
