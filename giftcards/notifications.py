"""The email that hands a bought gift card to its recipient, sent once by a Celery task."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from checkout.models import Order
from giftcards.models import GiftCard
from giftcards.services import gift_card_code
from shop.services import email_send_once


def gift_card_send(*, card_id: int) -> bool:
    """Email a gift card's code to its recipient, once however often it is asked; returns
    whether it went now. Raises EmailBeingSentError while another run sends it."""
    return email_send_once(kind="gift_card", object_id=card_id, send=lambda: _send(card_id))


def _send(card_id: int) -> None:
    card = GiftCard.objects.get(pk=card_id)
    code = gift_card_code(card)
    if code is None or not card.recipient_email:
        return
    base = settings.SITE_URL or ""
    if not base and card.order_id:
        base = Order.objects.filter(pk=card.order_id).values_list("site_url", flat=True).first()
    context = {
        "card": card,
        "code": code,
        "SHOP_NAME": settings.SHOP_NAME,
        "balance_url": f"{base or ''}{reverse('giftcards:balance')}",
        "shop_url": f"{base or ''}/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{settings.SHOP_NAME}: a gift card for you"
        text = render_to_string("giftcards/email/gift_card.txt", context)
        html = render_to_string("giftcards/email/gift_card.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [card.recipient_email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
