"""A task sent through a real Redis broker to a real Celery worker started by the test."""

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import pools as kombu_pools

from checkout.models import Order
from checkout.tasks import orders_expire_due_task
from config.celery_app import app as celery_app
from inventory.models import StockReservation
from tests.factories import VariantFactory
from tests.helpers import database_url, guest_cart, start

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _forget_connections() -> None:
    """Drop the sender's cached broker connections, so a changed broker_url takes effect."""
    kombu_pools.reset()  # kombu keeps producer pools by broker address, process-wide
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _rabbitmq_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


BROKERS = [
    pytest.param("redis", id="redis"),
    # RabbitMQ by URL works too; CI starts it, elsewhere it may not be installed.
    pytest.param(
        "amqp://guest:guest@127.0.0.1:5672//",
        id="rabbitmq",
        marks=pytest.mark.skipif(not _rabbitmq_answers(), reason="no RabbitMQ on 127.0.0.1:5672"),
    ),
]


def _redis_broker() -> str:
    return settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/14"


@contextmanager
def running_worker(broker: str, queues: str, mail_dir: Path | None = None):
    """A real `celery worker` process on the test database, sending with `broker`; the first
    of `queues` is where the worker itself sends tasks."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TEST_CELERY_BROKER_URL": broker,
        "TEST_CELERY_DEFAULT_QUEUE": queues.split(",")[0],
        "TEST_EMAIL_FILE_PATH": str(mail_dir or ""),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queues,
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.broker_url = broker
    celery_app.conf.task_always_eager = False
    _forget_connections()
    try:
        yield worker
    finally:
        _forget_connections()
        celery_app.conf.update(saved)
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture(params=BROKERS)
def worker_queue(request):
    """A worker on a queue of its own, with the broker given."""
    broker = _redis_broker() if request.param == "redis" else request.param
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with running_worker(broker, queue) as worker:
        yield queue, worker


def wait_for(condition, worker, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.stdout.read()}")
        time.sleep(0.25)
    return False


def test_the_release_job_runs_in_a_real_worker(worker_queue, shipping_methods):
    queue, worker = worker_queue
    variant = VariantFactory(stock_on_hand=3)
    order = start(guest_cart((variant, 3))).order
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    connection.close()  # the worker must see committed rows only

    orders_expire_due_task.apply_async(queue=queue)

    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED, worker)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED, "the worker never ran the task"
    assert order.cancel_reason == "expired"
    assert not StockReservation.objects.filter(order_id=order.pk, status="active").exists()
    worker.terminate()
    log = worker.communicate(timeout=20)[0]
    assert "checkout.tasks.orders_expire_due_task" in log and "succeeded" in log, log


def test_with_the_broker_stopped_checkout_completes_and_the_email_goes_once_it_is_back(
    tmp_path, shipping_methods
):
    from django.test import Client

    from shop.models import OutboxTask
    from shop.outbox import outbox_flush

    variant = VariantFactory(stock_on_hand=3)
    shopper = Client()
    shopper.post("/cart/add/", {"variant_id": variant.pk})
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens: the broker is down
    celery_app.conf.task_always_eager = False
    _forget_connections()
    try:
        pay_url = shopper.post("/checkout/", {**CHECKOUT_FORM}).url
        paid = shopper.post(pay_url, {"outcome": "pay"}, follow=True)
    finally:
        _forget_connections()
        celery_app.conf.task_always_eager = True

    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert 'data-testid="order-confirmation"' in paid.text
    waiting = OutboxTask.objects.get(name="checkout.tasks.order_confirmation_send_task")
    assert waiting.dispatched_at is None and waiting.kwargs == {"order_id": order.pk}

    # The broker is back: the worker flushes the outbox as it starts (and beat every minute).
    with running_worker(_redis_broker(), "celery", mail_dir=tmp_path) as worker:
        outbox_flush(older_than=timedelta(0))  # racing the worker's own flush: one of them sends
        assert wait_for(lambda: any(tmp_path.iterdir()), worker), "no email was sent"
        time.sleep(1)  # a second send would land within this
    [sent] = list(tmp_path.iterdir())
    assert order.number in sent.read_text()
    assert OutboxTask.objects.get(pk=waiting.pk).dispatched_at is not None


def test_a_starting_worker_sends_what_waits_in_the_outbox(tmp_path, shipping_methods):
    from shop.models import OutboxTask

    order = start(guest_cart((VariantFactory(stock_on_hand=3), 1))).order
    # What a broker outage leaves behind: the task recorded, never sent.
    waiting = OutboxTask.objects.create(
        name="checkout.tasks.order_confirmation_send_task",
        kwargs={"order_id": order.pk},
        created_at=timezone.now() - timedelta(minutes=5),
    )
    connection.close()

    queue = f"test-{uuid.uuid4().hex[:8]}"
    with running_worker(_redis_broker(), queue, mail_dir=tmp_path) as worker:
        # Nothing else flushes the outbox here: no beat, no call from the test.
        assert wait_for(lambda: any(tmp_path.iterdir()), worker, seconds=45), "no email"
    [sent] = list(tmp_path.iterdir())
    assert order.number in sent.read_text()
    assert OutboxTask.objects.get(pk=waiting.pk).dispatched_at is not None


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
