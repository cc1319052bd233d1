"""Cart events: what happened to a cart, with the analytics fields every event carries."""

from cart.models import CartEvent
from cart.selectors import CartSummary


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
