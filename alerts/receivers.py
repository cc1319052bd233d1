"""Alerts' receivers of signals from the floors below."""

from alerts import services


def stock_alerts_queue(sender, variant_ids: list[int], **kwargs) -> None:
    """Stock of these variants changed (after commit): if anyone waits for one, queue the job
    that emails those back in stock."""
    services.stock_alerts_notify_later(variant_ids=variant_ids)


def price_watch_start(sender, instance, created: bool = False, **kwargs) -> None:
    """A shopper's new wishlist item: remember the price they see now, to measure drops from."""
    if created and instance.user_id is not None:
        services.price_watch_start(user_id=instance.user_id, variant_id=instance.variant_id)
