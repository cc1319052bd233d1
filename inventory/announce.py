"""Publishing `stock_changed` once the change commits."""

from collections.abc import Iterable

from django.db import transaction

from inventory.signals import stock_changed


def stock_changed_announce(variant_ids: Iterable[int]) -> None:
    """Send `stock_changed` for these variants once the current transaction commits."""
    ids = sorted(set(variant_ids))
    if ids:
        transaction.on_commit(
            lambda: stock_changed.send(sender=stock_changed_announce, variant_ids=ids),
            robust=True,
        )
