"""Checkout's receivers of signals from the floors below and from Django."""

from django.db import DatabaseError

from cart.services import cart_checkout_ended
from checkout.selectors import orders_refund_failed
from checkout.services import checkout_cancel_for_cart_change, guest_orders_attach
from shop.metrics import ORDERS_REFUND_FAILED


def checkout_end_on_cart_change(sender, cart, **kwargs) -> None:
    """A cart changed: end its open checkouts, so what is paid is what the shopper last saw."""
    if cart.in_checkout:
        checkout_cancel_for_cart_change(cart_id=cart.pk)
        cart_checkout_ended(cart=cart)


def guest_orders_join_on_confirm(sender, user, **kwargs) -> None:
    """An account's email was just confirmed: its guest orders with that email join it."""
    guest_orders_attach(user=user)


def guest_orders_join_on_login(sender, request, user, **kwargs) -> None:
    """A shopper with a confirmed email logged in: guest orders placed with it since join."""
    guest_orders_attach(user=user)


def metrics_gauges_refresh(sender, environ=None, **kwargs) -> None:
    """Before /metrics answers, count from the database the orders staff must act on, so the
    gauge is right whichever process (web or worker) changed them."""
    if (environ or {}).get("PATH_INFO") != "/metrics":
        return
    try:
        ORDERS_REFUND_FAILED.set(orders_refund_failed().count())
    except DatabaseError:  # /metrics still answers with the database down
        ORDERS_REFUND_FAILED.set(float("nan"))
