"""Deploy checks for payments: `manage.py check --deploy` fails on a shop that cannot take
money, or that lets anyone "pay" on the test page."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from checkout import payments


@register(Tags.security, deploy=True)
def payment_settings_check(app_configs=None, **kwargs) -> list[Error]:
    """The Stripe backend needs both its keys; the test backend needs ALLOW_TEST_PAYMENTS."""
    if payments.uses_stripe():
        return [
            Error(
                f"{name} is not set, so the shop cannot take payments through Stripe.",
                hint=f"Set {name} (PAYMENT_BACKEND is 'stripe'; it is the default under "
                "production settings).",
                id=check_id,
            )
            for name, check_id in (
                ("STRIPE_SECRET_KEY", "checkout.E001"),
                ("STRIPE_WEBHOOK_SECRET", "checkout.E002"),
            )
            if not getattr(settings, name)
        ]
    if not payments.test_payments_allowed():
        return [
            Error(
                "PAYMENT_BACKEND is 'test': a page where anyone can pay without money moving.",
                hint="Set PAYMENT_BACKEND=stripe with STRIPE_SECRET_KEY and "
                "STRIPE_WEBHOOK_SECRET, or ALLOW_TEST_PAYMENTS=true for a demo shop.",
                id="checkout.E003",
            )
        ]
    return []
