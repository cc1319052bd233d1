"""Emails about accounts, sent by Celery tasks after the change they follow has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from shop.models import User
from shop.tokens import email_confirmation_token


def email_confirmation_send(*, user_id: int, base_url: str) -> bool:
    """Email the user a link confirming their address; returns False, sending nothing, for an
    account that is gone, inactive or confirmed already."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_confirmed:
        return False
    path = reverse("shop:email-confirm", kwargs={"token": email_confirmation_token(user)})
    context = {
        "user": user,
        "confirm_url": f"{settings.SITE_URL or base_url}{path}",
        "days": settings.EMAIL_CONFIRMATION_DAYS,
        "SHOP_NAME": settings.SHOP_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("%(shop)s: confirm your email address") % {"shop": settings.SHOP_NAME}
        text = render_to_string("shop/email/email_confirmation.txt", context)
        html = render_to_string("shop/email/email_confirmation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
