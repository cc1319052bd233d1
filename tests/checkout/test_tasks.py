"""The order confirmation goes once, however often its task is delivered."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from checkout.tasks import order_confirmation_send_task
from shop.models import SentEmail
from tests.factories import VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    return start(guest_cart((VariantFactory(), 1))).order


def test_a_confirmation_delivered_twice_is_sent_once(order):
    first = order_confirmation_send_task.apply(args=[order.pk])
    second = order_confirmation_send_task.apply(args=[order.pk])

    assert first.state == second.state == "SUCCESS"
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    assert SentEmail.objects.get(kind="order_confirmation", object_id=order.pk).sent_at


def test_a_confirmation_arriving_while_the_first_is_being_sent_waits_its_turn(order):
    SentEmail.objects.create(kind="order_confirmation", object_id=order.pk)  # sending now

    with pytest.raises(Retry):  # later, when the first has sent it or its claim has lapsed
        order_confirmation_send_task.apply(args=[order.pk])

    assert mail.outbox == []


def test_a_send_cut_short_by_a_killed_process_goes_out_on_redelivery(order):
    # The pool process claimed the send and was killed before it could finish.
    SentEmail.objects.create(
        kind="order_confirmation",
        object_id=order.pk,
        claimed_at=timezone.now() - timedelta(minutes=10),
    )

    order_confirmation_send_task.apply(args=[order.pk])

    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
