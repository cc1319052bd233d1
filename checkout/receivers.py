"""Checkout's receivers of signals from the floors below."""

from cart.services import cart_checkout_ended
from checkout.services import checkout_cancel_for_cart_change


def checkout_end_on_cart_change(sender, cart, **kwargs) -> None:
    """A cart changed: end its open checkouts, so what is paid is what the shopper last saw."""
    if cart.in_checkout:
        checkout_cancel_for_cart_change(cart_id=cart.pk)
        cart_checkout_ended(cart=cart)
