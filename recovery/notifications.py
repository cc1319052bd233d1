"""The abandoned-cart reminder email, sent by a Celery task after its event has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from cart.models import Cart
from cart.selectors import cart_load_lines, cart_summary_build
from recovery.links import cart_recovery_token, reminder_email_address, unsubscribe_token
from shop.services import email_send_once


def cart_reminder_send(*, cart_id: int) -> bool:
    """Email the cart's owner its lines, a link that restores it, and a way to opt out, once
    however often it is asked; returns whether it went now. Raises EmailBeingSentError while
    another run sends it."""
    return email_send_once(kind="cart_reminder", object_id=cart_id, send=lambda: _send(cart_id))


def _send(cart_id: int) -> None:
    cart = Cart.objects.select_related("user").get(pk=cart_id)
    email = reminder_email_address(cart)
    base = settings.SITE_URL or cart.site_url
    unsubscribe_url = base + reverse("recovery:unsubscribe", args=[unsubscribe_token(email)])
    context = {
        "cart": cart_summary_build(cart=cart, lines=cart_load_lines(cart)),
        "recover_url": base + reverse("recovery:recover", args=[cart_recovery_token(cart)]),
        "unsubscribe_url": unsubscribe_url,
        "SHOP_NAME": settings.SHOP_NAME,
        "link_days": settings.CART_RECOVERY_LINK_DAYS,
    }
    message = EmailMultiAlternatives(
        f"{settings.SHOP_NAME}: your cart is waiting",
        render_to_string("recovery/email/reminder.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("recovery/email/reminder.html", context), "text/html"
    )
    message.send()
