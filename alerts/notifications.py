"""The alert emails, each with a one-click unsubscribe (RFC 8058), sent by Celery tasks."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from alerts import services
from alerts.models import StockAlert
from cart.models import Cart
from catalog.models import DEFAULT_VARIANT_NAME
from recovery.links import unsubscribe_token
from recovery.models import EmailOptOut
from shop.models import User


def _variant_label(variant) -> str:
    return "" if variant.name == DEFAULT_VARIANT_NAME else variant.display_name


def _product_url(base: str, variant) -> str:
    path = reverse("storefront:product-detail", args=[variant.product.slug])
    return f"{base}{path}?variant={variant.slug}"


def _send(
    *, subject: tuple[str, dict], template: str, context: dict, to: str, kind: str, base: str
) -> None:
    """Send one alert email in the shop's language; `subject` is (untranslated text, its
    values besides the shop's name). It carries a one-click unsubscribe from `kind`."""
    unsubscribe_url = base + reverse("recovery:unsubscribe", args=[unsubscribe_token(to, kind)])
    context = {**context, "unsubscribe_url": unsubscribe_url, "SHOP_NAME": settings.SHOP_NAME}
    with translation.override(settings.LANGUAGE_CODE):
        text_subject = gettext(subject[0]) % {"shop": settings.SHOP_NAME, **subject[1]}
        text = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        text_subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def stock_alert_confirmation_send(*, alert_id: int) -> bool:
    """Email a guest the link that confirms their back-in-stock alert; False (nothing sent)
    once it is confirmed or ended."""
    alert = (
        StockAlert.objects.select_related("variant__product")
        .filter(pk=alert_id, confirmed_at__isnull=True, ended_at__isnull=True)
        .first()
    )
    if alert is None:
        return False
    base = settings.SITE_URL or alert.site_url
    token = services.stock_alert_confirmation_token(alert)
    _send(
        subject=(gettext_noop("%(shop)s: confirm your back-in-stock alert"), {}),
        template="stock_alert_confirm",
        context={
            "product": alert.variant.product,
            "variant": alert.variant,
            "confirm_url": base + reverse("alerts:stock-alert-confirm", args=[token]),
            "days": settings.STOCK_ALERT_CONFIRM_DAYS,
        },
        to=alert.email,
        kind=EmailOptOut.Kind.BACK_IN_STOCK,
        base=base,
    )
    return True


def _stock_alert_email(alert: StockAlert) -> None:
    base = settings.SITE_URL or alert.site_url
    _send(
        subject=(
            gettext_noop("%(shop)s: %(product)s is back in stock"),
            {"product": alert.variant.product.name},
        ),
        template="back_in_stock",
        context={
            "product": alert.variant.product,
            "variant": alert.variant,
            "variant_label": _variant_label(alert.variant),
            "product_url": _product_url(base, alert.variant),
        },
        to=services.stock_alert_recipient(alert),
        kind=EmailOptOut.Kind.BACK_IN_STOCK,
        base=base,
    )


def stock_alerts_send(*, alert_ids: list[int]) -> int:
    """Email a batch of ended back-in-stock alerts, each once. Returns how many went."""
    return services.stock_alerts_send(alert_ids=alert_ids, send=_stock_alert_email)


def _price_drop_email(user: User, drops: list[services.PriceDrop]) -> None:
    site = Cart.objects.filter(user=user).exclude(site_url="").order_by("-pk").first()
    base = settings.SITE_URL or (site.site_url if site else "")
    _send(
        subject=(gettext_noop("%(shop)s: prices dropped on your wishlist"), {}),
        template="price_drop",
        context={
            "drops": [
                {
                    "drop": drop,
                    "label": _variant_label(drop.variant),
                    "url": _product_url(base, drop.variant),
                }
                for drop in drops
            ],
            "wishlist_url": base + reverse("wishlist:detail"),
            "percent": settings.PRICE_DROP_ALERT_PERCENT,
        },
        to=user.email,
        kind=EmailOptOut.Kind.PRICE_DROP,
        base=base,
    )


def price_drop_digest_send(*, user_id: int, day: str) -> bool:
    """Email a shopper their wishlist's price drops, at most once for `day`."""
    return services.price_drop_digest_send(user_id=user_id, day=day, send=_price_drop_email)
