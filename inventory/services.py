"""Writes to stock: hold it for an order, take it when the order is paid, release it when the
order ends, and set what is on hand. Each runs inside its caller's transaction (or its own)
and locks variant rows through inventory/locks.py, lowest id first.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.exceptions import VariantNotFoundError
from catalog.models import Variant
from inventory.announce import stock_changed_announce
from inventory.availability import stock_refusal
from inventory.exceptions import PurchaseRefusedError
from inventory.locks import lock_variants
from inventory.models import StockReservation
from inventory.selectors import available_by_variant

MAX_ID = 2**63 - 1


def _summed(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    wanted: dict[int, int] = {}
    for variant_id, quantity in lines:
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    return wanted


@transaction.atomic
def stock_reserve(
    *, order_id: int, cart_id: int | None, lines: Iterable[tuple[int, int]], expires_at: datetime
) -> None:
    """Hold (variant id, quantity) pairs for an order until `expires_at`, under variant locks.

    Raises PurchaseRefusedError for the first line that no longer fits; nothing is held then.
    """
    wanted = _summed(lines)
    lock_variants(wanted)
    available = available_by_variant(sorted(wanted))
    for variant_id, quantity in wanted.items():
        left = available.get(variant_id, 0)
        if quantity > left:
            raise PurchaseRefusedError(stock_refusal(left), variant_id=variant_id)
    StockReservation.objects.bulk_create(
        StockReservation(
            variant_id=variant_id,
            order_id=order_id,
            cart_id=cart_id,
            quantity=quantity,
            expires_at=expires_at,
        )
        for variant_id, quantity in wanted.items()
    )


@transaction.atomic
def stock_take(*, order_id: int, lines: Iterable[tuple[int, int]]) -> bool:
    """Turn an order's stock into sales under variant locks; False (nothing taken) when it is
    gone.

    Holds still in force are decrements already accounted for. A lapsed or released hold only
    becomes a sale if the stock is still free for someone else's sake. Taking twice is
    harmless for the caller only if it checks its order first: this takes what it is told.
    """
    wanted = _summed(lines)
    variants = lock_variants(wanted)
    held = {
        reservation.variant_id: reservation.quantity
        for reservation in StockReservation.objects.filter(
            order_id=order_id,
            status=StockReservation.Status.ACTIVE,
            expires_at__gt=timezone.now(),
        )
    }
    available = available_by_variant(sorted(wanted))
    for variant_id, quantity in wanted.items():
        if variant_id not in held and quantity > available.get(variant_id, 0):
            return False
        variant = variants.get(variant_id)
        if variant is None or quantity > variant.stock_on_hand:  # staff counted less since
            return False
    for variant_id, quantity in wanted.items():
        Variant.objects.filter(pk=variant_id).update(stock_on_hand=F("stock_on_hand") - quantity)
    StockReservation.objects.filter(order_id=order_id).exclude(
        status=StockReservation.Status.CONVERTED
    ).update(status=StockReservation.Status.CONVERTED)
    return True


def stock_release(*, order_id: int) -> int:
    """Let go of an order's holds still active; returns how many. A second call does nothing.
    Announces stock_changed for their variants once this commits."""
    active = StockReservation.objects.filter(
        order_id=order_id, status=StockReservation.Status.ACTIVE
    )
    variant_ids = list(active.values_list("variant_id", flat=True))
    released = active.update(status=StockReservation.Status.RELEASED)
    if released:
        stock_changed_announce(variant_ids)
    return released


@transaction.atomic
def stock_set(*, variant_id: int, quantity: int) -> Variant:
    """Set what is on hand of a variant (a count, or a sync from another system), under its
    row lock so no sale is lost in between. Raises VariantNotFoundError."""
    if not 0 < variant_id <= MAX_ID:
        raise VariantNotFoundError()
    variant = lock_variants([variant_id]).get(variant_id)
    if variant is None:
        raise VariantNotFoundError()
    if variant.stock_on_hand != quantity:
        variant.stock_on_hand = quantity
        variant.save(update_fields=["stock_on_hand", "updated_at"])
    return variant
