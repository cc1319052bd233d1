from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "checkout"
    verbose_name = "Checkout and orders"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_started

        from cart.signals import cart_changed
        from checkout import checks, receivers  # noqa: F401 (checks register on import)
        from shop.signals import email_confirmed

        cart_changed.connect(
            receivers.checkout_end_on_cart_change, dispatch_uid="checkout-end-on-cart-change"
        )
        email_confirmed.connect(
            receivers.guest_orders_join_on_confirm, dispatch_uid="checkout-guest-orders-confirm"
        )
        user_logged_in.connect(
            receivers.guest_orders_join_on_login, dispatch_uid="checkout-guest-orders-login"
        )
        request_started.connect(
            receivers.metrics_gauges_refresh, dispatch_uid="checkout-metrics-gauges-refresh"
        )
