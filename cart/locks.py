"""The cart's row locks, lowest id first. The shop's one lock order is in shop/locks.py:
carts come first."""

from collections.abc import Iterable

from django.db.models import QuerySet

from cart.models import Cart


def lock_cart(queryset: QuerySet[Cart]) -> Cart | None:
    """Lock and return the first cart the queryset matches, or None."""
    return queryset.select_for_update(of=("self",)).order_by("pk").first()


def lock_carts(cart_ids: Iterable[int]) -> list[Cart]:
    """Lock several carts, lowest primary key first."""
    return list(Cart.objects.select_for_update().filter(pk__in=set(cart_ids)).order_by("pk"))
