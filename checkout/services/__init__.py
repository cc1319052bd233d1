"""Checkout, payment and orders: every write, one function per rule, by sub-domain."""

from checkout.address import ShippingAddress
from checkout.services.accounts import guest_orders_attach
from checkout.services.local_payment import (
    local_payment_complete,
    local_payment_order,
    local_payment_token,
)
from checkout.services.payment import (
    checkout_cancel_for_cart_change,
    order_cancel,
    order_line_issued_record,
    order_mark_paid,
    order_refund_failed,
    orders_expire_due,
    payment_sync,
    session_mismatch,
)
from checkout.services.staff import order_fulfil, order_refund
from checkout.services.start import CheckoutStarted, checkout_start
from checkout.services.stripe_events import stripe_event_apply

__all__ = [
    "CheckoutStarted",
    "ShippingAddress",
    "checkout_cancel_for_cart_change",
    "checkout_start",
    "guest_orders_attach",
    "local_payment_complete",
    "local_payment_order",
    "local_payment_token",
    "order_cancel",
    "order_fulfil",
    "order_line_issued_record",
    "order_mark_paid",
    "order_refund",
    "order_refund_failed",
    "orders_expire_due",
    "payment_sync",
    "session_mismatch",
    "stripe_event_apply",
]
