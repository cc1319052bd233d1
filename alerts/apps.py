from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Back-in-stock and price-drop alerts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from alerts import receivers
        from cart.models import WishlistItem
        from inventory.signals import stock_changed

        stock_changed.connect(receivers.stock_alerts_queue, dispatch_uid="alerts-stock-changed")
        post_save.connect(
            receivers.price_watch_start, sender=WishlistItem, dispatch_uid="alerts-price-watch"
        )
