"""Writes the staff API makes that span floors: a variant's catalog data and its stock."""

from decimal import Decimal

from django.db import transaction

from catalog.models import Variant
from catalog.services import UNSET, variant_update
from inventory.services import stock_set


@transaction.atomic
def staff_variant_update(
    *,
    variant_id: int,
    stock: int | None = None,
    price: Decimal | None = None,
    status: str | None = None,
    compare_at_price=UNSET,
) -> Variant:
    """Sync a variant's stock on hand, price, compare-at price or status, all or nothing.
    Raises VariantNotFoundError."""
    if stock is not None:
        stock_set(variant_id=variant_id, quantity=stock)
    return variant_update(
        variant_id=variant_id, price=price, status=status, compare_at_price=compare_at_price
    )
