"""Inventory's row locks: the variant rows whose stock is counted, lowest id first.

The shop's one lock order is written in shop/locks.py; variants come last.
"""

from collections.abc import Iterable

from catalog.models import Variant


def lock_variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    """Lock variant rows, lowest primary key first, and return them by id."""
    variants = Variant.objects.select_for_update().filter(pk__in=set(variant_ids)).order_by("pk")
    return {variant.pk: variant for variant in variants}
