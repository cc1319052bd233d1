from django.apps import AppConfig
from django.db.models.signals import post_save


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Inventory"

    def ready(self) -> None:
        from catalog.models import Variant
        from inventory import receivers

        post_save.connect(
            receivers.variant_stock_saved, sender=Variant, dispatch_uid="inventory-stock-saved"
        )
