"""A task sent through a real Redis broker to a real Celery worker started by the test."""

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from checkout.models import Order
from checkout.tasks import orders_expire_due_task
from config.celery_app import app as celery_app
from tests.checkout.conftest import guest_cart, start
from tests.factories import VariantFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _forget_connections() -> None:
    """Drop the sender's cached broker connections, so a changed broker_url takes effect."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
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


@pytest.fixture(params=BROKERS)
def worker_queue(request):
    """Start `celery worker` on a queue of its own, with the broker given; stop it after."""
    broker = request.param
    if broker == "redis":
        broker = settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/14"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "TEST_CELERY_BROKER_URL": broker,
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
            queue,
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
        yield queue, worker
    finally:
        _forget_connections()
        celery_app.conf.update(saved)
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_the_release_job_runs_in_a_real_worker(worker_queue, shipping_methods):
    queue, worker = worker_queue
    variant = VariantFactory(stock_on_hand=3)
    order = start(guest_cart((variant, 3))).order
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    connection.close()  # the worker must see committed rows only

    orders_expire_due_task.apply_async(queue=queue)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED:
            break
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.stdout.read()}")
        time.sleep(0.25)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED, "the worker never ran the task"
    assert order.cancel_reason == "expired"
    assert not order.reservations.filter(status="active").exists()
    worker.terminate()
    log = worker.communicate(timeout=20)[0]
    assert "checkout.tasks.orders_expire_due_task" in log and "succeeded" in log, log
