"""How often the confirmation page may ask the payment provider how an order stands.

Every hit on `/checkout/success/` used to ask Stripe: reloading the page, or a script, could
spend the shop's API quota. The webhook settles orders anyway; the page's look-up only lets it
show a payment a little sooner.
"""

from django.conf import settings
from django.core.cache import cache

from checkout.models import Order
from shop.api.throttles import CartWriteThrottle


class PaymentSyncThrottle(CartWriteThrottle):
    """Provider look-ups per client (user, else address) at the shop's usual rate,
    RATE_LIMIT_CART_WRITES, counted on the page's GETs."""

    scope = "payment_sync"

    def allow_request(self, request, view) -> bool:
        # Skip CartWriteThrottle's pass for reads: this throttle is for one.
        return super(CartWriteThrottle, self).allow_request(request, view)


def payment_sync_due(request, order: Order) -> bool:
    """Whether this request may ask the provider about `order`: it still waits for payment,
    no one asked about it in the last PAYMENT_SYNC_INTERVAL_SECONDS, and this client is within
    its rate. (Without the cache, no one asks: the webhook still settles the order.)"""
    if order.status != Order.Status.PENDING_PAYMENT or not order.payment_session_id:
        return False
    interval = settings.PAYMENT_SYNC_INTERVAL_SECONDS
    if interval > 0 and not cache.add(f"checkout:payment-sync:{order.pk}", 1, timeout=interval):
        return False
    return PaymentSyncThrottle().allow_request(request, None)
