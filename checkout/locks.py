"""Checkout's row locks: orders, then promo codes, lowest id first. The shop's one lock order
is in shop/locks.py: after carts, before variants."""

from django.db.models import QuerySet

from checkout.models import Order, PromoCode


def lock_orders(queryset: QuerySet[Order]) -> list[Order]:
    """Lock the orders the queryset matches, lowest primary key first."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def lock_promo(code: str) -> PromoCode | None:
    """Lock and return the promo code with this text (any case), or None."""
    return PromoCode.objects.select_for_update().filter(code=code.strip().upper()).first()
