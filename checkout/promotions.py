"""Promo code rules: may this code be used on this order, and if not, why."""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from checkout.models import PromoCode, PromoRedemption
from shop.money import format_money

_COUNTING = [PromoRedemption.Status.CLAIMED, PromoRedemption.Status.REDEEMED]


def promo_find(code: str) -> PromoCode | None:
    """The promo code with this text, in any case."""
    code = code.strip().upper()
    if not code or len(code) > 40 or "\x00" in code:
        return None
    return PromoCode.objects.filter(code=code).first()


def promo_uses(
    *, promo: PromoCode, email: str, user=None, exclude_order_id=None
) -> tuple[int, int]:
    """(uses by everyone, uses by this customer), counting claims of open checkouts too."""
    redemptions = PromoRedemption.objects.filter(promo=promo, status__in=_COUNTING)
    if exclude_order_id is not None:
        redemptions = redemptions.exclude(order_id=exclude_order_id)
    customer = Q(email__iexact=email) if email else Q(pk__in=[])
    if user is not None:
        customer |= Q(user=user)
    return redemptions.count(), redemptions.filter(customer).count()


def promo_refusal(
    *, promo: PromoCode | None, subtotal: Decimal, uses: int = 0, customer_uses: int = 0
) -> str | None:
    """Why the promo cannot apply, in words for the shopper; None when it can."""
    now = timezone.now()
    if promo is None:
        return _("We don't know that promo code.")
    if not promo.is_active or (promo.ends_at is not None and promo.ends_at <= now):
        return _("This promo code has expired.")
    if promo.starts_at is not None and promo.starts_at > now:
        return _("This promo code isn't valid yet.")
    limited = promo_limit_refusal(promo=promo, uses=uses, customer_uses=customer_uses)
    if limited:
        return limited
    if subtotal < promo.min_subtotal:
        return _("This promo code needs a subtotal of at least %(amount)s.") % {
            "amount": format_money(promo.min_subtotal)
        }
    return None


def promo_limit_refusal(*, promo: PromoCode, uses: int, customer_uses: int) -> str | None:
    """Why the code's use limits allow no further use, in words for the shopper; None when
    they allow one more. `uses` and `customer_uses` leave out the use being checked."""
    if promo.max_uses is not None and uses >= promo.max_uses:
        return _("This promo code has been used up.")
    if promo.max_uses_per_customer is not None and customer_uses >= promo.max_uses_per_customer:
        return _("You have already used this promo code.")
    return None
