from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "checkout"
    verbose_name = "Checkout and orders"

    def ready(self) -> None:
        from django.core.signals import request_started

        from cart.signals import cart_changed
        from checkout import checks, receivers  # noqa: F401 (checks register on import)

        cart_changed.connect(
            receivers.checkout_end_on_cart_change, dispatch_uid="checkout-end-on-cart-change"
        )
        request_started.connect(
            receivers.metrics_gauges_refresh, dispatch_uid="checkout-metrics-gauges-refresh"
        )
