"""The abandoned-cart reminder goes once, however often its task is delivered."""

import pytest
from django.core import mail

from recovery.tasks import cart_reminder_send_task
from shop.models import SentEmail
from tests.factories import CartFactory, CartLineFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_reminder_delivered_twice_is_sent_once(settings):
    settings.SITE_URL = "http://shop.test"
    cart = CartFactory(user=UserFactory(email="ada@example.com"))
    CartLineFactory(cart=cart)

    cart_reminder_send_task.apply(args=[cart.pk])
    cart_reminder_send_task.apply(args=[cart.pk])

    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert SentEmail.objects.get(kind="cart_reminder", object_id=cart.pk).sent_at


def test_a_reminder_names_no_default_variant(settings):
    settings.SITE_URL = "http://shop.test"
    cart = CartFactory(user=UserFactory(email="ada@example.com"))
    CartLineFactory(cart=cart, variant__name="Default", variant__product__name="Copper Kettle")

    cart_reminder_send_task.apply(args=[cart.pk])

    [email] = mail.outbox
    for text in (email.body, email.alternatives[0][0]):
        assert "Copper Kettle" in text and "Default" not in text
