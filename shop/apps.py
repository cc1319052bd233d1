from celery.signals import worker_ready
from django.apps import AppConfig
from django.core.signals import request_finished


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from shop import receivers

        request_finished.connect(
            receivers.request_id_forget, dispatch_uid="shop-request-id-forget"
        )
        worker_ready.connect(
            receivers.outbox_flush_at_worker_start, dispatch_uid="shop-outbox-flush-at-start"
        )
