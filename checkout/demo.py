"""The demo promo code `manage.py seed_demo` creates."""

from checkout.models import PromoCode

DEMO_PROMO_CODE = "WELCOME10"


def demo_promo_ensure() -> str:
    """Create the demo's 10%-off code if missing; return its text."""
    PromoCode.objects.get_or_create(
        code=DEMO_PROMO_CODE,
        defaults={"kind": PromoCode.Kind.PERCENT, "value": 10, "description": "10% off (demo)"},
    )
    return DEMO_PROMO_CODE
