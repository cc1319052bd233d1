"""Cart events: what happened to a cart, with the analytics fields every event carries."""

from django.conf import settings
from django.core.cache import cache

from cart.models import CartEvent
from cart.selectors import CartOwner, CartSummary


def _analytics(summary: CartSummary, *, logged_in: bool, source: str) -> dict:
    return {
        "cart_id": summary.cart_id,
        "currency": summary.currency,
        "cart_value": str(summary.subtotal),
        "total_items": summary.total_items,
        "items": [
            {
                "product_id": line.product_id,
                "variant_id": line.variant_id,
                "sku": line.sku,
                "name": line.product_name,
                "variant": line.variant_name,
                "category": line.category_name,
                "quantity": line.quantity,
                "price": str(line.current_price),
            }
            for line in summary.lines
        ],
        "logged_in": logged_in,
        "source": source,
    }


def cart_event_record(
    *,
    event_type: str,
    summary: CartSummary,
    user=None,
    source: str,
    change: dict | None = None,
) -> CartEvent:
    """Record what happened to a cart, with the analytics fields every event carries."""
    payload = _analytics(summary, logged_in=user is not None, source=source)
    payload["change"] = change or {}
    return CartEvent.objects.create(
        type=event_type, cart_id=summary.cart_id, user=user, payload=payload
    )


def cart_record_view(*, owner: CartOwner, summary: CartSummary, source: str) -> None:
    """Record that the shopper looked at their cart: once per cart version and
    CART_VIEW_EVENT_MINUTES, so reloads and quick returns are one view (no cart, no event)."""
    if not summary.exists:
        return
    key = f"cart:viewed:{summary.cart_id}:{summary.version}"
    if cache.add(key, 1, timeout=settings.CART_VIEW_EVENT_MINUTES * 60) is False:
        return
    cart_event_record(
        event_type=CartEvent.Type.CART_VIEWED, summary=summary, user=owner.user, source=source
    )
