"""The task outbox under broker faults: a frozen broker never holds a request, a row is never
sent twice while its first send may still be running, and a starting worker flushes it."""

import importlib
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from checkout.models import Order
from config.celery_app import app as celery_app
from shop.models import OutboxTask
from shop.outbox import outbox_flush
from tests.factories import VariantFactory
from tests.helpers import run_at_once
from tests.shop.frozen import celery_broker, dead_redis_url, frozen_server, timed

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


# --- one send per row ------------------------------------------------------------------------

SENT: list[int] = []


@celery_app.task(name="tests.shop.test_outbox.slow_send")
def slow_send(n: int) -> None:
    """Stands for a publish that takes a while (run in place, as tests run tasks)."""
    time.sleep(0.3)
    SENT.append(n)


def _waiting(count: int, **fields) -> list[OutboxTask]:
    created = timezone.now() - timedelta(minutes=5)
    return [
        OutboxTask.objects.create(
            name="tests.shop.test_outbox.slow_send", kwargs={"n": n}, created_at=created, **fields
        )
        for n in range(count)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_flushes_at_once_send_each_waiting_task_once():
    SENT.clear()
    _waiting(4)

    errors = run_at_once(2, lambda i: outbox_flush())

    assert errors == []
    assert sorted(SENT) == [0, 1, 2, 3]
    assert not OutboxTask.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_flush_leaves_a_task_whose_send_may_still_be_running():
    SENT.clear()
    [running] = _waiting(1, claimed_at=timezone.now() - timedelta(seconds=20))

    assert outbox_flush() == 0
    assert SENT == []

    # A claim that old was a process that died mid-send: the task goes out after all.
    OutboxTask.objects.filter(pk=running.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=10)
    )
    assert outbox_flush() == 1
    assert SENT == [0]


@pytest.mark.django_db
def test_a_flush_stops_at_the_first_send_the_broker_refuses():
    _waiting(3)

    with celery_broker(dead_redis_url()):
        assert outbox_flush() == 0

    rows = OutboxTask.objects.order_by("pk").values_list("attempts", "claimed_at")
    assert list(rows) == [(1, None), (0, None), (0, None)]


@pytest.mark.django_db
def test_rows_naming_no_task_are_abandoned_and_never_hold_up_the_rest():
    SENT.clear()
    created = timezone.now() - timedelta(minutes=5)
    for n in range(3):
        OutboxTask.objects.create(name=f"gone.tasks.old_{n}", kwargs={}, created_at=created)
    _waiting(1)

    sent = [outbox_flush(batch_size=2) for _ in range(3)]

    assert sum(sent) == 1 and SENT == [0]
    assert OutboxTask.objects.filter(abandoned_at__isnull=False).count() == 3


def test_every_task_a_service_enqueues_by_name_is_registered():
    celery_app.loader.import_default_modules()
    named = {
        value
        for module in ("checkout.services.payment", "recovery.services")
        for key, value in vars(importlib.import_module(module)).items()
        if key.endswith("_TASK")
    }
    assert named and named <= set(celery_app.tasks)


@pytest.mark.django_db
def test_tasks_waiting_under_their_old_names_are_renamed_by_the_migration():
    from django.apps import apps

    migration = importlib.import_module("recovery.migrations.0002_rename_outbox_tasks")
    row = OutboxTask.objects.create(name="cart.tasks.cart_reminder_send_task", kwargs={})

    migration.rename(apps, None)

    row.refresh_from_db()
    assert row.name == "recovery.tasks.cart_reminder_send_task"
