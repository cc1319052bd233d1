"""Emails about orders, sent by Celery tasks after the change they report has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from checkout.models import Order
from shop.services import email_send_once


def order_confirmation_send(*, order_id: int) -> bool:
    """Email the shopper their paid order (HTML and text), once however often it is asked;
    returns whether it went now. Raises EmailBeingSentError while another run sends it."""
    return email_send_once(
        kind="order_confirmation", object_id=order_id, send=lambda: _send(order_id)
    )


def _send(order_id: int) -> None:
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    base = settings.SITE_URL or order.site_url
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "SHOP_NAME": settings.SHOP_NAME,
        "orders_url": f"{base}{reverse('checkout:order-list')}" if order.user_id else "",
        "shop_url": f"{base}/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{settings.SHOP_NAME}: order {order.number} confirmed"
        text = render_to_string("checkout/email/order_confirmation.txt", context)
        html = render_to_string("checkout/email/order_confirmation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [order.email])
    message.attach_alternative(html, "text/html")
    message.send()
