"""The task outbox under broker faults: a frozen broker never holds a request, a row is never
sent twice while its first send may still be running, and a starting worker flushes it."""

import pytest
from django.test import Client

from checkout.models import Order
from shop.models import OutboxTask
from tests.factories import VariantFactory
from tests.shop.frozen import celery_broker, frozen_server, timed

CONFIRMATION_TASK = "checkout.tasks.order_confirmation_send_task"
CHECKOUT_FORM = {
    "email": "guest@example.com",
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
    "action": "pay",
}


def _pay_link(variant) -> tuple[Client, str]:
    shopper = Client()
    shopper.post("/cart/add/", {"variant_id": variant.pk})
    return shopper, shopper.post("/checkout/", CHECKOUT_FORM).url


@pytest.mark.django_db(transaction=True)
def test_a_frozen_broker_does_not_hold_the_pay_request(shipping_methods):
    first, first_pay = _pay_link(VariantFactory(stock_on_hand=5))
    second, second_pay = _pay_link(VariantFactory(stock_on_hand=5))

    with frozen_server() as broker, celery_broker(broker.redis_url):
        paid, seconds = timed(lambda: first.post(first_pay, {"outcome": "pay"}), give_up_after=30)
        again, _ = timed(lambda: second.post(second_pay, {"outcome": "pay"}), give_up_after=30)

    # Hanging would last as long as the broker stays frozen; 2 s of socket timeout is the cost.
    assert seconds < 8, f"the pay request took {seconds:.1f} s"
    assert not isinstance(paid, BaseException), paid
    assert paid.status_code == 302 and not isinstance(again, BaseException)
    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.PAID}
    waiting = list(OutboxTask.objects.filter(name=CONFIRMATION_TASK).order_by("pk"))
    assert [row.dispatched_at for row in waiting] == [None, None]  # the minute flush sends them
    # The first send found the broker frozen; the second did not even try (the breaker).
    assert [row.attempts for row in waiting] == [1, 0]
