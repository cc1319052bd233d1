"""Inventory's receivers of signals from the floors below."""

from inventory.announce import stock_changed_announce


def variant_stock_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """Tell the floors above when a save (the admin's, a sync's) may have set stock on hand."""
    if update_fields is None or "stock_on_hand" in update_fields:
        stock_changed_announce([instance.pk])
