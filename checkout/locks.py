"""The one place rows are locked, always in the same order, so writers never deadlock.

Order: carts, then orders, then promo codes, then variants; within each kind, by primary key.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from cart.models import Cart
from catalog.models import Variant
from checkout.models import Order, PromoCode


def lock_cart(queryset: QuerySet[Cart]) -> Cart | None:
    """Lock and return the first cart the queryset matches, or None."""
    return queryset.select_for_update(of=("self",)).order_by("pk").first()


def lock_carts(cart_ids: Iterable[int]) -> list[Cart]:
    """Lock several carts, lowest primary key first."""
    return list(Cart.objects.select_for_update().filter(pk__in=set(cart_ids)).order_by("pk"))


def lock_orders(queryset: QuerySet[Order]) -> list[Order]:
    """Lock the orders the queryset matches, lowest primary key first."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def lock_promo(code: str) -> PromoCode | None:
    """Lock and return the promo code with this text (any case), or None."""
    return PromoCode.objects.select_for_update().filter(code=code.strip().upper()).first()


def lock_variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    """Lock variant rows, lowest primary key first, and return them by id."""
    variants = Variant.objects.select_for_update().filter(pk__in=set(variant_ids)).order_by("pk")
    return {variant.pk: variant for variant in variants}
