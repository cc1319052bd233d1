from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = "Loyalty points"

    def ready(self) -> None:
        from checkout import signals
        from loyalty import receivers

        for signal, receiver in [
            (signals.order_discounts_hold, receivers.points_discount_hold),
            (signals.order_claims_take, receivers.points_take),
            (signals.order_claims_release, receivers.points_release),
            (signals.order_claims_refund, receivers.points_refund),
            (signals.order_paid, receivers.points_earn),
        ]:
            signal.connect(receiver, dispatch_uid=f"loyalty-{receiver.__name__}")
